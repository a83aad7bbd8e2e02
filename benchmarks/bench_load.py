"""What the "extract + store" step of a build costs, split between the main process and the
extraction workers, on a generated corpus (``gen_corpus.py``) built into an empty folder.

    python benchmarks/bench_load.py CORPUS_DIR [--work /tmp/kgload] [--jobs 2] [--out benchmarks/results/load.md]

It calls :func:`kg.graph.build.refresh` with no dumps (the step ``kg build`` times as
"extract + store") and reports wall seconds, CPU seconds of this process (the store loads,
extraction JSON files, dump-piece cache) and of its workers (extraction, mapping to RDF, dump
pieces), and the load average before and after (the machine is shared). Then the per-document
worker cost: :func:`kg.graph.prepare.prepare` in this process on the first documents.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import time
from pathlib import Path


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def load(files: list[Path], work: Path, jobs: int) -> dict[str, float]:
    """Wall, main-process CPU and worker CPU seconds of one refresh into an empty folder."""
    from kg.graph.build import refresh
    from kg.reference import load_reference

    shutil.rmtree(work, ignore_errors=True)
    failures: list[Exception] = []
    main, workers, start = _cpu(resource.RUSAGE_SELF), _cpu(resource.RUSAGE_CHILDREN), time.perf_counter()
    report = refresh(files, work, failures.append, jobs=jobs, dumps=(), reference=load_reference())
    wall = time.perf_counter() - start
    main, workers = _cpu(resource.RUSAGE_SELF) - main, _cpu(resource.RUSAGE_CHILDREN) - workers
    if failures or len(report.built) != len(files):
        sys.exit(f"bench_load: {len(failures)} failures, {len(report.built)} of {len(files)} built")
    return {"wall": wall, "main": main, "workers": workers}


def per_document(files: list[Path], count: int) -> float:
    """CPU seconds per document of the workers' function, in this process (after a warm-up)."""
    from kg.graph.build import _fingerprint
    from kg.graph.prepare import prepare

    prepare((files[0], _fingerprint(files[0].read_bytes())))
    jobs = [(p, _fingerprint(p.read_bytes())) for p in files[1:count + 1]]
    start = time.process_time()
    for job in jobs:
        prepare(job)
    return (time.process_time() - start) / len(jobs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--work", type=Path, default=Path("/tmp/kgload"))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--sample", type=int, default=30, help="documents for the per-document cost")
    parser.add_argument("--out", type=Path, help="append the figures to this Markdown file")
    args = parser.parse_args()
    files = sorted(args.corpus.glob("*.txt"))
    size = sum(p.stat().st_size for p in files) / 1e6
    before = os.getloadavg()[0]
    figures = load(files, args.work, args.jobs)
    after = os.getloadavg()[0]
    each = per_document(files, min(args.sample, len(files) - 1))
    line = (f"| {args.corpus.name} ({len(files)} docs, {size:.1f} MB) | {args.jobs} | {figures['wall']:.1f} | "
            f"{figures['main']:.1f} | {figures['workers']:.1f} | {each * 1000:.0f} ms | {before:.2f} → {after:.2f} |")
    print("| corpus | jobs | wall s | main CPU s | workers CPU s | prepare per doc (CPU) | load avg |")
    print("|---|---|---|---|---|---|---|")
    print(line)
    if args.out:
        with args.out.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")


if __name__ == "__main__":
    main()
