"""A reader that cannot open the store (a build replacing its files for longer than the retries
last) answers from the last committed dump instead of failing, through the fast SELECT path too."""
from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

from click.testing import CliRunner

from kg.cli import cli

PLAN = "一、主要任务\n(一)加强质量抽查。(市质监局牵头,市公安局配合)\n(二)推进标准化。(责任单位:市科技局)\n"


def test_bundled_select_answers_from_the_dump_when_the_store_cannot_be_opened(tmp_path: Path) -> None:
    docs, out = tmp_path / "docs", tmp_path / "out"
    docs.mkdir()
    for name in ("a.txt", "b.txt"):
        (docs / name).write_text(PLAN, encoding="utf-8")
    built = CliRunner().invoke(cli, ["build", str(docs), "--out", str(out), "--jobs", "1", "--dumps", "nq"])
    assert built.exit_code == 0, built.output
    shutil.rmtree(out / "store")
    (out / "store").mkdir()
    (out / "store" / "CURRENT").write_text("MANIFEST-000099\n")  # names a MANIFEST that is not there
    result = CliRunner().invoke(cli, ["sparql", "documents", "--format", "csv", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(r["document"] for r in csv.DictReader(io.StringIO(result.stdout))) == ["a.txt", "b.txt"]
