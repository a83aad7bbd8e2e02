"""Burden read from the corpus totals the build keeps (:mod:`kg.graph.totals`), when they are in
step with the store: ``kg sparql burden``'s rows and ``kg report burden``'s table without reading
a single load from disk.

The report's rows go through the same exact computation as the rows summed from the loads or
computed from every assignment (:func:`kg.analysis.burden.table_of`), so the output is the same
text. A missing file, one made for another state of the store, or one that does not read gives
None, and the caller answers the exact way.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from kg.analysis.burden import ROLES, BurdenRow, Tally, Weights, table_of
from kg.reference import Reference

__all__ = ["Totals", "read_sparql_totals", "read_totals", "totals_table"]


def _valid_text(out: Path, name: str) -> str | None:
    """The file's content after its first line, when that line names the store's current state."""
    from kg.graph.totals import FOLDER, store_state

    try:
        text = (out / FOLDER / name).read_text(encoding="utf-8")
        state = store_state(out)
    except OSError:
        return None
    first, _, rest = text.partition("\n")
    return rest if first.endswith(f" {state}") else None


def read_sparql_totals(out: Path) -> tuple[list[str], list[list[Any]]] | None:
    """``burden.rq``'s variables and rows (plain values, in its order), or None."""
    from kg.graph.direct import read_tsv

    text = _valid_text(out, "sparql.tsv")
    if text is None:
        return None
    variables, rows = read_tsv(text)
    return variables, [[value for value, _key in row] for row in rows]


@dataclass(frozen=True)
class Totals:
    assigned: int  # tasks carrying an assignment, over every document
    rows: list[list[Any]]  # agency, name, function, collective, tasks, documents, 3 counts, 3 shares
    domains: dict[str, dict[str, int]] | None  # agency → domain keys (joined by commas) → tasks

    @property
    def collective(self) -> frozenset[str]:
        return frozenset(row[0] for row in self.rows if row[3])


def read_totals(out: Path, with_domains: bool = False) -> Totals | None:
    """The totals per agency (with the tasks per domain combination when asked), or None."""
    text = _valid_text(out, "report.json")
    domains = _valid_text(out, "domains.json") if with_domains else "null"
    if text is None or domains is None:
        return None
    try:
        found = json.loads(text)
        return Totals(int(found["assigned"]), found["rows"], json.loads(domains))
    except (ValueError, KeyError, TypeError):
        return None


def totals_table(totals: Totals, weights: Weights = Weights(), level: int = 1, *,
                 reference: Reference) -> list[BurdenRow]:
    """Burden rows per agency from the totals, domains at ``level`` of ``reference``'s scheme."""
    from kg.analysis.domains import at_level, domain_tops

    tops = domain_tops(reference) if totals.domains is not None else {}
    shares: dict[str, Fraction] = {"0": Fraction(0)}
    tallies: dict[str, Tally] = {}
    labels: dict[str, tuple[str, str]] = {}
    for agency, name, function, _collective, tasks, documents, *numbers in totals.rows:
        counts = dict(zip(ROLES, numbers[:3]))
        tally = tallies[agency] = Tally(
            counts=counts, slots=counts, tasks=tasks, document_count=documents,
            shares={r: shares.get(s) or shares.setdefault(s, Fraction(s)) for r, s in zip(ROLES, numbers[3:])})
        labels[agency] = (name, function)
        for keys, count in (totals.domains or {}).get(agency, {}).items():
            for domain in at_level(tuple(k for k in keys.split(",") if k), level, tops):
                tally.domains[domain] += count
    return table_of(tallies, labels, weights, totals.assigned)
