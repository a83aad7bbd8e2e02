"""The fast burden path gives the answers of the slow one: bundled SELECTs read from the on-disk
store as TSV (plain values as rdflib's ``toPython`` gives them, rows sorted in Python only when
that is exactly the engine's order), tables written without rich's renderer, and the burden
commands without rdflib or networkx imported."""
from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.text_tables import _rich_table, render_table
from kg.graph import direct, query
from kg.graph.guard import operations
from kg.graph.querytext import bundled_queries, query_text

XSD = "http://www.w3.org/2001/XMLSchema#"
EX = "https://example.org/"


def kg(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, (args, result.output)
    return result.stdout


def store_with(rows: list[tuple[str, ox.Literal | ox.NamedNode | ox.BlankNode]]) -> ox.Store:
    """An in-memory store with one ex:v value per subject (each in a graph of its own)."""
    store = ox.Store()
    for k, (subject, value) in enumerate(rows):
        store.add(ox.Quad(ox.NamedNode(EX + subject), ox.NamedNode(EX + "v"), value, ox.NamedNode(f"{EX}g{k}")))
    return store


def by_engine(store: ox.Store, text: str) -> list[list[object]]:
    """The rows of the rdflib-term path (the engine's own order, each term through rdflib)."""
    result = query.run_oxigraph(store, text)
    return [[r[v] for v in result.variables] for r in result.records()]


TRICKY = ["tab\there", "line\nbreak", 'quote " and \\ backslash', "\r\x01\x1f\x7f", "😀 中文 é", "'single'", "",
          "\\u0041 not an escape", "end\\"]


def test_tsv_values_are_the_values_rdflib_gives() -> None:
    values = [ox.Literal(t) for t in TRICKY] + [
        ox.Literal("质量", language="zh-Hans"), ox.Literal("3", datatype=ox.NamedNode(XSD + "integer")),
        ox.Literal("0010", datatype=ox.NamedNode(XSD + "integer")), ox.Literal("2.50", datatype=ox.NamedNode(XSD + "decimal")),
        ox.Literal("43", datatype=ox.NamedNode(XSD + "decimal")), ox.Literal("-0.000001", datatype=ox.NamedNode(XSD + "decimal")),
        ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean")), ox.Literal("1.5E3", datatype=ox.NamedNode(XSD + "double")),
        ox.Literal("2020-01-02", datatype=ox.NamedNode(XSD + "date")), ox.Literal("5", datatype=ox.NamedNode(XSD + "int")),
        ox.Literal("3/2", datatype=ox.NamedNode("http://www.w3.org/2002/07/owl#rational")),
        ox.NamedNode(EX + "agency/市/质监"), ox.BlankNode("b1")]
    store = store_with([(f"s{k:02d}", v) for k, v in enumerate(values)])
    text = f"SELECT ?s ?v WHERE {{ ?s <{EX}v> ?v }} ORDER BY ?s"
    variables, rows = direct.select(store, text)
    assert variables == ["s", "v"]
    assert rows == by_engine(store, text)
    got = {s.rsplit("/", 1)[-1]: v for s, v in rows}  # worked out by hand
    assert [got[f"s{k:02d}"] for k in range(len(TRICKY))] == TRICKY
    assert (got["s09"], got["s10"], got["s11"], got["s12"]) == ("质量", 3, 10, Decimal("2.5"))
    assert (got["s13"], got["s14"], got["s15"], got["s16"]) == (Decimal("43"), Decimal("-0.000001"), True, 1500.0)


def named(store_rows: list[tuple[str, str, object]]) -> ox.Store:
    """Subjects with a name (a Chinese-tagged literal) and a number ex:n."""
    store = ox.Store()
    for subject, name, number in store_rows:
        node = ox.NamedNode(EX + subject)
        store.add(ox.Quad(node, ox.NamedNode(EX + "name"), ox.Literal(name, language="zh-Hans"), ox.DefaultGraph()))
        kind = "decimal" if isinstance(number, str) else "integer"
        store.add(ox.Quad(node, ox.NamedNode(EX + "n"), ox.Literal(str(number), datatype=ox.NamedNode(XSD + kind)),
                          ox.DefaultGraph()))
    return store


SELECT = f"SELECT ?s ?name ?n WHERE {{ ?s <{EX}name> ?name ; <{EX}n> ?n }}\n"


@pytest.mark.parametrize("order, expected", [
    ("DESC(?n) ?name", ["b", "c", "e", "d", "a"]),  # 10 > 2.5 > 2 = 2 = 2, then 丁 < 乙 < 甲 by code point
    ("?name ?s", ["e", "d", "a", "b", "c"]),  # 丁 U+4E01 < 乙 U+4E59 < 甲 U+7532 < 高 < 𠀀 (beyond the BMP)
    ("DESC(?name) DESC(?s)", ["c", "b", "a", "d", "e"]),  # strings descending: sorted one condition at a time
    ("?n", ["a", "d", "e", "c", "b"]),  # a tie: the engine orders it, whatever its order is
    ("STR(?name)", ["e", "d", "a", "b", "c"]),  # an expression: the engine orders
])
def test_rows_sorted_in_python_come_in_the_engines_order(order: str, expected: list[str]) -> None:
    store = named([("a", "甲", 2), ("b", "高", 10), ("c", "𠀀", "2.5"), ("d", "乙", 2), ("e", "丁", 2)])
    text = SELECT + f"ORDER BY {order}\n"
    variables, rows = direct.select(store, text)
    assert rows == by_engine(store, text)
    if order != "?n":
        assert [r[0].rsplit("/", 1)[-1] for r in rows] == expected


def test_ties_and_mixed_kinds_are_left_to_the_engine() -> None:
    rows = [[("x", ("string", "x")), (1, ("number", 1))], [("x", ("string", "x")), (2, ("number", 2))]]
    assert direct._sorted(["a", "b"], rows, [("a", False)]) is None  # tie on ?a
    assert direct._sorted(["a", "b"], rows, [("a", False), ("b", True)]) == [["x", 2], ["x", 1]]
    mixed = [[("x", ("string", "x"))], [("y", ("lang:zh", "y"))]]
    assert direct._sorted(["a"], mixed, [("a", False)]) is None
    assert direct._sorted(["a"], [[(None, None)], [("y", ("string", "y"))]], [("a", False)]) is None


@pytest.mark.parametrize("name", sorted(bundled_queries()))
def test_bundled_queries_are_selects_without_service_or_load(name: str) -> None:
    found = operations(query_text(name))  # rdflib's parse tree: what the guard checks
    assert found is not None and "SelectQuery" in found
    assert not found & {"ServiceGraphPattern", "Load"}


def test_tables_of_plain_cells_are_what_rich_draws() -> None:
    cases = [
        (["名称", "n"], [["质量技术监督局", 3], ["x", 12.34567], [None, -2]], 12, ["n"], []),
        (["name", "note", "n"], [[" lead ", "a b c", 1], ["中文字符串中文", "…", 10 ** 6]], 20, ["n"], ["note"]),
        (["a", "b"], [["😀😀😀", "é"], ["ｱｲｳｴｵ", "[b]markup[/b]"]], 8, [], []),
    ]
    for columns, rows, width, right, wrap in cases:
        assert render_table(columns, rows, width, right, wrap) == _rich_table(columns, rows, width, right, wrap)
    # 9 columns: 2 for the gap, 1 for n, 6 for the name: 5 columns of text hold 质量 and a space, then "…"
    assert render_table(["名称", "n"], [["质量技术监督局", 3]], 9, ["n"]) == "名称    n\n─────────\n质量 …  3"


def test_cells_rich_must_draw_are_drawn_by_rich() -> None:
    rows = [["two\nlines", 1], ["ends with \\", 2]]
    assert render_table(["a", "n"], rows, 40, ["n"]) == _rich_table(["a", "n"], rows, 40, ["n"], [])
    assert "two" in render_table(["a", "n"], rows, 40, ["n"]).splitlines()[2]


@pytest.mark.parametrize("fmt", ["csv", "json", "table"])
def test_kg_sparql_burden_is_the_rdflib_paths_answer(built: Path, fmt: str) -> None:
    out = str(built)
    fast = kg("sparql", "burden", "--format", fmt, "--out", out)
    slow = kg("sparql", "burden", "--format", fmt, "--out", out, "--store", "memory")  # rdflib over oxigraph in memory
    assert fast == slow
    if fmt == "json":
        rows = json.loads(fast)
        assert rows and all(isinstance(r["lead"], int) and isinstance(r["burden"], (int, float, str)) for r in rows)


def test_burden_commands_import_neither_rdflib_nor_networkx(built: Path) -> None:
    script = (
        "import sys\nfrom click.testing import CliRunner\nfrom kg.cli import cli\n"
        f"for args in (['sparql', 'burden', '--out', {str(built)!r}], ['report', 'burden', '--out', {str(built)!r}]):\n"
        "    assert CliRunner().invoke(cli, args).exit_code == 0\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'rdflib', 'networkx', 'oxrdflib'}))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
