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
from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from kg.analysis.burden import BurdenRow, Weights
from kg.reference import Reference

__all__ = ["Totals", "read_totals", "totals_table"]


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
    from kg.graph.totals_read import valid_text

    text = valid_text(out, "report.rows")
    domains = valid_text(out, "domains.rows") if with_domains else "null"
    if text is None or domains is None:
        return None
    try:
        found = json.loads(text)
        return Totals(int(found["assigned"]), found["rows"], json.loads(domains))
    except (ValueError, KeyError, TypeError):
        return None


class _Fractions(dict[str, Fraction]):
    """Rationals by their lexical form, each parsed once (the same few shares recur)."""

    def __missing__(self, text: str) -> Fraction:
        value = self[text] = Fraction(text)
        return value


def totals_table(totals: Totals, weights: Weights = Weights(), level: int = 1, *,
                 reference: Reference) -> list[BurdenRow]:
    """Burden rows per agency from the totals, domains at ``level`` of ``reference``'s scheme:
    the rows :func:`kg.analysis.burden.table_of` makes, by the same arithmetic, without a tally
    per agency."""
    from kg.analysis.burden import credit_ratio, rows_of, weight_terms
    from kg.analysis.domains import at_level, domain_tops

    tops = domain_tops(reference) if totals.domains is not None else {}
    terms, shares = weight_terms(weights), _Fractions()
    picks = [(k, shared) for k, (_role, shared, _n, _d) in enumerate(terms)]
    sums = []
    for agency, name, function, _collective, tasks, documents, *numbers in totals.rows:
        amounts = [shares[numbers[3 + k]] if shared else numbers[k] for k, shared in picks]
        domains: dict[str, int] = defaultdict(int)
        for keys, count in (totals.domains or {}).get(agency, {}).items():
            for domain in at_level(tuple(k for k in keys.split(",") if k), level, tops):
                domains[domain] += count
        sums.append((agency, name, function, *numbers[:3], credit_ratio(amounts, terms), tasks, documents,
                     dict(sorted(domains.items())) if domains else {}))
    return rows_of(sums, totals.assigned)
