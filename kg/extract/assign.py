"""Attach raw clauses to tasks and turn their unit spans into mentions.

A clause belongs to the innermost task whose span holds it, except that a clause closing a
paragraph whose inline items (一是…二是…, (1)…(2)…) have no clause of their own belongs to
the paragraph's task (SCHEMA.md: "a clause that closes a parent paragraph … applies to the
parent path only"). Units after one with a level prefix inherit it (区发改局、科技局).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import replace

from kg.extract.clauses import RawClause
from kg.model import Clause, Mention, Metadata, SourceText, Task
from kg.extract.notes import apply_first_lead, carried_units, first_lead_scope
from kg.extract.lexicon import Lexicon, split_prefix
from kg.extract.units import elided_suffix

__all__ = ["attach", "build_clauses"]


def _innermost(tasks: list[Task], starts: list[int], pos: int) -> Task | None:
    i = bisect.bisect_right(starts, pos) - 1
    while i >= 0:
        if tasks[i].start <= pos < tasks[i].end:
            return tasks[i]
        i -= 1
    return None


def attach(view: str, tasks: list[Task], clauses: list[RawClause]) -> list[int | None]:
    """Task key of each clause (None outside every numbered item)."""
    headings = sorted((t for t in tasks if t.origin == "heading"), key=lambda t: t.start)
    starts = [t.start for t in headings]
    by_key = {t.key: t for t in tasks}
    owners = [(_innermost(headings, starts, c.start) if c.owner is None else None) for c in clauses]
    owned = {t.key for t in owners if t is not None}
    result: list[int | None] = []
    for clause, task in zip(clauses, owners):
        while task is not None and task.inline and task.parent is not None and \
                _closes_paragraph(view, clause) and not _siblings_own(task, by_key, owned, clause):
            task = by_key[task.parent]
        result.append(task.key if task else None)
    return result


def _closes_paragraph(view: str, clause: RawClause) -> bool:
    return re.match(r"[\s。;]*(\n|$)", view[clause.end:clause.end + 4] + "\n") is not None


def _siblings_own(task: Task, by_key: dict[int, Task], owned: set[int], clause: RawClause) -> bool:
    siblings = [t for t in by_key.values() if t.parent == task.parent and t.inline and t.key != task.key]
    return any(s.key in owned for s in siblings)


def _mentions(source: SourceText, raw: RawClause, places: tuple[str, ...], lexicon: Lexicon) -> list[Mention]:
    mentions, last_prefix = [], ""
    view, text = source.view, source.text
    spans = [(a, b) for _, a, b in raw.units]
    for k, (role, a, b) in enumerate(raw.units):
        written = view[a:b]
        prefix, _ = split_prefix(written.replace("\u200b", ""), places)
        suffix = elided_suffix(view, spans, k, lexicon)
        elided = ""
        if prefix:
            last_prefix = prefix
        elif last_prefix and not suffix and not written.startswith("各"):
            elided = last_prefix
        mentions.append(Mention(text[a:b], a, b, role, elided, False, suffix))
    return mentions


def build_clauses(source: SourceText, metadata: Metadata, tasks: list[Task], raws: list[RawClause],
                  lexicon: Lexicon) -> list[Clause]:
    """Clause records in document order, with notes applied and task keys set (a clause's own
    ``owner`` when its finder knew the task, else the task it falls in)."""
    owners = attach(source.view, tasks, raws)
    lead_from, lead_single = first_lead_scope(source.view, [(r.start, r.end) for r in raws])
    inferred: list[Mention] = []  # the units carried to later clauses, as inferred mentions (made once)
    clauses = []
    for k, raw in enumerate(raws):
        mentions = _mentions(source, raw, metadata.places, lexicon)
        notes: tuple[str, ...] = ()
        if k in lead_single or (lead_from is not None and raw.start >= lead_from):
            changed = apply_first_lead(mentions)
            notes = ("first-is-lead",) if changed != mentions else ()
            mentions = changed
        named = {m.text for m in mentions}
        own = mentions
        mentions = own + [m for m in inferred if m.text not in named]
        if raw.carried is not None:  # a note sentence says which units hold below (maybe none)
            now = [m for m in own if (m.role, m.start, m.end) in raw.carried]
        else:
            now = carried_units(source.view, (raw.start, raw.end), mentions)
        if now:
            inferred = [replace(m, inferred=True) for m in now]
        notes += ("carries-units",) if raw.carried else ()
        owner = raw.owner if raw.owner is not None else owners[k]
        notes += ("truncated",) if raw.truncated else ()
        clauses.append(Clause(raw.start, raw.end, source.text[raw.start:raw.end], raw.kind,
                              tuple(mentions), owner, notes))
    return clauses
