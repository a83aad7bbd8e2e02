"""Operating-system errors outside the export folder: standard output and the file a command is
told to write (found by benchmarks/bench_robustness.py). Each is one ``kg:`` line naming where,
with a non-zero exit, never a traceback.

The real CLI runs in its own process so that its standard output really is full or closed.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PLAN = "关于印发实施方案的通知\n一、主要任务\n(一)加强质量监管。(市质监局牵头,市发改委配合)\n"


def kg_shell(redirect: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``python -m kg ARGS REDIRECT`` through the shell, so the redirection is a real one."""
    quoted = " ".join(f"'{a}'" for a in (sys.executable, "-m", "kg", *args))
    return subprocess.run(f"{quoted} {redirect}", shell=True, cwd=cwd, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])})


def one_kg_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: "), stderr
    return lines[0]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_standard_output_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "plan.txt").write_text(PLAN, encoding="utf-8")
    done = kg_shell("> /dev/full", "extract", "plan.txt", "--format", "csv", cwd=tmp_path)
    assert done.returncode == 1
    assert one_kg_line(done.stderr) == ("kg: extract: standard output: disk full "
                                        "(free some space, or send the output elsewhere)")


def test_a_closed_standard_output_is_an_error_not_silence(tmp_path: Path) -> None:
    (tmp_path / "plan.txt").write_text(PLAN, encoding="utf-8")
    done = kg_shell(">&-", "extract", "plan.txt", "--format", "csv", cwd=tmp_path)
    assert done.returncode == 1
    assert one_kg_line(done.stderr).startswith("kg: extract: standard output: closed (")


def test_a_file_in_the_way_of_the_output_folder_is_named(tmp_path: Path) -> None:
    (tmp_path / "plan.txt").write_text(PLAN, encoding="utf-8")
    done = kg_shell("", "schemes", "-o", "plan.txt/schemes.ttl", cwd=tmp_path)
    assert done.returncode == 1
    line = one_kg_line(done.stderr)
    assert line.startswith("kg: schemes: plan.txt: ") and "not a folder" in line, line
    assert (tmp_path / "plan.txt").read_text(encoding="utf-8") == PLAN


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a read-only tmpfs needs root")
def test_a_read_only_target_names_the_file_not_its_temporary(tmp_path: Path) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,ro", "tmpfs", str(ro)]).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        done = kg_shell("", "schemes", "-o", "ro/schemes.ttl", cwd=tmp_path)
    finally:
        subprocess.run(["umount", "-l", str(ro)])
    assert done.returncode == 1
    assert one_kg_line(done.stderr) == (f"kg: schemes: {ro}/schemes.ttl: read-only file system "
                                        "(write to a folder on a writable disk)")


def test_a_build_runs_with_standard_output_closed(tmp_path: Path) -> None:
    """A build's results are files: started with no standard output (cron, a daemon), it builds."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "plan.txt").write_text(PLAN, encoding="utf-8")
    done = kg_shell(">&-", "build", "docs", "--out", "out", "--jobs", "1", "--dumps", "nq", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert (tmp_path / "out" / "kg.nq").stat().st_size > 0
