"""The graph built by the real CLI: counts from the gold files, determinism, round trips,
incremental rebuilds, validation and safe parameters."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from conftest import copy_export, other_hash_seed
from kg.cli import cli
from kg.graph.query import bundled_queries

ROLES = ("lead", "support", "responsible")


def invoke(*args: str) -> "object":
    result = CliRunner().invoke(cli, list(args))
    return result


def sparql(out: Path, query: str, *params: str, store: str = "oxigraph") -> list[dict]:
    args = ["sparql", query, "--format", "json", "--out", str(out), "--store", store]
    for p in params:
        args += ["--param", p]
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def gold_clause_spans(doc: dict, text: str) -> list[tuple[dict, int, int]]:
    cursor, found = 0, []
    for task in doc["tasks"]:
        if task["clause"]:
            i = text.find(task["clause"], cursor)
            i = i if i >= 0 else text.find(task["clause"])
            cursor = i + len(task["clause"])
            found.append((task, i, cursor))
    return found


ASSIGNMENTS = """
PREFIX cgr: <https://w3id.org/cgr/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX p-plan: <http://purl.org/net/p-plan#>
SELECT ?document ?agency ?mention ?role ?start ?end WHERE {
  ?doc cgr:fileName ?document . ?task p-plan:isStepOfPlan ?doc .
  ?a cgr:task ?task ; cgr:agent ?agency ; cgr:mentionText ?mention ; cgr:role/skos:notation ?role ;
     cgr:inferred false ; <http://www.w3.org/ns/prov#wasDerivedFrom>/oa:hasSelector ?pos .
  ?pos oa:start ?start ; oa:end ?end .
}"""


def test_burden_per_agency_equals_counts_from_gold(built, gold, corpus_docs):
    for path in corpus_docs:
        doc, text = gold[path.name], path.read_text(encoding="utf-8")
        ours = sparql(built, ASSIGNMENTS, f"document={path.name}")
        expected: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
        for task, start, end in gold_clause_spans(doc, text):
            for role in ROLES:
                for mention in task[role]:
                    agency = next(r["agency"] for r in ours if r["mention"] == mention and r["role"] == role
                                  and r["start"] < end and start < r["end"])
                    expected[agency][role].add(task["path"])
        rows = sparql(built, "burden_in_document", f"document={path.name}")
        assert {r["agency"] for r in rows} == set(expected), path.name
        for row in rows:
            for role in ROLES:
                assert row[role] == len(expected[row["agency"]][role]), (path.name, row["name"], role)


def test_tasks_without_lead_match_gold(built, gold):
    rows = sparql(built, "tasks_without_lead")
    ours = {(r["document"], r["path"]) for r in rows}
    expected = {(name, t["path"]) for name, doc in gold.items() for t in doc["tasks"] if not t["lead"]}
    assert ours == expected


def test_coleads_match_gold(built, gold):
    for name, doc in gold.items():
        for task in doc["tasks"]:
            if len(task["lead"]) >= 2:
                rows = sparql(built, "task_coleads", f"document={name}", f"path={task['path']}")
                assert [r["mention"] for r in rows] == task["lead"]


def test_agency_tasks_match_gold(built, gold):
    rows = sparql(built, "agency_tasks", "name=市质监局")
    ours = {(r["document"], r["path"], r["role"]) for r in rows}
    expected = {(name, t["path"], role) for name, doc in gold.items() for t in doc["tasks"]
                for role in ROLES if "市质监局" in t[role]}
    assert ours == expected and len(expected) == 15  # counted by hand in the gold listing of 000


def test_document_agencies_cover_every_gold_mention(built, gold):
    for name, doc in gold.items():
        rows = sparql(built, "document_agencies", f"document={name}")
        written = {m for r in rows for m in r["written_as"].split("、")}
        expected = {m for t in doc["tasks"] for role in ROLES for m in t[role]}
        assert written == expected, name


def test_assignment_source_gives_gold_clauses(built, gold):
    rows = sparql(built, "assignment_source", "mention=市工商局")
    expected = sorted(t["clause"] for doc in gold.values() for t in doc["tasks"]
                      for role in ROLES if "市工商局" in t[role])
    assert sorted(r["clause"] for r in rows) == expected


def test_domain_tags_follow_headings(built):
    rows = sparql(built, "tasks_in_domain", "domain=metrology")
    assert ("002_73ddd48312034934.txt", "4.2") in {(r["document"], r["path"]) for r in rows}  # 加强计量监管


def _comparable(rows: list[dict]) -> list[dict]:
    """GROUP_CONCAT order is undefined in SPARQL (and so is the order of rows a query does not
    sort): compare concatenations as sorted lists and rows as a sorted list."""
    split = {"includes": ",", "domains": ",", "clauses": "\n", "members": " ", "leads": "、", "written_as": "、",
             "roles": ","}
    fixed = [{k: sorted(v.split(split[k])) if k in split and isinstance(v, str) else v for k, v in r.items()}
             for r in rows]
    return sorted(fixed, key=lambda r: json.dumps(r, ensure_ascii=False, sort_keys=True))


ONE = "000_4f8aafbd3b2270d0.txt"  # the document of the built_one fixture
PARAMS = {"agency_tasks": ["name=市质监局"], "assignment_source": ["mention=市工商局"],
          "burden_in_document": [f"document={ONE}"], "document_agencies": [f"document={ONE}"],
          "task_coleads": [f"document={ONE}", "path=3.1.2"], "tasks_in_domain": ["domain=metrology"]}


def test_every_query_with_parameters_has_its_parameters_here():
    assert set(PARAMS) == {q for q, text in bundled_queries().items() if "param" in text}


@pytest.fixture(scope="module")
def other_stores(built_one):
    """rdflib's own store and an in-memory Oxigraph, each loaded once from the build's kg.nq."""
    from kg.graph.store import close_dataset, open_dataset

    opened = {kind: open_dataset(built_one, kind) for kind in ("rdflib", "memory")}
    yield opened
    for dataset in opened.values():
        close_dataset(dataset)


@pytest.mark.parametrize("query", sorted(bundled_queries()))
def test_every_bundled_query_gives_the_same_answers_in_every_store(built_one, other_stores, query):
    """One document is enough to tell stores apart: every query has rows in it."""
    from kg.graph import query as q

    expected = _comparable(sparql(built_one, query, *PARAMS.get(query, [])))  # the CLI on the on-disk store
    assert expected, query
    for kind, dataset in other_stores.items():
        result = q.run(dataset, q.query_text(query), q.parse_params(tuple(PARAMS.get(query, []))))
        assert _comparable(json.loads(q.format_result(result, "json"))) == expected, kind


def test_the_cli_answers_from_every_store_kind(built_one, gold):
    args = ("task_coleads", *PARAMS["task_coleads"])
    expected = sparql(built_one, *args)
    assert [r["mention"] for r in expected] == next(t["lead"] for t in gold[ONE]["tasks"] if t["path"] == "3.1.2")
    for store in ("rdflib", "memory"):
        assert sparql(built_one, *args, store=store) == expected, store


def test_list_names_every_bundled_query():
    result = invoke("sparql", "--list")
    queries = sorted(p.stem for p in (Path(__file__).parents[1] / "kg" / "graph" / "queries").glob("*.rq"))
    assert result.exit_code == 0 and all(q in result.stdout for q in queries) and len(queries) >= 7


def test_hostile_parameter_returns_no_rows_and_changes_nothing(built):
    before = (built / "kg.nq").read_bytes()
    hostile = 'name=市质监局" } ; DROP ALL ; { "'
    assert sparql(built, "agency_tasks", hostile) == []
    assert sparql(built, "agency_tasks", "name=市质监局")  # the store is intact
    assert (built / "kg.nq").read_bytes() == before


def test_updates_are_refused_without_allow_update(built):
    result = invoke("sparql", "DELETE WHERE { ?s ?p ?o }", "--out", str(built))
    assert result.exit_code == 1 and "--allow-update" in result.output
    assert sparql(built, "burden")


def test_parameter_must_be_selected(built):
    result = invoke("sparql", "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1", "--param", "o=x", "--out", str(built))
    assert result.exit_code == 1 and "selects" in result.output


def test_a_built_document_conforms_and_a_broken_graph_does_not(tmp_path, built_one, built_tiny):
    ok = invoke("validate", "--out", str(built_one), "--no-warnings")  # the richest sample (reads only)
    assert ok.exit_code == 0, ok.output
    # SHACL's cost follows the graph's size: break the tiny plan's graph (a copy: the update changes it)
    out = copy_export(built_tiny[0] / "out", tmp_path / "out")
    broken = invoke("sparql", "PREFIX cgr: <https://w3id.org/cgr/ontology#> DELETE WHERE { ?a cgr:role ?r }",
                    "--allow-update", "--out", str(out))
    assert broken.exit_code == 0, broken.output
    bad = invoke("validate", "--out", str(out), "--no-warnings")
    # every violation is the update's: the plan's 20 assignments (3.1-3.9 lead + support, 3.10 lead +
    # support) lost their role, and so the loads of its 3 agencies no longer add up
    assert bad.exit_code == 1 and "23 violations, 0 warnings" in bad.output
    assert bad.output.count("exactly one role") == 20 and bad.output.count("load disagrees") == 3


def _build_in_subprocess(docs: Path, out: Path, seed: str) -> None:
    env = dict(os.environ, PYTHONHASHSEED=seed)
    subprocess.run([sys.executable, "-m", "kg", "build", str(docs), "--out", str(out)], check=True, env=env,
                   capture_output=True)


def test_two_builds_are_byte_identical(tmp_path, corpus_docs, built):
    a, b = built, tmp_path / "b"  # the shared build ran under pytest's hash seed, this one under another
    _build_in_subprocess(corpus_docs[0].parent, b, "2")
    for name in ("kg.ttl", "kg.nq", "kg.trig", "kg.jsonld"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    for path in (a / "extractions").glob("*.json"):
        assert path.read_bytes() == (b / "extractions" / path.name).read_bytes()


def test_extract_csv_is_deterministic(corpus_docs):
    args = ["extract", *map(str, corpus_docs), "--format", "csv"]
    there = subprocess.run([sys.executable, "-m", "kg", *args], env=dict(os.environ, PYTHONHASHSEED=other_hash_seed()),
                           capture_output=True, check=True).stdout  # another hash seed than this process's
    here = CliRunner().invoke(cli, args).stdout_bytes
    assert here == there and here.count(b"\n") > 300


def test_exports_reimport_to_the_same_graph(built_one):
    quads = Dataset()
    quads.parse(built_one / "kg.nq", format="nquads")
    union = Graph()
    for s, p, o, _ in quads.quads():
        union.add((s, p, o))
    assert isomorphic(union, Graph().parse(built_one / "kg.ttl", format="turtle"))
    jsonld = Dataset()
    jsonld.parse(built_one / "kg.jsonld", format="json-ld")  # a dataset: named graphs kept
    assert set(jsonld.quads()) == set(quads.quads())
    trig = Dataset()
    trig.parse(built_one / "kg.trig", format="trig")
    for g in quads.graphs():
        if len(g):
            assert isomorphic(g, trig.graph(g.identifier)), g.identifier


def _graph_lines(out: Path) -> dict[str, set[str]]:
    graphs: dict[str, set[str]] = defaultdict(set)
    for line in (out / "kg.nq").read_text(encoding="utf-8").splitlines():
        graphs[line.rsplit(" ", 2)[-2]].add(line)
    return graphs


def test_changing_one_document_replaces_only_its_graph(tmp_path, corpus_copy, built):
    out = copy_export(built, tmp_path / "out")  # a build of the same five documents
    before = _graph_lines(out)
    changed = corpus_copy / "002_73ddd48312034934.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n七、补充任务\n(一)新增任务。(责任单位:区审计局)\n",
                       encoding="utf-8")
    result = invoke("build", str(corpus_copy), "--out", str(out))
    assert result.exit_code == 0 and "built 1, unchanged 4, removed 0" in result.output
    after = _graph_lines(out)
    target = "<https://w3id.org/cgr/graph/doc/002_73ddd48312034934>"
    for graph in before:  # every graph but the edited document's is untouched
        assert (before[graph] == after[graph]) is (graph != target), graph
    new = set(after) - set(before)  # only the description of the agency the edit introduced
    assert new == {"<https://w3id.org/cgr/graph/agency/沙坡头区/audit>"}
    assert any("区审计局" in line for line in after[target])
    (corpus_copy / "004_a47f6c59b3abce73.txt").unlink()
    result = invoke("build", str(corpus_copy), "--out", str(out))
    assert "built 0, unchanged 4, removed 1" in result.output
    assert not any("004_a47f6c59b3abce73" in g for g in _graph_lines(out))
    assert not (out / "extractions" / "004_a47f6c59b3abce73.txt.json").exists()
