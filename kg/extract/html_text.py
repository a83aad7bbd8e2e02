"""The visible text of an HTML page: navigation chrome dropped, tables as ``a | b`` rows.

Saved web pages carry menus, breadcrumbs and footers around the plan; only the content counts,
and a task table must stay one row per line so that the table reader finds it.
"""
from __future__ import annotations

import re
from typing import Any

__all__ = ["html_text"]

_CHROME_TAGS = ["script", "style", "nav", "header", "footer", "aside", "form", "noscript",
                "iframe", "select", "button", "head"]
_CHROME_NAMES = re.compile(r"nav|menu|breadcrumb|footer|header|share|sidebar|crumb|topbar", re.I)
_CONTENT_NAMES = re.compile(r"zoom|article|content|trs_editor|main-?text|maintext|detail", re.I)


def html_text(markup: str) -> str:
    """Visible text of an HTML page without navigation chrome; table rows become ``a | b``.

    >>> html_text("<nav>首页</nav><p>一、任务</p><table><tr><td>1</td><td>市质监局</td></tr></table>")
    '一、任务\\n1 | 市质监局'
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "html.parser")
    for tag in soup.find_all(_CHROME_TAGS):
        tag.decompose()
    for tag in soup.find_all(class_=_CHROME_NAMES) + soup.find_all(id=_CHROME_NAMES):
        if not tag.decomposed:
            tag.decompose()
    for table in soup.find_all("table"):
        rows = _table_grid(table)
        table.replace_with(soup.new_string("\n" + "\n".join(" | ".join(r) for r in rows) + "\n"))
    root = _content_root(soup)
    for br in root.find_all("br"):
        br.replace_with("\n")
    lines = (line.strip() for line in root.get_text("\n").split("\n"))
    return "\n".join(line for line in lines if line)


def _table_grid(table) -> list[list[str]]:  # type: ignore[no-untyped-def]
    """Rows of an HTML table with merged cells expanded: a rowspan repeats its text in the rows
    below (the same unit leads those tasks), a colspan keeps it in its first column only.

    >>> from bs4 import BeautifulSoup
    >>> t = BeautifulSoup("<table><tr><td>1</td><td rowspan=2>市质监局</td></tr><tr><td>2</td></tr></table>",
    ...                   "html.parser").table
    >>> _table_grid(t)
    [['1', '市质监局'], ['2', '市质监局']]
    """
    grid: list[list[str]] = []
    carried: dict[int, tuple[str, int]] = {}  # column → (text, rows still to fill)
    for tr in table.find_all("tr"):
        row: list[str] = []
        cells = iter(tr.find_all(["td", "th"]))
        column = 0
        while True:
            if column in carried:
                text, left = carried[column]
                row.append(text)
                carried = {**carried, column: (text, left - 1)} if left > 1 else \
                    {k: v for k, v in carried.items() if k != column}
                column += 1
                continue
            cell = next(cells, None)
            if cell is None:
                break
            text = cell.get_text(" ", strip=True)
            span, down = _span(cell, "colspan"), _span(cell, "rowspan")
            for k in range(span):
                row.append(text if k == 0 else "")
                if down > 1:
                    carried[column + k] = (text if k == 0 else "", down - 1)
            column += span
        grid.append(row)
    return grid


def _span(cell, name: str) -> int:  # type: ignore[no-untyped-def]
    try:
        return max(1, min(int(str(cell.get(name, 1)).strip() or 1), 50))
    except ValueError:
        return 1


def _content_root(soup: Any) -> Any:
    total = len(soup.get_text(strip=True)) or 1
    for tag in soup.find_all(["article", "main", "div", "section"]):
        names = " ".join(tag.get("class") or []) + " " + (tag.get("id") or "")
        if (tag.name in ("article", "main") or _CONTENT_NAMES.search(names)) and \
                len(tag.get_text(strip=True)) > 0.5 * total:
            return tag
    return soup
