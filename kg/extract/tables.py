"""Task tables: rows of ``序号 | 任务 | 牵头单位 | 配合单位 | 完成时限`` (``|``- or tab-separated)
become tasks numbered by their row, with a clause spanning their responsibility cells.

A table is a run of lines with at least two cells; its header is the first row with a cell
naming a role (牵头单位, 责任单位 …). Cells are parsed with the clause grammar, the column's
role as default, so a cell that says "A牵头,B配合" still splits by its own words.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extract.clauses import Grammar, RawClause, parse_content
from kg.model import Role
from kg.extract.lexicon import Lexicon

__all__ = ["TableRow", "find_table_rows"]

_TASK_HEADER = re.compile(r"任务|内容|措施|事项|工作|名称|项目|举措")
_NUMBER_HEADER = re.compile(r"序号|编号|序")


@dataclass(frozen=True)
class TableRow:
    path: str
    title: str
    start: int
    end: int
    clause: RawClause | None


def _cells(view: str, start: int, end: int) -> list[tuple[int, int]]:
    sep = "|" if "|" in view[start:end] else "\t"
    cells, pos = [], start
    for i in range(start, end + 1):
        if i == end or view[i] == sep:
            a, b = pos, i
            while a < b and view[a] in " \t":
                a += 1
            while b > a and view[b - 1] in " \t":
                b -= 1
            cells.append((a, b))
            pos = i + 1
    if view[start:end].lstrip().startswith(sep):
        cells = cells[1:]
    if view[start:end].rstrip().endswith(sep):
        cells = cells[:-1]
    return cells


def _lines(view: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", view)]


def _is_row(view: str, a: int, b: int) -> bool:
    line = view[a:b]
    return line.count("|") >= 2 or line.strip().count("\t") >= 1


def _header_roles(view: str, cells: list[tuple[int, int]], g: Grammar) -> dict[int, Role]:
    roles = {}
    for i, (a, b) in enumerate(cells):
        text = view[a:b]
        m = g.token.search(text)
        term = m.group().replace("\ue000", "") if m else ""
        if m and len(text) <= 16 and (term in g.labels or term in g.verbs):
            roles[i] = g.labels.get(term) or g.verbs[term]
    return roles


def find_table_rows(view: str, g: Grammar, lexicon: Lexicon) -> list[TableRow]:
    """Rows of every task table in the document, in order."""
    rows: list[TableRow] = []
    lines = _lines(view)
    i = 0
    while i < len(lines):
        a, b = lines[i]
        if not _is_row(view, a, b):
            i += 1
            continue
        cells = _cells(view, a, b)
        roles = _header_roles(view, cells, g)
        if not roles:
            i += 1
            continue
        i = _read_body(view, lines, i + 1, cells, roles, g, lexicon, rows)
    return rows


def _read_body(view: str, lines: list[tuple[int, int]], i: int, header: list[tuple[int, int]],
               roles: dict[int, Role], g: Grammar, lexicon: Lexicon, rows: list[TableRow]) -> int:
    names = [view[a:b] for a, b in header]
    number_col = next((k for k, n in enumerate(names) if _NUMBER_HEADER.search(n)), None)
    task_col = next((k for k, n in enumerate(names) if k not in roles and k != number_col
                     and _TASK_HEADER.search(n)), None)
    count = 0
    while i < len(lines) and _is_row(view, *lines[i]):
        a, b = lines[i]
        i += 1
        if re.fullmatch(r"[\s|:\-]+", view[a:b]):
            continue  # markdown separator row
        cells = _cells(view, a, b)
        if len(cells) < len(header) - 1:
            continue
        number = view[slice(*cells[number_col])] if number_col is not None and number_col < len(cells) else ""
        clause = _row_clause(view, cells, roles, g, lexicon)
        if clause is None and number and not re.fullmatch(r"\d+(\.\d+)*", number):
            continue  # a section row ("一 | 产品质量提升 | |"), not a task
        count += 1
        path = number if re.fullmatch(r"\d+(\.\d+)*", number) else str(count)
        title = view[slice(*cells[task_col])][:40] if task_col is not None and task_col < len(cells) else ""
        rows.append(TableRow(path, title, a, b, clause))
    return i


def _row_clause(view: str, cells: list[tuple[int, int]], roles: dict[int, Role], g: Grammar,
                lexicon: Lexicon) -> RawClause | None:
    units: list[tuple[Role, int, int]] = []
    spans = []
    for k, role in sorted(roles.items()):
        if k >= len(cells) or cells[k][1] <= cells[k][0]:
            continue
        found, _ = parse_content(view, cells[k][0], cells[k][1], g, lexicon, default=role)
        units += found
        spans.append(cells[k])
    if not units:
        return None
    return RawClause(spans[0][0], spans[-1][1], "table", tuple(units), "")
