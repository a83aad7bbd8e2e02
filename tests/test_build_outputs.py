"""The derived files of a build (report.html, graph.html, tables, networks) follow the change:
read and computed once, rewritten only when what they show changed, not recomputed at all when
nothing they are made from changed; and the graph page does not depend on the hash seed."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner, Result

from conftest import DOCUMENTS, copy_export, other_hash_seed
from kg.cli import cli

DERIVED = ("report.html", "graph.html", "burden.md", "burden.csv", "gaps.csv", "reports.xlsx",
           "agencies.graphml", "tasks.gexf", "tables/gaps.csv")


def build(docs: Path, out: Path) -> Result:
    result = CliRunner().invoke(cli, ["build", str(docs), "--out", str(out), "--jobs", "1", "--dumps", "nq"])
    assert result.exit_code == 0, result.output
    return result


def stamps(out: Path) -> dict[str, int]:
    return {name: (out / name).stat().st_mtime_ns for name in DERIVED}


def test_nothing_changed_reads_nothing_and_writes_nothing(corpus_copy: Path, tmp_path: Path,
                                                          built_run: tuple[Path, str], monkeypatch) -> None:
    out = copy_export(built_run[0], tmp_path / "out")  # a build of the same documents
    first = build(corpus_copy, out)  # these options, these paths: whatever it rewrites, it rewrites now
    before = stamps(out)

    def no_read(*args: object, **kwargs: object) -> None:
        raise AssertionError("the rows were read although nothing changed")

    monkeypatch.setattr("kg.analysis.rows.read_store", no_read)
    again = build(corpus_copy, out)
    assert stamps(out) == before
    # the terminal summary is the same: the burden table, coverage and totals (not the phase times)
    def summary(output: str) -> str:
        return output.split("built", 1)[1].split("\n", 1)[1].rsplit("\n", 2)[0]

    assert "Burden per agency" in summary(again.output) and summary(again.output) == summary(first.output)
    assert again.stdout == built_run[1]  # the table a build from scratch printed


def test_a_changed_document_rewrites_only_files_whose_content_changed(corpus_copy: Path, tmp_path: Path,
                                                                       built: Path) -> None:
    out = copy_export(built, tmp_path / "out")  # a build of the same documents
    before = {name: (out / name).read_bytes() for name in DERIVED}
    times = stamps(out)
    victim = sorted(corpus_copy.glob("*.txt"))[0]
    victim.write_text(victim.read_text(encoding="utf-8") + "\n七、补充任务\n(一)新增任务。(责任单位:区审计局)\n",
                      encoding="utf-8")
    build(corpus_copy, out)
    after = stamps(out)
    changed = {n for n in DERIVED if (out / n).read_bytes() != before[n]}
    assert "report.html" in changed and "burden.csv" in changed  # the new task and its unit show
    assert {n for n in DERIVED if after[n] != times[n]} == changed


def test_a_fresh_build_writes_the_same_files(corpus_copy: Path, tmp_path: Path, built: Path) -> None:
    """Skipping unchanged files must not leave anything a fresh build would write differently."""
    a = copy_export(built, tmp_path / "a")  # a build of the same documents
    victim = sorted(corpus_copy.glob("*.txt"))[1]
    victim.write_text(victim.read_text(encoding="utf-8") + "\n附:修订说明。\n", encoding="utf-8")
    build(corpus_copy, a)
    build(corpus_copy, tmp_path / "b")
    for name in DERIVED:
        assert (a / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_graph_page_is_the_same_under_any_hash_seed(built: Path) -> None:
    from kg.analysis.rows import read_store
    from kg.present.graph_page import render_html
    from kg.reference import load_reference

    script = ("import sys; from pathlib import Path; from kg.analysis.rows import read_store; "
              "from kg.present.graph_page import render_html; from kg.reference import load_reference; "
              "sys.stdout.write(render_html(read_store(Path(sys.argv[1])), reference=load_reference()).html)")
    seed = other_hash_seed()  # not this process's seed
    other = subprocess.run([sys.executable, "-c", script, str(built)], capture_output=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout
    assert other.decode("utf-8") == render_html(read_store(built), reference=load_reference()).html


def test_sources_no_longer_at_hand_are_noticed(tmp_path: Path, built: Path) -> None:
    """The graph page quotes the source files: the same store without them is a different page,
    not the one the last build left."""
    from kg.present.files import write_outputs
    from kg.reference import load_reference

    out = copy_export(built, tmp_path / "out")  # a build of the bundled documents
    page = (out / "graph.html").read_bytes()
    write_outputs(out, sources={}, reference=load_reference())
    assert (out / "graph.html").read_bytes() != page
    write_outputs(out, sources={p.name: p for p in DOCUMENTS.glob("*.txt")}, reference=load_reference())
    assert (out / "graph.html").read_bytes() == page
