"""The workbook and the graph page are written in a forked process beside the analytics: the work
really runs in another process, and a failure there surfaces here as the error itself."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from kg.present.files import _beside


def _write_pid(path: Path) -> None:
    path.write_text(str(os.getpid()), encoding="utf-8")


def _fail(path: Path) -> None:
    raise ValueError(f"{path}: cannot be written")


@pytest.mark.skipif(not hasattr(os, "fork") or len(os.sched_getaffinity(0)) < 2, reason="runs inline here")
def test_the_work_runs_in_another_process_and_is_done_when_waited_for(tmp_path: Path) -> None:
    target = tmp_path / "pid.txt"
    wait = _beside(_write_pid, target)
    wait()
    assert target.read_text(encoding="utf-8") != str(os.getpid())


def test_a_failure_beside_is_raised_here_as_itself(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="cannot be written"):
        _beside(_fail, tmp_path / "x")()


def test_a_large_corpus_is_written_here_one_writer_after_another(tmp_path: Path) -> None:
    from kg.present.files import FORK_ROWS

    target = tmp_path / "pid.txt"
    wait = _beside(_write_pid, target, rows=FORK_ROWS + 1)
    assert target.read_text(encoding="utf-8") == str(os.getpid())  # done already, in this process
    wait()
