"""Operating-system error cases of ``bench_robustness.py``: where kg writes cannot be written.

A read-only, unwritable or full export folder (a real read-only bind mount and a small tmpfs when
the harness may mount, else the case says SKIPPED), a render target behind a file or on a
read-only file system, a full, closed or vanished standard output, an unreadable input.
"""
from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Callable

from robustness_faults import _case
from robustness_kit import (Check, Tally, build, clean_stderr, error_names, exit_is, first_failure, kg_exe,
                            no_tmp, nq_valid, run, same_snapshot, snapshot, write_plan)

K_OS = "5 OS errors"
SETPRIV = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--inh-caps=-all"]


def _mount(args: list[str]) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


def _umount(path: Path) -> None:
    subprocess.run(["umount", "-l", str(path)], capture_output=True)


def _ro_out(work: Path, tally: Tally) -> Check:
    write_plan(work / "docs" / "a.txt")
    first = build(tally, work, ["docs"])
    out = work / "out"
    before = snapshot(out)
    if not (_mount(["--bind", str(out), str(out)]) and _mount(["-o", "remount,ro,bind", str(out)])):
        return "SKIPPED: cannot mount here (no read-only bind mount)"
    try:
        write_plan(work / "docs" / "a.txt", title="改")
        res = build(tally, work, ["docs"])
    finally:
        _umount(out)
    return first_failure([lambda: exit_is(first, 0), lambda: clean_stderr(res),
                          lambda: None if res.rc not in (0, None) else f"exit {res.rc}",
                          lambda: error_names(res, "out"), lambda: same_snapshot(before, out)])


def _unwritable_out(work: Path, tally: Tally) -> Check:
    write_plan(work / "docs" / "a.txt")
    first = build(tally, work, ["docs"])
    out = work / "out"
    before = snapshot(out)
    for p in [out, *out.rglob("*")]:
        if p.is_dir():
            p.chmod(0o555)
    write_plan(work / "docs" / "a.txt", title="改")
    res = build(tally, work, ["docs"], wrap=SETPRIV)
    for p in [out, *out.rglob("*")]:
        if p.is_dir():
            p.chmod(0o755)
    return first_failure([lambda: exit_is(first, 0), lambda: clean_stderr(res),
                          lambda: None if res.rc not in (0, None) else f"exit {res.rc}",
                          lambda: error_names(res, "out"), lambda: same_snapshot(before, out)])


def _full_disk(fill: bool) -> Callable[[Path, Tally], Check]:
    """A 24 MB tmpfs as the export folder: a first build into it, then the disk filled, then a rebuild."""
    def go(work: Path, tally: Tally) -> Check:
        out = work / "out"
        out.mkdir()
        size = "24m" if fill else "600k"
        if not _mount(["-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(out)]):
            return "SKIPPED: cannot mount a tmpfs here"
        try:
            write_plan(work / "docs" / "a.txt")
            first = build(tally, work, ["docs"])
            if not fill:
                return first_failure([lambda: clean_stderr(first),
                                      lambda: None if first.rc not in (0, None) else "exit 0 on a full disk",
                                      lambda: error_names(first, "out"), lambda: no_tmp(out)])
            before = snapshot(out)
            subprocess.run(["dd", "if=/dev/zero", f"of={out}/filler", "bs=64k"], capture_output=True)
            before["filler"] = snapshot(out)["filler"]
            write_plan(work / "docs" / "a.txt", title="改" * 4000)
            res = build(tally, work, ["docs"])
            return first_failure([lambda: exit_is(first, 0), lambda: clean_stderr(res),
                                  lambda: None if res.rc not in (0, None) else "exit 0 on a full disk",
                                  lambda: error_names(res, "out"), lambda: same_snapshot(before, out)])
        finally:
            _umount(out)
    return go


def _shell(cmd: str, expect_clean: bool = True) -> Callable[[Path, Tally], Check]:
    def go(work: Path, tally: Tally) -> Check:
        write_plan(work / "docs" / "a.txt")
        kg = " ".join(kg_exe())
        res = tally.add(run([cmd.replace("KG", kg)], work, 120, kg=False, shell=True))
        return clean_stderr(res)
    return go


def _build_stdout_closed(work: Path, tally: Tally) -> Check:
    """A build (results are files) started with standard output closed, as cron may."""
    write_plan(work / "docs" / "a.txt")
    kg = " ".join(kg_exe())
    res = tally.add(run([f"{kg} build docs --out out --jobs 1 --dumps nq >&-"], work, 300, kg=False, shell=True))
    return first_failure([lambda: clean_stderr(res), lambda: exit_is(res, 0), lambda: nq_valid(work / "out", 1)])


def _out_is_file(work: Path, tally: Tally) -> Check:
    write_plan(work / "docs" / "a.txt")
    (work / "out").write_text("not a folder")
    res = build(tally, work, ["docs"])
    return first_failure([lambda: clean_stderr(res), lambda: exit_is(res, 1, 2), lambda: error_names(res, "out")])


def _render_into(target: str, mount_ro: bool) -> Callable[[Path, Tally], Check]:
    """``kg render -o TARGET`` where the target cannot be written (a file as its folder, a
    read-only file system): one line naming it, exit 1."""
    def go(work: Path, tally: Tally) -> Check:
        write_plan(work / "docs" / "a.txt")
        first = build(tally, work, ["docs"])
        if mount_ro:
            (work / "ro").mkdir()
            if not _mount(["-t", "tmpfs", "-o", "size=1m,ro", "tmpfs", str(work / "ro")]):
                return "SKIPPED: cannot mount a tmpfs here"
        try:
            res = tally.add(run(["render", "--out", "out", "-o", target], work, 120))
        finally:
            if mount_ro:
                _umount(work / "ro")
        return first_failure([lambda: exit_is(first, 0), lambda: clean_stderr(res), lambda: exit_is(res, 1, 2),
                              lambda: error_names(res, target.rsplit("/", 1)[0])])
    return go


def _stdout_fails(cmd: str) -> Callable[[Path, Tally], Check]:
    """A query command whose standard output cannot be written (``> /dev/full``, closed)."""
    def go(work: Path, tally: Tally) -> Check:
        write_plan(work / "docs" / "a.txt")
        first = build(tally, work, ["docs"])
        res = tally.add(run([cmd.replace("KG", " ".join(kg_exe()))], work, 120, kg=False, shell=True))
        return first_failure([lambda: exit_is(first, 0), lambda: clean_stderr(res),
                              lambda: None if res.rc not in (0, None) else "exit 0 though nothing was written",
                              lambda: None if len(res.err.strip().splitlines()) == 1 else
                              f"not one line: {res.err.strip()[:100]!r}"])
    return go


def _unreadable_input(work: Path, tally: Tally) -> Check:
    write_plan(work / "docs" / "a.txt")
    secret = write_plan(work / "docs" / "secret.txt")
    secret.chmod(0)
    res = build(tally, work, ["docs"], wrap=SETPRIV)
    return first_failure([lambda: clean_stderr(res), lambda: exit_is(res, 1),
                          lambda: error_names(res, "secret.txt"), lambda: nq_valid(work / "out", 1)])


def _unreadable_other(work: Path, tally: Tally) -> Check:
    """An unreadable file that is no document (``notes.bak``) beside a plan: it is not an input."""
    write_plan(work / "docs" / "a.txt")
    (work / "docs" / "notes.bak").write_text("x")
    (work / "docs" / "notes.bak").chmod(0)
    res = build(tally, work, ["docs"], wrap=SETPRIV)
    return first_failure([lambda: clean_stderr(res), lambda: exit_is(res, 0),
                          lambda: nq_valid(work / "out", 1)])


def os_cases() -> list:  # type: ignore[type-arg]
    one = "exit non-zero; one kg: line naming the path; previous exports byte-identical"
    return [
        _case(K_OS, "read-only export folder (ro bind mount)", "kg build docs (out mounted ro)", one, _ro_out),
        _case(K_OS, "export folder without write permission", "setpriv … kg build docs", one, _unwritable_out),
        _case(K_OS, "disk full during a rebuild (24 MB tmpfs)", "kg build docs (out on a full tmpfs)", one,
              _full_disk(True)),
        _case(K_OS, "disk full on a first build (600 KB tmpfs)", "kg build docs (out on a 600 KB tmpfs)",
              "exit non-zero; one kg: line naming the path; no *.tmp", _full_disk(False)),
        _case(K_OS, "stdout closed early (broken pipe)", "kg extract docs --format csv | head -c 10",
              "no traceback", _shell("KG extract docs --format csv | head -c 10")),
        _case(K_OS, "build with stdout closed (cron)", "kg build docs >&-",
              "exit 0; built; no traceback", _build_stdout_closed),
        _case(K_OS, "--out is a regular file", "kg build docs --out FILE", "one kg: line naming it",
              _out_is_file),
        _case(K_OS, "render into a path whose folder is a file", "kg render -o docs/a.txt/g.html",
              "exit 1; one kg: line naming it", _render_into("docs/a.txt/g.html", False)),
        _case(K_OS, "render onto a read-only file system", "kg render -o ro/g.html (ro tmpfs)",
              "exit 1; one kg: line naming it", _render_into("ro/g.html", True)),
        _case(K_OS, "report to a full stdout", "kg report burden --out out > /dev/full",
              "exit non-zero; one line, no traceback", _stdout_fails("KG report burden --out out > /dev/full")),
        _case(K_OS, "sparql to a full stdout", "kg sparql documents --out out > /dev/full",
              "exit non-zero; one line, no traceback", _stdout_fails("KG sparql documents --out out > /dev/full")),
        _case(K_OS, "extract to a full stdout", "kg extract docs --format csv > /dev/full",
              "exit non-zero; one line, no traceback", _stdout_fails("KG extract docs --format csv > /dev/full")),
        _case(K_OS, "report with stdout closed", "kg report gaps --out out >&-",
              "exit non-zero; one line, no traceback", _stdout_fails("KG report gaps --out out >&-")),
        _case(K_OS, "unreadable notes.bak beside a plan", "setpriv … kg build docs",
              "exit 0; the plan built (a .bak is no input)", _unreadable_other),
        _case(K_OS, "input file without read permission", "setpriv … kg build docs",
              "exit 1; one kg: line naming it; the other built", _unreadable_input),
    ]
