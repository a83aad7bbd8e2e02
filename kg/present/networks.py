"""The agency network and the task graph as GraphML and GEXF, for Gephi and Cytoscape.

Both come from the analytics graphs (:mod:`kg.analysis.coordination`): the agency
co-assignment network (edge weight = shared tasks) and the agency–task graph (edge = an
assignment, with its roles). Attribute values are flattened to text or numbers, as both
formats require; the files are byte-identical for the same graph (GEXF's date is left out).
"""
from __future__ import annotations

import io
from typing import Any

import networkx as nx

from kg.analysis.coordination import bipartite_graph, coassignment_graph
from kg.analysis.rows import GraphData
from kg.cells import xml_safe

__all__ = ["network_graphs", "graphml_bytes", "gexf_bytes", "NETWORK_FILES"]

NETWORK_FILES = ("agencies.graphml", "agencies.gexf", "tasks.graphml", "tasks.gexf")


def network_graphs(data: GraphData) -> dict[str, nx.Graph]:
    """``agencies`` (co-assignment network) and ``tasks`` (agency–task graph), attributes flattened."""
    return {"agencies": _flattened(coassignment_graph(data)), "tasks": _flattened(bipartite_graph(data))}


def _flattened(g: nx.Graph) -> nx.Graph:
    flat = nx.Graph()
    for node, attrs in sorted(g.nodes(data=True)):
        label = str(attrs.get("name") or attrs.get("path") or node)
        flat.add_node(xml_safe(node), label=xml_safe(label), **_values(attrs))
    for a, b, attrs in sorted(g.edges(data=True), key=lambda e: (min(e[0], e[1]), max(e[0], e[1]))):
        flat.add_edge(xml_safe(a), xml_safe(b), **_values(attrs))
    return flat


def _values(attrs: dict[str, Any]) -> dict[str, Any]:
    """Lists joined with "、", booleans and numbers kept, None dropped.

    >>> _values({"roles": ("lead", "support"), "x": None, "collective": False})
    {'collective': False, 'roles': 'lead、support'}
    """
    out: dict[str, Any] = {}
    for key, value in sorted(attrs.items()):
        if value is None:
            continue
        out[key] = xml_safe("、".join(map(str, value)) if isinstance(value, (list, tuple, set)) else value)
    return out


def graphml_bytes(g: nx.Graph) -> bytes:
    buffer = io.BytesIO()
    nx.write_graphml(g, buffer, encoding="utf-8")
    return buffer.getvalue()


def gexf_bytes(g: nx.Graph) -> bytes:
    from networkx.readwrite.gexf import GEXFWriter

    writer = GEXFWriter(encoding="utf-8", version="1.2draft")
    meta = writer.xml.find("meta")
    if meta is not None:
        meta.attrib.pop("lastmodifieddate", None)  # today's date would make every build differ
    writer.add_graph(g)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
