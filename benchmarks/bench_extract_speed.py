"""Extraction throughput (MB/s of file bytes) on a generated corpus, beside the ceiling of the same run.

The corpus is ``gen_corpus.py --docs N --seed S`` (or ``--corpus DIR``). One run measures, one after
the other on the same files:

* the ceiling: read + decode + one clause regex pass, in this process;
* extraction in this process (``kg.extract.pipeline.extract``, one reference, as ``kg extract`` does);
* ``kg extract --jobs 1`` and ``--jobs 2`` as commands (process start included);
* with ``--stages``: CPU seconds per pipeline step of the in-process run, and what handing the
  results from worker processes to the parent costs (pickling and unpickling every extraction).

CPU seconds are reported beside wall seconds, and the load average at the start and at the end,
because the 2-core machine is shared: on a loaded machine the wall time mostly measures the queue,
and MB per CPU second is the figure to compare. ``--jobs 2`` is judged by its wall time.

    python benchmarks/bench_extract_speed.py [--docs 300] [--seed 1] [--corpus DIR] [--runs 3]
                                             [--label now] [--out benchmarks/results/extract_speed.md] [--stages]
"""
from __future__ import annotations

import argparse
import collections
import os
import pickle
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CLAUSE = re.compile(r"[（(〔][^（）()〔〕\n]{0,80}?(?:牵头|配合|负责|责任单位)|(?:牵头|责任|配合)单位[:：]")
HEADER = ("| code | corpus | load (start → end) | ceiling | in process, 1 core | `--jobs 1` | `--jobs 2` |\n"
          "|---|---|---|---|---|---|---|\n")


def make_corpus(folder: Path, docs: int, seed: int) -> None:
    """Write the generated corpus (reproducible: the generator seeds each document)."""
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "gen_corpus.py"), str(folder), "--docs", str(docs),
                    "--seed", str(seed), "--jobs", "1"], check=True, stdout=subprocess.DEVNULL)


def ceiling(files: list[Path]) -> float:
    """CPU seconds of read + decode + one clause regex pass over every file."""
    from kg.extract.read import decode

    start = time.process_time()
    for path in files:
        text = decode(path.read_bytes())[0]
        sum(1 for _ in CLAUSE.finditer(text))
    return time.process_time() - start


def in_process(files: list[Path]) -> tuple[float, float, int]:
    """(CPU s, wall s, assignments) of extracting every file once in this process."""
    from kg.extract.pipeline import extract
    from kg.reference import load_reference

    reference = load_reference()
    extract(files[0], reference)  # reference tables and compiled patterns, not timed
    cpu, wall, found = time.process_time(), time.perf_counter(), 0
    for path in files:
        found += len(extract(path, reference).assignments)
    return time.process_time() - cpu, time.perf_counter() - wall, found


def command(corpus: Path, jobs: int) -> tuple[float, float]:
    """(CPU s of the command and its workers, wall s) of ``kg extract CORPUS --jobs N``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "kg", "extract", str(corpus), "--format", "csv", "--jobs", str(jobs)],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, wall


def measure(corpus: Path, runs: int, label: str) -> str:
    """One table row: best of ``runs`` for each measure (least CPU)."""
    files = sorted(p for p in corpus.iterdir() if p.suffix == ".txt")
    size = sum(p.stat().st_size for p in files) / 1e6
    load = os.getloadavg()[0]
    top = min(ceiling(files) for _ in range(runs))
    cpu, wall, found = min(in_process(files) for _ in range(runs))
    one = min(command(corpus, 1) for _ in range(runs))
    two = min(command(corpus, 2) for _ in range(runs))
    return (f"| {label} | {len(files)} files, {size:.2f} MB, {found:,} assignments | {load:.1f} → "
            f"{os.getloadavg()[0]:.1f} | {size / top:.0f} MB per CPU s | {size / cpu:.2f} MB per CPU s "
            f"({cpu:.1f} s CPU, {wall:.1f} s wall; {100 * top / cpu:.0f} % of the ceiling) | "
            f"{size / one[0]:.2f} MB per CPU s, {size / one[1]:.2f} MB/s wall | "
            f"{size / two[1]:.2f} MB/s wall ({two[0]:.1f} s CPU, {two[1]:.1f} s wall) |")


STEPS = ("read_document", "extract_metadata", "find_table_rows", "place_rows", "segment", "find_clauses",
         "build_clauses", "classify", "find_groups", "_resolved_groups")


def stages(files: list[Path]) -> str:
    """A table of CPU seconds per pipeline step (the rest: resolution, records), and the cost of
    moving the results between processes as ``--jobs N`` does (pickle out, unpickle in)."""
    from kg.extract import pipeline
    from kg.reference import load_reference

    spent: collections.Counter[str] = collections.Counter()

    def timed(name: str, step):  # type: ignore[no-untyped-def]
        def run(*args, **kwargs):  # type: ignore[no-untyped-def]
            start = time.process_time()
            try:
                return step(*args, **kwargs)
            finally:
                spent[name] += time.process_time() - start
        return run

    originals = {name: getattr(pipeline, name) for name in STEPS}
    reference = load_reference()
    pipeline.extract(files[0], reference)  # reference tables, compiled patterns, OpenCC: not timed
    for name, step in originals.items():
        setattr(pipeline, name, timed(name, step))
    try:
        start = time.process_time()
        docs = [pipeline.extract(path, reference) for path in files]
        total = time.process_time() - start
    finally:
        for name, step in originals.items():
            setattr(pipeline, name, step)
    start = time.process_time()
    blobs = [pickle.dumps(d) for d in docs]
    dumped = time.process_time() - start
    start = time.process_time()
    for blob in blobs:
        pickle.loads(blob)
    loaded = time.process_time() - start
    rows = [(name, spent[name]) for name in sorted(spent, key=lambda n: -spent[n])]
    rows.append(("the rest (resolution, records)", total - sum(spent.values())))
    lines = [f"| {name} | {cpu:.2f} s | {100 * cpu / total:.0f} % |" for name, cpu in rows]
    return ("| step | CPU | share |\n|---|---|---|\n" + "\n".join(lines) + f"\n| **all** | **{total:.2f} s** | |\n"
            f"| results to another process: pickle / unpickle ({sum(map(len, blobs)) / 1e6:.0f} MB) | "
            f"{dumped:.2f} s / {loaded:.2f} s | {100 * (dumped + loaded) / total:.0f} % more |\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--corpus", type=Path, default=None, help="an existing folder of .txt files instead")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--label", default="current")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "extract_speed.md")
    parser.add_argument("--stages", action="store_true", help="print CPU per pipeline step instead")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = args.corpus
        if corpus is None:
            corpus = Path(tmp) / "corpus"
            make_corpus(corpus, args.docs, args.seed)
        if args.stages:
            print(stages(sorted(p for p in corpus.iterdir() if p.suffix == ".txt")))
            return
        line = measure(corpus, args.runs, args.label)
    print(line)
    text = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
    if HEADER not in text:
        text += ("\n## Generated corpus (`bench_extract_speed.py --docs 300 --seed 1`), best of the runs\n\n"
                 + HEADER)
    args.out.write_text(text + line + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
