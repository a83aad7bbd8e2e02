"""Tables as text that fits the terminal, laid out the way rich draws them.

Wide characters count two columns, long cells are cut with an ellipsis and every cell stays
text, so a task path such as 3.10 is never read as a number. Cells of one line of printable
text, the usual case, are written by a plain aligned writer that measures and cuts with rich's
own cell functions (a 7,500-row burden table in ~0.1 s, where rich's renderer takes seconds);
rich itself draws tables with anything else (line breaks, control characters, text to wrap).
rich is imported on first use only, which keeps ``kg --help`` fast.
"""
from __future__ import annotations

import os
import re
import shutil
import sys
from bisect import bisect_right
from itertools import accumulate
from typing import Any, Callable, Sequence

__all__ = ["terminal_width", "render_table", "markdown_table", "WIDE"]

WIDE = 10_000  # "as wide as the content": no cell is ever cut


def terminal_width() -> int:
    """Columns to fit: ``$COLUMNS`` when set, else the terminal's width, else 80 (piped output).

    >>> os.environ["COLUMNS"] = "100"; terminal_width()
    100
    >>> del os.environ["COLUMNS"]
    """
    if os.environ.get("COLUMNS", "").isdigit():
        return int(os.environ["COLUMNS"])
    if sys.stdout.isatty():
        return shutil.get_terminal_size().columns
    return 80


def render_table(columns: Sequence[str], rows: Sequence[Sequence[Any]], width: int | None = None,
                 right: Sequence[str] = (), wrap: Sequence[str] = ()) -> str:
    """Rows as an aligned text table at most ``width`` columns wide (wide characters count two).

    Columns are two spaces apart. When the table is too wide, the widest text column gives up a
    column at a time (never below 4) and its cells are cut with "…"; numbers (``right``) are
    never cut. Columns named in ``wrap`` (long text people must read whole) give up width last,
    like the first column, and wrap onto more lines instead of being cut.

    >>> print(render_table(["路径", "n"], [["3.10", 2], ["3.9", 10]], right=["n"]))
    路径   n
    ────────
    3.10   2
    3.9   10
    >>> print(render_table(["name", "n"], [["质量技术监督局", 1]], width=12, right=["n"]))
    name       n
    ────────────
    质量技术…  1
    """
    shown = _Texts()  # numbers repeat down a column: each distinct one is written once
    texts = [[c if type(c) is str else shown[c.__class__, c] for c in row] for row in rows]
    cell_len = _Widths()
    if _plain_cells(columns, texts, cell_len):
        widths = _fit([max([cell_len[name]] + [cell_len[r[k]] for r in texts]) for k, name in enumerate(columns)],
                      [name not in right for name in columns], width or terminal_width(),
                      [k == 0 or name in wrap for k, name in enumerate(columns)])
        if all(cell_len[t] <= size for k, (name, size) in enumerate(zip(columns, widths)) if name in wrap
               for t in [name, *(r[k] for r in texts)]):  # text to wrap that fits needs no wrapping
            return _aligned(columns, texts, widths, frozenset(right), cell_len)
    return _rich_table(columns, rows, width, right, wrap)


class _Texts(dict[tuple[type, Any], str]):
    """Cells that are not text, keyed by (type, value), as text: floats with three decimals,
    None empty (the type is in the key: 1, 1.0 and True are equal keys but different texts)."""

    def __missing__(self, key: tuple[type, Any]) -> str:
        value = key[1]
        text = self[key] = "" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)
        return text


class _CharWidths(dict[str, int]):
    """Columns one character takes, as rich counts it, looked up once per distinct character."""

    def __missing__(self, character: str) -> int:
        from rich.cells import get_character_cell_size

        width = self[character] = get_character_cell_size(character)
        return width


_CHAR_WIDTHS = _CharWidths()


class _Widths(dict[str, int]):
    """Columns each text takes, as rich counts them, measured once per distinct text; -1 for
    text with characters of no width (combining marks, joiners), which rich lays out by its
    grapheme rules."""

    def __missing__(self, text: str) -> int:
        if text.isascii():  # printable ASCII: one column each
            width = len(text)
        else:
            sizes = list(map(_CHAR_WIDTHS.__getitem__, text))
            width = -1 if 0 in sizes else sum(sizes)
        self[text] = width
        return width


_NOT_PLAIN = re.compile("[\x00-\x1f\x7f-\x9f]")


def _plain_cells(columns: Sequence[str], texts: list[list[str]], widths: _Widths) -> bool:
    """Whether every cell is one line of printable characters that each take a column or two,
    which the plain writer lays out as rich does (rich's markup escaping doubles a final
    backslash: such cells go to rich too). The cells are checked joined, a pattern search each."""
    if any(_NOT_PLAIN.search(t) or "[" in t or widths[t] < 0 for t in columns):
        return False
    cells = [t for row in texts for t in row]
    if _NOT_PLAIN.search(" ".join(cells)) or "\\\x00" in "\x00".join(cells) + "\x00":
        return False
    return all(widths[t] >= 0 for t in set(cells))


def _aligned(columns: Sequence[str], texts: list[list[str]], widths: list[int], right: frozenset[str],
             measured: _Widths | None = None) -> str:
    """The table as rich draws it (header, a rule, two spaces between columns, trailing spaces
    dropped), written directly.

    >>> print(_aligned(["名称", "n"], [["质量技术监督局", "3"]], [5, 2], frozenset({"n"})))
    名称    n
    ─────────
    质量…   3
    """
    cell_len = measured if measured is not None else _Widths()

    def cell(text: str, size: int, to_right: bool) -> str:
        if to_right:
            text = text.rstrip()
        length = cell_len[text]
        if length > size:
            text = _crop(text, size - 1) + "…"
            length = size
        return " " * (size - length) + text if to_right else text + " " * (size - length)

    laid = [_Laid(size, name in right, cell) for name, size in zip(columns, widths)]  # each distinct cell once
    lines = ["  ".join(list(map(dict.__getitem__, laid, row))).rstrip() for row in [list(columns), *texts]]
    lines.insert(1, "─" * (sum(widths) + 2 * (len(widths) - 1)))
    return "\n".join(lines)


class _Laid(dict[str, str]):
    """One column's cells as laid out, each distinct text laid out once (numbers and function
    names repeat down a column)."""

    def __init__(self, size: int, to_right: bool, lay: Callable[[str, int, bool], str]) -> None:
        super().__init__()
        self.size, self.to_right, self.lay = size, to_right, lay

    def __missing__(self, text: str) -> str:
        laid = self[text] = self.lay(text, self.size, self.to_right)
        return laid


def _crop(text: str, total: int) -> str:
    """The first ``total`` columns of text longer than that, as rich's ``set_cell_size`` cuts text
    whose characters each take a column or two (a wide character across the edge becomes a
    space), in one pass over the characters.

    >>> _crop("质量技术", 5), _crop("abc", 2)
    ('质量 ', 'ab')
    """
    if text.isascii():  # printable: a column each
        return text[:total]
    ends = list(accumulate(map(_CHAR_WIDTHS.__getitem__, text[:total])))  # no more characters can fit
    fitting = bisect_right(ends, total)
    return text[:fitting] + " " * (total - (ends[fitting - 1] if fitting else 0))


def _rich_table(columns: Sequence[str], rows: Sequence[Sequence[Any]], width: int | None,
                right: Sequence[str], wrap: Sequence[str]) -> str:
    """The table drawn by rich: cells with line breaks or control characters, text to wrap."""
    from rich import box
    from rich.table import Table

    cells = [[_text(c) for c in row] for row in rows]
    widths = _fit([_natural(name, [r[k] for r in cells]) for k, name in enumerate(columns)],
                  [name not in right for name in columns], width or terminal_width(),
                  [k == 0 or name in wrap for k, name in enumerate(columns)])
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True, header_style="")
    for name, size in zip(columns, widths):
        table.add_column(name, justify="right" if name in right else "left", no_wrap=name not in wrap,
                         overflow="fold" if name in wrap else "ellipsis", width=size)
    for row in cells:
        table.add_row(*row)
    return _plain(table, WIDE)


def _natural(header: str, cells: list[str]) -> int:
    from rich.cells import cell_len
    from rich.markup import render

    return max([cell_len(header)] + [cell_len(render(c).plain) for c in cells])


def _fit(widths: list[int], shrinkable: list[bool], total: int, late: list[bool] | None = None) -> list[int]:
    """Narrow text columns until the table (2-space gaps) fits ``total``: first the widest of
    the others down to 8, then the widest of all down to 4. ``late`` columns (by default the
    first, which names the row) are left for the second round.

    >>> _fit([10, 12, 3], [True, True, False], 25)
    [10, 8, 3]
    >>> _fit([10, 8, 3], [True, True, False], 16)
    [4, 5, 3]
    """
    widths = list(widths)
    late = late if late is not None else [k == 0 for k in range(len(widths))]
    budget = total - 2 * (len(widths) - 1)
    for first_round, floor in ((True, 8), (False, 4)):
        while sum(widths) > budget:
            candidates = [k for k in range(len(widths))
                          if shrinkable[k] and widths[k] > floor and not (first_round and late[k])]
            if not candidates:
                break
            widths[max(candidates, key=lambda k: (widths[k], -k))] -= 1
    return widths


def _text(value: Any) -> str:
    from rich.markup import escape

    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.3f}"
    return escape(str(value))


def _plain(renderable: Any, width: int) -> str:
    """Render without colour or control codes; trailing spaces removed."""
    import io

    from rich.console import Console

    buffer = io.StringIO()
    Console(file=buffer, width=width, color_system=None, force_terminal=False, legacy_windows=False,
            highlight=False, emoji=False).print(renderable, crop=False)
    return "\n".join(line.rstrip() for line in buffer.getvalue().rstrip("\n").splitlines())


def markdown_table(columns: Sequence[str], rows: Sequence[Sequence[Any]], right: Sequence[str] = ()) -> str:
    """A GitHub Markdown table (pipes in cells escaped).

    >>> print(markdown_table(["机构", "n"], [["市质监局", 3]], right=["n"]))
    | 机构 | n |
    |---|---:|
    | 市质监局 | 3 |
    """
    def line(cells: Sequence[Any]) -> str:
        return "| " + " | ".join(_cell(c) for c in cells) + " |"

    rule = "|" + "|".join("---:" if c in right else "---" for c in columns) + "|"
    return "\n".join([line(columns), rule] + [line(r) for r in rows])


def _cell(value: Any) -> str:
    if value is None:
        return ""
    text = f"{value:.3f}" if isinstance(value, float) else str(value)
    return text.replace("|", "\\|").replace("\n", " ")
