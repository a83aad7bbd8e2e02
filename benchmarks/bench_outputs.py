"""The derived-files phase of ``kg build`` ("analytics" and "pages") as a whole, on a copy of a build.

    python benchmarks/bench_outputs.py BUILD [--before SRC] [--runs 2] [--sources DIR] [--link]
                                             [--out benchmarks/results/outputs.md]

BUILD is a ``kg build`` output folder (e.g. a build of ``gen_corpus.py --docs 1000 --seed 1``). It
is copied once per source tree (store, row cache, files; not the dumps: a row-cache entry is keyed
by the code that made it) and the phase is run there from scratch
(the state that lets a build skip it is removed first) through ``kg.present.files.write_outputs``,
as ``kg build`` calls it, in a fresh process: wall seconds, CPU seconds of the process and of the
processes it forks (the workbook, the network files and the graph page are written beside the rest),
and the peak proportional set size of all of them (psutil, sampled every 0.25 s). ``--before SRC``
runs the same in the source tree SRC (``git archive REV | tar -x -C SRC``), alternating with the
current tree, and the files both write are compared byte for byte. A first, untimed run in each
copy fills its row cache where it lacks entries, as a build of that code would have (``--runs 1
--link`` skips it: one timed run, for a build of the current code). ``--sources DIR`` gives the
graph page the source files, as ``kg build DIR`` does. ``--link`` hard-links the build's files
instead of copying them, for a build too large to copy (10,000 documents: a 14 GB store): the
phase replaces files by renaming, never writes into one, so the build stays as it was.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_CHILD = """
import json, os, resource, sys, threading, time
from pathlib import Path
import psutil
folder = Path(sys.argv[1])
(folder / ".kg-cache" / "outputs.state").unlink(missing_ok=True)
from kg.names import display_name
sources = {display_name(p.name): p for p in sorted(Path(sys.argv[2]).iterdir())} if len(sys.argv) > 2 else {}
from kg.reference import load_reference
from kg.present.files import write_outputs
reference = load_reference()
peak, done = [0], threading.Event()
def sample():
    me = psutil.Process()
    while not done.is_set():
        total = 0
        for p in [me, *me.children(recursive=True)]:
            try:
                total += p.memory_full_info().pss
            except psutil.Error:
                pass
        peak[0] = max(peak[0], total)
        done.wait(0.25)
threading.Thread(target=sample, daemon=True).start()
wall, cpu = time.perf_counter(), time.process_time()
write_outputs(folder, reference=reference, sources=sources)
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
done.set()
children = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "cpu": cpu, "children": children.ru_utime + children.ru_stime, "pss": peak[0]}))
"""

FILES = ("report.html", "graph.html", "burden.md", "burden.csv", "gaps.csv", "reports.xlsx", "agencies.graphml",
         "agencies.gexf", "tasks.graphml", "tasks.gexf")


def copy_build(build: Path, work: Path, link: bool = False) -> Path:
    """The build without its dumps (the phase does not read them), copied or hard-linked."""
    target = work / "build"
    shutil.copytree(build, target, ignore=shutil.ignore_patterns("kg.nq", "kg.trig", "kg.ttl", "kg.jsonld"),
                    copy_function=os.link if link else shutil.copy2)
    return target


def run(folder: Path, source: Path, sources: Path | None = None) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(source)}
    done = subprocess.run([sys.executable, "-c", _CHILD, str(folder), *([str(sources)] if sources else [])],
                          env=env, cwd=source, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def digests(folder: Path) -> dict[str, str]:
    named = [folder / f for f in FILES] + sorted((folder / "tables").glob("*.csv"))
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in named if p.is_file()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("build", type=Path)
    parser.add_argument("--before", type=Path)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--sources", type=Path, help="the documents the build was made from, for the graph page")
    parser.add_argument("--link", action="store_true", help="hard-link the build instead of copying it")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "outputs.md")
    args = parser.parse_args()
    trees = [("now", ROOT)] + ([("before", args.before)] if args.before else [])
    load = os.getloadavg()
    rows, files = [], {}
    with tempfile.TemporaryDirectory(dir=args.build.parent if args.link else None) as work:
        folders = {label: copy_build(args.build, Path(work) / label, args.link) for label, _ in trees}
        for label, source in trees:  # not timed: rows a copy's row cache lacks (made by other code) are read and kept
            if not (args.link and args.runs == 1):
                run(folders[label], source, args.sources)
        for k in range(args.runs):
            for label, source in trees:
                figures = run(folders[label], source, args.sources)
                files[label] = digests(folders[label])
                rows.append((label, k + 1, figures))
                print(label, k + 1, figures, flush=True)
    write_report(args, rows, files, load)


def write_report(args: argparse.Namespace, rows: list[tuple[str, int, dict[str, float]]],
                 files: dict[str, dict[str, str]], load: tuple[float, float, float]) -> None:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    lines = [f"# The derived-files phase of a build ({args.build})", "",
             f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} with `python benchmarks/bench_outputs.py "
             f"{args.build}{' --before ' + str(args.before) if args.before else ''} --runs {args.runs}"
             f"{' --sources ' + str(args.sources) if args.sources else ''}{' --link' if args.link else ''}`; commit {commit}, "
             f"CPython {sys.version.split()[0]}, {os.cpu_count()} cores.",
             f"Load average at start {' '.join(f'{v:.2f}' for v in load)}, at end "
             f"{' '.join(f'{v:.2f}' for v in os.getloadavg())}.", "",
             "| code | run | wall s | CPU s (main) | CPU s (forked) | peak PSS MB |", "|---|---|---|---|---|---|"]
    lines += [f"| {label} | {k} | {f['wall']:.1f} | {f['cpu']:.1f} | {f['children']:.1f} | {f['pss'] / 2**20:.0f} |"
              for label, k, f in rows]
    if "before" in files:
        differ = sorted(n for n in files["now"] if files["now"][n] != files["before"].get(n))
        lines += ["", f"Files that differ between the two: {', '.join(differ) or 'none'}."]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
