"""Who carries the load: role counts and a weighted burden per agency or per function.

The formula (also in the README). For a task *t* and a role *r*, let U_r(t) be the distinct
agencies named with role *r* on *t* (units carried by a "下同" note are not counted). Then

    credit(a, t) = Σ_r [a ∈ U_r(t)] · w_r / (|U_r(t)| if r is shared else 1)
    burden(a)    = Σ_t credit(a, t)

with default weights lead 1.0 (shared among co-leads: one unit of accountability per task),
support 0.5 (each supporter does its own part, not shared) and responsible 0.75 (shared
among the listed units: an undifferentiated list spreads accountability thin).
``share`` is burden over the total burden of the selection; ``per_100_tasks`` is burden per
100 tasks that carry any assignment, so documents of different size compare.
"""
from __future__ import annotations

import functools
import math
from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Callable

from kg.analysis.function_names import function_name, heir_key
from kg.graph.totals import fraction_sum
from kg.reference import Reference

if TYPE_CHECKING:  # the rows' types only: the burden read from the totals reads no rows
    from kg.analysis.rows import AssignmentRow, GraphData

__all__ = ["Weights", "BurdenRow", "Tally", "credits", "role_credits", "burden_table", "table_of", "rows_of",
           "credit_ratio", "weight_terms", "role_sets", "forget_role_sets"]

ROLES = ("lead", "support", "responsible")
_ZERO = Fraction(0)


@dataclass(frozen=True)
class Weights:
    lead: float = 1.0
    support: float = 0.5
    responsible: float = 0.75
    shared: frozenset[str] = frozenset({"lead", "responsible"})

    @classmethod
    def parse(cls, pairs: tuple[str, ...] | list[str]) -> "Weights":
        """``role=weight`` pairs over the defaults.

        >>> Weights.parse(["support=0.25"]).support
        0.25
        """
        values = {"lead": cls.lead, "support": cls.support, "responsible": cls.responsible}
        for pair in pairs:
            role, _, number = pair.partition("=")
            if role not in values:
                raise ValueError(f"--weight {pair}: role must be one of {', '.join(ROLES)}")
            try:
                values[role] = float(number)
            except ValueError:
                raise ValueError(f"--weight {pair}: weight must be a number") from None
        return cls(lead=values["lead"], support=values["support"], responsible=values["responsible"])

    def of(self, role: str) -> float:
        return float(getattr(self, role))


@dataclass(frozen=True)
class BurdenRow:
    agency: str  # agency IRI, or the function key when grouped by function
    name: str
    function: str
    lead: int
    support: int
    responsible: int
    burden: float
    share: float
    tasks: int
    documents: int
    per_100_tasks: float
    domains: dict[str, int] = field(default_factory=dict)


def role_sets(assignments: tuple[AssignmentRow, ...]) -> dict[str, dict[str, set[str]]]:
    """task → role → distinct agencies (inferred units left out); read only.

    A build's analytics read them five times (burden by agency and by function, the gaps, the
    networks, the comparison) from the same rows, so the sets of the last rows asked for are
    kept and handed out again.

    >>> from kg.analysis.rows import AssignmentRow
    >>> rows = (AssignmentRow("a.txt", "t1", "lead", "质监局", "q", "质监局", "quality", False, True, False),)
    >>> role_sets(rows) == {"t1": {"lead": {"q"}}}, role_sets(rows) is role_sets(rows)
    (True, True)
    """
    global _last
    if _last[0] is assignments:
        return _last[1]
    forget_role_sets()  # the sets of earlier rows go before these are made
    sets: defaultdict[str, dict[str, set[str]]] = defaultdict(dict)
    for a in assignments:
        if not a.inferred:
            sets[a.task].setdefault(a.role, set()).add(a.agency)
    sets.default_factory = None  # a plain mapping from here on (no copy of a million entries)
    _last = (assignments, sets)
    return _last[1]


_last: tuple[object, dict[str, dict[str, set[str]]]] = (None, {})  # the rows role_sets last read, and their sets


def forget_role_sets() -> None:
    """Let go of the role sets :func:`role_sets` keeps (and of the rows they were read from), once
    the analyses that share them are done: at ten thousand documents they hold ~0.2 GB."""
    global _last
    _last = (None, {})


def role_credits(assignments: tuple[AssignmentRow, ...], weights: Weights) -> dict[tuple[str, str, str], float]:
    """(agency, task, role) → w_role / |U_role(task)| (or w_role when the role is not shared)."""
    result: dict[tuple[str, str, str], float] = {}
    for task, roles in role_sets(assignments).items():
        for role, agencies in roles.items():
            share = weights.of(role) / (len(agencies) if role in weights.shared else 1)
            for agency in agencies:
                result[(agency, task, role)] = share
    return result


def credits(assignments: tuple[AssignmentRow, ...], weights: Weights) -> dict[tuple[str, str], float]:
    """(agency, task) → credit, by the formula in the module docstring."""
    result: dict[tuple[str, str], float] = defaultdict(float)
    for (agency, task, _role), credit in role_credits(assignments, weights).items():
        result[(agency, task)] += credit
    return dict(result)


@dataclass
class Tally:
    """What one key (an agency, or a function) carries; every field is a sum over documents
    and agencies, so a tally can be built from assignment rows or from per-document loads."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ROLES, 0))  # role → distinct tasks
    slots: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ROLES, 0))  # role → (agency, task) pairs
    shares: dict[str, Fraction] = field(default_factory=lambda: dict.fromkeys(ROLES, _ZERO))
    tasks: int = 0
    documents: set[str] = field(default_factory=set)
    domains: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    document_count: int | None = None  # how many documents, when they are known only by their number (totals)

    def credit(self, weights: Weights) -> Fraction:
        """The exact burden: Σ_r w_r · (share_r if r is shared else the role's (agency, task) pairs).

        >>> t = Tally(); t.slots["support"], t.shares["lead"] = 2, Fraction(1, 3)
        >>> t.credit(Weights())
        Fraction(4, 3)
        """
        return Fraction(*self._credit(weight_terms(weights)))

    def _credit(self, terms: Terms) -> tuple[int, int]:
        """The credit as (numerator, denominator); ``terms``: :func:`weight_terms` of the weights."""
        return credit_ratio([self.shares[role] if shared else self.slots[role] for role, shared, _n, _d in terms],
                            terms)


Terms = tuple[tuple[str, bool, int, int], ...]  # (role, shared, the weight's numerator and denominator) per role


def credit_ratio(amounts: list[int] | list[int | Fraction], terms: Terms) -> tuple[int, int]:
    """Σ_r w_r · amount_r as (numerator, denominator), summed as integers and reduced once (a
    Fraction reduces at every step); each amount is the role's share or its slots, as ``terms``
    say (:func:`weight_terms`).

    >>> credit_ratio([Fraction(1, 3), 2, 0], weight_terms(Weights()))
    (4, 3)
    """
    numerator, denominator = 0, 1
    for amount, (_role, _shared, top, bottom) in zip(amounts, terms):
        if amount:
            part, below = amount.as_integer_ratio()  # an int or a Fraction
            below *= bottom
            numerator = numerator * below + top * part * denominator
            denominator *= below
    common = math.gcd(numerator, denominator)
    return numerator // common, denominator // common


@functools.lru_cache(maxsize=64)
def weight_terms(weights: Weights) -> Terms:
    """(role, shared, the weight as numerator and denominator) of each role."""
    return tuple((role, role in weights.shared, *_weight(weights.of(role)).as_integer_ratio()) for role in ROLES)


@functools.lru_cache(maxsize=64)
def _weight(value: float) -> Fraction:
    return Fraction(value)


def burden_table(data: GraphData, weights: Weights = Weights(), by: str = "agency", *,
                 reference: Reference | None = None) -> list[BurdenRow]:
    """Burden rows, heaviest first; ``by`` is ``agency``, ``function`` or ``successor`` (the function
    that holds an old body's work today, by the lineage table: 质监 + 工商 + 食药监 → 市场监督管理).
    Rows by function or successor take their names and heirs from ``reference`` (required for them)."""
    if by not in ("agency", "function", "successor"):
        raise ValueError("by must be 'agency', 'function' or 'successor'")
    tables = None if by == "agency" else _needed(reference, by)
    names = {a.agency: (a.name, heir_key(a.function, tables) if tables is not None and by == "successor"
                        else a.function) for a in data.assignments}
    key_of = (lambda agency: agency) if by == "agency" else (lambda agency: names[agency][1])
    roles = role_sets(data.assignments)
    tallies = _tallies(roles, key_of, {a.task: a.document for a in data.assignments},
                       {t.task: t.domains for t in data.tasks})
    shortest = _shortest_names(names) if tables is not None else {}
    labels = {key: names[key] if tables is None else (_function_label(key, shortest, tables), key)
              for key in tallies}
    return table_of(tallies, labels, weights, len(roles))


def _needed(reference: Reference | None, by: str) -> Reference:
    if reference is None:
        raise TypeError(f"burden by {by} needs the reference tables (reference=...)")
    return reference


def _tallies(roles: dict[str, dict[str, set[str]]], key_of: Callable[[str], str], document_of: dict[str, str],
             domains_of: dict[str, tuple[str, ...]]) -> dict[str, Tally]:
    """One tally per key from every task's role sets."""
    tallies: dict[str, Tally] = defaultdict(Tally)
    tasks: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    parts: dict[tuple[str, str], dict[int, int]] = defaultdict(lambda: defaultdict(int))  # 1/n shares: n → how many
    for task, by_role in roles.items():
        for role, agencies in by_role.items():
            for agency in agencies:
                key = key_of(agency)
                tasks[key][role].add(task)
                tallies[key].slots[role] += 1
                parts[key, role][len(agencies)] += 1
    for (key, role), counts in parts.items():
        tallies[key].shares[role] = fraction_sum(counts)
    for key, by_role in tasks.items():
        every = set().union(*by_role.values())
        tally = tallies[key]
        tally.counts = {r: len(by_role.get(r, ())) for r in ROLES}
        tally.tasks, tally.documents = len(every), {document_of[t] for t in every}
        for task in every:
            for d in domains_of.get(task, ()):
                tally.domains[d] += 1
    return tallies


def table_of(tallies: dict[str, Tally], labels: dict[str, tuple[str, str]], weights: Weights,
             assigned: int) -> list[BurdenRow]:
    """Burden rows from tallies (``labels``: key → (name, function)), computed exactly and rounded
    once, so rows read from per-document loads and rows from every assignment are the same.

    >>> t = Tally(); t.counts["lead"] = t.slots["lead"] = 2; t.shares["lead"] = Fraction(3, 2)
    >>> t.tasks, t.documents = 2, {"a.txt"}
    >>> row = table_of({"x": t}, {"x": ("市质监局", "quality")}, Weights(), 4)[0]
    >>> row.burden, row.share, row.per_100_tasks
    (1.5, 1.0, 37.5)
    """
    terms = weight_terms(weights)
    return rows_of([(key, *labels[key], t.counts["lead"], t.counts["support"], t.counts["responsible"],
                     t._credit(terms), t.tasks, len(t.documents) if t.document_count is None else t.document_count,
                     dict(sorted(t.domains.items())) if t.domains else {}) for key, t in tallies.items()], assigned)


Sums = tuple[str, str, str, int, int, int, tuple[int, int], int, int, dict[str, int]]  # see rows_of


def rows_of(sums: list[Sums], assigned: int) -> list[BurdenRow]:
    """Burden rows, heaviest first, from each key's (key, name, function, lead, support,
    responsible, exact credit as a reduced (numerator, denominator), tasks, documents, domains)
    and the tasks carrying an assignment: every ratio in integers, one correctly rounded division.

    >>> [(r.agency, r.burden, r.share, r.per_100_tasks) for r in rows_of(
    ...     [("x", "甲", "f", 1, 0, 0, (1, 2), 1, 1, {}), ("y", "乙", "f", 1, 0, 0, (3, 2), 2, 1, {})], 4)]
    [('y', 1.5, 0.75, 37.5), ('x', 0.5, 0.25, 12.5)]
    """
    numerators: dict[int, int] = defaultdict(int)  # the grand total, added per denominator
    for row in sums:
        numerators[row[6][1]] += row[6][0]
    grand = sum((Fraction(n, d) for d, n in sorted(numerators.items())), _ZERO)
    top, bottom = (grand or Fraction(1)).as_integer_ratio()
    assigned = assigned or 1
    rows = [BurdenRow(agency=key, name=name, function=function, lead=lead, support=support, responsible=responsible,
                      burden=round(n / d, 6), share=round((n * bottom) / (d * top), 6), tasks=tasks,
                      documents=documents, per_100_tasks=round((100 * n) / (d * assigned), 4), domains=domains)
            for key, name, function, lead, support, responsible, (n, d), tasks, documents, domains in sums]
    return sorted(rows, key=lambda r: (-r.burden, -r.lead, r.name, r.agency))


def _function_label(function: str, shortest: dict[str, str], reference: Reference) -> str:
    """A function's readable name: its label, or the shortest agency name carrying it (``shortest``)."""
    known = reference.functions.get(function)
    if known:
        return known.label_zh.replace("{level}", "市")
    if "+" in function or function.startswith("collective:"):
        return function_name(function, reference)
    return shortest.get(function, function)


def _shortest_names(names: dict[str, tuple[str, str]]) -> dict[str, str]:
    """Each function's shortest agency name, of ``names`` (agency → (name, function)): the first
    met of those as short, as ``min`` picks; found in one pass, not one pass a function.

    >>> _shortest_names({"a": ("市质量技术监督局", "quality"), "b": ("市质监局", "quality"), "c": ("区质监局", "quality")})
    {'quality': '市质监局'}
    """
    shortest: dict[str, str] = {}
    for name, function in names.values():
        if function not in shortest or len(name) < len(shortest[function]):
            shortest[function] = name
    return shortest
