"""A document whose text is longer than KG_MAX_TEXT_CHARS is refused when read, before it is
extracted: one line naming it, exit 1, and the other documents are built as usual."""
from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from kg.cli import cli

PLAN = "一、主要任务\n(一)加强质量抽查。(市质监局牵头,市公安局配合)\n"


def test_a_text_over_the_limit_is_refused_and_the_others_built(tmp_path: Path) -> None:
    docs, out = tmp_path / "docs", tmp_path / "out"
    docs.mkdir()
    (docs / "plan.txt").write_text(PLAN, encoding="utf-8")  # 33 characters
    (docs / "long.txt").write_text(PLAN * 40, encoding="utf-8")  # 1,320 characters
    result = CliRunner().invoke(cli, ["build", str(docs), "--out", str(out), "--jobs", "1"],
                                env={"KG_MAX_TEXT_CHARS": "1000"})
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("kg:")]
    assert len(errors) == 1 and "long.txt" in errors[0]
    assert "1,320 characters of text, more than 1,000" in errors[0] and "KG_MAX_TEXT_CHARS" in errors[0]
    assert "Traceback" not in result.output
    assert sorted(p.name for p in (out / "extractions").iterdir()) == ["plan.txt.json"]
    assert "1 documents, 2 tasks, 2 assignments, 1 errors" in result.stderr  # 一、 and (一) are tasks


def test_extract_refuses_it_too_and_the_limit_can_be_raised(tmp_path: Path) -> None:
    long = tmp_path / "long.txt"
    long.write_text(PLAN * 40, encoding="utf-8")
    refused = CliRunner().invoke(cli, ["extract", str(long), "--format", "csv"], env={"KG_MAX_TEXT_CHARS": "1_000"})
    assert refused.exit_code == 1 and "more than 1,000" in refused.stderr
    raised = CliRunner().invoke(cli, ["extract", str(long), "--format", "csv"], env={"KG_MAX_TEXT_CHARS": "1320"})
    assert raised.exit_code == 0 and raised.stdout.count("市质监局") == 40


def test_a_limit_that_is_not_a_count_is_one_line(tmp_path: Path) -> None:
    plan = tmp_path / "plan.txt"
    plan.write_text(PLAN, encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(plan)], env={"KG_MAX_TEXT_CHARS": "lots"})
    assert result.exit_code != 0
    assert "KG_MAX_TEXT_CHARS: not a positive whole number: 'lots'" in result.stderr
    assert "Traceback" not in result.output
