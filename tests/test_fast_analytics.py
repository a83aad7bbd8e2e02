"""The fast analytics give the figures and files of the slow ones: betweenness counted by igraph
with networkx's pivots and scaling, eigenvector centrality as NumPy steps, the workbook written
by XlsxWriter, GraphML and GEXF written as text; the co-assignment graph is built once."""
from __future__ import annotations

import io
import random
from fractions import Fraction

import networkx as nx
import pytest
from networkx.readwrite.gexf import GEXFWriter

from kg.analysis.coordination import _ordered, betweenness, eigenvector
from kg.analysis.rows import GraphData
from kg.present.networks import gexf_bytes, graphml_bytes, network_graphs
from kg.present.spreadsheets import workbook_bytes


def _linked(edges: list[tuple[str, str, int]]) -> nx.Graph:
    """Agencies linked by shared tasks, as coassignment_graph writes them."""
    g = nx.Graph()
    for a, b, w in edges:
        g.add_edge(a, b, weight=w, distance=1.0 / w, exact=Fraction(1, w))
    return g


def _random(seed: int, shares: list[int], n: int = 70, m: int = 160) -> nx.Graph:
    rng = random.Random(seed)
    g = nx.gnm_random_graph(n, m, seed=seed)
    return _linked([(f"局{a:03d}", f"局{b:03d}", rng.choice(shares)) for a, b in g.edges])


def test_path_and_star_betweenness_worked_by_hand() -> None:
    path = _linked([("a", "b", 1), ("b", "c", 1), ("c", "d", 1), ("d", "e", 1)])
    # b is inside a–c, a–d, a–e (3 of the 4·3/2 = 6 pairs of the other four), c inside a–d, a–e, b–d, b–e
    assert betweenness(path) == pytest.approx({"a": 0, "b": 3 / 6, "c": 4 / 6, "d": 3 / 6, "e": 0})
    star = _linked([("hub", leaf, 2) for leaf in "wxyz"])
    assert betweenness(star) == pytest.approx({"hub": 1.0, "w": 0, "x": 0, "y": 0, "z": 0})


def test_sampled_path_betweenness_uses_networkx_pivots_and_scale() -> None:
    """On a path every pair has one shortest path: v counts for each source s and target t on
    either side of it. networkx draws the sources with random.Random(0).sample from the sorted
    nodes and divides by (k − 1)(n − 2) for a source, k(n − 2) for any other node."""
    nodes = [f"n{i}" for i in range(9)]
    path = _linked([(a, b, 1) for a, b in zip(nodes, nodes[1:])])
    sources = random.Random(0).sample(sorted(nodes), 4)
    n, k = len(nodes), len(sources)
    expected = {}
    for i, v in enumerate(nodes):
        through = sum(1 for s in sources for j in range(n) if min(nodes.index(s), j) < i < max(nodes.index(s), j))
        expected[v] = through / ((k - 1 if v in sources else k) * (n - 2))
    assert betweenness(path, pivots=4) == pytest.approx(expected)


def test_paths_of_equal_length_share_the_count() -> None:
    """s→t is 1/5 + 1/5 + 1/5 through a and b, and 1/2 + 1/10 through c: 0.6 both ways, though
    the float sums differ in the last bit. c lies only on s–t, half of its shortest paths: 0.5 of
    the 4·3/2 = 6 pairs (networkx, comparing the sums exactly, gives c the whole pair)."""
    g = _linked([("s", "a", 5), ("a", "b", 5), ("b", "t", 5), ("s", "c", 2), ("c", "t", 10)])
    assert betweenness(g)["c"] == pytest.approx(0.5 / 6)
    assert nx.betweenness_centrality(g, weight="distance")["c"] == pytest.approx(1 / 6)


@pytest.mark.parametrize("seed", range(6))
def test_betweenness_is_networkx_on_random_graphs(seed: int) -> None:
    """Shares that are powers of two add up exactly in floats: networkx's own figures, exact and
    from 20 pivots. Any shares: networkx's figures when it adds exact fractions."""
    g = _random(seed, [1, 2, 4, 8])
    for pivots, k in ((1000, None), (20, 20)):
        theirs = nx.betweenness_centrality(_ordered(g, g.nodes), k=k, weight="distance", seed=0)
        ours = betweenness(g, pivots=pivots)
        assert {v: round(x, 6) for v, x in ours.items()} == {v: round(x, 6) for v, x in theirs.items()}
    g = _random(seed, [1, 2, 3, 5, 6, 7])
    for pivots, k in ((1000, None), (20, 20)):
        exact = nx.betweenness_centrality(_ordered(g, g.nodes), k=k, weight="exact", seed=0)
        assert betweenness(g, pivots=pivots) == pytest.approx({v: float(x) for v, x in exact.items()}, abs=1e-12)


def test_eigenvector_is_networkx_per_component() -> None:
    g = nx.disjoint_union(_random(1, [1, 2, 3], 30, 60), _random(2, [1, 4], 12, 20))
    g = nx.relabel_nodes(g, {n: f"机构{n:03d}" for n in g})
    g.add_node("孤立机构")  # alone: 0
    expected = {"孤立机构": 0.0}
    for nodes in nx.connected_components(g):
        if len(nodes) > 1:
            part = nx.eigenvector_centrality(_ordered(g, nodes), weight="weight", max_iter=2000, tol=1e-8)
            expected.update({n: v * len(nodes) / len(g) for n, v in part.items()})
    assert eigenvector(g) == pytest.approx(expected, abs=1e-12)


def test_workbook_cells_keep_their_types_and_formulas_stay_text() -> None:
    from openpyxl import load_workbook

    long = "甲" * 40000
    rows = [{"name": "=SUM(A1)", "link": "http://example.org", "code": "007", "n": 3, "x": 0.5, "ok": True},
            {"name": "-1+2", "link": "+x", "code": long, "n": -4, "x": None, "ok": False}]
    content = workbook_bytes({"a_table_name_longer_than_thirty_one": rows, "empty": []})
    assert workbook_bytes({"a_table_name_longer_than_thirty_one": rows, "empty": []}) == content
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["a_table_name_longer_than_thirty", "empty"]  # 31 characters
    sheet = book["a_table_name_longer_than_thirty"]
    assert [c.value for c in sheet[1]] == ["name", "link", "code", "n", "x", "ok"]
    assert [c.value for c in sheet[2]] == ["'=SUM(A1)", "http://example.org", "007", 3, 0.5, True]
    assert [c.value for c in sheet[3]][:4] == ["'-1+2", "'+x", "甲" * 32767, -4]  # Excel's cell limit
    assert sheet["E3"].value is None and sheet["F3"].value is False and sheet["B2"].hyperlink is None
    assert book["empty"].max_row == 1 and book["empty"]["A1"].value is None


def _tricky() -> nx.Graph:
    g = nx.Graph()
    odd = 'a&<b>"\'\tc\nd\r'
    g.add_node(odd, label=odd, name="市场监管局", collective=True, tasks=3, share=0.25, note="")
    g.add_node("plain")
    g.add_node("c", label="仅有标签")
    g.add_edge(odd, "plain", weight=3, distance=1 / 3, roles="lead、support", document='x"\n.txt')
    g.add_edge("plain", "c")
    return g


def _networkx_gexf(g: nx.Graph) -> bytes:
    writer = GEXFWriter(encoding="utf-8", version="1.2draft")
    writer.xml.find("meta").attrib.pop("lastmodifieddate", None)
    writer.add_graph(g)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("graph", [_tricky(), nx.Graph(), nx.Graph([("甲", "乙")])], ids=["tricky", "empty", "bare"])
def test_network_files_are_networkx_writers_bytes(graph: nx.Graph) -> None:
    buffer = io.BytesIO()
    nx.write_graphml(graph, buffer, encoding="utf-8")
    assert graphml_bytes(graph) == buffer.getvalue()
    assert gexf_bytes(graph) == _networkx_gexf(graph)


def test_network_files_read_back_with_their_attributes() -> None:
    g, odd = _tricky(), 'a&<b>"\'\tc\nd\r'
    back = nx.read_graphml(io.BytesIO(graphml_bytes(g)))
    assert dict(back.nodes(data=True)) == dict(g.nodes(data=True))
    assert {frozenset((a, b)): d for a, b, d in back.edges(data=True)} == \
        {frozenset((a, b)): d for a, b, d in g.edges(data=True)}
    back = nx.read_gexf(io.BytesIO(gexf_bytes(g)))
    assert back.nodes[odd] == {"label": odd, "name": "市场监管局", "collective": True, "tasks": 3, "share": 0.25,
                               "note": ""}
    assert back.edges[odd, "plain"] == {"weight": 3.0, "distance": 1 / 3, "roles": "lead、support",
                                        "document": 'x"\n.txt', "id": "0"}


def test_network_files_use_the_graph_the_analytics_built() -> None:
    built = nx.Graph()
    built.add_node("甲局", name="甲局", function="x", collective=False)
    graphs = network_graphs(GraphData((), (), ()), built)  # no rows: the agencies come from the graph given
    assert list(graphs["agencies"].nodes(data=True)) == [("甲局", {"label": "甲局", "collective": False,
                                                                   "function": "x", "name": "甲局"})]
    assert len(graphs["tasks"]) == 0
