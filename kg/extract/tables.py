"""Task tables in every text rendering → grids of cell spans aligned to typed columns.

A task table (任务分工表) is known by its header: the names of its columns, each of a kind
listed in ``data/table_columns.csv`` (number, task, lead / support / responsible, person,
deadline, progress, remark). A table needs a unit column and a task or number column. Three
renderings of the same table reach us as text:

* delimited rows: cells separated by ``|`` or tabs, one row per line (web, Word, Excel and
  PDF tables as :mod:`kg.extract.read` renders them; Markdown);
* spaced rows: cells separated by spaces, one row per line, each row opening with its
  number (PDF text layers, copied plain text);
* one cell per line or paragraph, with or without a trailing ``|``: a header block of
  column names, then each row as consecutive lines (see :mod:`kg.extract.cell_lines`).

Every rendering gives the same :class:`Grid`: per row one ``(start, end)`` span per column of
the view (``start == end`` for an empty or merged-away cell), so offsets stay the text's.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any, Callable

from kg.extract.memo import memo, remember
from kg.extract.read import ZERO_WIDTH
from kg.extract.segment import ordinal
from kg.extract.units import ends_like_name
from kg.reference import Reference, TableColumn

__all__ = ["Grid", "find_grids", "column_kind", "header_line", "header_line_of", "UNIT_KINDS", "lines"]

UNIT_KINDS = ("lead", "support", "responsible")
Span = tuple[int, int]
_HEADER_CELL = re.compile(r"[\u4e00-\u9fff()/、与及和]{1,12}")


@dataclass(frozen=True)
class Grid:
    """A table: its column kinds (header order), header span and rows of cell spans."""

    kinds: tuple[str | None, ...]
    header: Span
    rows: tuple[tuple[Span, ...], ...]
    spans: tuple[Span, ...]  # each row's whole span (what clause finding must leave alone)
    sections: tuple[str, ...] = ()  # per row: the section row above it ("一"), or ""


def column_kind(text: str, reference: Reference) -> str | None:
    """The kind of a header cell: an exact column name, else the longest one it contains.

    >>> from kg.reference import load_reference
    >>> ref = load_reference()
    >>> [column_kind(t, ref) for t in ("序号", "工 作 任 务", "牵头负责部门", "市政府分管领导", "责任单位:", "市质监局")]
    ['number', 'task', 'lead', 'person', None, None]
    """
    if len(text) > 24:  # most lines: far too long for a column name
        return None
    known = memo(reference, "column_kind")
    if text not in known:
        remember(known, text, _kind(text, reference))
    return known[text]  # type: ignore[no-any-return]


_NOT_IN_NAME = re.compile(r"[\s" + ZERO_WIDTH + r"*]")


def _kind(text: str, reference: Reference) -> str | None:
    name = _NOT_IN_NAME.sub("", text)
    if not _HEADER_CELL.fullmatch(name):
        return None
    exact: dict[str, str] = _held(reference, "exact_columns", _exact)
    if name in exact:
        return exact[name]
    return next((c.kind for c in reference.table_columns if c.header in name), None)  # longest first


@functools.lru_cache(maxsize=8)
def header_line(columns: tuple[TableColumn, ...]) -> re.Pattern[str]:
    """A line that is nothing but a column name (what a one-cell-per-line header starts with)."""
    names = "|".join(re.escape(c.header) for c in columns)
    return re.compile(r"^[ \t|\u3000]*(?:" + names + r")[ \t|\u3000]*$", re.M)


@functools.lru_cache(maxsize=8)
def _exact(columns: tuple[TableColumn, ...]) -> dict[str, str]:
    return {c.header: c.kind for c in columns}


def header_line_of(reference: Reference) -> re.Pattern[str]:
    """:func:`header_line` of the reference's columns, kept with the tables (hashing the columns
    on every call costs more than the look-up it saves)."""
    return _held(reference, "header_line", header_line)  # type: ignore[no-any-return]


def _held(reference: Reference, name: str, build: Callable[[tuple[TableColumn, ...]], Any]) -> Any:
    held = memo(reference, name)
    if not held:
        held[name] = build(reference.table_columns)
    return held[name]


def is_header(kinds: list[str | None]) -> bool:
    """A header names a unit column and a task or number column, and nearly nothing unknown."""
    known = [k for k in kinds if k]
    return any(k in UNIT_KINDS for k in known) and any(k in ("task", "number") for k in known) \
        and len(known) >= max(2, len(kinds) - 1)


def lines(view: str) -> list[Span]:
    """Spans of the non-empty lines of ``view``."""
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", view)]


def find_grids(view: str, reference: Reference) -> list[Grid]:
    """Delimited and spaced tables of a document, in order (one-cell-per-line tables live in
    :mod:`kg.extract.cell_lines`)."""
    grids: list[Grid] = []
    if not may_hold_grid(view):
        return grids
    all_lines = lines(view)
    i = 0
    while i < len(all_lines):
        a, b = all_lines[i]
        if _is_delimited(view, a, b):
            cells = delimited_cells(view, a, b)
            kinds = [column_kind(view[s:e], reference) for s, e in cells]
            if is_header(kinds):
                i, grid = _read_delimited(view, all_lines, i + 1, kinds, (a, b))
                grids.append(grid)
                continue
        elif _NUMBER_FIRST.match(view, a, b) and (spaced := _spaced_header(view, a, b, reference)) is not None:
            i, grid = _read_spaced(view, all_lines, i + 1, spaced, (a, b))
            if grid.rows:
                grids.append(grid)
            continue
        i += 1
    return grids


def may_hold_grid(view: str) -> bool:
    """False when no line is delimited or opens with a number column (no table to read: the
    common case, told by a few scans in C instead of a test per line)."""
    return "|" in view or "\t" in view or _NUMBER_FIRST.match(view) is not None \
        or _NUMBER_FIRST_LINE.search(view) is not None


def _is_delimited(view: str, a: int, b: int) -> bool:
    line = view[a:b]
    return line.count("|") >= 2 or line.strip().count("\t") >= 1


def delimited_cells(view: str, start: int, end: int) -> list[Span]:
    """Cell spans of a ``|``- or tab-separated row, outer pipes dropped, cells trimmed.

    >>> v = "| 1 | 加强监管 |  |"
    >>> [v[a:b] for a, b in delimited_cells(v, 0, len(v))]
    ['1', '加强监管', '']
    """
    sep = "|" if view.find("|", start, end) != -1 else "\t"
    cells, pos = [], start
    while (i := view.find(sep, pos, end)) != -1:
        cells.append(_trim(view, pos, i))
        pos = i + 1
    cells.append(_trim(view, pos, end))
    if view[start:end].lstrip().startswith(sep):
        cells = cells[1:]
    if view[start:end].rstrip().endswith(sep):
        cells = cells[:-1]
    return cells


def _trim(view: str, a: int, b: int) -> Span:
    """The span without spaces, tabs and zero-width placeholders at either end (all padding: empty at ``b``)."""
    cell = view[a:b]
    kept = cell.lstrip(_CELL_PADDING)
    if not kept:
        return b, b
    return a + len(cell) - len(kept), b - len(kept) + len(kept.rstrip(_CELL_PADDING))


_CELL_PADDING = " \t" + ZERO_WIDTH  # made once, not at every character


_SECTION_NUMBER = re.compile(r"[一二三四五六七八九十]{1,3}[、.]?|第[一二三四五六七八九十]{1,3}[部分章]*")


def _read_delimited(view: str, all_lines: list[Span], i: int, kinds: list[str | None],
                    header: Span) -> tuple[int, Grid]:
    rows, spans, sections, section = [], [], [], ""
    width = len(kinds)
    while i < len(all_lines) and _is_delimited(view, *all_lines[i]):
        a, b = all_lines[i]
        i += 1
        if re.fullmatch(r"[\s|:\-]+", view[a:b]):
            continue  # Markdown separator row
        cells = delimited_cells(view, a, b)
        first = view[slice(*cells[0])] if cells else ""
        if _SECTION_NUMBER.fullmatch(first):
            section = str(ordinal(re.sub(r"[、.第部分章]", "", first)))
            continue  # a section row ("一 | 产品质量提升 | |") groups the rows below it
        if len(cells) < width - 1:
            continue
        cells = (cells + [(b, b)] * width)[:width]
        rows.append(tuple(cells))
        spans.append((a, b))
        sections.append(section)
    return i, Grid(tuple(kinds), header, tuple(rows), tuple(spans), tuple(sections))


_NUMBER_FIRST = re.compile(r"[ \t]*[序编]")  # a spaced table opens with its number column (序号, 编号)
_NUMBER_FIRST_LINE = re.compile(r"\n" + _NUMBER_FIRST.pattern)  # the same after a line break (searched fast)


def _spaced_header(view: str, a: int, b: int, reference: Reference) -> list[str | None] | None:
    """Column kinds of a header whose names are separated by spaces; letter-spaced names
    ("工 作 任 务") are joined first. A spaced table must open with its number column."""
    words = view[a:b].split()
    if len(words) < 2 or len(view[a:b]) > 80:
        return None
    names: list[str] = []
    for word in words:
        if len(word) == 1 and names and (len(names[-1]) == 1 or column_kind(names[-1], reference) is None):
            names[-1] += word
        else:
            names.append(word)
    kinds = [column_kind(n, reference) for n in names]
    return kinds if all(kinds) and is_header(kinds) and kinds[0] == "number" else None


_ROW_NUMBER = re.compile(r"[ \t]*(\d{1,3})[.、]?(?=[ \t])")


def _read_spaced(view: str, all_lines: list[Span], i: int, kinds: list[str | None],
                 header: Span) -> tuple[int, Grid]:
    rows, spans = [], []
    while i < len(all_lines):
        a, b = all_lines[i]
        if not _ROW_NUMBER.match(view, a, b):
            break
        words = [(m.start(), m.end()) for m in re.finditer(r"\S+", view[a:b])]
        words = [(a + s, a + e) for s, e in words]
        rows.append(spaced_cells(view, words, kinds))
        spans.append((a, b))
        i += 1
    return i, Grid(tuple(kinds), header, tuple(rows), tuple(spans), ("",) * len(rows))


_DEADLINE = re.compile(r"\d{4}年|\d{4}[.\-/]\d|年底|年内|月底|月前|季度|长期|持续|常态|底前|前完成|每年|每季|每月")


def looks_like_deadline(text: str) -> bool:
    """Whether a cell reads as a deadline (a date, 年底前, 长期).

    >>> looks_like_deadline("2021年6月底前"), looks_like_deadline("市财政局")
    (True, False)
    """
    return len(text) <= 24 and _DEADLINE.search(text) is not None


def spaced_cells(view: str, words: list[Span], kinds: list[str | None]) -> tuple[Span, ...]:
    """Align the words of a spaced row to its columns: the number first, then the trailing
    columns peeled from the right while a word fits them (a unit list in a unit column, a
    date in a deadline column), and the rest of the words form the task cell.

    >>> v = "3 推进 5G 网络建设 市工信局 2021年底"
    >>> ws = [(m.start(), m.end()) for m in re.finditer(r"\\S+", v)]
    >>> [v[a:b] for a, b in spaced_cells(v, ws, ["number", "task", "lead", "support", "deadline"])]
    ['3', '推进 5G 网络建设', '市工信局', '', '2021年底']
    """
    end = words[-1][1]
    cells: list[Span] = [(end, end)] * len(kinds)
    cells[0] = words[0]
    task = max((k for k, kind in enumerate(kinds) if kind == "task"), default=1)
    rest, units = words[1:], list[Span]()
    for col in reversed(range(task + 1, len(kinds))):
        if len(rest) > 1 and _fits(view, rest[-1], kinds[col]):
            if kinds[col] in UNIT_KINDS:
                units.insert(0, rest.pop())
            else:
                cells[col] = rest.pop()
    for col, span in zip([k for k in range(task + 1, len(kinds)) if kinds[k] in UNIT_KINDS], units):
        cells[col] = span  # an empty unit cell vanishes from spaced text: the units present come first
    if rest:
        cells[task] = (rest[0][0], rest[-1][1])
    return tuple(cells)


def _fits(view: str, span: Span, kind: str | None) -> bool:
    text = view[span[0]:span[1]]
    if kind == "deadline":
        return looks_like_deadline(text)
    if kind in UNIT_KINDS:
        return len(text) >= 2 and not re.search(r"\d", text) and ends_like_name(text)
    if kind == "person":
        return re.fullmatch(r"[\u4e00-\u9fff]{2,4}(、[\u4e00-\u9fff]{2,4})*", text) is not None
    return False
