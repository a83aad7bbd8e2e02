"""Say what was not found: a document whose action tasks get no assignment is flagged by
``kg extract``, ``kg build``, ``kg report gaps`` and the report page, instead of passing as
"0 errors". Counts worked out by hand from the two documents below."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli

GOOD = "一、主要任务\n(一)加强质量监管。(市质监局牵头,市发改委、市公安局配合)\n(二)推进标准化。(责任单位:市科技局、市财政局)\n"
# tasks: 一、 (a parent), (一), (二): 3 tasks, 2 with a clause, 5 assignments
SILENT = "一、重点工作\n(一)扩大有效投资。\n(二)促进消费升级。\n(三)稳定就业。\n"
# tasks: 一、 and three action leaves, none with a unit named: 4 tasks, 0 with a clause, flagged
WARNING = ("warning: silent.txt: 4 tasks, 0 with a clause, 0 assignments; no assignment in any of its 3 action "
           "tasks (see its tasks: kg extract FILE --format json)")
COVERAGE = "coverage: 2 of 7 tasks with a clause; 1 of 2 documents flagged (nothing assigned)"


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "silent.txt").write_text(SILENT, encoding="utf-8")
    return folder


def test_extract_flags_the_silent_document(docs):
    result = CliRunner().invoke(cli, ["extract", str(docs), "--format", "csv"])
    assert result.exit_code == 0  # a warning, not an error
    assert result.stderr.splitlines() == [WARNING, COVERAGE, "2 documents, 7 tasks, 5 assignments, 0 errors"]


def test_extract_verbose_gives_every_document(docs):
    result = CliRunner().invoke(cli, ["extract", str(docs), "--format", "csv", "--verbose"])
    assert result.stderr.splitlines()[:2] == ["good.txt: 3 tasks, 2 with a clause, 5 assignments", WARNING]


def test_build_gaps_and_report_page_flag_it(docs, tmp_path):
    out = tmp_path / "out"
    built = CliRunner().invoke(cli, ["build", str(docs), "--out", str(out)])
    assert built.exit_code == 0, built.output
    assert WARNING in built.stderr.splitlines() and COVERAGE in built.stderr.splitlines()
    gaps = CliRunner().invoke(cli, ["report", "gaps", "--out", str(out), "--format", "csv"]).stdout
    assert "no_assignment,silent.txt,,,no assignment in any of its 3 action tasks" in gaps.splitlines()
    assert not any(line.startswith("no_assignment,good.txt") for line in gaps.splitlines())
    page = (out / "report.html").read_text(encoding="utf-8")
    assert '<p class="flag">1 document(s) yielded no assignment at all: silent.txt.' in page
    assert ("<td>good.txt</td>" in page and
            '<td>3</td><td>2</td><td>5</td><td></td></tr>' in page.split("<td>good.txt</td>")[-1])
