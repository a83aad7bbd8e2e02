"""Task tables flattened to one cell per line (or per paragraph), as web pages and Word files
give them when copied: a header block of column names, one per line, then the rows, each as
consecutive lines; a trailing ``|`` per cell and blank lines between cells are allowed.

Rows are found in one of two ways:

* with a number column: a row starts at a line holding just the next row number, and its
  cells are the lines up to the next row number (at most one per column);
* without one: a row is its text cells followed by its unit cells (a unit list, or units
  with their role words), so a row ends where the next text cell follows a unit cell.

A row with every cell is read by position. A row with fewer cells (merged cells) is read by
what each cell holds: unit lists go to the unit columns, dates to the deadline column, text
to the task column and then the other text columns. A numbered heading line between rows
(一、… / (一)…) is a merged grouping cell: it belongs to the document's headings, not a row.
"""
from __future__ import annotations

import re
from typing import Callable

from kg.extract.memo import memo
from kg.extract.tables import (UNIT_KINDS, Grid, Span, column_kind, header_line_of, is_header, lines,
                               looks_like_deadline)
from kg.reference import Reference

__all__ = ["find_cell_line_grids", "has_header_line"]

IsUnits = Callable[[Span], bool]

_HEADING_LINE = re.compile(r"\s*(?:[一二三四五六七八九十]{1,3}[、.]|[((][一二三四五六七八九十]{1,3}[))]|"
                           r"第[一二三四五六七八九十]{1,3}(?:部分|章))")
_TEXT_KINDS = ("task", "progress", "remark")


def _cell(view: str, a: int, b: int) -> Span:
    """A line's cell: without surrounding spaces and the trailing ``|`` of some renderings."""
    while b > a and view[b - 1] in " \t|\u3000":
        b -= 1
    while a < b and view[a] in " \t|\u3000":
        a += 1
    return a, b


def has_header_line(view: str, reference: Reference) -> bool:
    """Whether a line of ``view`` is nothing but a column name (``header_line_of(reference).search``,
    done as a match at the start and a search after line breaks: a pattern that opens with a
    line break is searched far faster than one that opens with ``^``)."""
    line = header_line_of(reference)
    held = memo(reference, "header_after_break")
    if not held:
        held["pattern"] = re.compile("\n" + line.pattern.removeprefix("^"), re.M)
    return line.match(view) is not None or held["pattern"].search(view) is not None


def find_cell_line_grids(view: str, reference: Reference, is_units: IsUnits) -> list[Grid]:
    """Every one-cell-per-line table; ``is_units(span)`` says whether a cell is a unit list."""
    if not has_header_line(view, reference):
        return []  # no line is a bare column name: no such table (the common case, one regex pass)
    cells = [c for c in (_cell(view, a, b) for a, b in lines(view)) if c[1] > c[0]]
    grids: list[Grid] = []
    i = 0
    while i < len(cells):
        kinds = _header_block(view, cells, i, reference)
        if not kinds:
            i += 1
            continue
        header = (cells[i][0], cells[i + len(kinds) - 1][1])
        body = i + len(kinds)
        read = _numbered if kinds[0] == "number" else _unnumbered
        end, rows = read(view, cells, body, kinds, is_units)
        if rows:
            grids.append(Grid(tuple(kinds), header, tuple(_place(view, r, kinds, is_units) for r in rows),
                              tuple((r[0][0], r[-1][1]) for r in rows), ("",) * len(rows)))
        i = max(end, body)
    return grids


def _header_block(view: str, cells: list[Span], i: int, reference: Reference) -> list[str | None]:
    kinds: list[str | None] = []
    while i + len(kinds) < len(cells):
        kind = column_kind(view[slice(*cells[i + len(kinds)])], reference)
        if kind is None or (kinds and kind == "number"):
            break
        kinds.append(kind)
    return kinds if len(kinds) >= 2 and is_header(kinds) else []


def _numbered(view: str, cells: list[Span], i: int, kinds: list[str | None],
              is_units: IsUnits) -> tuple[int, list[list[Span]]]:
    rows: list[list[Span]] = []
    expected = None
    while i < len(cells):
        number = view[slice(*cells[i])]
        if not number.isdigit() or (expected is not None and int(number) != expected):
            break
        k = i + 1
        while k < len(cells) and k - i < len(kinds) and view[slice(*cells[k])] != str(int(number) + 1):
            k += 1
        rows.append(cells[i:k])
        expected, i = int(number) + 1, k
    return i, rows


def _unnumbered(view: str, cells: list[Span], i: int, kinds: list[str | None],
                is_units: IsUnits) -> tuple[int, list[list[Span]]]:
    rows: list[list[Span]] = []
    row: list[Span] = []
    units_seen = False
    text_columns = sum(1 for k in kinds if k in _TEXT_KINDS) + sum(1 for k in kinds if k == "person")
    while i < len(cells):
        a, b = cells[i]
        if _HEADING_LINE.match(view, a, b):
            row, units_seen = _close(rows, row, units_seen)
            i += 1
            continue
        unit = is_units((a, b))
        if (unit and not units_seen and not row) or (not unit and len(row) >= text_columns and not units_seen):
            break  # a unit list with no task before it, or more text than the columns hold
        if not unit and units_seen and not looks_like_deadline(view[a:b]):
            row, units_seen = _close(rows, row, units_seen)
        row.append((a, b))
        units_seen = units_seen or unit
        i += 1
    if units_seen:
        rows.append(row)
    return i - (len(row) if row and not units_seen else 0), rows


def _close(rows: list[list[Span]], row: list[Span], units_seen: bool) -> tuple[list[Span], bool]:
    if row and units_seen:
        rows.append(row)
    return [], False


def _place(view: str, row: list[Span], kinds: list[str | None], is_units: IsUnits) -> tuple[Span, ...]:
    """A row's cells aligned to the columns: by position when every cell is there, else by what
    each cell holds (the number column first, when there is one)."""
    empty = (row[-1][1], row[-1][1])
    if len(row) == len(kinds):
        return tuple(row)
    cells = [empty] * len(kinds)
    rest = row
    if kinds[0] == "number":
        cells[0], rest = row[0], row[1:]
    deadlines = [k for k, c in enumerate(kinds) if c == "deadline"]
    persons = [k for k, c in enumerate(kinds) if c == "person"]
    units = [k for k, c in enumerate(kinds) if c in UNIT_KINDS]
    texts = []
    for span in rest:
        text = view[slice(*span)]
        if is_units(span) and units:
            cells[units.pop(0)] = span
        elif looks_like_deadline(text) and deadlines:
            cells[deadlines.pop(0)] = span
        elif persons and _PERSON.fullmatch(text):
            cells[persons.pop(0)] = span
        else:
            texts.append(span)
    for column, span in zip(_text_columns(kinds, len(texts)), texts):
        cells[column] = span
    return tuple(cells)


_PERSON = re.compile(r"[\u4e00-\u9fff]{2,4}(?:、[\u4e00-\u9fff]{2,4})*")


def _text_columns(kinds: list[str | None], count: int) -> list[int]:
    """Columns for ``count`` text cells: merged cells are the grouping task columns on the left,
    so the cells present fill the last task columns, then progress and remark columns.

    >>> _text_columns(["task", "task", "task", "responsible"], 1)
    [2]
    >>> _text_columns(["number", "task", "progress", "responsible"], 2)
    [1, 2]
    """
    tasks = [k for k, c in enumerate(kinds) if c == "task"]
    others = [k for k, c in enumerate(kinds) if c in ("progress", "remark")]
    if count <= len(tasks):
        return tasks[len(tasks) - count:]
    return tasks + others[:count - len(tasks)]
