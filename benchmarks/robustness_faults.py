"""Faults, concurrency, operating-system errors and memory cases of ``bench_robustness.py``.

Kills at the named fault points and at random, a second build and readers during a build, a
read-only, unwritable or full export folder (a real read-only bind mount and a small tmpfs when
the harness may mount, else the case says so), a closed pipe, and large inputs with peak RSS.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path
from typing import Callable

from robustness_kit import (Check, Res, Tally, build, clean_stderr, error_names, exit_is, first_failure,
                            kg_exe, no_tmp, nq_valid, plan_text, run, same_snapshot, snapshot, write_plan)

K_FAULT, K_OS, K_MEM = "4 faults & concurrency", "5 OS errors", "7 memory"
SETPRIV = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--inh-caps=-all"]


def _case(kind: str, name: str, command: str, expect: str, go: Callable[[Path, Tally], Check],
          timeout: float = 300):  # type: ignore[no-untyped-def]
    from robustness_inputs import Case
    return Case(kind, name, command, expect, go, timeout)


def _corpus(docs: Path, n: int, version: str = "") -> None:
    for i in range(n):
        write_plan(docs / f"p{i:02d}.txt", title=f"质量工作要点{i}{version}",
                   extra="".join(f"({k + 3})开展第{k}项检查。(市商务局牵头,市发改委配合)\n" for k in range(40)))


def _spawn(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    return subprocess.Popen([*kg_exe(), *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True, env={**os.environ, **(env or {})})


def _finish(p: subprocess.Popen[bytes], t0: float, timeout: float = 300) -> Res:
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, err = p.communicate()
        return Res(None, "", err.decode("utf-8", "replace"), time.perf_counter() - t0)
    return Res(p.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"),
               time.perf_counter() - t0)


BUILD = ["build", "docs", "--out", "out", "--jobs", "1", "--dumps", "nq"]


def _second_build(work: Path, tally: Tally) -> Check:
    _corpus(work / "docs", 6)
    t0 = time.perf_counter()
    a = _spawn(BUILD, work)
    time.sleep(2.0)
    b = tally.add(run(BUILD, work, 400))
    ra = _finish(a, t0)
    tally.secs = max(tally.secs, ra.secs)
    ok_b = (b.rc == 0 or (b.rc is not None and len([x for x in b.err.splitlines() if x.startswith("kg: ")]) == 1))
    return first_failure([lambda: exit_is(ra, 0), lambda: clean_stderr(ra), lambda: clean_stderr(b),
                          lambda: None if ok_b else f"second build: exit {b.rc}: {b.err.strip()[-120:]}",
                          lambda: nq_valid(work / "out", 6), lambda: no_tmp(work / "out")])


def _killed(env: dict[str, str], delay: float | None) -> Callable[[Path, Tally], Check]:
    """Build v1, change every plan, kill the rebuild (fault point or after ``delay`` s), build again."""
    def go(work: Path, tally: Tally) -> Check:
        _corpus(work / "docs", 4)
        first = build(tally, work, ["docs"])
        before = snapshot(work / "out")
        _corpus(work / "docs", 4, version="改")
        t0 = time.perf_counter()
        p = _spawn(BUILD, work, env)
        if delay is not None:
            time.sleep(delay)
            os.killpg(p.pid, signal.SIGKILL)
        killed = _finish(p, t0)
        tally.secs += killed.secs
        intact = same_snapshot(before, work / "out")
        again = build(tally, work, ["docs"])
        nq = (work / "out" / "kg.nq").read_text(encoding="utf-8") if (work / "out/kg.nq").exists() else ""
        return first_failure([lambda: exit_is(first, 0),
                              lambda: None if killed.rc != 0 else "the build was not killed (finished first)",
                              lambda: intact, lambda: exit_is(again, 0), lambda: clean_stderr(again),
                              lambda: no_tmp(work / "out"), lambda: nq_valid(work / "out", 4),
                              lambda: None if all(f"质量工作要点{i}改" in nq and f"质量工作要点{i}的" not in nq
                                                  for i in range(4))
                              else "a stale extraction survived the rebuild"])
    return go


def _readers(command: list[str]) -> Callable[[Path, Tally], Check]:
    """Readers run again and again while a rebuild replaces every graph: each answers in full."""
    def go(work: Path, tally: Tally) -> Check:
        _corpus(work / "docs", 5)
        first = build(tally, work, ["docs"])
        _corpus(work / "docs", 5, version="改")
        t0 = time.perf_counter()
        p = _spawn(BUILD, work)
        bad, reads = [], 0
        while p.poll() is None and reads < 12:
            r = tally.add(run([*command, "--out", "out"], work, 120))
            reads += 1
            if r.rc != 0 or "Traceback" in r.err:
                bad.append(f"exit {r.rc}: {r.err.strip()[-100:]}")
            elif command[1] == "documents" and r.out.count("p0") < 5:
                bad.append(f"saw {r.out.count('p0')} of 5 documents")
        rebuilt = _finish(p, t0)
        return first_failure([lambda: exit_is(first, 0), lambda: exit_is(rebuilt, 0),
                              lambda: f"{len(bad)} of {reads} reads failed: {bad[0]}" if bad else None,
                              lambda: None if reads else "no read overlapped the build"])
    return go


def fault_cases() -> list:  # type: ignore[type-arg]
    cases = [_case(K_FAULT, "second kg build while one runs", "kg build & kg build",
                   "the second waits or says so in one kg: line; no traceback; result whole", _second_build, 600)]
    for point in ("extraction-written", "document-stored", "before-rename", "before-rename#2", "before-dumps"):
        cases.append(_case(K_FAULT, f"SIGKILL at fault point {point}", f"KG_FAULT_AT={point} kg build; kg build",
                           "previous exports byte-identical; next build complete, no *.tmp, no stale data",
                           _killed({"KG_FAULT_AT": point}, None), 600))
    cases.append(_case(K_FAULT, "kill -9 of a build after 4 s", "kg build & kill -9; kg build",
                       "previous exports byte-identical; next build complete, no *.tmp",
                       _killed({}, 4.0), 600))
    cases.append(_case(K_FAULT, "kg sparql documents during a rebuild", "kg build & kg sparql documents (loop)",
                       "every read exits 0 with all 5 documents", _readers(["sparql", "documents", "--format", "csv"]),
                       600))
    cases.append(_case(K_FAULT, "kg report burden during a rebuild", "kg build & kg report burden (loop)",
                       "every read exits 0", _readers(["report", "burden", "--format", "csv"]), 600))
    return cases


# --------------------------------------------------------------------------- OS errors


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
        _case(K_OS, "input file without read permission", "setpriv … kg build docs",
              "exit 1; one kg: line naming it; the other built", _unreadable_input),
    ]


# --------------------------------------------------------------------------- memory


def _big(make: Callable[[Path], None], limit_mb: float, docs_expected: int) -> Callable[[Path, Tally], Check]:
    def go(work: Path, tally: Tally) -> Check:
        make(work / "docs")
        res = build(tally, work, ["docs"], timeout=1500)
        return first_failure([lambda: exit_is(res, 0), lambda: clean_stderr(res),
                              lambda: None if res.peak_mb <= limit_mb else f"peak {res.peak_mb:.0f} MB > {limit_mb:.0f} MB",
                              lambda: nq_valid(work / "out", docs_expected)])
    return go


def _text_mb(mb: int, one_line: bool) -> Callable[[Path], None]:
    def make(docs: Path) -> None:
        docs.mkdir(parents=True)
        body = "(二十)持续推进质量提升。(市商务局牵头,市发改委配合)" + ("" if one_line else "\n")
        head = plan_text()
        reps = (mb << 20) // len(body.encode())
        (docs / "big.txt").write_text(head + body * reps, encoding="utf-8")
    return make


def _many(n: int) -> Callable[[Path], None]:
    def make(docs: Path) -> None:
        for i in range(n):
            write_plan(docs / f"m{i:04d}.txt", title=f"第{i}号要点")
    return make


def _deep_html(docs: Path) -> None:
    docs.mkdir(parents=True)
    body = "<div>" * 20000 + plan_text().replace("\n", "<br>") + "</div>" * 20000
    (docs / "deep.html").write_text(f"<html><body>{body}</body></html>", encoding="utf-8")


def memory_cases() -> list:  # type: ignore[type-arg]
    return [
        _case(K_MEM, "50 MB text file", "kg build docs", "exit 0; peak RSS < 1500 MB", _big(_text_mb(50, False), 1500, 1),
              1600),
        _case(K_MEM, "8 MB text on one line", "kg build docs", "exit 0; peak RSS < 800 MB",
              _big(_text_mb(8, True), 800, 1), 1600),
        _case(K_MEM, "HTML nested 20,000 deep", "kg build docs", "exit 0 or one-line refusal; peak < 800 MB",
              _deep_html_go, 600),
        _case(K_MEM, "300 small documents", "kg build docs", "exit 0; peak RSS < 800 MB", _big(_many(300), 800, 300),
              1600),
    ]


def _deep_html_go(work: Path, tally: Tally) -> Check:
    _deep_html(work / "docs")
    res = build(tally, work, ["docs"], timeout=500)
    return first_failure([lambda: clean_stderr(res), lambda: exit_is(res, 0, 1),
                          lambda: None if res.rc == 0 else error_names(res, "deep.html"),
                          lambda: None if res.peak_mb <= 800 else f"peak {res.peak_mb:.0f} MB > 800 MB"])
