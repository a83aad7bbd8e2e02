"""What people read on the terminal, checked as exact text worked out by hand from the tiny plan
(tests/kg_tiny.py): burden 质监局 9 × 1 + 1 × 0.5 = 9.5, 发改委 9 × 0.5 = 4.5, 商务局 1;
total 15, shares 63.3%, 30.0%, 6.7%."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg_tiny import write_plan

RULE = "─" * 80


@pytest.fixture(scope="module")
def built(built_tiny) -> Path:
    return built_tiny[0]  # the shared build of the tiny plan: docs/plan.txt and out/


def test_build_reports_the_time_of_every_phase(built_tiny):
    last = built_tiny[1].splitlines()[-1]  # the build's standard error
    phases = [part.rsplit(" ", 2)[0] for part in last.split(" · ")]
    assert phases == ["extract + store", "dumps", "analytics", "pages", "total"]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), env={"COLUMNS": "80"})
    return result.exit_code, result.stdout, result.stderr


def test_burden_table_fits_80_columns_exactly(built):
    # name 20 wide (22 cut to 20), function 8 (cut first, down to 8), numbers never cut, 2-space gaps.
    expected = "\n".join([
        "name                  function  lead  support  resp.  burden  share  tasks  docs",
        RULE,
        "安宁市质量技术监督局  质量技 …     9        1      0   9.500  63.3%     10     1",
        "安宁市发展和改革委 …  发展和 …     0        9      0   4.500  30.0%      9     1",
        "安宁市商务局          商务局       1        0      0   1.000   6.7%      1     1",
    ]) + "\n"
    code, out, _ = run("report", "burden", "--out", str(built / "out"))
    assert code == 0 and out == expected


def test_wide_shows_every_cell(built):
    _, out, _ = run("report", "burden", "--wide", "--out", str(built / "out"))
    assert "安宁市发展和改革委员会  发展和改革委员会" in out


def test_paths_are_text_and_in_numeric_order(built):
    code, out, _ = run("report", "agency", "市商务局", "--out", str(built / "out"))
    assert code == 0
    assert out.splitlines()[-1] == "安宁市质量提升行动方案  3.10  lead  市商务局    扩大优质商品供给"
    _, out, _ = run("report", "agency", "市质监局", "--out", str(built / "out"))
    paths = [line.split()[1] for line in out.splitlines()[5:]]
    assert paths == ["3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7", "3.8", "3.9", "3.10"]
    _, out, _ = run("extract", str(built / "docs" / "plan.txt"), "--format", "csv")
    assert ",3.10,扩大优质商品供给,lead,市商务局," in out


def test_agency_by_alias_and_suggestions(built):
    code, out, _ = run("report", "agency", "质监局", "--out", str(built / "out"))  # no prefix, an alias
    assert code == 0 and out.startswith("质监局: lead 9, support 1, responsible 0")
    # 质检 is itself an alias of 质监 (the alias table knows it); a real typo has no function
    code, _, err = run("report", "agency", "市质监员", "--out", str(built / "out"))
    assert code == 1 and err.startswith("kg: report agency: no agency written or named '市质监员' (did you mean ")
    assert "市质监局" in err


def test_one_error_style_for_usage_errors_and_queries(built):
    code, _, err = run("report", "burden", "--bogus")
    assert code == 2 and err.startswith("kg: report: No such option '--bogus'") and err.endswith("(see 'kg report -h')\n")
    code, _, err = run("sparql", "agency_tasks", "--out", str(built / "out"))
    assert code == 1 and err.startswith("kg: sparql: agency_tasks needs --param name=…")
    code, out, _ = run("sparql", "agency_tasks", "--param", "name=市商务局", "--format", "csv", "--out", str(built / "out"))
    assert code == 0 and len(out.splitlines()) == 2


def test_exclude_collectives_and_percentages(built):
    _, out, _ = run("report", "burden", "--exclude-collectives", "--out", str(built / "out"))
    assert "63.3%" in out and "*" not in out
