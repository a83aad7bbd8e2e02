"""Extraction throughput (MB/s of UTF-8 text) on a generated corpus of a few MB.

The corpus is the bundled documents and the development set (tests/data/realdocs), each written
``--copies`` times as its own file plus a few large files that concatenate them all, so that both
many short documents and long ones are timed. Extraction runs in-process with one reference
(what ``kg extract`` does per batch); CPU time is reported next to wall time because the machine
is shared.

    python benchmarks/bench_extract_speed.py [--copies 8] [--big 6] [--runs 3] [--label now]
                                             [--out benchmarks/results/extract_speed.md]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SOURCES = [ROOT / "data" / "documents", ROOT / "tests" / "data" / "realdocs" / "docs"]


def build_corpus(folder: Path, copies: int, big: int) -> list[Path]:
    """Write the generated corpus into ``folder``; return its files in a stable order."""
    texts = [p.read_text(encoding="utf-8") for source in SOURCES for p in sorted(source.glob("*.txt"))]
    files = []
    for copy in range(copies):
        for k, text in enumerate(texts):
            path = folder / f"d{copy:02d}_{k:03d}.txt"
            path.write_text(text, encoding="utf-8")
            files.append(path)
    joined = "\n".join(texts) * 3
    for k in range(big):
        path = folder / f"big{k:02d}.txt"
        path.write_text(joined, encoding="utf-8")
        files.append(path)
    return files


def time_extraction(files: list[Path]) -> tuple[float, float, int]:
    """(CPU seconds, wall seconds, assignments) of extracting every file once."""
    from kg.extract.pipeline import extract
    from kg.reference import load_reference

    reference = load_reference()
    cpu, wall, found = time.process_time(), time.perf_counter(), 0
    for path in files:
        found += len(extract(path, reference).assignments)
    return time.process_time() - cpu, time.perf_counter() - wall, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", type=int, default=8)
    parser.add_argument("--big", type=int, default=6)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--label", default="current")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "extract_speed.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        files = build_corpus(Path(tmp), args.copies, args.big)
        size = sum(p.stat().st_size for p in files) / 1e6
        runs = [time_extraction(files) for _ in range(args.runs)]
    cpu, wall, found = min(runs)
    line = (f"| {args.label} | {len(files)} | {size:.2f} MB | {found:,} | {cpu:.1f} s | {size / cpu:.2f} MB/s "
            f"| {wall:.1f} s |")
    print(line)
    if not args.out.exists():
        args.out.write_text("# Extraction throughput (`benchmarks/bench_extract_speed.py`, best of "
                            f"{args.runs} runs, CPU time)\n\n| code | files | size | assignments | CPU | "
                            "throughput | wall |\n|---|---|---|---|---|---|---|\n", encoding="utf-8")
    with args.out.open("a", encoding="utf-8") as out:
        out.write(line + "\n")


if __name__ == "__main__":
    main()
