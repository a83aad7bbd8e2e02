"""The agency network and the task graph as GraphML and GEXF, for Gephi and Cytoscape.

The agency co-assignment network is the one the analytics built (:mod:`kg.analysis.coordination`,
edge weight = shared tasks); the agency–task graph is made here from the rows (edge = an
assignment, with its roles), straight into the lists the writers read. Attribute values are
flattened to text or numbers, as both formats require; the files are byte-identical for the same
graph (GEXF's date is left out).
"""
from __future__ import annotations

import functools
import itertools
import re
from typing import Any, Callable, Iterable, Iterator
from xml.sax.saxutils import escape

import networkx as nx

from kg.analysis.coordination import coassignment_graph
from kg.analysis.rows import AssignmentRow, GraphData
from kg.cells import xml_safe

__all__ = ["network_graphs", "graphml_bytes", "gexf_bytes", "graphml_text", "gexf_text", "network_texts", "Network"]

Attributes = dict[str, Any]


class Network:
    """A graph as the writers read it: nodes and links in the order written, attributes flat,
    made anew each time a writer asks (twice per file: once for the attribute keys, once to write).

    It answers the calls the writers make of a networkx graph (``nodes(data=True)``,
    ``edges(data=True)``, ``is_directed()``), so they write either. Nothing per link is held but
    what the rows do not already hold: the task graph of ten thousand documents has 1.2 million
    links, and a dictionary of attributes for each took a gigabyte.

    >>> net = Network(lambda: [("a", {"label": "a"}), ("b", {"label": "b"})], lambda: [("a", "b", {"weight": 2})], 2)
    >>> len(net), list(net.edges(data=True))
    (2, [('a', 'b', {'weight': 2})])
    """

    def __init__(self, nodes: Callable[[], Iterable[tuple[str, Attributes]]],
                 links: Callable[[], Iterable[tuple[str, str, Attributes]]], size: int,
                 samples: Callable[[str], Iterable[Attributes]] | None = None) -> None:
        self._nodes, self._links, self._size, self._samples = nodes, links, size, samples

    def key_rows(self, scope: str) -> Iterator[Attributes]:
        """Attributes of the nodes (``scope`` "node") or links ("edge") in order, for the writers
        to number the keys from: every one, or only the first of each kind where the graph's
        kinds have their keys in common (the task graph's)."""
        if self._samples is not None:
            return iter(self._samples(scope))
        return (d for _, d in self.nodes(data=True)) if scope == "node" else (d for *_, d in self.edges(data=True))

    def nodes(self, data: bool = False) -> Iterator[Any]:
        return iter(self._nodes()) if data else (n for n, _ in self._nodes())

    def edges(self, data: bool = False) -> Iterator[Any]:
        return iter(self._links()) if data else ((a, b) for a, b, _ in self._links())

    def is_directed(self) -> bool:
        return False

    def __len__(self) -> int:
        return self._size


def network_graphs(data: GraphData, agencies: nx.Graph | None = None) -> dict[str, Network]:
    """``agencies`` (co-assignment network) and ``tasks`` (agency–task graph), attributes flattened;
    ``agencies`` is the co-assignment graph of ``data`` when the analytics built it already."""
    network = coassignment_graph(data) if agencies is None else agencies
    return {"agencies": _agency_network(network), "tasks": _task_network(data)}


def _agency_network(network: nx.Graph) -> Network:
    """The co-assignment network's nodes in name order, its links in the order of their ends."""
    names, ends = sorted(network.nodes), sorted(_link(a, b) for a, b in network.edges)
    return Network(lambda: (_node(n, network.nodes[n]) for n in names),
                   lambda: ((xml_safe(a), xml_safe(b), _values(network.edges[a, b])) for a, b in ends), len(names))


def _task_network(data: GraphData) -> Network:
    """Tasks and the agencies assigned to them (inferred ones left out), linked by each
    assignment with its roles, document and domains. Held: each link's roles and document, and
    each agency's last named assignment (its name, function and collectiveness); the rest is read
    off the rows as the files are written."""
    tasks = {t.task: t for t in data.tasks}
    agencies: dict[str, AssignmentRow] = {}
    links: dict[tuple[str, str], tuple[tuple[str, ...], str, str]] = {}  # ends → roles, document, task
    for a in data.assignments:
        if a.inferred:
            continue
        agencies[a.agency] = a
        link = _link(a.task, a.agency)
        roles = links[link][0] if link in links else ()
        links[link] = (_roles(roles, a.role), a.document, a.task)
    names = sorted({*tasks, *(task for _, _, task in links.values()), *agencies})
    ends = sorted(links)

    def nodes() -> Iterator[tuple[str, Attributes]]:
        for name in names:
            if name in agencies:
                a = agencies[name]
                yield _node(name, {"kind": "agency", "name": a.name, "function": a.function, "collective": a.collective})
            elif name in tasks:
                t = tasks[name]
                yield _node(name, {"kind": "task", "document": t.document, "path": t.path, "title": t.title,
                                   "domains": t.domains})
            else:  # a task named by assignments only
                yield _node(name, {})

    def edges() -> Iterator[tuple[str, str, Attributes]]:
        for a, b in ends:
            roles, document, task = links[a, b]
            domains = tasks[task].domains if task in tasks else ()
            yield xml_safe(a), xml_safe(b), _values({"roles": roles, "document": document, "domains": domains})
    def samples(scope: str) -> Iterator[Attributes]:  # the first of each kind: they share their keys
        return _first_of_kinds(nodes()) if scope == "node" else (d for *_, d in itertools.islice(edges(), 1))
    return Network(nodes, edges, len(names), samples)


def _first_of_kinds(nodes: Iterable[tuple[str, Attributes]]) -> Iterator[Attributes]:
    """The attributes of the first node of each kind (task, agency, bare task), in node order."""
    seen: set[object] = set()
    for _, attrs in nodes:
        if attrs.get("kind") not in seen:
            seen.add(attrs.get("kind"))
            yield attrs
            if len(seen) == 3:
                return


@functools.lru_cache(maxsize=None)
def _roles(roles: tuple[str, ...], role: str) -> tuple[str, ...]:
    """``roles`` with ``role``, sorted: one shared tuple per combination (there are seven)."""
    return tuple(sorted({*roles, role}))


def _link(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def _node(node: str, attrs: Attributes) -> tuple[str, Attributes]:
    """A node's name and flat attributes, with a label: its name, else its path, else itself."""
    return xml_safe(node), {"label": xml_safe(str(attrs.get("name") or attrs.get("path") or node)), **_values(attrs)}


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


def graphml_bytes(g: nx.Graph | Network) -> bytes:
    """``g`` as GraphML (:func:`graphml_text` in one piece).

    >>> g = nx.Graph([("a", "b", {"weight": 2})])
    >>> print(graphml_bytes(g).decode().splitlines()[2])
    <graph edgedefault="undirected"><node id="a"/>
    """
    return "".join(graphml_text(g)).encode("utf-8")


def graphml_text(g: nx.Graph | Network) -> Iterator[str]:
    """``g`` as GraphML, piece by piece: the bytes ``nx.write_graphml`` writes (keys numbered in the order first
    met, listed last first; one line per key, node and edge with its data indented), written as
    text in one pass instead of an element per node (a third of the time at ten thousand nodes).
    Attribute values are text, numbers or booleans (:func:`_values`). Made by :func:`network_texts`
    beside the GEXF, which is dropped: for both files, read that instead.
    """
    return (graphml for graphml, _ in network_texts(g) if graphml)


def network_texts(g: nx.Graph | Network) -> Iterator[tuple[str, str]]:
    """``g`` as GraphML and as GEXF (:func:`graphml_text`, :func:`gexf_text`) in one pass: pairs of
    pieces, either of which may be empty. A :class:`Network` makes each node's and link's
    attributes as it is read; read once for both files, they are made once.

    >>> pieces = list(network_texts(nx.Graph([("a", "b")])))
    >>> "".join(p for p, _ in pieces) == graphml_bytes(nx.Graph([("a", "b")])).decode()
    True
    """
    keys, ids = _keys(g)
    yield "".join(_graphml_head(g, keys)), "".join(_gexf_head(g, ids))
    opening = "    <nodes>\n"
    for n, d in g.nodes(data=True):
        yield _graphml_element(f'node id="{_attr(str(n))}"', "node", d, keys), opening + _gexf_node(n, d, ids)
        opening = ""
    closing = "    <nodes />\n" if opening else "    </nodes>\n"
    opening = "    <edges>\n"
    for k, (a, b, d) in enumerate(g.edges(data=True)):
        yield (_graphml_element(f'edge source="{_attr(str(a))}" target="{_attr(str(b))}"', "edge", d, keys),
               closing + opening + _gexf_edge(a, b, k, d, ids))
        closing = opening = ""
    yield "</graph></graphml>", closing + ("    <edges />\n" if opening else "    </edges>\n") + "  </graph>\n</gexf>\n"


def _keys(g: nx.Graph | Network) -> tuple[dict[tuple[str, str, str], str], dict[tuple[str, str], tuple[str, str]]]:
    """The attribute keys of both formats, numbered in the order first met (one pass over the
    attributes: a graph without samples makes every node's and link's): GraphML's (name, type,
    scope) → id, and GEXF's (class, title) → (id, type), without its own ``label`` and ``weight``."""
    keys: dict[tuple[str, str, str], str] = {}
    ids: dict[tuple[str, str], tuple[str, str]] = {}
    for scope in ("node", "edge"):
        for d in _key_rows(g, scope):
            for k, v in d.items():
                kind = _TYPES[type(v)]
                keys.setdefault((str(k), kind, scope), f"d{len(keys)}")
                if k not in _NATIVE[scope]:
                    ids.setdefault((scope, str(k)), (str(len(ids)), kind))
    return keys, ids


def _graphml_head(g: nx.Graph | Network, keys: dict[tuple[str, str, str], str]) -> Iterator[str]:
    yield from (_DECLARATION, _GRAPHML)
    yield from (f'<key id="{i}" for="{scope}" attr.name="{_attr(name)}" attr.type="{kind}"/>\n'
                for (name, kind, scope), i in reversed(keys.items()))
    yield f'<graph edgedefault="{"directed" if g.is_directed() else "undirected"}">'


def _key_rows(g: nx.Graph | Network, scope: str) -> Iterator[Attributes]:
    """The attributes the writers number their keys from: a :class:`Network`'s own choice."""
    if isinstance(g, Network):
        return g.key_rows(scope)
    return (d for _, d in g.nodes(data=True)) if scope == "node" else (d for *_, d in g.edges(data=True))


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


def gexf_bytes(g: nx.Graph | Network) -> bytes:
    """``g`` as GEXF 1.2 (:func:`gexf_text` in one piece).

    >>> print(gexf_bytes(nx.Graph([("a", "b", {"weight": 2})])).decode().splitlines()[-4])
          <edge source="a" target="b" id="0" weight="2" />
    """
    return "".join(gexf_text(g)).encode("utf-8")


def gexf_text(g: nx.Graph | Network) -> Iterator[str]:
    """``g`` as GEXF 1.2, piece by piece: the bytes networkx's ``GEXFWriter`` writes (attributes numbered in the
    order first met, edge attributes listed before node attributes, ``label`` on the node and
    ``weight`` on the edge as GEXF's own), without the date of writing, so a rebuild writes the
    same bytes; written as text in one pass instead of a tree indented afterwards. Made by
    :func:`network_texts` beside the GraphML, which is dropped.
    """
    return (gexf for _, gexf in network_texts(g) if gexf)


def _gexf_head(g: nx.Graph | Network, ids: dict[tuple[str, str], tuple[str, str]]) -> Iterator[str]:
    yield from (_DECLARATION, _GEXF.format(version=nx.__version__),
                f'  <graph defaultedgetype="{"directed" if g.is_directed() else "undirected"}" mode="static" name="">\n')
    for scope in ("edge", "node"):
        declared = [(i, title, kind) for (s, title), (i, kind) in ids.items() if s == scope]
        if declared:
            yield f'    <attributes mode="static" class="{scope}">\n'
            yield from (f'      <attribute id="{i}" title="{_et(t)}" type="{kind}" />\n' for i, t, kind in declared)
            yield "    </attributes>\n"


_NATIVE = {"node": ("label",), "edge": ("weight",)}  # GEXF's own attributes of a node and an edge


def _et(text: str) -> str:
    return escape(text, _ET_ATTRIBUTE) if _SPECIAL.search(text) else text


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
