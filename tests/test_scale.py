"""A build whose cost follows the change: parallel extraction gives the serial output, a
one-document change redoes one document and leaves every file as a fresh build writes it,
dumps are written on demand."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import copy_export
from kg.cli import cli

EXPORTED = ("kg.nq", "kg.trig", "kg.ttl", "kg.jsonld", "report.html", "burden.csv", "burden.md", "gaps.csv",
            "graph.html")
EDIT = "\n七、补充任务\n(一)新增任务。(责任单位:区审计局)\n"


def kg(*args: str) -> "object":
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result


def files_of(out: Path) -> dict[str, bytes]:
    found = {name: (out / name).read_bytes() for name in EXPORTED if (out / name).exists()}
    found.update({f"extractions/{p.name}": p.read_bytes() for p in (out / "extractions").glob("*.json")})
    return found




def test_parallel_extraction_prints_what_a_serial_one_prints(corpus_docs):
    docs = [str(p) for p in reversed(corpus_docs)] * 2  # more documents than workers, not in name order
    serial = kg("extract", *docs, "--format", "csv", "--jobs", "1").stdout
    parallel = kg("extract", *docs, "--format", "csv", "--jobs", "2").stdout
    assert parallel == serial
    runs = [name for k, name in enumerate(r.split(",")[0] for r in serial.splitlines()[1:])]
    firsts = [name for k, name in enumerate(runs) if k == 0 or runs[k - 1] != name]
    with_rows = [Path(p).name for p in docs if Path(p).name in runs]
    assert firsts == with_rows and len(set(firsts)) >= 3  # input order, each document's rows together


def test_parallel_build_writes_the_serial_build_byte_for_byte(tmp_path, corpus_docs, built):
    out = tmp_path / "serial"
    kg("build", str(corpus_docs[0].parent), "--out", str(out), "--jobs", "1")
    serial, parallel = files_of(out), files_of(built)  # the shared build ran with --jobs 2
    assert set(parallel) == set(serial) and len(serial) == len(EXPORTED) + len(corpus_docs)
    for name in serial:
        assert parallel[name] == serial[name], name


def test_one_changed_document_is_the_only_one_redone_and_files_match_a_fresh_build(tmp_path, corpus_copy, built,
                                                                                    monkeypatch):
    import kg.graph.build as build
    import kg.graph.prepare as prepare

    out, fresh = copy_export(built, tmp_path / "out"), tmp_path / "fresh"  # a build of the same documents
    changed = corpus_copy / "002_73ddd48312034934.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + EDIT, encoding="utf-8")
    prepared, shared_pieces = [], []
    real_prepare, real_pieces = prepare.prepare, build.pieces
    monkeypatch.setattr(build, "prepare", lambda job, **kw: prepared.append(job[0].name) or real_prepare(job, **kw))
    monkeypatch.setattr(build, "pieces", lambda g, *a: shared_pieces.append(g) or real_pieces(g, *a))
    result = kg("build", str(corpus_copy), "--out", str(out), "--jobs", "1")
    assert "built 1, unchanged 4, removed 0" in result.output
    assert prepared == ["002_73ddd48312034934.txt"]
    # the only shared graph written (and serialised) is the agency the edit introduced
    assert shared_pieces == ["https://w3id.org/cgr/graph/agency/沙坡头区/audit"]
    monkeypatch.undo()
    kg("build", str(corpus_copy), "--out", str(fresh), "--jobs", "1")
    incremental, clean = files_of(out), files_of(fresh)
    assert set(incremental) == set(clean)
    for name in clean:
        assert incremental[name] == clean[name], name
    assert "区审计局" in (out / "burden.csv").read_text(encoding="utf-8")


def test_nothing_changed_rewrites_no_dump(tmp_path, corpus_copy, built):
    out = copy_export(built, tmp_path / "out")  # a build of the same documents
    stamps = {name: (out / name).stat().st_mtime_ns for name in ("kg.nq", "kg.ttl")}
    result = kg("build", str(corpus_copy), "--out", str(out))
    assert "built 0, unchanged 5" in result.output
    assert {name: (out / name).stat().st_mtime_ns for name in stamps} == stamps


def test_dumps_only_when_asked(tmp_path, corpus_copy, built):
    out = tmp_path / "out"
    kg("build", str(corpus_copy), "--out", str(out), "--dumps", "none")
    assert not any((out / name).exists() for name in ("kg.nq", "kg.trig", "kg.ttl", "kg.jsonld"))
    assert (out / "report.html").read_bytes() == (built / "report.html").read_bytes()
    result = kg("dump", "--out", str(out), "--dumps", "nq,ttl")
    assert "kg.nq" in result.output and not (out / "kg.trig").exists()
    for name in ("kg.nq", "kg.ttl"):
        assert (out / name).read_bytes() == (built / name).read_bytes(), name
    bad = CliRunner().invoke(cli, ["dump", "--out", str(out), "--dumps", "nq,xml"])
    assert bad.exit_code == 2 and "unknown dump format xml" in bad.output
    assert (out / "kg.nq").read_bytes() == (built / "kg.nq").read_bytes()  # a typo deletes nothing
