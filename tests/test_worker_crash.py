"""A worker process that dies (killed, out of memory) costs its own document only."""
from __future__ import annotations

import os
import signal
from pathlib import Path

from click.testing import CliRunner

from kg.cli import cli
from kg.extract.parallel import ordered_map


def _die_on_three(x: int) -> int:
    if x == 3:
        os.kill(os.getpid(), signal.SIGKILL)
    return x * 10


def test_the_item_that_kills_its_worker_is_reported_and_the_others_come_back_in_order() -> None:
    got = list(ordered_map(_die_on_three, range(8), jobs=2, window=2, on_crash=lambda x, e: -x))
    assert got == [0, 10, 20, -3, 40, 50, 60, 70]


PLAN = "某市人民政府办公室关于印发某市{}工作要点的通知\n一、主要任务\n(一)加强监管。(市质监局牵头,市发改委配合)\n"


def test_a_build_whose_worker_dies_on_one_document_builds_the_others(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("a", "b", "c"):
        (docs / f"{name}.txt").write_text(PLAN.format(name), encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(docs), "--out", str(tmp_path / "out"), "--jobs", "2",
                                      "--dumps", "nq"], env={"KG_FAULT_AT": "prepare:b.txt"})
    assert result.exit_code == 1
    assert ("b.txt: the worker process stopped while reading it (out of memory, or killed) "
            "(split the document, or build it alone with --jobs 1)") in result.stderr
    nq = (tmp_path / "out" / "kg.nq").read_text(encoding="utf-8")
    assert "/graph/doc/a>" in nq and "/graph/doc/c>" in nq and "/graph/doc/b>" not in nq
