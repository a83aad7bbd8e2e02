"""Dumps whose cost follows the change: a rebuild copies the unchanged graphs' bytes out of the old
dumps and writes only what changed, and what it writes is byte for byte what ``kg dump`` writes
from the same store into an empty folder. Anything doubtful (a dump edited or cut short, a lost
index, a write killed half-way) means a whole write, still right."""
from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg_tiny import write_plan
from kg.cli import cli
from kg.graph.dump_index import index_path, last_write

DUMPS = ("kg.nq", "kg.trig", "kg.ttl", "kg.jsonld")
TASK = "（十一）加强统筹。（市发展改革委牵头，市财政局配合）\n"


def build(docs: Path, out: Path) -> None:
    result = CliRunner().invoke(cli, ["build", str(docs), "--out", str(out), "--jobs", "1"])
    assert result.exit_code == 0, result.output


def assert_fresh(out: Path, tmp_path: Path, name: str) -> None:
    """Every dump in ``out`` equals what ``kg dump`` writes from a copy of the store alone."""
    fresh = tmp_path / f"fresh-{name}"
    shutil.copytree(out / "store", fresh / "store")
    assert CliRunner().invoke(cli, ["dump", "--out", str(fresh)]).exit_code == 0
    for dump in DUMPS:
        assert (out / dump).read_bytes() == (fresh / dump).read_bytes(), (name, dump)


def copied(out: Path) -> dict[str, int]:
    """Bytes each dump's last write copied from the dump before it."""
    return {dump: last_write(out, dump).get("copied", -1) for dump in DUMPS}


def first_jsonld_graph(out: Path) -> str:
    return (out / "kg.jsonld").read_text(encoding="utf-8").split("\n")[1].split('"')[3]


def two_plans(tmp_path: Path) -> tuple[Path, Path]:
    docs, out = tmp_path / "docs", tmp_path / "out"
    write_plan(docs, "a.txt", "安宁市")
    write_plan(docs, "b.txt", "丁香市")  # its agencies' graphs come first in every dump
    build(docs, out)
    assert copied(out) == dict.fromkeys(DUMPS, 0)  # nothing to copy from: written whole
    return docs, out


def test_changed_added_and_removed_documents_are_spliced_into_what_a_fresh_dump_writes(tmp_path):
    docs, out = two_plans(tmp_path)
    sizes = {dump: (out / dump).stat().st_size for dump in DUMPS}
    with (docs / "a.txt").open("a", encoding="utf-8") as handle:
        handle.write(TASK)  # a task with a lead and a supporter: document a's graph grows
    build(docs, out)
    assert all(copied(out)[dump] > sizes[dump] // 10 for dump in DUMPS), copied(out)  # kg.ttl: a new tail
    assert "市财政局" in (out / "kg.nq").read_text(encoding="utf-8")  # the new task is in, not the old graph
    assert_fresh(out, tmp_path, "changed")

    write_plan(docs, "c.txt", "长乐市")
    build(docs, out)
    assert all(copied(out)[dump] > 0 for dump in DUMPS) and "长乐市" in (out / "kg.trig").read_text(encoding="utf-8")
    assert_fresh(out, tmp_path, "added")

    first = first_jsonld_graph(out)
    (docs / "b.txt").unlink()  # its graphs go, the first in kg.jsonld among them: the next one loses its comma
    build(docs, out)
    assert first_jsonld_graph(out) != first and "丁香市" not in (out / "kg.nq").read_text(encoding="utf-8")
    assert all(copied(out)[dump] > 0 for dump in DUMPS), copied(out)
    assert_fresh(out, tmp_path, "removed")


def test_an_edited_or_cut_dump_or_a_lost_index_is_written_whole_and_right(tmp_path):
    docs, out = two_plans(tmp_path)
    nq = out / "kg.nq"
    stat = nq.stat()
    with nq.open("r+b") as handle:  # the same size, and the times set back: only the change time tells
        handle.seek(stat.st_size // 2)
        handle.write(b"#")
    os.utime(nq, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    with (out / "kg.ttl").open("r+b") as handle:
        handle.truncate((out / "kg.ttl").stat().st_size // 2)
    index_path(out, "kg.trig").unlink()
    with (docs / "a.txt").open("a", encoding="utf-8") as handle:
        handle.write(TASK)
    build(docs, out)
    done = copied(out)
    assert done["kg.nq"] == done["kg.ttl"] == done["kg.trig"] == 0 < done["kg.jsonld"], done  # jsonld untouched
    assert_fresh(out, tmp_path, "doubtful")


def test_a_build_killed_after_writing_the_dumps_but_before_renaming_them_leaves_the_old_ones(tmp_path):
    docs, out = two_plans(tmp_path)
    before = {dump: (out / dump).read_bytes() for dump in DUMPS}
    with (docs / "a.txt").open("a", encoding="utf-8") as handle:
        handle.write(TASK)
    killed = subprocess.run([sys.executable, "-m", "kg", "build", str(docs), "--out", str(out), "--jobs", "1"],
                            capture_output=True, env=dict(os.environ, KG_FAULT_AT="dumps-written"))
    assert killed.returncode == -signal.SIGKILL, killed.stderr  # killed with every new dump written in full
    assert len(list(out.glob(".kg.*.tmp"))) == len(DUMPS)
    assert {dump: (out / dump).read_bytes() for dump in DUMPS} == before
    assert not list((out / ".kg-cache" / "splice").glob("*.idx"))  # gone before the write began
    build(docs, out)
    assert copied(out) == dict.fromkeys(DUMPS, 0) and not list(out.glob(".kg.*.tmp"))
    assert_fresh(out, tmp_path, "after-kill")


def test_ranges_are_copied_by_reading_and_writing_where_the_kernel_cannot(tmp_path, monkeypatch):
    from kg.graph.splice import SpliceError, copy_range

    source, target = tmp_path / "old", tmp_path / "new"
    source.write_bytes(bytes(range(256)) * 8192)  # 2 MB: more than one read

    def refuse(*args: object) -> int:
        raise OSError(errno.EXDEV, "cross-device")

    monkeypatch.setattr(os, "copy_file_range", refuse, raising=False)
    with source.open("rb") as old, target.open("wb") as new:
        copy_range(old.fileno(), new.fileno(), 3, 1_500_000)
        copy_range(old.fileno(), new.fileno(), 0, 2)
        with pytest.raises(SpliceError):
            copy_range(old.fileno(), new.fileno(), 2 * 1024 * 1024 - 1, 2)  # one byte short
    data = source.read_bytes()
    assert target.read_bytes() == data[3:1_500_003] + data[:2] + data[-1:]


def test_dumps_written_by_different_builds_are_each_spliced_from_their_own_layout(tmp_path):
    docs, out = two_plans(tmp_path)
    with (docs / "a.txt").open("a", encoding="utf-8") as handle:
        handle.write(TASK)
    result = CliRunner().invoke(cli, ["build", str(docs), "--out", str(out), "--jobs", "1", "--dumps", "nq"])
    assert result.exit_code == 0, result.output
    first = copied(out)
    assert first["kg.nq"] > 0 and first["kg.ttl"] == 0  # only kg.nq written, from the first build's kg.nq
    with (docs / "b.txt").open("a", encoding="utf-8") as handle:
        handle.write(TASK.replace("十一", "十二"))
    build(docs, out)  # kg.nq after the second build's layout, the others after the first's
    assert all(n > 0 for n in copied(out).values()), copied(out)
    assert_fresh(out, tmp_path, "mixed")
