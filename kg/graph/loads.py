"""Burden aggregates ("loads") kept in each document's named graph, so burden reads a few
thousand small rows instead of joining every assignment of a large store.

For one document and one agency a load holds what the burden formula needs and nothing that
depends on other documents: the distinct tasks per role, the agency's exact share of each
role's shared tasks (Σ 1/|U_r(t)|, a rational), the tasks in each combination of policy
domains, and the default-weight credit as ``xsd:decimal`` computed term by term the way a
SPARQL engine divides (18 decimal places, truncated), so summing loads in SPARQL gives the
very figure the row-by-row query gives. Tasks belong to one document, so every count and sum
over a corpus is a sum over documents: a changed document changes only its own loads.

>>> loads, assigned = document_loads([("t1", "lead", "a"), ("t1", "lead", "b"), ("t1", "support", "c"),
...                                   ("t2", "responsible", "a")], {"t1": ("jobs",), "t2": ()})
>>> assigned, [(x.agency, x.tasks, x.counts["lead"], str(x.shares["lead"]), x.credit) for x in loads]
(2, [('a', 2, 1, '1/2', '1.25'), ('b', 1, 1, '1/2', '0.5'), ('c', 1, 0, '0', '0.5')])
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Iterable, Mapping

__all__ = ["ROLES", "DEFAULT_WEIGHTS", "SHARED_ROLES", "Load", "role_sets", "document_loads", "sparql_credit",
           "domain_combination", "parse_combination"]

ROLES = ("lead", "support", "responsible")
DEFAULT_WEIGHTS = {"lead": "1.0", "support": "0.5", "responsible": "0.75"}  # as burden.rq writes them
SHARED_ROLES = frozenset({"lead", "responsible"})
_SCALE = 10 ** 18  # xsd:decimal division in Oxigraph keeps 18 decimal places, truncated


@dataclass(frozen=True)
class Load:
    """What one agency carries in one document."""

    agency: str
    tasks: int  # distinct tasks with any role
    counts: dict[str, int]  # role → distinct tasks
    shares: dict[str, Fraction]  # role → Σ over its tasks of 1 / (agencies sharing that role there)
    credit: str  # default-weight credit as an xsd:decimal lexical form
    domains: dict[tuple[str, ...], int] = field(default_factory=dict)  # domain combination → tasks


def role_sets(assignments: Iterable[tuple[str, str, str]]) -> dict[str, dict[str, set[str]]]:
    """task → role → distinct agencies, from (task, role, agency) of the counted assignments."""
    sets: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for task, role, agency in assignments:
        sets[task][role].add(agency)
    return sets


def document_loads(assignments: Iterable[tuple[str, str, str]],
                   domains: Mapping[str, tuple[str, ...]]) -> tuple[list[Load], int]:
    """The loads of one document (by agency) and how many of its tasks carry an assignment.

    ``assignments`` are (task, role, agency) of the assignments that count (not inferred);
    ``domains`` maps a task to its domain keys.
    """
    roles = role_sets(assignments)
    tasks: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    shares: dict[str, dict[str, Fraction]] = defaultdict(lambda: dict.fromkeys(ROLES, Fraction(0)))
    units: dict[str, int] = defaultdict(int)
    for task, by_role in roles.items():
        for role, agencies in by_role.items():
            for agency in agencies:
                tasks[agency][role].add(task)
                shares[agency][role] += Fraction(1, len(agencies))
                units[agency] += sparql_credit(role, len(agencies))
    loads = [Load(agency, len(set().union(*by_role.values())), {r: len(by_role.get(r, ())) for r in ROLES},
                  shares[agency], _decimal(units[agency]), _combinations(set().union(*by_role.values()), domains))
             for agency, by_role in sorted(tasks.items())]
    return loads, len(roles)


def sparql_credit(role: str, sharing: int) -> int:
    """One task's default-weight credit in units of 10⁻¹⁸, as ``burden.rq``'s division gives it.

    >>> sparql_credit("lead", 3), sparql_credit("support", 3), sparql_credit("responsible", 7)
    (333333333333333333, 500000000000000000, 107142857142857142)
    """
    weight = int(Decimal(DEFAULT_WEIGHTS[role]) * _SCALE)
    return weight // sharing if role in SHARED_ROLES else weight


def _decimal(units: int) -> str:
    """An xsd:decimal lexical form without exponent or trailing zeros.

    >>> _decimal(1250000000000000000), _decimal(2 * 10 ** 18), _decimal(0)
    ('1.25', '2', '0')
    """
    text = format(Decimal(units).scaleb(-18).normalize(), "f")
    return text if text != "-0" else "0"


def _combinations(tasks: set[str], domains: Mapping[str, tuple[str, ...]]) -> dict[tuple[str, ...], int]:
    result: dict[tuple[str, ...], int] = defaultdict(int)
    for task in tasks:
        combination = tuple(sorted(set(domains.get(task, ()))))
        if combination:
            result[combination] += 1
    return dict(sorted(result.items()))


def domain_combination(combination: tuple[str, ...], count: int) -> str:
    """A combination of domain keys with its task count as one literal.

    >>> domain_combination(("environment", "labour"), 3)
    '3 environment,labour'
    """
    return f"{count} {','.join(combination)}"


def parse_combination(text: str) -> tuple[tuple[str, ...], int]:
    """The inverse of :func:`domain_combination`.

    >>> parse_combination('3 environment,labour')
    (('environment', 'labour'), 3)
    """
    count, _, keys = text.partition(" ")
    return tuple(k for k in keys.split(",") if k), int(count)
