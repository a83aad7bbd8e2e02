"""Accountability gaps: where nobody is clearly in charge.

* ``no_clause``: an action task (a leaf) that names no unit at all;
* ``only_collective``: the only units are collectives (各乡镇, …成员单位);
* ``many_leads``: three or more leads;
* ``diffuse_list``: an undifferentiated list of five or more units, no lead ("everyone
  responsible, no one in charge");
* ``lead_and_support``: one agency both leads and supports the same task;
* ``unresolved``: a mention no alias table entry knows (listed once per document).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from kg.analysis.burden import role_sets
from kg.analysis.rows import GraphData

__all__ = ["Gap", "find_gaps", "GAP_KINDS"]

GAP_KINDS = ("no_clause", "only_collective", "many_leads", "diffuse_list", "lead_and_support", "unresolved")


@dataclass(frozen=True)
class Gap:
    kind: str
    document: str
    path: str
    title: str
    detail: str


def find_gaps(data: GraphData, many_leads: int = 3, diffuse: int = 5) -> list[Gap]:
    """All gaps, in document and task order."""
    roles = role_sets(data.assignments)
    written: dict[str, set[str]] = defaultdict(set)
    for a in data.assignments:
        if a.role == "responsible" and not a.inferred:
            written[a.task].add(a.mention)
    names = {a.agency: a.name for a in data.assignments}
    collective = {a.agency for a in data.assignments if a.collective}
    gaps: list[Gap] = []
    for t in data.tasks:
        by_role = roles.get(t.task, {})
        units = set().union(*by_role.values()) if by_role else set()
        found = []
        if not units and t.leaf and t.section == "action":
            found.append(("no_clause", "no unit named"))
        if units and units <= collective:
            found.append(("only_collective", "、".join(sorted(names[u] for u in units))))
        if len(by_role.get("lead", ())) >= many_leads:
            found.append(("many_leads", f"{len(by_role['lead'])} leads"))
        if not by_role.get("lead") and not by_role.get("support") and len(written[t.task]) >= diffuse:
            found.append(("diffuse_list", f"{len(written[t.task])} units, no lead"))  # units as the list writes them
        for agency in sorted(by_role.get("lead", set()) & by_role.get("support", set())):
            found.append(("lead_and_support", names[agency]))
        gaps += [Gap(kind, t.document, t.path, t.title, detail) for kind, detail in found]
    gaps += _unresolved(data)
    order = {(t.document, t.path): t.order for t in data.tasks}
    return sorted(gaps, key=lambda g: (g.document, g.kind == "unresolved", order.get((g.document, g.path), 0),
                                       GAP_KINDS.index(g.kind), g.detail))


def _unresolved(data: GraphData) -> list[Gap]:
    seen: dict[tuple[str, str], int] = defaultdict(int)
    for a in data.assignments:
        if not a.resolved and not a.collective:
            seen[(a.document, a.mention)] += 1
    return [Gap("unresolved", doc, "", "", f"{mention} ({n}×)") for (doc, mention), n in sorted(seen.items())]
