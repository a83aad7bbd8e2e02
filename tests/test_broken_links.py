"""A file in an input folder that cannot be read (a link to nothing, a loop of links) fails as one
document with one line naming it; the other documents of the folder are built."""
from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from kg.cli import cli
from kg_tiny import write_plan


def test_broken_and_looping_links_cost_no_other_document(tmp_path: Path) -> None:
    docs, out = tmp_path / "docs", tmp_path / "out"
    write_plan(docs, "plan.txt")
    (docs / "gone.txt").symlink_to(docs / "nothing.txt")
    (docs / "a.txt").symlink_to(docs / "b.txt")
    (docs / "b.txt").symlink_to(docs / "a.txt")
    result = CliRunner().invoke(cli, ["build", str(docs), "--out", str(out)])
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith("kg: ")]
    assert sorted(re.sub(r"^kg: .*/", "", line).split(":")[0] for line in lines) == ["a.txt", "b.txt", "gone.txt"]
    assert "link to nothing" in next(line for line in lines if "gone.txt" in line)
    assert "Traceback" not in result.output + result.stderr
    nq = (out / "kg.nq").read_text(encoding="utf-8")
    assert "市质量技术监督局" in nq or "质监" in nq  # the good plan is in the graph
    assert "built 1," in result.stderr
