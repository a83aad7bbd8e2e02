"""The extract + store step of a build: batches stored on a thread of their own while the workers
extract, shared graphs loaded in batches with pieces made in workers, dump pieces cached packed.
None of it may change what a build writes, nor what a reader of the store sees."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.graph.store import DocumentStore

PLAN = ("某市人民政府办公室关于印发某市{topic}工作要点的通知\n一、主要任务\n"
        "(一)加强{topic}监管。(市市场监管局牵头,市{partner}配合)\n"
        "(二)完善{topic}标准。(市{partner}负责)\n")
TOPICS = [("质量", "发展改革委"), ("安全", "应急管理局"), ("环境", "生态环境局")]
FP = "https://w3id.org/cgr/ontology#fingerprint"


def _docs(folder: Path) -> Path:
    folder.mkdir()
    for n, (topic, partner) in enumerate(TOPICS):
        (folder / f"plan{n}.txt").write_text(PLAN.format(topic=topic, partner=partner), encoding="utf-8")
    return folder


def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and not {"store", ".kg-cache"} & set(p.relative_to(out).parts)}


def _build(*args: str) -> str:
    result = CliRunner().invoke(cli, ["build", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_a_batch_a_document_on_the_writer_thread_writes_what_one_batch_writes(tmp_path, monkeypatch):
    """Every document its own batch (several waiting for the writer thread) and every shared graph
    its own worker task: the same files, byte for byte, as one batch in this process."""
    import kg.graph.build as build

    docs = _docs(tmp_path / "docs")
    _build(str(docs), "--out", str(tmp_path / "one"), "--jobs", "1")
    monkeypatch.setattr(build, "BATCH_BYTES", 1)
    monkeypatch.setattr(build, "SHARED_CHUNK", 1)
    output = _build(str(docs), "--out", str(tmp_path / "many"), "--jobs", "2")
    assert "built 3" in output
    one, many = _files(tmp_path / "one"), _files(tmp_path / "many")
    assert set(one) == set(many) and "kg.nq" in one and "extractions/plan2.txt.json" in one
    for name in one:
        assert one[name] == many[name], name


def test_a_batch_replaces_a_stored_graph_in_place_and_stamps_it_last(tmp_path):
    old_graph, new_graph = "https://w3id.org/cgr/graph/doc/a", "https://w3id.org/cgr/graph/doc/b"
    triple = '<https://w3id.org/cgr/id/doc/{0}> <https://w3id.org/cgr/ontology#title> "{1}" .\n'
    stamp = '<{0}> <' + FP + '> "{1}" .\n'
    store = DocumentStore(tmp_path)
    try:
        store.replace_ntriples((triple.format("a", "旧") + stamp.format(old_graph, "k1")).encode(), old_graph)
        store.load_batch([(old_graph, triple.format("a", "新").encode(), stamp.format(old_graph, "k2").encode()),
                          (new_graph, triple.format("b", "乙").encode(), stamp.format(new_graph, "k3").encode())])
        from rdflib import URIRef

        assert store.fingerprints(URIRef(FP)) == {old_graph: "k2", new_graph: "k3"}
        titles = {q.object.value for q in store.store.quads_for_pattern(None, None, None, store.ox.NamedNode(old_graph))}
        assert titles == {"新", "k2"}  # the old title and the old stamp are gone, nothing else added
    finally:
        store.close()


def test_a_damaged_cache_row_is_made_again_from_the_store(tmp_path):
    from kg.graph.dumps import DumpCache

    docs, out = _docs(tmp_path / "docs"), tmp_path / "out"
    _build(str(docs), "--out", str(out), "--dumps", "nq")
    before = (out / "kg.nq").read_bytes()
    db = sqlite3.connect(out / ".kg-cache" / "dumps.sqlite")
    graph, key = db.execute("SELECT graph, key FROM pieces_v3 WHERE graph LIKE '%/doc/plan1'").fetchone()
    db.execute("UPDATE pieces_v3 SET nq = x'0102' WHERE graph = ?", (graph,))
    db.commit()
    db.close()
    cache = DumpCache(out)
    assert cache.get(graph, key) is None  # a damaged row is a miss, not an error nor garbage
    cache.close()
    (out / "kg.nq").unlink()
    assert CliRunner().invoke(cli, ["dump", "--out", str(out), "--dumps", "nq"]).exit_code == 0
    assert (out / "kg.nq").read_bytes() == before


def test_an_extraction_that_cannot_be_written_fails_only_its_document(tmp_path):
    docs, out = _docs(tmp_path / "docs"), tmp_path / "out"
    (out / "extractions" / "plan1.txt.json").mkdir(parents=True)  # a folder where the file goes
    result = CliRunner().invoke(cli, ["build", str(docs), "--out", str(out), "--jobs", "2", "--dumps", "nq"])
    assert result.exit_code == 1
    assert [line for line in result.output.splitlines() if line.startswith("kg:")][0].count("plan1") >= 1
    assert (out / "extractions" / "plan0.txt.json").is_file() and (out / "extractions" / "plan2.txt.json").is_file()
    nq = (out / "kg.nq").read_text(encoding="utf-8")
    assert "/graph/doc/plan0>" in nq and "/graph/doc/plan2>" in nq and "/graph/doc/plan1>" not in nq


@pytest.mark.parametrize("quoted", [True, False])
def test_only_the_fingerprint_property_makes_a_stamp(quoted):
    from kg.graph.prepare import _is_stamp

    line = f'<https://w3id.org/cgr/id/doc/a> <{FP}> "k" .' if not quoted else \
        f'<https://w3id.org/cgr/id/doc/a> <https://w3id.org/cgr/ontology#title> "<{FP}>" .'
    assert _is_stamp(line, f"<{FP}>") is (not quoted)
