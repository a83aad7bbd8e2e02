"""What the interactive graph shows: nodes and edges as plain vis-network dicts.

Documents, tasks, agencies and coordinating groups are distinct node kinds; agencies are
sized by burden and coloured by function, tasks labelled by path and coloured by domain;
lead edges are solid and heavier, support dashed, responsible dotted. Filters (document,
domain, focus agency with a depth) select a sub-graph; above ``max_nodes`` the view falls
back to the agency co-assignment network and says so. Labels and titles stay plain text:
the page renders them as text, so nothing is escaped here (escaping happens once, in HTML).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import networkx as nx

from kg.analysis.burden import BurdenRow, Weights, burden_table
from kg.analysis.rows import GraphData
from kg.analysis.coordination import bipartite_graph, coassignment_graph

__all__ = ["View", "build_view", "PALETTE", "ROLE_EDGES", "colour_of"]

PALETTE = ["#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#9a6324",
           "#469990", "#800000", "#808000", "#000075", "#bfef45", "#fabed4", "#dcbeff", "#aaffc3",
           "#ffd8b1", "#a9a9a9", "#e6beff", "#ffe119"]
ROLE_EDGES = {"lead": {"width": 3, "dashes": False}, "support": {"width": 1.5, "dashes": [8, 6]},
              "responsible": {"width": 1.2, "dashes": [2, 5]}}
ROLE_RANK = {"lead": 0, "support": 1, "responsible": 2}


def colour_of(key: str) -> str:
    """A stable colour for a key (same function → same colour on every page).

    >>> colour_of("development_reform") == colour_of("development_reform")
    True
    """
    return PALETTE[int(hashlib.md5(key.encode("utf-8")).hexdigest(), 16) % len(PALETTE)]


@dataclass
class View:
    nodes: list[dict] = field(default_factory=list)  # type: ignore[type-arg]
    edges: list[dict] = field(default_factory=list)  # type: ignore[type-arg]
    kind: str = "tasks"  # "tasks" | "agencies"
    note: str = ""
    documents: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)


def _select(data: GraphData, document: str | None, domain: str | None) -> GraphData:
    data = data.for_document(document)
    if domain:
        keep = {t.task for t in data.tasks if domain in t.domains}
        data = GraphData(data.documents, tuple(t for t in data.tasks if t.task in keep),
                         tuple(a for a in data.assignments if a.task in keep), data.groups)
    return data


def _focus(g: nx.Graph, data: GraphData, focus: str, depth: int) -> set[str]:
    """Nodes within ``depth`` agency–task–agency hops of the agencies written or named ``focus``."""
    start = {a.agency for a in data.assignments if focus in (a.mention, a.name)}
    if not start:
        raise LookupError(f"no agency written or named '{focus}'")
    keep = set()
    for node in start:
        keep |= set(nx.single_source_shortest_path_length(g, node, cutoff=2 * depth))
    return keep


def build_view(data: GraphData, document: str | None = None, domain: str | None = None, focus: str | None = None,
               depth: int = 1, max_nodes: int = 2000, weights: Weights = Weights(),
               burden_rows: list[BurdenRow] | None = None) -> View:
    """Nodes and edges of the page for these filters (``burden_rows``: the burden table of the
    unfiltered data, when already computed)."""
    if document or domain:
        burden_rows = None  # the burden of a selection is its own
    data = _select(data, document, domain)
    g = bipartite_graph(data)
    keep = _focus(g, data, focus, depth) if focus else {n for n in g if g.degree(n) or g.nodes[n]["kind"] == "task"}
    burden = {r.agency: r.burden for r in (burden_table(data, weights) if burden_rows is None else burden_rows)}
    view = View(documents=sorted(d.document for d in data.documents),
                domains=sorted({d for t in data.tasks for d in t.domains}))
    sub = g.subgraph(keep)
    if len(sub) + len(view.documents) > max_nodes:
        return _agency_view(data, burden, max_nodes, len(sub) + len(view.documents), view)
    _task_view(data, sub, burden, view)
    return view


def _agency_node(agency: str, attrs: dict, burden: float) -> dict:  # type: ignore[type-arg]
    colour = "#9e9e9e" if attrs["collective"] else colour_of(attrs["function"])
    return {"id": agency, "label": attrs["name"], "kind": "agency", "group": "agency", "shape": "dot",
            "size": round(8 + 6 * burden ** 0.5, 2), "color": colour, "function": attrs["function"],
            "title": f"{attrs['name']}\n{attrs['function']}\nburden {burden:.2f}", "font": {"size": 14}}


def _task_view(data: GraphData, g: nx.Graph, burden: dict[str, float], view: View) -> None:
    tasks = {t.task: t for t in data.tasks}
    shown_docs = sorted({g.nodes[n]["document"] for n in g if g.nodes[n]["kind"] == "task"})
    for doc in shown_docs:
        view.nodes.append({"id": f"document:{doc}", "label": doc, "kind": "document", "shape": "box",
                           "color": "#37474f", "font": {"color": "#ffffff"}, "title": doc, "document": doc})
    for node in sorted(g, key=str):
        attrs = g.nodes[node]
        if attrs["kind"] == "agency":
            view.nodes.append(_agency_node(node, attrs, burden.get(node, 0.0)))
            continue
        t = tasks[node]
        domain = t.domains[0] if t.domains else ""
        view.nodes.append({"id": node, "label": t.path or "·", "kind": "task", "shape": "dot", "size": 5,
                           "color": colour_of(domain) if domain else "#cfd8dc", "document": t.document,
                           "domains": list(t.domains), "font": {"size": 10},
                           "title": "\n".join(filter(None, [f"{t.path} {t.title}", t.clauses, t.document]))})
        view.edges.append({"from": f"document:{t.document}", "to": node, "kind": "document", "color": "#b0bec5",
                           "width": 0.5, "document": t.document})
    for a, b, attrs in sorted(g.edges(data=True), key=lambda e: (str(e[0]), str(e[1]))):
        task, agency = (a, b) if g.nodes[a]["kind"] == "task" else (b, a)
        role = min(attrs["roles"], key=ROLE_RANK.get)
        view.edges.append({"from": agency, "to": task, "kind": "role", "role": role, "roles": list(attrs["roles"]),
                           "document": attrs["document"], "color": "#546e7a", **ROLE_EDGES[role]})
    _groups(data, {n for n in g if g.nodes[n]["kind"] == "agency"}, view)


def _groups(data: GraphData, agencies: set[str], view: View) -> None:
    for grp in data.groups:
        linked = [m for m in grp.members if m in agencies] + ([grp.host] if grp.host in agencies else [])
        if not linked:
            continue
        view.nodes.append({"id": grp.group, "label": grp.name, "kind": "group", "shape": "diamond", "size": 14,
                           "color": "#ffb300", "title": grp.name})
        for member in sorted(set(m for m in grp.members if m in agencies)):
            view.edges.append({"from": grp.group, "to": member, "kind": "member", "color": "#ffcc80", "width": 1})
        if grp.host in agencies:
            view.edges.append({"from": grp.group, "to": grp.host, "kind": "host", "label": "办公室",
                               "color": "#ff8f00", "width": 2})


def _agency_view(data: GraphData, burden: dict[str, float], max_nodes: int, wanted: int, view: View) -> View:
    g = coassignment_graph(data)
    ranked = sorted(g, key=lambda n: (-burden.get(n, 0.0), str(n)))[:max_nodes]
    sub = g.subgraph(ranked)
    view.kind = "agencies"
    view.note = (f"{wanted} nodes exceed --max-nodes {max_nodes}: showing the agency co-assignment network "
                 f"({len(sub)} agencies; edge width = shared tasks). Narrow it with --document, --domain or --focus.")
    for node in sorted(sub, key=str):
        view.nodes.append(_agency_node(node, sub.nodes[node], burden.get(node, 0.0)))
    for a, b, attrs in sorted(sub.edges(data=True), key=lambda e: (str(e[0]), str(e[1]))):
        view.edges.append({"from": a, "to": b, "kind": "shared", "width": min(1 + attrs["weight"], 12),
                           "title": f"{attrs['weight']} shared tasks", "color": "#90a4ae"})
    return view
