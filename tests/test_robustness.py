"""Messy inputs and faults through the real CLI: clear one-line errors, other documents still
processed, nothing lost when a run fails or is killed."""
from __future__ import annotations

import csv
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import copy_export
from kg_tiny import write_plan
from kg.cli import cli

BAD = Path(__file__).resolve().parent / "data" / "bad"
ERROR_LINE = re.compile(r"^kg: .+: .+ \(.+\)$")
GOOD = "一、主要任务\n(一)加强质量监管。(市质监局牵头,市发改委、市公安局配合)\n(二)推进标准化。(责任单位:市科技局、市财政局)\n"


def run(*args: str) -> "object":
    return CliRunner().invoke(cli, list(args))


def rows(result) -> list[dict]:
    return list(csv.DictReader(io.StringIO(result.stdout)))


def error_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("kg:")]


def test_nasty_corpus_one_line_per_problem_others_processed():
    result = run("extract", str(BAD), "--format", "csv")
    assert result.exit_code == 1
    errors = error_lines(result)
    assert sorted(Path(e.split(": ")[1]).name for e in errors) == [
        "binary.txt", "blank.txt", "corrupt.docx", "empty.txt", "no_text_layer.pdf", "truncated.pdf"]
    assert all(ERROR_LINE.match(e) for e in errors), errors
    assert "Traceback" not in result.stderr
    summary = re.fullmatch(r"(\d+) documents, (\d+) tasks, (\d+) assignments, (\d+) errors",
                           result.stderr.strip().splitlines()[-1])
    assert summary and (summary[1], summary[4]) == ("17", "6")  # 17 files, 6 of them unusable
    assert int(summary[3]) == len(rows(result))
    by_doc = {r["document"] for r in rows(result)}
    assert {"gbk.txt", "big5.txt", "utf16.txt", "utf8_bom_crlf.txt", "odd_spaces.txt", "truncated_utf8.txt",
            "page.html", "unbalanced.txt", "nested.txt"} <= by_doc


def test_mixed_encodings_give_the_same_assignments():
    result = run("extract", *(str(BAD / n) for n in ("gbk.txt", "big5.txt", "utf16.txt", "utf8_bom_crlf.txt",
                                                      "odd_spaces.txt")), "--format", "csv")
    assert result.exit_code == 0, result.output
    per_doc: dict[str, list] = {}
    for r in rows(result):
        per_doc.setdefault(r["document"], []).append((r["path"], r["role"], r["function"]))
    expected = [("1.1", "lead", "quality_technical_supervision"), ("1.1", "support", "development_reform"),
                ("1.1", "support", "public_security"), ("1.2", "responsible", "science_technology"),
                ("1.2", "responsible", "finance")]
    assert per_doc and all(v == expected for v in per_doc.values()), per_doc


def test_offsets_point_into_the_decoded_text_of_every_encoding():
    from kg.extract.read import read_document

    for name in ("gbk.txt", "big5.txt", "utf16.txt", "utf8_bom_crlf.txt", "truncated_utf8.txt"):
        result = run("extract", str(BAD / name), "--format", "csv")
        text = read_document(BAD / name).text
        for r in rows(result):
            assert r["mention"] in text[int(r["start"]):int(r["end"])], (name, r)


def test_html_page_without_chrome_and_with_its_table():
    result = run("extract", str(BAD / "page.html"), "--format", "csv")
    got = [(r["path"], r["role"], r["mention"]) for r in rows(result)]
    assert got == [("1.1", "lead", "市质监局"), ("1.1", "support", "市发改委"),
                   ("1", "lead", "市科技局"), ("1", "support", "市财政局")]


def test_html_table_with_merged_cells():
    """A rowspan'd lead unit leads every task it spans; a colspan section row is not a task."""
    page = Path(__file__).resolve().parent / "data" / "merged_cells.html"
    got = [(r["path"], r["role"], r["mention"]) for r in rows(run("extract", str(page), "--format", "csv"))]
    assert got == [("1", "lead", "市市场监管局"), ("1", "support", "市公安局"),
                   ("2", "lead", "市市场监管局"), ("2", "support", "市商务局"), ("2", "support", "市工信局"),
                   ("3", "lead", "市科技局"), ("3", "support", "市财政局")]


def test_docx_paragraphs_and_tables(tmp_path):
    import docx

    document = docx.Document()
    for line in GOOD.strip().splitlines():
        document.add_paragraph(line)
    table = document.add_table(rows=2, cols=4)
    for cell, text in zip(table.rows[0].cells, ["序号", "工作任务", "牵头单位", "配合单位"]):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, ["1", "开展监督抽查", "市商务局", "市统计局、市审计局"]):
        cell.text = text
    path = tmp_path / "plan.docx"
    document.save(path)
    got = [(r["path"], r["role"], r["mention"]) for r in rows(run("extract", str(path), "--format", "csv"))]
    assert got == [("1.1", "lead", "市质监局"), ("1.1", "support", "市发改委"), ("1.1", "support", "市公安局"),
                   ("1.2", "responsible", "市科技局"), ("1.2", "responsible", "市财政局"),
                   ("1", "lead", "市商务局"), ("1", "support", "市统计局"), ("1", "support", "市审计局")]


def test_pdf_text_layer(tmp_path):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "plan.pdf"
    page = canvas.Canvas(str(path))
    page.setFont("STSong-Light", 11)
    for k, line in enumerate(GOOD.strip().splitlines()):
        page.drawString(40, 800 - 18 * k, line)
    page.save()
    got = [(r["path"], r["role"], r["mention"]) for r in rows(run("extract", str(path), "--format", "csv"))]
    assert got[:3] == [("1.1", "lead", "市质监局"), ("1.1", "support", "市发改委"), ("1.1", "support", "市公安局")]


def test_ten_megabyte_file(tmp_path, corpus_docs):
    # Extraction time is measured in benchmarks/; here: a big file loses no assignment.
    text = "\n".join(p.read_text(encoding="utf-8") for p in corpus_docs) + "\n"
    copies = 10_000_000 // len(text.encode("utf-8")) + 1
    path = tmp_path / "huge.txt"
    path.write_text(text * copies, encoding="utf-8")
    assert path.stat().st_size >= 10_000_000
    result = run("extract", str(path), "--format", "csv")
    assert result.exit_code == 0
    assert len(rows(result)) == 310 * copies  # every copy of every gold assignment


def test_lines_of_a_hundred_thousand_characters(tmp_path):
    filler = "推进质量提升工作," * 12_000
    line = "一、主要任务:(一)加强监管。" + filler + "(市质监局牵头,市发改委配合)。(二)推进标准化。" + filler + "(市科技局负责)"
    assert len(line) > 200_000
    path = tmp_path / "one_line.txt"
    path.write_text(line, encoding="utf-8")
    got = [(r["path"], r["role"], r["mention"]) for r in rows(run("extract", str(path), "--format", "csv"))]
    assert got == [("1.1", "lead", "市质监局"), ("1.1", "support", "市发改委"), ("1.2", "responsible", "市科技局")]


def test_unbalanced_and_nested_parentheses_do_not_hide_later_clauses():
    for name, last in (("unbalanced.txt", "市统计局"), ("nested.txt", "市统计局")):
        result = run("extract", str(BAD / name), "--format", "csv")
        assert result.exit_code == 0 and rows(result)[-1]["mention"] == last


def test_symlink_loops(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    (folder / "a.txt").symlink_to(folder / "b.txt")
    (folder / "b.txt").symlink_to(folder / "a.txt")
    result = run("extract", str(folder), "--format", "csv")
    assert result.exit_code == 1
    assert {r["document"] for r in rows(result)} == {"good.txt"}
    errors = error_lines(result)
    assert len(errors) == 2 and all("symbolic links" in e and ERROR_LINE.match(e) for e in errors), errors


def test_unreadable_file(tmp_path):
    folder = Path(tempfile.mkdtemp(prefix="kg-perm-"))
    try:
        os.chmod(folder, 0o777)
        (folder / "good.txt").write_text(GOOD, encoding="utf-8")
        secret = folder / "secret.txt"
        secret.write_text(GOOD, encoding="utf-8")
        os.chmod(secret, 0)
        command = [sys.executable, "-m", "kg", "extract", str(folder), "--format", "csv"]
        if os.geteuid() == 0:  # root reads anything: drop the capabilities that bypass permissions
            setpriv = shutil.which("setpriv")
            assert setpriv, "setpriv (util-linux) is needed to test permissions as root"
            command = [setpriv, "--bounding-set=-dac_override,-dac_read_search", "--inh-caps=-all", *command]
        proc = subprocess.run(command, capture_output=True, text=True, cwd=folder)
        assert proc.returncode == 1, proc.stderr
        assert f"kg: {secret}: permission denied (make the file readable)" in proc.stderr
        assert "good.txt" in proc.stdout and "Traceback" not in proc.stderr
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_strict_stops_at_the_first_failure(tmp_path):
    (tmp_path / "a_empty.txt").write_bytes(b"")
    (tmp_path / "b_good.txt").write_text(GOOD, encoding="utf-8")
    result = run("extract", str(tmp_path), "--format", "csv", "--strict")
    assert result.exit_code == 1 and len(error_lines(result)) == 1 and "b_good" not in result.stdout


def test_debug_shows_the_traceback(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    assert "Traceback" in run("extract", str(tmp_path), "--debug").stderr
    assert "Traceback" not in run("extract", str(tmp_path)).stderr


def test_document_names_stay_inside_the_export_folder(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("..txt", "-x.txt", "a b;rm -rf ~.txt", "%2e%2e%2fup.txt"):
        (docs / name).write_text(GOOD, encoding="utf-8")
    out = tmp_path / "out"
    assert run("build", str(docs), "--out", str(out)).exit_code == 0
    written = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*.json"))
    assert all(p.parts[:2] == ("out", "extractions") for p in written) and len(written) == 4


def test_failed_document_keeps_its_previous_graph(tmp_path, corpus_copy, built):
    out = copy_export(built, tmp_path / "out")  # a build of the same five documents
    before = (out / "kg.nq").read_text(encoding="utf-8")
    (corpus_copy / "000_4f8aafbd3b2270d0.txt").write_bytes(b"\x00\x01binary now")
    result = run("build", str(corpus_copy), "--out", str(out))
    assert result.exit_code == 1
    assert error_lines(result) == [f"kg: {corpus_copy / '000_4f8aafbd3b2270d0.txt'}: binary file, not text "
                                   "(convert it to .txt, .docx or .pdf)"]
    assert (out / "kg.nq").read_text(encoding="utf-8") == before  # nothing lost
    assert re.search(r"\b5 documents, \d+ tasks, 310 assignments, 1 errors", result.stderr)  # 310 gold mentions


def _corpus(folder: Path, stamp: str) -> None:
    """Two small plans that name the same agencies (their shared graphs are rewritten too),
    stamped so that every new stamp changes both documents."""
    for name in ("a.txt", "b.txt"):
        path = write_plan(folder, name)
        path.write_text(path.read_text(encoding="utf-8") + f"附:第{stamp}版\n", encoding="utf-8")


def _readable(out: Path, graphs: int = 5) -> int:
    """Parse every export (Oxigraph's strict parsers) and query the store; return the number of quads."""
    import pyoxigraph as ox

    quads = sum(1 for _ in ox.parse(path=out / "kg.nq", format=ox.RdfFormat.N_QUADS))
    assert sum(1 for _ in ox.parse(path=out / "kg.ttl", format=ox.RdfFormat.TURTLE)) > 0
    store = ox.Store(str(out / "store"))
    count = len(list(store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
                                 "FILTER(CONTAINS(STR(?g), '/graph/doc/')) }")))
    del store
    assert count == graphs and "</html>" in (out / "report.html").read_text(encoding="utf-8")
    return quads


def _kg_build(docs: Path, out: Path, fault: str = "") -> subprocess.CompletedProcess:  # type: ignore[type-arg]
    env = dict(os.environ, KG_FAULT_AT=fault) if fault else dict(os.environ)
    return subprocess.run([sys.executable, "-m", "kg", "build", str(docs), "--out", str(out)],
                          capture_output=True, env=env)


def test_builds_killed_at_each_named_point_lose_nothing(tmp_path):
    """Kill a build at every step where a crash matters; the exports stay whole, leftovers go, and
    the next build ends exactly where a clean build of the same inputs ends."""
    from kg.faults import POINTS

    docs, out = tmp_path / "docs", tmp_path / "out"
    _corpus(docs, "0")
    assert run("build", str(docs), "--out", str(out)).exit_code == 0  # builds nobody kills run in this process
    for attempt, point in enumerate(["extraction-written#2", "document-stored#1", "before-rename#2",
                                     "before-dumps"], start=1):
        assert point.split("#")[0] in POINTS
        _corpus(docs, str(attempt))  # every document changed: the build has work
        killed = _kg_build(docs, out, point)
        assert killed.returncode == -signal.SIGKILL, (point, killed.stderr)  # the point was reached
        assert _readable(out, graphs=2) > 0, f"exports unreadable after a kill at {point}"
        if point.startswith("before-rename"):
            assert list(out.rglob(".*.tmp")), "a kill before a rename leaves its temporary file"
    assert run("build", str(docs), "--out", str(out)).exit_code == 0
    assert not list(out.rglob(".*.tmp"))  # the next build cleared the leftovers
    clean = tmp_path / "clean"
    assert run("build", str(docs), "--out", str(clean)).exit_code == 0
    for name in ["kg.nq"] + [f"extractions/{p.name}.json" for p in sorted(docs.iterdir())]:
        assert (out / name).read_bytes() == (clean / name).read_bytes(), name


def test_a_second_build_on_a_busy_folder_says_so_in_one_line(tmp_path):
    from kg.graph.lock import build_lock

    docs, out = tmp_path / "docs", tmp_path / "out"
    docs.mkdir()
    (docs / "a.txt").write_text(GOOD, encoding="utf-8")
    with build_lock(out):
        result = run("build", str(docs), "--out", str(out))
    assert result.exit_code == 1 and "another build is writing this export folder" in result.output
    assert not (out / "kg.nq").exists()  # the busy folder was not touched
    assert run("build", str(docs), "--out", str(out)).exit_code == 0  # the lock went with its holder
