"""The agency network and the task graph as GraphML and GEXF, for Gephi and Cytoscape.

Both come from the analytics graphs (:mod:`kg.analysis.coordination`): the agency
co-assignment network (edge weight = shared tasks) and the agency–task graph (edge = an
assignment, with its roles). Attribute values are flattened to text or numbers, as both
formats require; the files are byte-identical for the same graph (GEXF's date is left out).
"""
from __future__ import annotations

import re
from typing import Any
from xml.sax.saxutils import escape

import networkx as nx

from kg.analysis.coordination import bipartite_graph, coassignment_graph
from kg.analysis.rows import GraphData
from kg.cells import xml_safe

__all__ = ["network_graphs", "graphml_bytes", "gexf_bytes", "NETWORK_FILES"]

NETWORK_FILES = ("agencies.graphml", "agencies.gexf", "tasks.graphml", "tasks.gexf")


def network_graphs(data: GraphData, agencies: nx.Graph | None = None) -> dict[str, nx.Graph]:
    """``agencies`` (co-assignment network) and ``tasks`` (agency–task graph), attributes flattened;
    ``agencies`` is the co-assignment graph of ``data`` when the analytics built it already."""
    network = coassignment_graph(data) if agencies is None else agencies
    return {"agencies": _flattened(network), "tasks": _flattened(bipartite_graph(data))}


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


# The characters each serializer writes as references: libxml2 (networkx's GraphML writer goes
# through lxml) and ElementTree (its GEXF writer); &, < and > are escaped by ``escape`` itself.
_LXML_TEXT = {"\r": "&#13;"}
_LXML_ATTRIBUTE = {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}
_ET_ATTRIBUTE = {'"': "&quot;", "\r": "&#13;", "\n": "&#10;", "\t": "&#09;"}
_SPECIAL = re.compile('[&<>"\r\n\t]')  # any of these: escape (most values have none: skipped)
_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}  # both formats' names
_DECLARATION = "<?xml version='1.0' encoding='utf-8'?>\n"
_GRAPHML = ('<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-'
            'instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/'
            'xmlns/1.0/graphml.xsd">')
_GEXF = ('<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
         'xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">\n'
         '  <meta>\n    <creator>NetworkX {version}</creator>\n  </meta>\n')


def graphml_bytes(g: nx.Graph) -> bytes:
    """``g`` as GraphML, the bytes ``nx.write_graphml`` writes (keys numbered in the order first
    met, listed last first; one line per key, node and edge with its data indented), written as
    text in one pass instead of an element per node (a third of the time at ten thousand nodes).
    Attribute values are text, numbers or booleans (:func:`_values`).

    >>> g = nx.Graph([("a", "b", {"weight": 2})])
    >>> print(graphml_bytes(g).decode().splitlines()[2])
    <graph edgedefault="undirected"><node id="a"/>
    """
    keys: dict[tuple[str, str, str], str] = {}
    for scope, rows in (("node", (d for _, d in g.nodes(data=True))), ("edge", (d for *_, d in g.edges(data=True)))):
        for d in rows:
            for k, v in d.items():
                keys.setdefault((str(k), _TYPES[type(v)], scope), f"d{len(keys)}")
    out = [_DECLARATION, _GRAPHML]
    out += [f'<key id="{i}" for="{scope}" attr.name="{_attr(name)}" attr.type="{kind}"/>\n'
            for (name, kind, scope), i in reversed(keys.items())]
    out.append(f'<graph edgedefault="{"directed" if g.is_directed() else "undirected"}">')
    for n, d in g.nodes(data=True):
        out.append(_graphml_element(f'node id="{_attr(str(n))}"', "node", d, keys))
    for a, b, d in g.edges(data=True):
        out.append(_graphml_element(f'edge source="{_attr(str(a))}" target="{_attr(str(b))}"', "edge", d, keys))
    out.append("</graph></graphml>")
    return "".join(out).encode("utf-8")


def _attr(text: str) -> str:
    return escape(text, _LXML_ATTRIBUTE) if _SPECIAL.search(text) else text


def _text(text: str) -> str:
    return escape(text, _LXML_TEXT) if _SPECIAL.search(text) else text


def _graphml_element(tag: str, scope: str, data: dict[str, Any], keys: dict[tuple[str, str, str], str]) -> str:
    if not data:
        return f"<{tag}/>\n"
    lines = "".join(f'  <data key="{keys[(str(k), _TYPES[type(v)], scope)]}">{_text(str(v))}</data>\n'
                    for k, v in data.items())
    return f"<{tag}>\n{lines}</{tag.split(' ', 1)[0]}>\n"


def gexf_bytes(g: nx.Graph) -> bytes:
    """``g`` as GEXF 1.2, the bytes networkx's ``GEXFWriter`` writes (attributes numbered in the
    order first met, edge attributes listed before node attributes, ``label`` on the node and
    ``weight`` on the edge as GEXF's own), without the date of writing, so a rebuild writes the
    same bytes; written as text in one pass instead of a tree indented afterwards.

    >>> print(gexf_bytes(nx.Graph([("a", "b", {"weight": 2})])).decode().splitlines()[-4])
          <edge source="a" target="b" id="0" weight="2" />
    """
    ids: dict[tuple[str, str], tuple[str, str]] = {}  # (class, title) → (id, type)
    for scope, rows in (("node", (d for _, d in g.nodes(data=True))), ("edge", (d for *_, d in g.edges(data=True)))):
        for d in rows:
            for k, v in d.items():
                if k not in _NATIVE[scope]:
                    ids.setdefault((scope, str(k)), (str(len(ids)), _TYPES[type(v)]))
    out = [_DECLARATION, _GEXF.format(version=nx.__version__),
           f'  <graph defaultedgetype="{"directed" if g.is_directed() else "undirected"}" mode="static" name="">\n']
    for scope in ("edge", "node"):
        declared = [(i, title, kind) for (s, title), (i, kind) in ids.items() if s == scope]
        if declared:
            out.append(f'    <attributes mode="static" class="{scope}">\n')
            out += [f'      <attribute id="{i}" title="{_et(t)}" type="{kind}" />\n' for i, t, kind in declared]
            out.append("    </attributes>\n")
    out.append(_gexf_part("nodes", [_gexf_node(n, d, ids) for n, d in g.nodes(data=True)]))
    out.append(_gexf_part("edges", [_gexf_edge(a, b, k, d, ids) for k, (a, b, d) in enumerate(g.edges(data=True))]))
    out.append("  </graph>\n</gexf>\n")
    return "".join(out).encode("utf-8")


_NATIVE = {"node": ("label",), "edge": ("weight",)}  # GEXF's own attributes of a node and an edge


def _et(text: str) -> str:
    return escape(text, _ET_ATTRIBUTE) if _SPECIAL.search(text) else text


def _gexf_part(tag: str, elements: list[str]) -> str:
    return f"    <{tag}>\n{''.join(elements)}    </{tag}>\n" if elements else f"    <{tag} />\n"


def _gexf_node(n: Any, data: dict[str, Any], ids: dict[tuple[str, str], tuple[str, str]]) -> str:
    tag = f'node id="{_et(str(n))}" label="{_et(str(data.get("label", n)))}"'
    return _gexf_element(tag, "node", {k: v for k, v in data.items() if k != "label"}, ids)


def _gexf_edge(a: Any, b: Any, k: int, data: dict[str, Any], ids: dict[tuple[str, str], tuple[str, str]]) -> str:
    tag = f'edge source="{_et(str(a))}" target="{_et(str(b))}" id="{k}"'
    if "weight" in data:
        tag += f' weight="{_et(str(data["weight"]))}"'
    return _gexf_element(tag, "edge", {k: v for k, v in data.items() if k != "weight"}, ids)


def _gexf_element(tag: str, scope: str, data: dict[str, Any], ids: dict[tuple[str, str], tuple[str, str]]) -> str:
    if not data:
        return f"      <{tag} />\n"
    values = "".join(f'          <attvalue for="{ids[(scope, str(k))][0]}" value="{_et(_gexf_value(v))}" />\n'
                     for k, v in data.items())
    return f"      <{tag}>\n        <attvalues>\n{values}        </attvalues>\n      </{tag.split(' ', 1)[0]}>\n"


def _gexf_value(v: Any) -> str:
    """GEXF's spelling: booleans in lower case, infinities and NaN as INF, -INF and NaN.

    >>> _gexf_value(True), _gexf_value(float("inf")), _gexf_value(2)
    ('true', 'INF', '2')
    """
    if isinstance(v, bool):
        return str(v).lower()
    text = str(v)
    return {"inf": "INF", "-inf": "-INF", "nan": "NaN"}.get(text, text) if isinstance(v, float) else text
