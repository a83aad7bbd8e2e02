"""What a build costs at size, measured on a generated corpus (``gen_corpus.py``), CPU and wall.

    python benchmarks/bench_build.py CORPUS_DIR [--work /tmp/kgbuild] [--out benchmarks/results/build.md]

It measures, in one run: extraction throughput per core (in process) next to the read + decode
+ one regex pass ceiling; ``kg extract --jobs 1`` and ``--jobs 2``; ``kg build`` (all dumps)
wall time, CPU time and peak memory; a rebuild with nothing changed and two with one changed
document (a note that changes no task, then a new task with a lead and a supporter), each as a
share of the full build in wall and CPU seconds with the phase times ``kg build`` prints; a build
with ``--dumps none`` and ``kg dump`` after it; ``kg sparql burden`` and ``kg report burden`` on the store, and the bundled burden
query on rdflib's default in-memory store loaded from ``kg.nq`` (skipped above 2 M quads: it
needs ~1 GB per million). CPU seconds are reported beside wall seconds because the machine is
shared: the load average at the start and the end is written with the figures.
"""
from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

CLAUSE = re.compile(r"[（(〔][^（）()〔〕\n]{0,80}?(?:牵头|配合|负责|责任单位)|(?:牵头|责任|配合)单位[:：]")


PHASES: list[str] = []  # the phase line (last stderr line) of each kg build, in run order


def run(*args: str) -> tuple[float, float, float]:
    """(wall s, CPU s of the command and its workers, peak RSS MB of the largest process)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "kg", *args], check=True, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    if args[0] == "build":
        PHASES.append(done.stderr.strip().splitlines()[-1])
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, after.ru_maxrss / 1024


def ceiling(files: list[Path]) -> float:
    """MB per CPU second of read + decode + one clause regex pass."""
    start = time.process_time()
    for path in files:
        text = path.read_bytes().decode("utf-8", errors="replace")
        sum(1 for _ in CLAUSE.finditer(text))
    return sum(p.stat().st_size for p in files) / 1e6 / (time.process_time() - start)


def extraction(files: list[Path]) -> float:
    """MB per CPU second of ``extract`` in this process."""
    from kg.extract.pipeline import extract
    from kg.reference import load_reference

    reference = load_reference()
    extract(files[0], reference)
    start = time.process_time()
    for path in files:
        extract(path, reference)
    return sum(p.stat().st_size for p in files) / 1e6 / (time.process_time() - start)


def rdflib_burden(nq: Path) -> tuple[float, float] | None:
    """(load s, query s) of the bundled burden query on rdflib's default store."""
    from rdflib import Dataset

    from kg.graph.query import query_text

    if sum(1 for _ in nq.open("rb")) > 2_000_000:
        return None
    start = time.perf_counter()
    ds = Dataset(default_union=True)
    ds.parse(nq, format="nquads")
    loaded = time.perf_counter() - start
    start = time.perf_counter()
    list(ds.query(query_text("burden")))
    return loaded, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--work", type=Path, default=Path("/tmp/kgbuild"))
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "build.md")
    parser.add_argument("--sample", type=int, default=100, help="documents for the in-process extraction rate")
    parser.add_argument("--builds-only", action="store_true",
                        help="only the builds (full, nothing changed, one document changed, without dumps "
                             "and kg dump after it)")
    args = parser.parse_args()
    files = sorted(p for p in args.corpus.iterdir() if p.suffix == ".txt")
    size = sum(p.stat().st_size for p in files) / 1e6
    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)
    lines = [f"# Build at size: {len(files)} documents, {size:.1f} MB", "",
             f"Load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (shared machine).", ""]
    lines += ["| measure | figure |", "|---|---|"]
    for jobs in () if args.builds_only else ("1", "2"):
        wall, cpu, _ = run("extract", str(args.corpus), "--format", "csv", "--jobs", jobs)
        lines.append(f"| `kg extract --jobs {jobs}` | {size / wall:.2f} MB/s wall ({wall:.0f} s wall, {cpu:.0f} s CPU) |")
    if not args.builds_only:
        sample = files[: args.sample]
        lines += [f"| extraction in process, one core | {extraction(sample):.2f} MB per CPU second |",
                  f"| read + decode + one regex pass (ceiling) | {ceiling(files):.0f} MB per CPU second |"]
    out = args.work / "out"
    lines += builds(args.corpus, files, out)
    if args.builds_only:
        return finish(args, lines)
    for command in (("sparql", "burden"), ("report", "burden")):
        wall, cpu, _ = run(*command, "--out", str(out))
        lines.append(f"| `kg {' '.join(command)}` | {wall:.2f} s wall, {cpu:.2f} s CPU (process start included) |")
    rdflib = rdflib_burden(out / "kg.nq")
    if rdflib:
        lines.append(f"| burden.rq on rdflib's default store | load {rdflib[0]:.1f} s, query {rdflib[1]:.2f} s |")
    finish(args, lines)


def builds(corpus: Path, files: list[Path], out: Path) -> list[str]:
    """Full build, rebuild with nothing changed, rebuild with one document changed: wall, CPU
    (the command and its workers), peak RSS and the phase line ``kg build`` prints."""
    wall, cpu, rss = run("build", str(corpus), "--out", str(out), "--jobs", "2")
    quads = sum(1 for _ in (out / "kg.nq").open("rb"))
    lines = [f"| `kg build --jobs 2` ({quads:,} quads, all four dumps) | {wall:.0f} s wall, {cpu:.0f} s CPU, "
             f"peak {rss:.0f} MB; {PHASES[-1]} |"]
    store_mb = sum(p.stat().st_size for p in (out / "store").iterdir()) / 1e6
    wal_mb = sum(p.stat().st_size for p in (out / "store").glob("*.log")) / 1e6
    lines.append(f"| store folder | {store_mb:.0f} MB, of which write-ahead log {wal_mb:.1f} MB |")
    full, full_cpu = wall, cpu
    wall, cpu, _ = run("build", str(corpus), "--out", str(out), "--jobs", "2")
    lines.append(_row("rebuild, nothing changed", wall, cpu, full, full_cpu))
    changed = files[len(files) // 2]
    original = changed.read_text(encoding="utf-8")
    try:
        for label, tail in CHANGES:
            changed.write_text(original + tail, encoding="utf-8")
            wall, cpu, _ = run("build", str(corpus), "--out", str(out), "--jobs", "2")
            lines.append(_row(label, wall, cpu, full, full_cpu))
    finally:
        changed.write_text(original, encoding="utf-8")
    return lines + without_dumps(corpus, out.with_name("out-no-dumps"))


def without_dumps(corpus: Path, out: Path) -> list[str]:
    """A full build that writes no dump (nor any dump piece), then ``kg dump`` of all four:
    the fast path for a large corpus, and what the dumps cost when asked for later."""
    wall, cpu, rss = run("build", str(corpus), "--out", str(out), "--jobs", "2", "--dumps", "none")
    lines = [f"| `kg build --jobs 2 --dumps none` (no dump, no dump piece) | {wall:.0f} s wall, {cpu:.0f} s CPU, "
             f"peak {rss:.0f} MB; {PHASES[-1]} |"]
    wall, cpu, rss = run("dump", "--out", str(out), "--jobs", "2")
    lines.append(f"| then `kg dump --jobs 2` (all four dumps) | {wall:.0f} s wall, {cpu:.0f} s CPU |")
    return lines


# One document changed: a note that changes no task (the rows stay; the graph page's evidence
# digest changes), then a new task with a lead and a supporter (burden, gaps, networks change).
CHANGES = (("rebuild, one document changed (a note: no task changes)", "\n附:修订说明。\n"),
           ("rebuild, one document changed (a new task with a lead and a supporter)",
            "\n八、补充任务\n(一)加强统计监测。(市统计局牵头,市财政局配合)\n"))


def _row(label: str, wall: float, cpu: float, full: float, full_cpu: float) -> str:
    return (f"| {label} | {wall:.1f} s wall ({100 * wall / full:.1f} %), {cpu:.1f} s CPU "
            f"({100 * cpu / full_cpu:.1f} %), load {os.getloadavg()[0]:.1f}; {PHASES[-1]} |")


def finish(args: argparse.Namespace, lines: list[str]) -> None:
    lines += ["", f"Load average at end: {os.getloadavg()[0]:.1f}.", ""]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
