"""Hostile names, special files and stray characters: the build goes on, nothing wrong is stored.

Each test makes its own files; expected values are worked out from the inputs by hand.
"""
from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import unquote

import pyoxigraph
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import other_hash_seed
from kg.cli import cli
from kg.extract.pipeline import extract
from kg.graph.vocab import ID, doc_iri, iri_part
from kg.names import MAX_DERIVED_BYTES, derived_name, display_name

GOOD = "关于印发实施方案的通知\n一、主要任务\n(一)加强质量监管。(市质监局牵头,市发改委、市公安局配合)\n"


def kg(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The real CLI in its own process, with a timeout so a hang fails the test instead of the run."""
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, timeout=240,
                          env={**os.environ, **(env or {})})


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("kg:")]


# --- IRIs -----------------------------------------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_makes_a_valid_stable_reversible_iri(text: str) -> None:
    part = iri_part(text)
    pyoxigraph.NamedNode(str(ID[f"agency/{part}"]))  # raises on an invalid IRI
    assert iri_part(text) == part
    assert "/" not in part and "#" not in part and "?" not in part
    if not any("\ud800" <= c <= "\udfff" for c in text) and text:
        assert unquote(part, errors="strict") == text  # percent-decoding gives the text back: distinct texts, distinct IRIs


@settings(max_examples=200, deadline=None)
@given(st.binary(min_size=1, max_size=60).filter(lambda b: b"/" not in b and b"\0" not in b))
def test_any_linux_file_name_makes_a_valid_document_iri_and_bounded_derived_name(raw: bytes) -> None:
    name = os.fsdecode(raw)
    pyoxigraph.NamedNode(str(doc_iri(display_name(name))))
    display_name(name).encode("utf-8")  # always writable as text
    assert len(derived_name(name * 8, ".json").encode("utf-8")) <= MAX_DERIVED_BYTES


def test_names_differing_only_in_extension_are_distinct_documents() -> None:
    iris = {str(doc_iri(n)) for n in ("plan.txt", "plan.md", "plan.html", "plan", "plan.TXT", "plan~md.txt")}
    assert len(iris) == 6
    assert str(doc_iri("000_4f8aafbd3b2270d0.txt")) == "https://w3id.org/cgr/id/doc/000_4f8aafbd3b2270d0"


def test_iri_escapes_what_iris_cannot_carry() -> None:
    # C0 control, private-use glyph, noncharacter, right-to-left override: each percent-encoded as its UTF-8 bytes
    assert iri_part("局\x01\ue234\ufdd0\u202e") == "局%01%EE%88%B4%EF%B7%90%E2%80%AE"
    assert iri_part(os.fsdecode(b"a\xff")) == "a%FF"  # an undecodable file-name byte stays that byte


# --- one build, every kind of bad name and special file --------------------------------------------

@pytest.fixture()
def nasty_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "good.md").write_text(GOOD, encoding="utf-8")
    (folder / os.fsdecode(b"bad\xffname.txt")).write_text(GOOD, encoding="utf-8")
    (folder / ("规" * 83 + ".txt")).write_text(GOOD, encoding="utf-8")  # 253 bytes: legal, too long for +.json
    (folder / "ctl\x01\ue001.txt").write_text(
        "一、主要任务\n(一)加强监管。(市\x01质监局\ue123牵头,市发改\ufffe委、市公\u202e安局配合)\n", encoding="utf-8")
    os.mkfifo(folder / "pipe.txt")
    (folder / "zero.txt").symlink_to("/dev/zero")
    return folder


def test_bad_names_and_special_files_cost_no_other_document(nasty_folder: Path) -> None:
    out = nasty_folder / "out"  # inside the input folder on purpose
    first = kg("build", str(nasty_folder), "--out", str(out))
    assert first.returncode == 1, first.stderr  # two refusals
    assert "Traceback" not in first.stderr
    lines = error_lines(first.stderr)
    assert sorted(line.rsplit("/", 1)[-1] for line in lines) == [
        "pipe.txt: not a regular file (a FIFO, device or socket) (pass ordinary files only)",
        "zero.txt: not a regular file (a FIFO, device or socket) (pass ordinary files only)"]
    assert "5 documents, 10 tasks," in first.stderr  # each: the heading 一、 and its task (一)
    extractions = sorted(p.name for p in (out / "extractions").iterdir())
    assert len(extractions) == 5 and all(len(n.encode()) <= MAX_DERIVED_BYTES for n in extractions)
    store = pyoxigraph.Store()
    store.load(path=str(out / "kg.nq"), format=pyoxigraph.RdfFormat.N_QUADS)  # the dump parses: every IRI valid
    docs = {str(q.subject.value) for q in store.quads_for_pattern(None, pyoxigraph.NamedNode(
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), pyoxigraph.NamedNode(
        "https://w3id.org/cgr/ontology#PolicyDocument"))}
    assert {d.rsplit("/", 1)[-1] for d in docs} >= {"good", "good~md", "bad%5Cxffname", "ctl%01%EE%80%81"}
    assert len(docs) == 5
    again = kg("build", str(nasty_folder), "--out", str(out))  # the export folder is not read back
    assert "built 0, unchanged 5, removed 0, failed 2" in again.stderr


def test_size_limit_and_inflation_limit_are_one_line_refusals(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_text(GOOD * 100, encoding="utf-8")  # about 10 KB
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w:document>" + b" " * (3 << 20) + b"</w:document>")
    assert bomb.stat().st_size < 64 << 10
    result = kg("extract", str(tmp_path), "--format", "csv", env={"KG_MAX_FILE_MB": "0.5"})
    assert result.returncode == 1
    assert sorted(line.rsplit("/", 1)[-1] for line in error_lines(result.stderr)) == [
        "bomb.docx: inflates to more than 2 MB (re-save it without embedded files, or raise KG_MAX_FILE_MB)"]
    small = kg("extract", str(tmp_path / "big.txt"), "--format", "csv", env={"KG_MAX_FILE_MB": "0.005"})
    assert error_lines(small.stderr) == [
        f"kg: {tmp_path / 'big.txt'}: larger than the size limit of 0.005 MB "
        "(split the document, or raise KG_MAX_FILE_MB)"]


# --- invisible characters inside agency names ------------------------------------------------------

@pytest.mark.parametrize("mark", ["\u202e", "\u2066", "\u200f", "\u061c", "\u200b"])
def test_bidi_and_zero_width_marks_neither_split_nor_hide_agencies(tmp_path: Path, mark: str) -> None:
    path = tmp_path / "t.txt"
    path.write_text(f"关于印发实施方案的通知\n一、重点任务\n1.加强道路建设。(市交{mark}通局牵头,市财政局{mark}配合)\n"
                    f"2.推进绿化工作。(市林业局{mark}牵头)\n", encoding="utf-8")
    found = [(a.task, a.agency.name, a.mention.role.value) for a in extract(path).assignments]
    assert found == [(1, "市交通运输局", "lead"), (1, "市财政局", "support"), (2, "市林业局", "lead")]


# --- formula injection ----------------------------------------------------------------------------

def test_extract_csv_never_starts_a_cell_with_a_formula(tmp_path: Path) -> None:
    import csv
    import io

    path = tmp_path / "=HYPERLINK(1).txt"
    path.write_text(GOOD, encoding="utf-8")
    result = kg("extract", str(path), "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["document"] for r in rows] == ["'=HYPERLINK(1).txt"] * 3


# --- determinism ----------------------------------------------------------------------------------

def test_report_page_is_byte_identical_under_different_hash_seeds(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for i, (a, b) in enumerate([("市财政局", "市林业局"), ("市林业局", "市财政局"), ("市公安局", "市民政局")]):
        (docs / f"p{i}.txt").write_text(f"关于印发实施方案的通知\n一、主要任务\n(一)加强工作。({a}牵头,{b}配合)\n"
                                         f"(二)推进建设。({b}、{a}负责)\n", encoding="utf-8")  # every agency ties with another
    here = CliRunner().invoke(cli, ["build", str(docs), "--out", str(tmp_path / "here")])  # this process's seed
    assert here.exit_code == 0, here.output
    result = kg("build", str(docs), "--out", str(tmp_path / "there"), env={"PYTHONHASHSEED": other_hash_seed()})
    assert result.returncode == 0, result.stderr
    for name in ("report.html", "graph.html", "burden.csv", "kg.nq"):
        assert (tmp_path / "here" / name).read_bytes() == (tmp_path / "there" / name).read_bytes(), name


# --- operating-system errors ----------------------------------------------------------------------

def test_disk_full_is_one_line_and_exports_stay(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from click.testing import CliRunner

    from kg.cli import cli

    docs, out = tmp_path / "docs", tmp_path / "out"
    docs.mkdir()
    (docs / "a.txt").write_text(GOOD, encoding="utf-8")
    assert CliRunner().invoke(cli, ["build", str(docs), "--out", str(out)]).exit_code == 0
    before = {name: (out / name).read_bytes() for name in ("kg.nq", "kg.ttl", "report.html")}
    (docs / "a.txt").write_text(GOOD + "(二)推进建设。(市财政局负责)\n", encoding="utf-8")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)  # every file kg writes is synced before its rename
    result = CliRunner().invoke(cli, ["build", str(docs), "--out", str(out)])
    assert result.exit_code == 1, result.stderr
    lines = error_lines(result.stderr)
    assert lines and all(line.endswith("disk full (free some space and run again; the previous exports are intact)")
                         for line in lines), result.stderr
    assert {name: (out / name).read_bytes() for name in before} == before
    assert not [p for p in out.rglob("*.tmp")]


def test_unwritable_export_folder_is_one_line_and_exports_stay(tmp_path: Path) -> None:
    import shutil

    docs, out = tmp_path / "docs", tmp_path / "out"
    docs.mkdir()
    (docs / "a.txt").write_text(GOOD, encoding="utf-8")
    assert CliRunner().invoke(cli, ["build", str(docs), "--out", str(out)]).exit_code == 0
    before = (out / "kg.nq").read_bytes()
    (docs / "a.txt").write_text(GOOD + "(二)推进建设。(市财政局负责)\n", encoding="utf-8")
    os.chmod(out, 0o500)
    try:
        command = [sys.executable, "-m", "kg", "build", str(docs), "--out", str(out)]
        if os.geteuid() == 0:  # root writes anywhere: drop the capabilities that bypass permissions
            setpriv = shutil.which("setpriv")
            assert setpriv, "setpriv (util-linux) is needed to test permissions as root"
            command = [setpriv, "--bounding-set=-dac_override,-dac_read_search", "--inh-caps=-all", *command]
        proc = subprocess.run(command, capture_output=True, text=True, timeout=240)
    finally:
        os.chmod(out, 0o755)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    lines = error_lines(proc.stderr)
    assert lines and all("permission denied (make the folder writable, or give --out another folder)" in line
                         for line in lines), proc.stderr
    assert (out / "kg.nq").read_bytes() == before
