"""The coordination network: the agency co-assignment projection of the task–agency graph, and
the centralities, partner pairs, communities and domain-bridging hubs read off it.

The projection is counted directly from each task's agencies (a Counter over pairs), which
gives the same weights as ``bipartite.weighted_projected_graph`` at a fraction of the cost.
"""
from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import combinations
from typing import Any, Iterable, Sequence

import networkx as nx

from kg.analysis.burden import role_sets
from kg.analysis.rows import GraphData
from kg.made_rows import made_from

__all__ = ["coassignment_graph", "lead_support_graph", "Coordination", "coordination",
           "eigenvector", "betweenness", "louvain", "PIVOTS"]

# Above this many agencies, betweenness is estimated from this many source agencies (Brandes and
# Pich's pivots): exact betweenness costs O(agencies × links), minutes at a thousand documents.
PIVOTS = 500


def coassignment_graph(data: GraphData) -> nx.Graph:
    """Agencies linked by the number of tasks they share (weight)."""
    g = nx.Graph()
    names = {a.agency: (a.name, a.function, a.collective) for a in data.assignments}
    for agency, (name, function, collective) in sorted(names.items()):
        g.add_node(agency, name=name, function=function, collective=collective)
    pairs: Counter[tuple[str, str]] = Counter()
    for roles in role_sets(data.assignments).values():
        agencies = sorted(set().union(*roles.values()))
        pairs.update(combinations(agencies, 2))
    for (a, b), weight in sorted(pairs.items()):
        g.add_edge(a, b, weight=weight, distance=1.0 / weight)
    return g


def lead_support_graph(data: GraphData) -> nx.DiGraph:
    """Directed ties lead → support, weighted by the tasks where one leads and the other supports."""
    g = nx.DiGraph()
    ties: Counter[tuple[str, str]] = Counter()
    for roles in role_sets(data.assignments).values():
        for lead in sorted(roles.get("lead", ())):
            for support in sorted(roles.get("support", ())):
                if lead != support:
                    ties[(lead, support)] += 1
    for (a, b), weight in sorted(ties.items()):
        g.add_edge(a, b, weight=weight)
    return g


@dataclass(frozen=True)
class Coordination:
    """The report's tables, each a sequence of rows (column → value, columns in the order shown)."""

    centrality: Sequence[dict[str, Any]]
    pairs: Sequence[dict[str, Any]]
    directed: Sequence[dict[str, Any]]
    communities: Sequence[dict[str, Any]]
    hubs: Sequence[dict[str, Any]]


def betweenness(g: nx.Graph, pivots: int = PIVOTS) -> dict[str, float]:
    """Weighted betweenness (distance = 1 / shared tasks), exact up to ``pivots`` agencies, above
    that estimated from ``pivots`` source agencies drawn with a fixed seed from the sorted agencies
    (the same graph gives the same figures in every run).

    The paths are counted by igraph (compiled: seconds where networkx took a minute); the pivots
    and the scaling are networkx's (``betweenness_centrality(..., k=pivots, seed=0)`` on the
    sorted graph, normalized, endpoints excluded), so the figures are networkx's, except that
    paths of equal length count as ties even when their float sums differ in the last bit
    (1/3 + 1/6 against 1/2), which networkx compares exactly.

    >>> g = nx.path_graph(["a", "b", "c", "d"])
    >>> nx.set_edge_attributes(g, 1.0, "distance")
    >>> round(betweenness(g)["b"], 3)
    0.667
    >>> betweenness(g, pivots=2) == betweenness(g, pivots=2)
    True
    """
    if len(g) <= 2:
        return {}
    nodes = sorted(g)
    sources = None if len(g) <= pivots else random.Random(0).sample(nodes, pivots)
    raw = _path_counts(g, nodes, sources)
    n = len(nodes)
    if sources is None:  # every ordered pair (s, t), s != v != t: (n - 1)(n - 2); igraph counts pairs once
        return {v: 2 * b / ((n - 1) * (n - 2)) for v, b in zip(nodes, raw)}
    k, chosen = len(sources), set(sources)  # a source is never its own paths' inner node: k - 1 sources
    own = 2 / ((k - 1) * (n - 2)) if k > 1 else math.nan  # networkx's NaN when one source is drawn
    return {v: b * (own if v in chosen else 2 / (k * (n - 2))) for v, b in zip(nodes, raw)}


def _path_counts(g: nx.Graph, nodes: list[str], sources: list[str] | None) -> list[float]:
    """igraph's weighted betweenness of ``nodes`` (weights = the ``distance`` of each link), over
    the shortest paths from ``sources`` (all nodes when None) to every node."""
    net, weights = _igraph(g, nodes, "distance")
    if sources is None:
        return list(net.betweenness(directed=False, weights=weights))
    index = {n: i for i, n in enumerate(nodes)}
    return list(net.betweenness(directed=False, weights=weights, sources=[index[s] for s in sources]))


def _igraph(g: nx.Graph, nodes: list[str], weight: str) -> tuple[Any, list[float]]:
    """``g`` as an igraph graph with vertex i = ``nodes[i]`` and its links in sorted order (the
    same input whatever order ``g`` was built in), and the links' ``weight`` values."""
    import igraph  # lazy: kg --help stays fast

    index = {n: i for i, n in enumerate(nodes)}
    links = sorted((index[a], index[b], d[weight]) for a, b, d in g.edges(data=True))
    return igraph.Graph(n=len(nodes), edges=[(a, b) for a, b, _ in links]), [w for _, _, w in links]


def _ordered(g: nx.Graph, nodes: Iterable[str]) -> nx.Graph:
    """The part of ``g`` on ``nodes`` as a graph of its own, nodes and edges in sorted order: the
    same figures whatever order the rows came in, and iterated at the speed of a plain graph (a
    subgraph view filters every neighbour on every step of a power iteration).

    >>> list(_ordered(nx.Graph([("b", "a"), ("c", "d")]), ["b", "a"]).edges)
    [('a', 'b')]
    """
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(nodes))
    ordered.add_edges_from(sorted((min(a, b), max(a, b), d) for a, b, d in g.edges(nodes, data=True)))
    return ordered


def coordination(data: GraphData, top: int = 15, network: nx.Graph | None = None) -> Coordination:
    """Centralities, strongest pairs, lead→support ties, Louvain communities and hubs; ``network``
    is the :func:`coassignment_graph` of ``data`` when the caller built it already (read only)."""
    g = coassignment_graph(data) if network is None else network
    name = nx.get_node_attributes(g, "name")
    between = betweenness(g)
    rank = eigenvector(g)
    centrality = sorted(((n, name[n], g.degree(n), int(g.degree(n, weight="weight")), round(between.get(n, 0.0), 6),
                          round(rank.get(n, 0.0), 6)) for n in g), key=lambda r: (-r[5], -r[3], r[1]))
    pairs = sorted(((name[a], name[b], d["weight"]) for a, b, d in g.edges(data=True)),
                   key=lambda r: (-r[2], r[0], r[1]))
    ls = lead_support_graph(data)
    directed = sorted(((name[a], name[b], d["weight"]) for a, b, d in ls.edges(data=True)),
                      key=lambda r: (-r[2], r[0], r[1]))
    return Coordination(_table(_CENTRALITY, centrality[:top]), _table(("a", "b", "shared_tasks"), pairs[:top]),
                        _table(("lead", "support", "tasks"), directed[:top]), _communities(g, name),
                        _hubs(data, between, top))


_CENTRALITY = ("agency", "name", "partners", "shared_tasks", "betweenness", "eigenvector")


def _table(columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> Sequence[dict[str, Any]]:
    """``rows`` read as dicts of ``columns``, each made when read: a build's tables list every
    agency and pair (a million pairs at ten thousand plans), and a dict per row took three times
    a tuple's room.

    >>> table = _table(("a", "n"), [("x", 1)])
    >>> len(table), table[0], list(table)
    (1, {'a': 'x', 'n': 1}, [{'a': 'x', 'n': 1}])
    """
    return made_from(rows, lambda row: dict(zip(columns, row)))


def eigenvector(g: nx.Graph) -> dict[str, float]:
    """Weighted eigenvector centrality per connected component, scaled by the component's share
    of nodes. Isolated agencies get 0.

    >>> g = nx.Graph([("a", "b", {"weight": 2}), ("b", "c", {"weight": 1})])
    >>> max(eigenvector(g).items(), key=lambda kv: kv[1])[0]
    'b'
    """
    scores: dict[str, float] = {n: 0.0 for n in g}
    for nodes in nx.connected_components(g):
        if len(nodes) < 2:
            continue
        sub = _ordered(g, nodes)
        part = _power_iteration(sub)
        if part is None:
            total = sum(d for _, d in sub.degree(weight="weight")) or 1
            part = {n: d / total for n, d in sub.degree(weight="weight")}
        scale = len(nodes) / len(g)
        scores.update({n: v * scale for n, v in part.items()})
    return scores


def _power_iteration(g: nx.Graph, max_iter: int = 2000, tol: float = 1e-8) -> dict[str, float] | None:
    """``nx.eigenvector_centrality(g, weight="weight", max_iter=2000, tol=1e-8)`` step for step
    (start at 1/n, multiply by A + I, scale to unit length, stop when the L1 change is below
    n × tol), each step as NumPy arrays instead of a loop over neighbours; None when it does not
    converge (networkx raises).

    >>> g = nx.Graph([("a", "b", {"weight": 1}), ("b", "c", {"weight": 1})])
    >>> {n: round(v, 6) for n, v in _power_iteration(g).items()}
    {'a': 0.5, 'b': 0.707107, 'c': 0.5}
    """
    import numpy as np

    nodes = list(g)
    index = {n: i for i, n in enumerate(nodes)}
    links = [(index[a], index[b], d.get("weight", 1)) for a, b, d in g.edges(data=True)]
    ends = np.array([a for a, _, _ in links] + [b for _, b, _ in links], dtype=np.intp)
    starts = np.array([b for _, b, _ in links] + [a for a, _, _ in links], dtype=np.intp)
    weights = np.array([w for _, _, w in links] * 2, dtype=float)
    x = np.full(len(nodes), 1 / len(nodes))
    for _ in range(max_iter):
        last = x
        x = last + np.bincount(ends, weights=last[starts] * weights, minlength=len(nodes))
        x = x / (math.hypot(*x.tolist()) or 1)
        if float(np.abs(x - last).sum()) < len(nodes) * tol:
            return dict(zip(nodes, x.tolist()))
    return None


def _communities(g: nx.Graph, name: dict[str, str]) -> list[dict[str, Any]]:
    if not g.number_of_edges():
        return []
    ordered = sorted((sorted(name[n] for n in c) for c in louvain(g)), key=lambda m: (-len(m), m))
    return [{"community": k, "size": len(m), "members": m} for k, m in enumerate(ordered, 1)]


def louvain(g: nx.Graph) -> list[set[str]]:
    """Louvain communities (weight = shared tasks) by igraph's multilevel method: the same
    partition for the same graph in every run (the nodes and links are given in sorted order and
    igraph draws from a generator seeded here), a fifteenth of networkx's time at 23,000 agencies.

    >>> g = nx.Graph([("a", "b", {"weight": 5}), ("c", "d", {"weight": 5}), ("b", "c", {"weight": 1})])
    >>> sorted(sorted(c) for c in louvain(g))
    [['a', 'b'], ['c', 'd']]
    """
    import igraph

    nodes = sorted(g)
    net, weights = _igraph(g, nodes, "weight")
    igraph.set_random_number_generator(random.Random(0))
    try:
        membership = net.community_multilevel(weights=weights).membership
    finally:
        igraph.set_random_number_generator(random)
    groups: dict[int, set[str]] = defaultdict(set)
    for node, community in zip(nodes, membership):
        groups[community].add(node)
    return list(groups.values())


def _hubs(data: GraphData, between: dict[str, float], top: int) -> Sequence[dict[str, Any]]:
    """Agencies whose tasks span many policy domains, ranked by domains × (1 + betweenness)."""
    domains_of = {t.task: t.domains for t in data.tasks}
    spread: dict[str, set[str]] = defaultdict(set)
    names = {}
    for a in data.assignments:
        if not a.inferred:
            spread[a.agency].update(d for d in domains_of.get(a.task, ()) if d != "unclassified")  # not a domain
            names[a.agency] = a.name
    rows = [(n, names[n], len(d), round(between.get(n, 0.0), 6), round(len(d) * (1 + between.get(n, 0.0)), 6), sorted(d))
            for n, d in spread.items() if d]
    rows.sort(key=lambda r: (-r[4], r[1]))
    return _table(("agency", "name", "domains", "betweenness", "score", "domain_list"), rows[:top])
