"""Builds never lose results by accident: a typo, another folder or an empty filter leaves the
exports as they were (byte for byte) and exits non-zero."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg_tiny import snapshot, write_plan


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.fixture()
def built(tmp_path: Path) -> Path:
    write_plan(tmp_path / "docs")
    assert run("build", str(tmp_path / "docs"), "--out", str(tmp_path / "out")).exit_code == 0
    return tmp_path


def test_a_mistyped_input_changes_nothing(built):
    out = built / "out"
    before = snapshot(out)
    result = run("build", str(built / "dcos"), "--out", str(out))
    assert result.exit_code == 1
    assert result.stderr == f"kg: build: {built / 'dcos'}: no such file or folder (check the path; nothing was changed)\n"
    assert snapshot(out) == before
    assert "安宁市质量技术监督局" in run("report", "burden", "--out", str(out)).stdout


def test_another_folder_keeps_the_first_folders_graphs(built):
    out = built / "out"
    write_plan(built / "more", "other.txt", city="宁安市")
    result = run("build", str(built / "more"), "--out", str(out))
    assert result.exit_code == 0 and "removed 0" in result.stderr and "kept 1" in result.stderr
    names = run("report", "burden", "--wide", "--out", str(out)).stdout
    assert "安宁市质量技术监督局" in names and "宁安市质量技术监督局" in names
    assert (out / "extractions" / "plan.txt.json").exists()
    result = run("build", str(built / "more"), "--out", str(out), "--prune")  # asked for: now it goes
    assert "removed 1" in result.stderr and not (out / "extractions" / "plan.txt.json").exists()


def test_a_document_gone_from_a_given_folder_is_removed(built):
    out = built / "out"
    write_plan(built / "docs", "second.txt", city="宁安市")
    assert run("build", str(built / "docs"), "--out", str(out)).exit_code == 0
    (built / "docs" / "second.txt").unlink()
    result = run("build", str(built / "docs"), "--out", str(out))
    assert "removed 1" in result.stderr
    assert "宁安市" not in run("report", "burden", "--wide", "--out", str(out)).stdout


def test_empty_filters_exit_non_zero_and_keep_the_files(built):
    out = built / "out"
    before = snapshot(out)
    result = run("render", "--domain", "nosuch", "--out", str(out))
    assert result.exit_code == 1 and result.stderr.startswith("kg: render: no policy domain 'nosuch'")
    result = run("render", "--document", "nosuch.txt", "--out", str(out))
    assert result.exit_code == 1 and result.stderr.startswith("kg: render: no document named 'nosuch.txt'")
    result = run("report", "burden", "--document", "nosuch.txt", "--out", str(out))
    assert result.exit_code == 1 and result.stderr.startswith("kg: report: no document named 'nosuch.txt'")
    assert snapshot(out) == before


def test_bad_reference_row_is_one_line_with_file_and_line(tmp_path):
    assert run("reference", "export", str(tmp_path / "ref")).exit_code == 0
    table = tmp_path / "ref" / "functions.csv"
    lines = table.read_text(encoding="utf-8").splitlines()
    table.write_text("\n".join(lines + ["broken,,x,x,x,agency"]) + "\n", encoding="utf-8")
    result = run("--reference", str(tmp_path / "ref"), "report", "burden")
    assert result.exit_code == 1
    assert result.stderr == (f"kg: reference: {table}:{len(lines) + 1}: empty value in column(s) label_zh\n")
