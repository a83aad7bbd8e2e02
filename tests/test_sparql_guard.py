"""kg sparql keeps to the store: no SERVICE, no LOAD, no update that cannot persist, unless asked."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.errors import GuardError
from kg.graph.guard import check, operations

GOOD = "关于印发实施方案的通知\n一、主要任务\n(一)加强质量监管。(市质监局牵头,市发改委、市公安局配合)\n"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("guard")
    (root / "plan.txt").write_text(GOOD, encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(root / "plan.txt"), "--out", str(root / "out")])
    assert result.exit_code == 0, result.stderr
    return root / "out"


def sparql(store: Path, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, ["sparql", *args, "--out", str(store)])


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "select * { ?a ?b ?c . service\n<http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "ASK { SERVICE SILENT <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
])
def test_service_is_refused_without_the_flag(store: Path, query: str) -> None:
    result = sparql(store, query)
    assert result.exit_code == 1
    assert "SERVICE" in result.stderr and "--allow-service" in result.stderr


def test_service_in_a_comment_or_string_is_not_a_service(store: Path) -> None:
    query = 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p "SERVICE <http://x/>" } # SERVICE <http://x/>'
    result = sparql(store, query, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.split() == ["n", "0"]


def test_load_of_a_local_file_is_refused_and_never_echoed(store: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("password=hunter2\n", encoding="utf-8")
    refused = sparql(store, f"LOAD <file://{secret}>", "--allow-update")
    assert refused.exit_code == 1 and "--allow-load" in refused.stderr
    allowed = sparql(store, f"LOAD <file://{secret}>", "--allow-update", "--allow-load")
    assert allowed.exit_code == 1  # not RDF: fails, and says so without the file's text
    assert "hunter2" not in allowed.stderr + allowed.stdout


@pytest.mark.parametrize("update", ["COPY <urn:a> TO <urn:b>", "ADD <urn:a> TO <urn:b>",
                                    "MOVE <urn:a> TO <urn:b>", "CLEAR GRAPH <urn:a>", "CREATE SILENT GRAPH <urn:a>"])
def test_graph_management_operations_are_updates(store: Path, update: str) -> None:
    result = sparql(store, update)
    assert result.exit_code == 1
    assert "--allow-update" in result.stderr


def test_an_update_on_the_memory_store_is_refused(store: Path) -> None:
    result = sparql(store, "INSERT DATA { <urn:a> <urn:b> <urn:c> }", "--allow-update", "--store", "memory")
    assert result.exit_code == 1
    assert "'memory' store" in result.stderr


def test_unparseable_text_naming_service_never_reaches_the_engine() -> None:
    text = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/s> { ?s ?p ?o } "  # missing brace
    assert operations(text) is None
    with pytest.raises(GuardError):
        check(text)
