"""Accountability gaps: where nobody is clearly in charge.

* ``no_clause``: an action task (a leaf) that names no unit at all;
* ``only_collective``: the only units are collectives (各乡镇, …成员单位);
* ``many_leads``: three or more leads;
* ``diffuse_list``: an undifferentiated list of five or more units, no lead ("everyone
  responsible, no one in charge");
* ``lead_and_support``: one agency both leads and supports the same task;
* ``unresolved``: a mention no alias table entry knows (listed once per document);
* ``no_assignment`` (a whole document): its action tasks yield no assignment at all, or no
  task was found in it: most likely a layout the extractor does not read, so it is listed
  instead of passing silently.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from kg.analysis.burden import role_sets
from kg.analysis.rows import GraphData, TaskRow
from kg.extract.coverage import Coverage, assess

__all__ = ["Gap", "find_gaps", "GAP_KINDS", "document_coverage"]

GAP_KINDS = ("no_assignment", "no_clause", "only_collective", "many_leads", "diffuse_list", "lead_and_support",
             "unresolved")


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
    gaps += [Gap("no_assignment", c.document, "", "", c.warnings[0]) for c in document_coverage(data) if c.flagged]
    order = {(t.document, t.path): t.order for t in data.tasks}
    return sorted(gaps, key=lambda g: (g.document, g.kind == "unresolved", order.get((g.document, g.path), 0),
                                       GAP_KINDS.index(g.kind), g.detail))


def document_coverage(data: GraphData) -> list[Coverage]:
    """What the graph holds per document (tasks, tasks with a clause, assignments), flagged
    where nothing was assigned: the same figures ``kg extract`` prints, for a build."""
    tasks: dict[str, list[TaskRow]] = defaultdict(list)
    for t in data.tasks:
        tasks[t.document].append(t)
    assigned: dict[str, int] = defaultdict(int)
    unresolved: dict[str, set[str]] = defaultdict(set)
    for a in data.assignments:
        assigned[a.document] += 1
        if not a.resolved and not a.collective:
            unresolved[a.document].add(a.mention)
    return [assess(d.document, len(tasks[d.document]), sum(1 for t in tasks[d.document] if t.clauses),
                   assigned[d.document], sum(1 for t in tasks[d.document] if t.leaf and t.section == "action"),
                   len(unresolved[d.document])) for d in data.documents]


def _unresolved(data: GraphData) -> list[Gap]:
    seen: dict[tuple[str, str], int] = defaultdict(int)
    for a in data.assignments:
        if not a.resolved and not a.collective:
            seen[(a.document, a.mention)] += 1
    return [Gap("unresolved", doc, "", "", f"{mention} ({n}×)") for (doc, mention), n in sorted(seen.items())]
