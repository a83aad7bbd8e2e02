"""Policy domains at one level of the two-level scheme, and how tasks were classified.

Tasks carry both levels (the 主题分类 subject and its finer concepts). Reports, the heat map,
the graph page's filter and comparisons group by the top level unless asked for the finer one,
so they project the data once, here, and stay unaware of the hierarchy.
"""
from __future__ import annotations

import dataclasses
from collections import Counter
from typing import Any

from kg.analysis.rows import GraphData
from kg.reference import UNCLASSIFIED, Reference

__all__ = ["LEVELS", "at_level", "domain_tops", "with_level", "level_of", "known_domains", "classification_summary",
           "UNCLASSIFIED"]

LEVELS = (1, 2)


def domain_tops(reference: Reference) -> dict[str, str]:
    """Concept → its top-level concept, from the reference tables (``unclassified`` is its own top).

    >>> from kg.reference import load_reference
    >>> tops = domain_tops(load_reference())
    >>> tops["open_government"], tops["general_affairs"], tops["unclassified"]
    ('general_affairs', 'general_affairs', 'unclassified')
    """
    tops = {d.key: d.top for d in reference.domains}
    tops[UNCLASSIFIED] = UNCLASSIFIED
    return tops


def known_domains(reference: Reference) -> set[str]:
    """Every domain key a task can carry."""
    return set(domain_tops(reference))


def level_of(key: str, reference: Reference) -> int:
    """1 for a top-level subject (and for ``unclassified``), 2 for a finer concept.

    >>> from kg.reference import load_reference
    >>> r = load_reference()
    >>> level_of("general_affairs", r), level_of("open_government", r), level_of("unclassified", r)
    (1, 2, 1)
    """
    tops = domain_tops(reference)
    return 1 if tops.get(key, key) == key else 2


def at_level(keys: tuple[str, ...], level: int, tops: dict[str, str]) -> tuple[str, ...]:
    """A task's domains at ``level``: its subjects (1), or its finer concepts with the subject
    standing in where the task has no finer concept under it (2). Unknown keys count as subjects.

    >>> tops = {"air_pollution": "environment", "environment": "environment", "jobs": "labour",
    ...         "labour": "labour"}
    >>> at_level(("air_pollution", "environment", "labour"), 1, tops)
    ('environment', 'labour')
    >>> at_level(("air_pollution", "environment", "labour"), 2, tops)
    ('air_pollution', 'labour')
    """
    if level == 1:
        return tuple(sorted({tops.get(k, k) for k in keys}))
    finer = {k for k in keys if tops.get(k, k) != k}
    covered = {tops[k] for k in finer}
    return tuple(sorted(finer | {k for k in keys if tops.get(k, k) == k and k not in covered}))


def with_level(data: GraphData, level: int = 1, *, reference: Reference) -> GraphData:
    """The same data with every task's domains taken at ``level`` (of ``reference``'s scheme)."""
    if level not in LEVELS:
        raise ValueError(f"domain level must be 1 or 2, not {level}")
    tops = domain_tops(reference)
    shared: dict[tuple[str, ...], tuple[str, ...]] = {}  # one tuple per distinct answer, not one per task

    def domains(keys: tuple[str, ...]) -> tuple[str, ...]:
        found = shared.get(keys)
        if found is None:
            found = shared[keys] = at_level(keys, level, tops)
        return found
    tasks = tuple(dataclasses.replace(t, domains=domains(t.domains)) for t in data.tasks)
    return dataclasses.replace(data, tasks=tasks)


def classification_summary(data: GraphData) -> dict[str, Any]:
    """How many tasks are unclassified, and which evidence decided the others.

    >>> from kg.analysis.rows import TaskRow
    >>> rows = (TaskRow("a", "t1", "1", "x", "action", 1, True, ("labour",), domain_basis="text"),
    ...         TaskRow("a", "t2", "2", "y", "action", 2, True, ("unclassified",), domain_basis="none"))
    >>> classification_summary(GraphData((), rows, ()))
    {'tasks': 2, 'unclassified': 1, 'share': 0.5, 'basis': {'none': 1, 'text': 1}}
    """
    tasks = len(data.tasks)
    unclassified = sum(1 for t in data.tasks if UNCLASSIFIED in t.domains or not t.domains)
    basis = Counter(t.domain_basis or "none" for t in data.tasks)
    return {"tasks": tasks, "unclassified": unclassified, "share": round(unclassified / tasks, 3) if tasks else 0.0,
            "basis": dict(sorted(basis.items()))}
