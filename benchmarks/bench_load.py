"""What the "extract + store" step of a build costs, split between the main process and the
extraction workers, on a generated corpus (``gen_corpus.py``) built into an empty folder.

    python benchmarks/bench_load.py CORPUS_DIR [--work /tmp/kgload] [--jobs 2] [--rows] [--out benchmarks/results/load.md]

It calls :func:`kg.graph.build.refresh` with no dumps (the step ``kg build`` times as
"extract + store"; ``--rows`` also makes each document's rows in its worker, as ``kg build``
does) and reports wall seconds, CPU seconds of this process (the store loads, extraction JSON
files, dump-piece cache), the part of them spent by RocksDB's background threads (compaction of
the loaded store files), CPU seconds of its workers (extraction, mapping to RDF, dump pieces),
the peak resident memory of this process and of the largest worker, and the load average before
and after (the machine is shared). Then the per-document worker cost:
:func:`kg.graph.prepare.prepare` in this process on the first documents.
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


def _background_cpu() -> float:
    """CPU seconds of this process's RocksDB threads (named ``rocksdb:*``: compaction and flushes)."""
    total = 0.0
    for task in Path("/proc/self/task").iterdir():
        try:
            stat = (task / "stat").read_text()
        except OSError:
            continue
        if "(rocksdb:" in stat:
            fields = stat[stat.rindex(")") + 2:].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def load(files: list[Path], work: Path, jobs: int, rows: bool) -> dict[str, float]:
    """Wall, main-process CPU (and its RocksDB threads') and worker CPU seconds of one refresh
    into an empty folder, and the peak memory of this process and of the largest worker."""
    from kg.graph.build import refresh
    from kg.reference import load_reference

    derive = None
    if rows:
        from kg.present.row_parts import document_rows as derive
    shutil.rmtree(work, ignore_errors=True)
    failures: list[Exception] = []
    main, workers, start = _cpu(resource.RUSAGE_SELF), _cpu(resource.RUSAGE_CHILDREN), time.perf_counter()
    report = refresh(files, work, failures.append, jobs=jobs, dumps=(), reference=load_reference(), derive=derive)
    wall = time.perf_counter() - start
    main, workers = _cpu(resource.RUSAGE_SELF) - main, _cpu(resource.RUSAGE_CHILDREN) - workers
    if failures or len(report.built) != len(files):
        sys.exit(f"bench_load: {len(failures)} failures, {len(report.built)} of {len(files)} built")
    return {"wall": wall, "main": main, "background": _background_cpu(), "workers": workers,
            "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "worker peak": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}


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
    parser.add_argument("--sample", type=int, default=30, help="documents for the per-document cost (0: none)")
    parser.add_argument("--rows", action="store_true", help="make each document's rows in its worker, as kg build")
    parser.add_argument("--out", type=Path, help="append the figures to this Markdown file")
    args = parser.parse_args()
    files = sorted(args.corpus.glob("*.txt"))
    size = sum(p.stat().st_size for p in files) / 1e6
    before = os.getloadavg()[0]
    figures = load(files, args.work, args.jobs, args.rows)
    after = os.getloadavg()[0]
    each = per_document(files, min(args.sample, len(files) - 1)) if args.sample else 0.0
    line = (f"| {args.corpus.name} ({len(files)} docs, {size:.1f} MB){' rows' if args.rows else ''} | {args.jobs} | "
            f"{figures['wall']:.1f} | {figures['main']:.1f} | {figures['background']:.1f} | {figures['workers']:.1f} | "
            f"{figures['peak']:.0f} | {figures['worker peak']:.0f} | {each * 1000:.0f} ms | {before:.2f} → {after:.2f} |")
    print("| corpus | jobs | wall s | main CPU s | of which RocksDB threads | workers CPU s | main peak MB | "
          "worker peak MB | prepare per doc (CPU) | load avg |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    print(line)
    if args.out:
        with args.out.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")


if __name__ == "__main__":
    main()
