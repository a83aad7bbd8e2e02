"""Table grids → task rows with clauses, placed among the document's numbered headings.

* A row's clause spans its unit cells; each cell is parsed with the clause grammar, the
  column's role as default, so "A牵头,B配合" in a 责任单位 cell still splits by its own words.
  Person, deadline, progress and remark cells are never read for units.
* A row without any unit cell (a merged cell, an empty cell) is still a task, with no clause.
* The row number (序号) is the task's path. Rows without one take the path of the numbered
  heading they stand under plus their ordinal there; numbers that repeat within a document
  (numbering restarted per section) are prefixed with the section's number.
* A unit cell that runs into the end of the text is cut off there: its last unit is dropped
  unless it ends like a name (局, 委, 政府 …).
"""
from __future__ import annotations

import bisect
import dataclasses
import heapq
import itertools
import re
from dataclasses import dataclass

from kg.extract.cell_lines import find_cell_line_grids
from kg.extract.grammar import Grammar, RawClause, parse_content
from kg.extract.lexicon import Lexicon
from kg.extract.segment import heading_title
from kg.extract.tables import UNIT_KINDS, Grid, Span, find_grids
from kg.extract.units import ends_like_name
from kg.model import Role, SourceText, Task
from kg.reference import Reference

__all__ = ["TableRow", "find_table_rows", "place_rows"]


@dataclass(frozen=True)
class TableRow:
    number: str  # the 序号 as written, "" when the table has no number column
    section: str  # the table's section row above it ("1" for "一 | …"), "" when none
    title: str
    start: int
    end: int
    clause: RawClause | None


def find_table_rows(source: SourceText, reference: Reference, g: Grammar,
                    lexicon: Lexicon) -> tuple[list[TableRow], list[Span]]:
    """Rows of every task table, in order, and the spans clause finding must leave alone."""
    view = source.view

    def is_units(span: Span) -> bool:  # a unit list has no sentence in it: "…全程网办。" is a task
        if "。" in view[span[0]:span[1]]:
            return False
        units, residue = parse_content(view, span[0], span[1], g, lexicon, Role.RESPONSIBLE, strict=True)
        # every item of a unit cell ends the way names end (局, 委, 政府, 各乡镇 …); a task cell
        # ("优化营商环境") may hold a known function word but does not end like a name
        return bool(units) and not residue.strip() and all(ends_like_name(view[a:b]) for _, a, b in units)

    grids = find_grids(view, reference)
    taken = [(grid.spans[0][0], grid.spans[-1][1]) for grid in grids if grid.spans]
    grids += [grid for grid in find_cell_line_grids(view, reference, is_units)
              if not any(a <= grid.header[0] < b for a, b in taken)]
    rows: list[TableRow] = []
    spans: list[Span] = []
    blank_from = len(view.rstrip())  # the text is blank from here on (found once, not per row)
    for grid in sorted(grids, key=lambda grid: grid.header):
        spans.append(grid.header)
        spans += list(grid.spans)
        rows += [_row(source, grid, k, g, lexicon, blank_from) for k in range(len(grid.rows))]
    return rows, sorted(spans)


def _row(source: SourceText, grid: Grid, k: int, g: Grammar, lexicon: Lexicon, blank_from: int) -> TableRow:
    view, cells = source.view, grid.rows[k]
    number = next((view[a:b] for (a, b), kind in zip(cells, grid.kinds) if kind == "number"), "")
    tasks = [(a, b) for (a, b), kind in zip(cells, grid.kinds) if kind == "task" and b > a]
    title = heading_title(view, *tasks[-1], source.text) if tasks else ""
    clause = _clause(view, cells, grid.kinds, g, lexicon, blank_from)
    return TableRow(number.strip(), grid.sections[k], title, grid.spans[k][0], grid.spans[k][1], clause)


def _clause(view: str, cells: tuple[Span, ...], kinds: tuple[str | None, ...], g: Grammar,
            lexicon: Lexicon, blank_from: int) -> RawClause | None:
    units: list[tuple[Role, int, int]] = []
    spans: list[Span] = []
    for (a, b), kind in zip(cells, kinds):
        if kind in UNIT_KINDS and b > a:
            found, _ = parse_content(view, a, b, g, lexicon, default=Role(kind))
            units += found
            spans.append((a, b))
    if units and units[-1][2] >= blank_from and not view.endswith("\n") \
            and not ends_like_name(view[units[-1][1]:units[-1][2]]):
        units.pop()  # the text stops inside this name
    if not units:
        return None
    return RawClause(spans[0][0], spans[-1][1], "table", tuple(units), "")


def place_rows(headings: list[Task], rows: list[TableRow]) -> tuple[list[Task], list[int]]:
    """All tasks in document order (keys renumbered) and the key of each row's task.

    Headings that start inside a row are cell text ("1.加强…" in a task cell), not headings.
    """
    if not rows:
        return headings, []
    covered = _Coverage([(r.start, r.end) for r in rows])
    kept = [h for h in headings if not covered.covers(h.start)]
    parents = _innermost_each(kept, [r.start for r in rows])
    paths = _row_paths(rows, parents)
    items: list[tuple[int, int, Task | int]] = [(h.start, 0, h) for h in kept]
    items += [(r.start, 1, k) for k, r in enumerate(rows)]
    items.sort(key=lambda item: (item[0], item[1]))
    new_key = {id(item[2]): n for n, item in enumerate(items) if isinstance(item[2], Task)}
    old_to_new = {h.key: new_key[id(h)] for h in kept}
    with_rows = {parent.key for parent in parents if parent is not None}
    tasks: list[Task] = []
    row_keys = [0] * len(rows)
    for n, (_, _, item) in enumerate(items):
        if isinstance(item, Task):
            parent_key = old_to_new.get(item.parent) if item.parent is not None else None
            tasks.append(dataclasses.replace(item, key=n, parent=parent_key,
                                             is_leaf=item.is_leaf and item.key not in with_rows))
            continue
        row, parent = rows[item], parents[item]
        row_keys[item] = n
        tasks.append(Task(n, paths[item], row.number, row.title, row.start, row.end,
                          parent.depth + 1 if parent else 1, old_to_new[parent.key] if parent else None,
                          "action", text_start=row.start, origin="table"))
    return tasks, row_keys


class _Coverage:
    """Whether a position falls in any of some spans, by bisection (a long document has
    thousands of headings and table rows).

    >>> c = _Coverage([(5, 9), (0, 3), (2, 4)])
    >>> [c.covers(p) for p in (0, 3, 4, 8, 9)]
    [True, True, False, True, False]
    """

    def __init__(self, spans: list[Span]) -> None:
        spans = sorted(spans)
        self.starts = [a for a, _ in spans]
        self.reach = list(itertools.accumulate((b for _, b in spans), max))  # furthest end so far

    def covers(self, pos: int) -> bool:
        i = bisect.bisect_right(self.starts, pos) - 1
        return i >= 0 and self.reach[i] > pos


def _innermost_each(tasks: list[Task], positions: list[int]) -> list[Task | None]:
    """For each position, the task holding it with the greatest (depth, start), the first such
    task in ``tasks`` on a tie, or None: one sweep with a heap instead of a scan per position.

    >>> ts = [Task(0, "1", "一、", "", 0, 20, 1, None, "action"), Task(1, "1.1", "(一)", "", 5, 10, 2, 0, "action")]
    >>> [t.key if t else None for t in _innermost_each(ts, [7, 12, 3, 25])]
    [1, 0, 0, None]
    """
    order = sorted(range(len(tasks)), key=lambda k: tasks[k].start)
    found: list[Task | None] = [None] * len(positions)
    heap: list[tuple[int, int, int]] = []  # (-depth, -start, index): the greatest on top
    nxt = 0
    for p in sorted(range(len(positions)), key=lambda k: positions[k]):
        pos = positions[p]
        while nxt < len(order) and tasks[order[nxt]].start <= pos:
            task = tasks[order[nxt]]
            heapq.heappush(heap, (-task.depth, -task.start, order[nxt]))
            nxt += 1
        while heap and tasks[heap[0][2]].end <= pos:  # ended before this position: before every later one too
            heapq.heappop(heap)
        found[p] = tasks[heap[0][2]] if heap else None
    return found


def _row_paths(rows: list[TableRow], parents: list[Task | None]) -> list[str | None]:
    numbers = [re.sub(r"\D", "", r.number) for r in rows]
    repeated = len(set(n for n in numbers if n)) < len([n for n in numbers if n])
    ordinals: dict[int | None, int] = {}
    paths: list[str | None] = []
    for row, number, parent in zip(rows, numbers, parents):
        prefix = row.section or (parent.path if parent else None)
        if number and not repeated:
            paths.append(number)
        elif number:
            paths.append(f"{prefix}.{number}" if prefix else number)
        else:
            key = parent.key if parent else None
            ordinals[key] = ordinals.get(key, 0) + 1
            paths.append(f"{parent.path}.{ordinals[key]}" if parent and parent.path else
                         None if parent else str(ordinals[key]))
    return paths
