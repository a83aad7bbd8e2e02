"""What the graph page shows first: the agency network, laid out in Python.

Agencies are the nodes (size = burden, colour = function family), linked by the tasks they
share (width = count) with arrows from lead to support. Positions come from ForceAtlas2 with a
fixed seed and communities from Louvain with a fixed seed, so the page opens still, already
drawn, and two renders of the same graph are byte-identical. Above ``max_nodes`` agencies the
network is aggregated by function (then by family) and the page says so.

The selection rules here (:func:`select`, :func:`network`) are mirrored by ``static/graph.js``:
the page's filters must draw exactly the counts computed here.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from itertools import combinations

import networkx as nx

from kg.analysis.burden import Weights, burden_table, role_sets
from kg.analysis.rows import AssignmentRow, GraphData
from kg.present.families import Families
from kg.reference import Reference

__all__ = ["Network", "Node", "select", "network", "aggregate", "layout", "communities", "sized", "thin",
           "EDGE_BUDGET"]

ROLES = ("lead", "support", "responsible")
EDGE_BUDGET = 2500  # vis-network builds ~5 k links a second on a busy core: more would not open in 1 s


@dataclass(frozen=True)
class Node:
    id: str
    name: str
    function: str
    family: str
    burden: float
    counts: tuple[int, int, int]  # lead, support, responsible tasks


@dataclass
class Network:
    nodes: list[Node] = field(default_factory=list)
    edges: dict[tuple[str, str], list[int]] = field(default_factory=dict)  # (a, b) → [shared, a→b, b→a]
    kind: str = "agencies"  # "agencies" | "functions" | "families"
    note: str = ""
    min_shared: int = 1  # links of fewer shared tasks are not drawn (see :func:`thin`)

    def drawn(self) -> dict[tuple[str, str], list[int]]:
        return {pair: c for pair, c in self.edges.items() if c[0] >= self.min_shared}


def select(data: GraphData, document: str | None = None, domain: str | None = None,
           roles: tuple[str, ...] = ROLES, level: str | None = None) -> GraphData:
    """The tasks and assignments that pass the page's filters, and the documents they are in.

    >>> from kg.analysis.rows import TaskRow, DocumentRow
    >>> d = GraphData((DocumentRow("a.txt", "A", "", "", "", "city"),),
    ...               (TaskRow("a.txt", "t1", "1", "x", "action", 1, True, ("water",)),), ())
    >>> len(select(d, domain="water").tasks), len(select(d, domain="air").tasks), len(select(d, level="province").tasks)
    (1, 0, 0)
    """
    level_of = {d.document: d.level for d in data.documents}
    tasks = tuple(t for t in data.tasks if (not document or t.document == document)
                  and (not domain or domain in t.domains) and (not level or level_of.get(t.document) == level))
    keep = {t.task for t in tasks}
    assignments = tuple(a for a in data.assignments if a.task in keep and a.role in roles)
    documents = data.documents
    if document or domain or level:
        documents = tuple(d for d in documents if d.document in {t.document for t in tasks})
    return GraphData(documents, tasks, assignments, data.groups)


def _pairs(assignments: tuple[AssignmentRow, ...]) -> dict[tuple[str, str], list[int]]:
    """Agency pairs of each task: shared tasks, and lead → support ties in both directions."""
    edges: dict[tuple[str, str], list[int]] = {}
    for roles in role_sets(assignments).values():  # the burden table's, kept: a second copy was 0.3 GB at 10,000 plans
        agencies: set[str] = set().union(*roles.values())
        for a, b in combinations(sorted(agencies), 2):
            edges.setdefault((a, b), [0, 0, 0])[0] += 1
        for lead in roles.get("lead", ()):
            for support in roles.get("support", ()):
                if lead < support:
                    edges[(lead, support)][1] += 1
                elif support < lead:
                    edges[(support, lead)][2] += 1
    return dict(sorted(edges.items()))


def network(data: GraphData, families: Families, weights: Weights = Weights()) -> Network:
    """The agency network of this (already selected) data."""
    burden = {r.agency: r for r in burden_table(data, weights)}
    names = {a.agency: a for a in data.assignments}
    nodes = []
    for agency in sorted(names):
        a, row = names[agency], burden.get(agency)
        counts = (row.lead, row.support, row.responsible) if row else (0, 0, 0)
        nodes.append(Node(agency, a.name, a.function, families.family(a.function, a.collective),
                          row.burden if row else 0.0, counts))
    return Network(nodes, _pairs(data.assignments))


def aggregate(data: GraphData, families: Families, by: str, reference: Reference) -> GraphData:
    """The same data with every agency replaced by its function (named from ``reference``) or
    its family, as one node."""
    functions = reference.functions
    labels = {f.key: f.label_zh for f in reversed(families.families)}  # the first of a key, as before

    @functools.lru_cache(maxsize=None)  # per (function, collective): a few hundred for 100,000 rows
    def key(function: str, collective: bool) -> tuple[str, str]:
        if by == "function":
            known = functions.get(function)
            return f"function:{function}", known.label_zh if known else function
        family = families.family(function, collective)
        return f"family:{family}", labels[family]

    rows = []
    for a in data.assignments:
        node, label = key(a.function, a.collective)
        rows.append(AssignmentRow(a.document, a.task, a.role, a.mention, node, label,
                                  a.function if by == "function" else "", a.collective and by == "function",
                                  a.resolved, a.inferred))
    return GraphData(data.documents, data.tasks, tuple(rows), data.groups)


def _graph(net: Network) -> nx.Graph:
    g = nx.Graph()
    g.add_nodes_from(n.id for n in net.nodes)
    g.add_weighted_edges_from((a, b, counts[0]) for (a, b), counts in net.edges.items())
    return g


def layout(net: Network, seed: int = 7, spacing: float = 50.0) -> dict[str, tuple[float, float]]:
    """Positions in page pixels: ForceAtlas2 (fixed seed) per connected component, each scaled so
    that a node's nearest neighbour sits about ``spacing`` px away, then packed in rows, largest
    component first. Rounded to 0.1 px so the page is byte-identical between runs."""
    g = _graph(net)
    parts = sorted((sorted(c) for c in nx.connected_components(g)), key=lambda c: (-len(c), c[0]))
    placed = [_component(_induced(g, c), seed, spacing) for c in parts]
    return _pack(placed, spacing)


def _induced(g: nx.Graph, nodes: list[str]) -> nx.Graph:
    """The component as a graph of its own, nodes and edges in sorted order: a subgraph view
    iterates its node set in hash order, which moved the layout from one process to the next."""
    h = nx.Graph()
    h.add_nodes_from(nodes)
    h.add_weighted_edges_from(sorted((min(a, b), max(a, b), w) for a, b, w in g.subgraph(nodes).edges(data="weight")))
    return h


def _component(g: nx.Graph, seed: int, spacing: float) -> dict[str, tuple[float, float]]:
    import numpy as np

    if len(g) == 1:
        return {next(iter(g)): (0.0, 0.0)}
    iterations = max(30, min(100, 20_000 // len(g)))
    pos = nx.forceatlas2_layout(g, max_iter=iterations, seed=seed, weight="weight")
    nodes = sorted(pos)
    xy = np.array([pos[n] for n in nodes], dtype=float)
    gaps = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(-1)) if len(g) <= 3000 else None
    if gaps is not None:
        np.fill_diagonal(gaps, np.inf)
        nearest = float(np.median(gaps.min(axis=1))) or 1.0
    else:
        nearest = float(np.ptp(xy)) / len(g) ** 0.5 or 1.0
    xy = (xy - xy.min(axis=0)) * (spacing / nearest)
    return {n: (float(x), float(y)) for n, (x, y) in zip(nodes, xy)}


def _pack(parts: list[dict[str, tuple[float, float]]], spacing: float) -> dict[str, tuple[float, float]]:
    """Shelf packing: components left to right, a new row when the row is as wide as the total
    area's square root times 1.6 (pages are wider than tall)."""
    sizes = [(max((p[0] for p in c.values()), default=0.0), max((p[1] for p in c.values()), default=0.0))
             for c in parts]
    area = sum((w + 2 * spacing) * (h + 2 * spacing) for w, h in sizes)
    limit = max(max((w for w, _ in sizes), default=0.0), 1.6 * area ** 0.5)
    out: dict[str, tuple[float, float]] = {}
    x = y = row = 0.0
    for part, (w, h) in zip(parts, sizes):
        if x > 0 and x + w > limit:
            x, y, row = 0.0, y + row + 2 * spacing, 0.0
        out.update({n: (round(x + px, 1), round(y + py, 1)) for n, (px, py) in part.items()})
        x, row = x + w + 2 * spacing, max(row, h)
    return dict(sorted(out.items()))


def communities(net: Network) -> dict[str, int]:
    """Louvain communities (fixed seed), numbered 1… from the largest; singletons get 0."""
    g = _graph(net)
    if not g.number_of_edges():
        return {n: 0 for n in g}
    found = nx.community.louvain_communities(g, weight="weight", seed=0)
    ordered = sorted((sorted(c) for c in found), key=lambda m: (-len(m), m))
    number = {n: (k if len(m) > 1 else 0) for k, m in enumerate(ordered, 1) for n in m}
    return {n: number.get(n, 0) for n in g}


def sized(data: GraphData, families: Families, max_nodes: int, weights: Weights,
          reference: Reference) -> tuple[GraphData, Network]:
    """The network itself, or aggregated by function, then by family, to fit ``max_nodes``."""
    agencies = len({a.agency for a in data.assignments})
    if agencies <= max_nodes:
        return data, network(data, families, weights)
    for by in ("function", "family"):
        grouped = aggregate(data, families, by, reference)
        net = network(grouped, families, weights)
        if len(net.nodes) <= max_nodes or by == "family":
            net.kind = {"function": "functions", "family": "families"}[by]
            net.note = (f"{agencies} agencies exceed --max-nodes {max_nodes}: each node is one {by} "
                        f"({len(net.nodes)} nodes). Narrow it with --document or --domain to see agencies.")
            return grouped, net
    raise AssertionError("unreachable")


def thin(net: Network, budget: int = EDGE_BUDGET) -> Network:
    """Draw only links of at least ``min_shared`` tasks, the smallest threshold that keeps the
    page within ``budget`` links, and say so (the layout still used every link).

    >>> net = Network(edges={("a", "b"): [1, 0, 0], ("a", "c"): [2, 0, 0], ("b", "c"): [3, 0, 0]})
    >>> thin(net, budget=2).min_shared, len(net.drawn())
    (2, 2)
    """
    weight = 1
    while sum(1 for c in net.edges.values() if c[0] >= weight) > budget:
        weight += 1
    net.min_shared = weight
    if weight > 1:
        net.note = " ".join(filter(None, [net.note, f"Links of fewer than {weight} shared tasks are not drawn "
                                          f"({len(net.drawn())} of {len(net.edges)} links)."]))
    return net
