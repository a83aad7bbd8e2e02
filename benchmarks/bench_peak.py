"""Peak memory of a whole ``kg build``, all its processes together, phase by phase (issue 11:
10,000 documents under 2 GB).

    python benchmarks/bench_peak.py CORPUS --out DIR [--results benchmarks/results/peak.md] [-- BUILD OPTIONS]

The build runs as a child (``kg build CORPUS --out DIR``); every 2 s the proportional set size
(PSS: shared pages counted once, split between the processes that share them) of the child and
of all its descendants (extraction workers, forked writers) is summed. The phases are placed on
that timeline from the durations the build prints at its end (extract + store, dumps, analytics,
pages). Wall and CPU seconds (the child and its descendants) and the load average are reported
beside the peaks. Needs psutil (in the test extras).
"""
from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

PHASES = re.compile(r"([a-z +]+?) ([0-9.]+) s")


def sample(pid: int, every: float = 2.0) -> list[tuple[float, int, int]]:
    """(seconds since start, PSS of all the processes, of the largest) until ``pid`` ends."""
    root, start, found = psutil.Process(pid), time.monotonic(), []
    while root.is_running() and root.status() != psutil.STATUS_ZOMBIE:
        sizes = []
        for process in [root, *root.children(recursive=True)]:
            try:
                sizes.append(process.memory_full_info().pss)
            except psutil.Error:
                pass
        found.append((time.monotonic() - start, sum(sizes), max(sizes, default=0)))
        time.sleep(every)
    return found


def phases(stderr: str) -> list[tuple[str, float]]:
    """The build's summary line as (phase, seconds), in order; the total left out."""
    lines = [line for line in stderr.splitlines() if "extract + store" in line]
    return [(name.strip(" ·"), float(s)) for name, s in PHASES.findall(lines[-1]) if "total" not in name] if lines else []


def report(corpus: Path, timeline: list[tuple[float, int, int]], spans: list[tuple[str, float]],
           wall: float, cpu: float, load: tuple[float, float], code: int) -> str:
    gb = 2**30
    rows, begin = [], 0.0
    for name, seconds in spans:
        inside = [t for t in timeline if begin <= t[0] < begin + seconds + 2] or [(0.0, 0, 0)]
        rows.append(f"| {name} | {seconds:.1f} s | {max(t[1] for t in inside) / gb:.2f} GB | {max(t[2] for t in inside) / gb:.2f} GB |")
        begin += seconds
    whole = max((t[1] for t in timeline), default=0) / gb
    largest = max((t[2] for t in timeline), default=0) / gb
    return "\n".join([
        f"`kg build {corpus}` (exit {code}), {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load average "
        f"{load[0]:.1f} → {load[1]:.1f}: wall {wall:.0f} s, CPU {cpu:.0f} s (all processes), peak PSS **{whole:.2f} GB** "
        f"all processes, {largest:.2f} GB the largest one.", "",
        "| phase | wall | peak PSS, all processes | the largest process |", "|---|---|---|---|", *rows, ""])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--out", type=Path, required=True, help="the export folder (a new one measures a first build)")
    parser.add_argument("--results", type=Path, help="a Markdown file to add the figures to")
    parser.add_argument("build", nargs="*", help="further kg build options, after --")
    args = parser.parse_args()
    load, start = os.getloadavg()[0], time.monotonic()
    with tempfile.TemporaryFile("w+", encoding="utf-8") as log:  # a pipe left unread would stop the build
        child = subprocess.Popen([sys.executable, "-m", "kg", "build", str(args.corpus), "--out", str(args.out),
                                  *args.build], stdout=subprocess.DEVNULL, stderr=log)
        timeline = sample(child.pid)
        child.wait()
        log.seek(0)
        stderr = log.read()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    text = report(args.corpus, timeline, phases(stderr), time.monotonic() - start, usage.ru_utime + usage.ru_stime,
                  (load, os.getloadavg()[0]), child.returncode)
    print(text)
    if args.results:
        with args.results.open("a", encoding="utf-8") as handle:
            handle.write("\n" + text)


if __name__ == "__main__":
    main()
