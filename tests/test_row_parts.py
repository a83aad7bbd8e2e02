"""The rows of each document are made in the worker that prepared it: after a build the derived
files read no document back from the store, and what the workers made equals a bulk read of the
store. An entry made from graphs that differ from the stored ones is not trusted."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.analysis.evidence import read_evidence_store
from kg.analysis.rows import read_store
from kg.cli import cli
from kg.present import row_cache
from kg.present.row_cache import entry_path, read_rows


def build(docs: Path, out: Path, jobs: str) -> None:
    result = CliRunner().invoke(cli, ["build", str(docs), "--out", str(out), "--jobs", jobs, "--dumps", "none"])
    assert result.exit_code == 0, result.output


def test_workers_rows_are_the_stores_rows(corpus_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_store_reads(*args: object) -> None:
        raise AssertionError("the build read rows back from the store")

    out = tmp_path / "out"
    monkeypatch.setattr(row_cache, "_read", no_store_reads)
    build(corpus_copy, out, "2")  # two worker processes make the entries; the files read none back
    monkeypatch.undo()
    entries = sorted((out / ".kg-cache" / "rows").glob("*.part"))
    assert len(entries) == len(list(corpus_copy.glob("*.txt"))) >= 4
    rows = read_rows(out)
    assert rows.read == 0  # every document's rows came from its worker
    bulk = read_store(out)  # one query per table over the whole on-disk store
    assert rows.data.documents == bulk.documents and rows.data.tasks == bulk.tasks
    assert rows.data.assignments == bulk.assignments and len(bulk.assignments) > 100
    assert rows.evidence == read_evidence_store(out)


def test_an_entry_from_other_graphs_is_read_again(corpus_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(corpus_copy, out, "1")
    from kg.graph.vocab import graph_iri

    doc = sorted(corpus_copy.glob("*.txt"))[0]
    path = entry_path(out, str(graph_iri(doc.name)))
    entry = json.loads(path.read_text(encoding="utf-8"))
    assert len(entry["graphs"]) > 2  # the document, the reference graph and shared graphs
    entry["rows"]["assignments"] = []  # rows made from a shared graph that the store holds differently:
    entry["key"] = "0" * 64  # its key names other fingerprints
    path.write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")
    rows = read_rows(out)
    assert rows.read == 1  # that document alone was read from the store
    assert rows.data.assignments == read_store(out).assignments
    assert any(a.document == doc.name for a in rows.data.assignments)


def test_rows_follow_the_tables_in_use_within_one_process(corpus_copy: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    tables, out = tmp_path / "tables", tmp_path / "out"
    assert CliRunner().invoke(cli, ["reference", "export", str(tables)]).exit_code == 0
    with (tables / "agency_aliases.csv").open("a", encoding="utf-8") as handle:
        handle.write("甲乙质监,quality_technical_supervision\n")  # other tables: another reference graph
    build(corpus_copy, out, "1")  # the bundled tables, in this process

    def no_store_reads(*args: object) -> None:
        raise AssertionError("the build read rows back from the store")

    monkeypatch.setattr(row_cache, "_read", no_store_reads)
    result = CliRunner().invoke(cli, ["--reference", str(tables), "build", str(corpus_copy), "--out", str(out),
                                      "--jobs", "1", "--dumps", "none"])
    assert result.exit_code == 0, result.output  # every row made again beside the new reference graph
    monkeypatch.undo()
    assert read_rows(out).data.assignments == read_store(out).assignments
