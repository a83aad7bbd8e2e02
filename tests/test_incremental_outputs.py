"""A rebuild after documents changed, were added or removed gives byte for byte the exports a
fresh build of the new inputs gives (dumps, extractions, report.html, graph.html, tables,
networks), while reading from the store only the rows of the documents that changed."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from click.testing import CliRunner

from kg.cli import cli

SKIP = {"store", ".kg-cache", ".kg-build.lock"}  # the store's files and caches are not exports


def build(docs: Path, out: Path) -> None:
    result = CliRunner().invoke(cli, ["build", str(docs), "--out", str(out), "--jobs", "1"])
    assert result.exit_code == 0, result.output


def exports(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.relative_to(out).parts[0] not in SKIP}


def row_cache(out: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in (out / ".kg-cache" / "rows").glob("*.part")}


def entry(doc: Path) -> str:
    """The row cache's file of a document: named by a digest of its graph's name."""
    from kg.graph.vocab import graph_iri

    return hashlib.sha256(str(graph_iri(doc.name)).encode("utf-8")).hexdigest()[:40] + ".part"


def test_rebuild_after_change_add_remove_equals_a_fresh_build(corpus_copy: Path, tmp_path: Path) -> None:
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    build(corpus_copy, out)
    docs = sorted(corpus_copy.glob("*.txt"))
    assert len(docs) >= 4 and len(row_cache(out)) == len(docs)  # one cached part per document
    before = row_cache(out)
    # a changed document: a new task with a lead and a supporter (burden, gaps, networks change)
    docs[0].write_text(docs[0].read_text(encoding="utf-8") + "\n八、补充任务\n(一)加强统计监测。"
                       "(市统计局牵头,市财政局配合)\n", encoding="utf-8")
    docs[1].unlink()  # a removed document
    added = corpus_copy / "zz_added.txt"  # an added one: another document's text under a new name
    added.write_text(docs[2].read_text(encoding="utf-8").replace("牵头", "负责", 1), encoding="utf-8")
    build(corpus_copy, out)
    build(corpus_copy, fresh)
    got, want = exports(out), exports(fresh)
    assert sorted(got) == sorted(want)
    assert {"report.html", "graph.html", "kg.nq", "kg.ttl", "burden.csv", "reports.xlsx", "tasks.gexf"} <= set(got)
    assert [name for name in want if got[name] != want[name]] == []
    after = row_cache(out)
    assert len(after) == len(docs)  # the removed document's part is gone, the added one's is there
    assert set(before) - set(after) == {entry(docs[1])} and set(after) - set(before) == {entry(added)}
    rewritten = {name for name in set(before) & set(after) if after[name] != before[name]}
    assert rewritten == {entry(docs[0])}  # only the changed document's rows were read again


def test_reference_tables_change_rereads_every_document(corpus_copy: Path, tmp_path: Path, monkeypatch) -> None:
    """A different alias table changes the fingerprints of every graph: no cached rows survive."""
    out, fresh, tables = tmp_path / "out", tmp_path / "fresh", tmp_path / "tables"
    build(corpus_copy, out)
    before = row_cache(out)
    shutil.copytree(Path(__file__).resolve().parents[1] / "data", tables,
                    ignore=shutil.ignore_patterns("documents"))
    aliases = tables / "agency_aliases.csv"
    aliases.write_text(aliases.read_text(encoding="utf-8") + "统计部门,statistics\n", encoding="utf-8")
    monkeypatch.setenv("KG_REFERENCE", str(tables))
    build(corpus_copy, out)
    build(corpus_copy, fresh)
    after = row_cache(out)
    assert set(after) == set(before) and all(after[n] != before[n] for n in after)
    got, want = exports(out), exports(fresh)
    assert [name for name in want if got.get(name) != want[name]] == []
