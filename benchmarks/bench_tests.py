"""Time the whole test suite: wall clock, CPU seconds of pytest and everything it started, load.

    python benchmarks/bench_tests.py            # the README's command (python -m pytest -n auto)
    python benchmarks/bench_tests.py -n 0       # one process, for comparison

Wall time on a shared machine says more about the neighbours than about the suite, so the CPU
seconds (user + system of pytest, its xdist workers and every command the tests ran) and the load
average before and after are printed next to it. Then the 30 tests that cost the most CPU seconds
(each test's setup, call and teardown, in the worker that ran it, with the commands it started:
tests/conftest.py writes them when KG_TEST_CPU_LOG is set), which unlike wall times do not depend on
the neighbours; what is left of the total is start-up, collection and the workers' own overhead.
"""
from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(extra: list[str]) -> int:
    workers = extra or ["-n", "auto"]
    command = [sys.executable, "-m", "pytest", "-q", *workers]
    with tempfile.TemporaryDirectory() as scratch:
        log = Path(os.environ.get("KG_TEST_CPU_LOG") or Path(scratch) / "cpu.tsv")  # set it to keep the list
        log.unlink(missing_ok=True)
        load_before = os.getloadavg()
        start = time.monotonic()
        proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True,
                              env={**os.environ, "KG_TEST_CPU_LOG": str(log)})
        wall = time.monotonic() - start
        used = resource.getrusage(resource.RUSAGE_CHILDREN)
        per_test = _per_test(log)
    lines = proc.stdout.splitlines()
    cpu = used.ru_utime + used.ru_stime
    print(f"command: {' '.join(command[1:])}")
    print(f"result: {lines[-1] if lines else proc.stderr.strip()}")
    print(f"wall {wall:.1f} s, CPU {cpu:.1f} s (user {used.ru_utime:.1f} + system {used.ru_stime:.1f}), "
          f"{os.cpu_count()} cores, load average {load_before[0]:.2f} before, {os.getloadavg()[0]:.2f} after")
    in_tests = sum(seconds for seconds, _ in per_test)
    print(f"CPU in tests {in_tests:.1f} s ({len(per_test)} tests), outside them (start-up, collection, "
          f"workers) {cpu - in_tests:.1f} s; the 30 costliest tests (CPU s):")
    print("\n".join(f"{seconds:7.1f}  {name}" for seconds, name in sorted(per_test, reverse=True)[:30]))
    return proc.returncode


def _per_test(log: Path) -> list[tuple[float, str]]:
    """(CPU seconds, test id) from the log the test run wrote."""
    if not log.exists():
        return []
    rows = (line.split("\t", 1) for line in log.read_text(encoding="utf-8").splitlines())
    return [(float(seconds), name) for seconds, name in rows]


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
