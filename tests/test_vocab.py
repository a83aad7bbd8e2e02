"""The ontology, the vocabulary module, the generated schemes and the bundled queries agree."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS
from rdflib.plugins.sparql import prepareQuery

from kg import paths
from kg.errors import ReferenceDataError
from kg.reference import load_reference
from kg.graph.schemes import scheme_graph
from kg.graph.vocab import CGR


def own_terms(graph: Graph) -> set[str]:
    ns = str(CGR._NS)
    return {str(s)[len(ns):] for s in graph.subjects() if str(s).startswith(ns)}


def test_vocab_module_mirrors_the_ontology():
    ontology = Graph().parse(paths.ONTOLOGY_DIR / "kg.ttl")
    declared = set(CGR.__annotations__)
    assert own_terms(ontology) == declared


def test_every_own_term_is_documented():
    ontology = Graph().parse(paths.ONTOLOGY_DIR / "kg.ttl")
    for name in CGR.__annotations__:
        term = CGR[name]
        assert ontology.value(term, RDFS.label), name
        assert ontology.value(term, RDFS.comment), name


def test_misspelt_term_raises():
    with pytest.raises(AttributeError):
        CGR.leadss  # noqa: B018


def test_schemes_file_is_in_step_with_the_data_tables():
    shipped = Graph().parse(paths.ONTOLOGY_DIR / "schemes.ttl")
    assert isomorphic(shipped, scheme_graph(load_reference())), "run 'kg schemes' after editing data/"


def test_bundled_queries_parse():
    for path in sorted(paths.QUERIES.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# "), path.name  # the description kg sparql --list shows
        prepareQuery(text)


def test_shapes_parse():
    assert len(Graph().parse(paths.ONTOLOGY_DIR / "shapes.ttl")) > 20


@pytest.mark.parametrize("table,line,problem", [
    ("agency_aliases.csv", "蜂业,no_such_function\n", "unknown function"),
    ("agency_aliases.csv", "质监,quality_technical_supervision\n", "duplicate alias"),
    ("role_terms.csv", "统筹,boss,verb,yes,\n", "role must be"),
    ("domains.csv", "x,甲,x,nowhere,a|b\n", "broader domain"),
    ("functions.csv", "x,,y,agency\n", "empty value"),
])
def test_bad_reference_rows_are_reported_with_file_and_line(tmp_path, table, line, problem):
    folder = tmp_path / "data"
    shutil.copytree(paths.DATA, folder, ignore=shutil.ignore_patterns("documents"))
    path = folder / table
    path.write_text(path.read_text(encoding="utf-8") + line, encoding="utf-8")
    with pytest.raises(ReferenceDataError, match=problem) as info:
        load_reference(folder)
    assert f"{table}:" in str(info.value)
