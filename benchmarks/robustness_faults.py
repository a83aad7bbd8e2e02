"""Faults, concurrency and memory cases of ``bench_robustness.py``.

Kills at the named fault points and at random, a second build and readers during a build, and
large inputs with their peak RSS.
"""
from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Callable

from robustness_kit import (Check, Res, Tally, build, clean_stderr, error_names, exit_is, first_failure,
                            kg_exe, no_tmp, nq_valid, plan_text, run, same_snapshot, snapshot, write_plan)

K_FAULT, K_MEM = "4 faults & concurrency", "7 memory"


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


# --------------------------------------------------------------------------- memory


def _big(make: Callable[[Path], None], limit_mb: float, docs_expected: int) -> Callable[[Path, Tally], Check]:
    def go(work: Path, tally: Tally) -> Check:
        make(work / "docs")
        res = build(tally, work, ["docs"], timeout=1500)
        return first_failure([lambda: exit_is(res, 0), lambda: clean_stderr(res),
                              lambda: None if res.peak_mb <= limit_mb else f"peak {res.peak_mb:.0f} MB > {limit_mb:.0f} MB",
                              lambda: nq_valid(work / "out", docs_expected)])
    return go


def _refused_big(make: Callable[[Path], None], limit_mb: float) -> Callable[[Path, Tally], Check]:
    """A document far beyond the limits beside an ordinary one: the big one is refused in one line
    naming it (exit 1), quickly and within ``limit_mb``, and the ordinary one is built."""
    def go(work: Path, tally: Tally) -> Check:
        make(work / "docs")
        write_plan(work / "docs" / "small.txt", title="第1号要点")
        res = build(tally, work, ["docs"], timeout=1500)
        return first_failure([lambda: exit_is(res, 1), lambda: error_names(res, "big.txt"),
                              lambda: None if res.peak_mb <= limit_mb else f"peak {res.peak_mb:.0f} MB > {limit_mb:.0f} MB",
                              lambda: nq_valid(work / "out", 1)])
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
        _case(K_MEM, "50 MB text file beside a plan", "kg build docs",
              "exit 1, one line naming big.txt (over KG_MAX_TEXT_CHARS); the plan built; peak RSS < 800 MB",
              _refused_big(_text_mb(50, False), 800), 1600),
        _case(K_MEM, "8 MB text on one line beside a plan", "kg build docs",
              "exit 1, one line naming big.txt (over KG_MAX_ASSIGNMENTS); the plan built; peak RSS < 800 MB",
              _refused_big(_text_mb(8, True), 800), 1600),
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
