"""Burden from the per-document aggregates kept at build time (:mod:`kg.graph.loads`).

A corpus of a million quads holds a few thousand loads: summing them answers ``kg report
burden`` without reading a single task or assignment row, and gives exactly the rows
:func:`kg.analysis.burden.burden_table` computes from every assignment (both go through
:func:`kg.analysis.burden.table_of`). Only burden per agency is additive over documents; per
function a task shared by two agencies of one function counts once, and leaving collectives out
changes how tasks are shared, so those views use the assignment rows.
"""
from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction

from kg.analysis.burden import ROLES, BurdenRow, Tally, Weights, table_of
from kg.analysis.rows import Records
from kg.graph.loads import parse_combination
from kg.reference import Reference

__all__ = ["LoadRow", "Loads", "read_loads", "read_loads_with_domains", "loads_table"]


@dataclass(frozen=True)
class LoadRow:
    document: str  # file name
    agency: str
    name: str
    function: str
    collective: bool
    tasks: int
    counts: tuple[int, int, int]  # lead, support, responsible
    shares: tuple[Fraction, Fraction, Fraction]


@dataclass(frozen=True)
class Loads:
    assigned: dict[str, int]  # document file name → tasks carrying an assignment
    rows: tuple[LoadRow, ...]
    domains: dict[tuple[str, str], tuple[tuple[tuple[str, ...], int], ...]] | None = None  # (document, agency)

    @property
    def collective(self) -> frozenset[str]:
        return frozenset(r.agency for r in self.rows if r.collective)


def read_loads(records: Records) -> Loads | None:
    """The loads of every document, or None when a document graph carries none (built by a
    version without them): the caller then computes from the assignment rows."""
    return _read(records, False)


def read_loads_with_domains(records: Records) -> Loads | None:
    """As :func:`read_loads`, with the tasks per domain combination (for the JSON report)."""
    return _read(records, True)


def _read(records: Records, with_domains: bool) -> Loads | None:
    documents = {r["doc"]: (r["document"], r["assigned"]) for r in records("load_documents")}
    if any(assigned in (None, "") for _name, assigned in documents.values()):
        return None
    rows: dict[tuple[str, str], LoadRow] = {}
    for r in records("agency_loads"):
        key = (documents[r["doc"]][0], r["agency"])
        rows.setdefault(key, LoadRow(
            key[0], r["agency"], r["name"], r["function"], r["collective"] in (True, "true", "1"), int(r["tasks"]),
            (int(r["lead"]), int(r["support"]), int(r["responsible"])),
            (_share(r["leadShare"]), _share(r["supportShare"]), _share(r["responsibleShare"]))))
    domains = _domains(records, documents) if with_domains else None
    return Loads({name: int(n) for name, n in documents.values()}, tuple(rows[k] for k in sorted(rows)), domains)


@functools.lru_cache(maxsize=4096)
def _share(text: str) -> Fraction:
    """An owl:rational lexical form ("3/2"); the same few values recur, each parsed once.

    >>> _share("3/2") + _share("0")
    Fraction(3, 2)
    """
    return Fraction(text)


def _domains(records: Records, documents: dict[str, tuple[str, int]]
             ) -> dict[tuple[str, str], tuple[tuple[tuple[str, ...], int], ...]]:
    found: dict[tuple[str, str], set[tuple[tuple[str, ...], int]]] = defaultdict(set)
    for r in records("load_domains"):
        found[(documents[r["doc"]][0], r["agency"])].add(parse_combination(r["combination"]))
    return {key: tuple(sorted(values)) for key, values in found.items()}


def loads_table(loads: Loads, weights: Weights = Weights(), document: str | None = None,
                level: int = 1, *, reference: Reference) -> list[BurdenRow]:
    """Burden rows per agency from the loads (of one document when given), domains at ``level``
    of ``reference``'s scheme."""
    from kg.analysis.domains import at_level, domain_tops

    tops = domain_tops(reference) if loads.domains is not None else {}
    tallies: dict[str, Tally] = defaultdict(Tally)
    labels: dict[str, tuple[str, str]] = {}
    for row in loads.rows:
        if document is not None and row.document != document:
            continue
        tally = tallies[row.agency]
        labels.setdefault(row.agency, (row.name, row.function))
        for role, count, share in zip(ROLES, row.counts, row.shares):
            if count:
                tally.counts[role] += count
                tally.slots[role] += count
                tally.shares[role] = tally.shares[role] + share if tally.shares[role] else share
        tally.tasks += row.tasks
        tally.documents.add(row.document)
        for combination, count in (loads.domains or {}).get((row.document, row.agency), ()):
            for domain in at_level(combination, level, tops):
                tally.domains[domain] += count
    assigned = sum(n for name, n in loads.assigned.items() if document is None or name == document)
    return table_of(tallies, labels, weights, assigned)
