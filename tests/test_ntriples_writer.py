"""The direct N-Triples writer (kg.graph.ntriples, kg.graph.rdf) against two RDF libraries.

Documents are mapped to N-Triples text without rdflib; rdflib's own serialiser and Oxigraph's
parser are the independent judges: the same triple must come out as the same bytes rdflib writes,
and any text, however hostile, must parse back to itself.
"""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from kg.extract.pipeline import extract
from kg.graph.ntriples import Lines, integer, iri, lang_text, literal, text, typed
from kg.graph.rdf import document_graph
from kg.reference import load_reference

S, P = "https://example.org/s", "https://example.org/p"
# any code point a Python str holds except lone surrogates (not encodable, refused as a document)
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


def _rdflib_line(obj: Literal | URIRef) -> bytes:
    g = Graph()
    g.add((URIRef(S), URIRef(P), obj))
    return g.serialize(format="nt", encoding="utf-8")


def _ours(obj: str) -> bytes:
    g = Lines()
    g.add(S, iri(P), obj)
    return g.ntriples()


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_any_text_is_written_as_rdflib_writes_it_and_parses_back(value: str) -> None:
    for ours, theirs in ((text(value), Literal(value)), (lang_text(value), Literal(value, lang="zh-Hans"))):
        data = _ours(ours)
        assert data == _rdflib_line(theirs)
        (quad,) = list(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
        assert quad.object.value == value


@given(st.integers(min_value=-10**20, max_value=10**20), st.booleans())
def test_numbers_and_truth_values_match_rdflib(number: int, flag: bool) -> None:
    assert _ours(integer(number)) == _ours(literal(number)) == _rdflib_line(Literal(number))
    assert _ours(literal(flag)) == _rdflib_line(Literal(flag))


def test_typed_literals_keep_their_lexical_form() -> None:
    assert _ours(typed("2018-05-03", str(XSD.date))) == _rdflib_line(Literal("2018-05-03", datatype=XSD.date))
    assert _ours(typed("0.5", str(XSD.decimal))) == b'<%s> <%s> "0.5"^^<%s> .\n' % (
        S.encode(), P.encode(), str(XSD.decimal).encode())


def test_a_graph_holds_a_triple_once_in_byte_order() -> None:
    g = Lines()
    for value in ("乙", "甲", "b", "乙"):
        g.add(S, iri(P), text(value))
    assert g.ntriples().decode("utf-8").splitlines() == [f'<{S}> <{P}> "{v}" .' for v in ("b", "乙", "甲")]  # U+4E59 before U+7532


def test_a_document_with_hostile_text_maps_to_valid_ntriples(tmp_path: Path) -> None:
    """Controls, quotes, backslashes, private-use glyphs and bidirectional marks in a title, a task
    and an agency name: every graph of the document parses, and the quoted clause reads back."""
    body = ('关于"某某"\\行动\u202e的方案\r\n一、主要任务\n(一)加强\x07监测\ue000预警。'
            '(市发展改革委牵头,市\u200f公安局配合)\n')
    path = tmp_path / "hostile.txt"
    path.write_text(body, encoding="utf-8")
    doc = extract(path)
    own, shared = document_graph(doc, load_reference(), "fp")
    for data in [own.ntriples()] + [g.ntriples() for g in shared.values()]:
        graph = Graph().parse(data=data.decode("utf-8"), format="nt")
        assert len(graph) == data.count(b"\n")
    quotes = {str(o) for o in Graph().parse(data=own.ntriples().decode("utf-8"), format="nt").objects(
        None, URIRef("http://www.w3.org/ns/oa#exact"))}
    assert any("市发展改革委牵头" in q for q in quotes)
    assert len(doc.assignments) >= 1


def test_a_build_refuses_a_document_with_more_assignments_than_the_limit(tmp_path: Path) -> None:
    """A pathological document is refused in one line and costs the others nothing."""
    from click.testing import CliRunner

    from kg.cli import cli

    docs = tmp_path / "docs"
    docs.mkdir()
    head = "某市人民政府办公室关于印发某市质量工作要点的通知\n一、主要任务\n"
    (docs / "one.txt").write_text(head + "(一)加强监管。(市质监局牵头,市发改委配合)\n", encoding="utf-8")
    (docs / "many.txt").write_text(head + "".join(f"({k})推进工作。(市商务局牵头,市发改委配合)\n"
                                                  for k in range(1, 4)), encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(cli, ["build", str(docs), "--out", str(tmp_path / "out"), "--dumps", "nq"],
                           env={"KG_MAX_ASSIGNMENTS": "5"})
    assert result.exit_code == 1
    assert "many.txt: 6 assignments in one document, more than 5 (split it into its documents, or raise " \
           "KG_MAX_ASSIGNMENTS)" in result.stderr
    nq = (tmp_path / "out" / "kg.nq").read_text(encoding="utf-8")
    assert "/graph/doc/one>" in nq and "/graph/doc/many>" not in nq


def test_a_limit_that_is_not_a_count_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    from kg.errors import DocumentError
    from kg.graph.prepare import max_assignments

    monkeypatch.setenv("KG_MAX_ASSIGNMENTS", "x")
    with pytest.raises(DocumentError, match="KG_MAX_ASSIGNMENTS: not a positive whole number: 'x'"):
        max_assignments()


def test_a_build_keeps_every_graphs_dump_pieces_for_the_next(tmp_path: Path) -> None:
    """The piece cache really holds the pieces (a cache that silently stays empty would only
    show as slow rebuilds): each graph's pieces come back for its fingerprint, not for another."""
    from click.testing import CliRunner

    from kg.cli import cli
    from kg.graph.dumps import DumpCache
    from kg.graph.store import DocumentStore
    from kg.graph.vocab import CGR

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "one.txt").write_text("某市人民政府办公室关于印发某市质量工作要点的通知\n一、主要任务\n"
                                  "(一)加强监管。(市质监局牵头,市发改委配合)\n", encoding="utf-8")
    out = tmp_path / "out"
    assert CliRunner().invoke(cli, ["build", str(docs), "--out", str(out), "--dumps", "nq"]).exit_code == 0
    store = DocumentStore(out)
    try:
        keys = store.fingerprints(CGR.fingerprint)
    finally:
        store.close()
    cache = DumpCache(out)
    doc = next(g for g in keys if g.endswith("/graph/doc/one"))
    made = cache.get(doc, keys[doc])
    assert made is not None and f"<{doc}> .\n" in made.nq and "市质监局" in made.nq
    assert cache.get(doc, "another key") is None
    assert all(cache.get(g, k) is not None for g, k in keys.items())
    cache.close()
