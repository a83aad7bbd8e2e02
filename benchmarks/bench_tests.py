"""Time the whole test suite: wall clock, CPU seconds of pytest and everything it started, load.

    python benchmarks/bench_tests.py            # the README's command (python -m pytest -n auto)
    python benchmarks/bench_tests.py -n 0       # one process, for comparison

Wall time on a shared machine says more about the neighbours than about the suite, so the CPU
seconds (user + system of pytest, its xdist workers and every command the tests ran) and the load
average before and after are printed next to it; the 30 slowest steps follow.
"""
from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(extra: list[str]) -> int:
    workers = extra or ["-n", "auto"]
    command = [sys.executable, "-m", "pytest", "-q", "--durations=30", *workers]
    load_before = os.getloadavg()
    start = time.monotonic()
    proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    wall = time.monotonic() - start
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    lines = proc.stdout.splitlines()
    slowest = [line for line in lines if line[:1].isdigit() and "s " in line][:30]
    print(f"command: {' '.join(command[1:])}")
    print(f"result: {lines[-1] if lines else proc.stderr.strip()}")
    print(f"wall {wall:.1f} s, CPU {used.ru_utime + used.ru_stime:.1f} s (user {used.ru_utime:.1f} + "
          f"system {used.ru_stime:.1f}), {os.cpu_count()} cores, load average "
          f"{load_before[0]:.2f} before, {os.getloadavg()[0]:.2f} after")
    print("\n".join(slowest))
    return proc.returncode


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
