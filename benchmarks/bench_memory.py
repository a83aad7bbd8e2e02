"""Peak memory of ``kg extract`` and ``kg build`` on one large text file (issue 15, item 7).

The file is the generated corpus (``gen_corpus.py --docs 300 --seed 1``) decoded and joined, repeated
until it reaches ``--mb`` megabytes of UTF-8: one long plan with hundreds of thousands of tasks.
Each command runs in a child process whose address space is capped (``--cap-gb``), so a runaway
fails with an error instead of taking the shared machine; the peak resident set size of the
child is read from ``getrusage``. CPU and wall seconds and the load average are reported beside it.

    python benchmarks/bench_memory.py [--mb 100] [--commands extract,build] [--cap-gb 8]
                                      [--label now] [--out benchmarks/results/memory.md]

``kg build`` refuses files above ``KG_MAX_FILE_MB`` (default 256 MB, see kg/extract/limits.py);
``--mb`` above that sets the variable for the child.
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
HEADER = ("| code | command | file | load (start → end) | exit | peak RSS | RSS ÷ file | CPU | wall |\n"
          "|---|---|---|---|---|---|---|---|---|\n")


def make_file(path: Path, megabytes: float, work: Path) -> None:
    """The generated corpus joined into one UTF-8 text of ``megabytes`` (cut at a character)."""
    from kg.extract.read import decode

    corpus = work / "corpus"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "gen_corpus.py"), str(corpus), "--docs", "300",
                    "--seed", "1", "--jobs", "1"], check=True, stdout=subprocess.DEVNULL)
    joined = "\n".join(decode(p.read_bytes())[0] for p in sorted(corpus.glob("*.txt")))
    size = int(megabytes * 1e6)
    repeats = -(-size // len(joined.encode("utf-8")))
    data = "\n".join([joined] * repeats).encode("utf-8")[:size]
    path.write_bytes(data.decode("utf-8", errors="ignore").encode("utf-8"))


def run(args: list[str], cap_gb: float, env: dict[str, str]) -> tuple[int, float, float, float]:
    """(exit code, peak RSS MB, CPU s, wall s) of ``python -m kg ARGS`` with a capped address space."""
    def limit() -> None:
        cap = int(cap_gb * (1 << 30))
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "kg", *args], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, env=env, preexec_fn=limit)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    return os.waitstatus_to_exitcode(status), usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=float, default=100)
    parser.add_argument("--commands", default="extract,build")
    parser.add_argument("--cap-gb", type=float, default=8)
    parser.add_argument("--label", default="current")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "memory.md")
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KG_MAX_TEXT_CHARS": str(10**9)}  # the long plan is the point
    if args.mb > 256:
        env["KG_MAX_FILE_MB"] = str(int(args.mb) + 1)
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        big = work / "plan.txt"
        make_file(big, args.mb, work)
        size = big.stat().st_size / 1e6
        commands = {"extract": ["extract", str(big), "--format", "csv", "--jobs", "1"],
                    "build": ["build", str(big), "--out", str(work / "out"), "--jobs", "1", "--dumps", "none"]}
        for name in args.commands.split(","):
            load = os.getloadavg()[0]
            code, rss, cpu, wall = run(commands[name], args.cap_gb, env)
            lines.append(f"| {args.label} | `kg {' '.join(commands[name][:1] + commands[name][2:])}` | "
                         f"{size:.0f} MB | {load:.1f} → {os.getloadavg()[0]:.1f} | {code} | {rss:,.0f} MB | "
                         f"{rss / size:.1f} | {cpu:.0f} s | {wall:.0f} s |")
            print(lines[-1], flush=True)
    text = args.out.read_text(encoding="utf-8") if args.out.exists() else "# Peak memory on one large file\n\n"
    if HEADER not in text:
        text += HEADER
    args.out.write_text(text + "\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
