"""Extraction throughput of ``kg extract``: the bundled documents concatenated to a few MB.

    python benchmarks/bench_extract.py [--mb 4] [--runs 3] [--out benchmarks/results/extract.md]

The corpus is the bundled ``data/documents/*.txt`` repeated (each copy a separate file so the
per-document work is counted too) until it reaches ``--mb`` megabytes of UTF-8, plus one
generated task table per copy in each rendering the table reader knows (pipe, one cell per
line, space-separated). The figure is the best of ``--runs`` runs of the real CLI.
"""
from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_TABLE = ("序号 | 重点任务 | 牵头单位 | 配合单位 | 完成时限\n"
          + "".join(f"{k} | 推进第{k}项重点工作 | 市发展改革委 | 市财政局、市商务局 | 2021年底\n" for k in range(1, 30)))


def make_corpus(folder: Path, megabytes: float) -> int:
    """Write copies of the bundled documents into ``folder``; return the total bytes."""
    sources = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "data" / "documents").glob("*.txt"))]
    total, copy = 0, 0
    while total < megabytes * 1_000_000:
        for k, text in enumerate(sources):
            body = text + "\n" + _TABLE if k == 0 else text
            path = folder / f"c{copy:04d}_{k}.txt"
            path.write_text(body, encoding="utf-8")
            total += len(body.encode("utf-8"))
        copy += 1
    return total


def run(folder: Path) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of one ``kg extract`` run. CPU time is the
    steadier figure on a shared machine."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "kg", "extract", str(folder), "--format", "csv"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return time.perf_counter() - start, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=float, default=4.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "extract.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        size = make_corpus(Path(tmp), args.mb)
        times = [run(Path(tmp)) for _ in range(args.runs)]
    wall, cpu = min(t[0] for t in times), min(t[1] for t in times)
    line = (f"| {ROOT.name} | {size / 1e6:.2f} MB | {args.runs} runs | wall {wall:.2f} s ({size / 1e6 / wall:.2f} MB/s) "
            f"| CPU {cpu:.2f} s ({size / 1e6 / cpu:.2f} MB/s) |")
    print(line)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        with args.out.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")


if __name__ == "__main__":
    main()
