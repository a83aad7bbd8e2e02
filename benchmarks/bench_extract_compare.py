"""Two versions of the extractor on the same corpus, in one run: CPU, instructions and identical output.

On a shared machine CPU seconds swing by a fifth between identical runs, so a before/after pair is
only worth reporting when both are measured together. This script checks the other version out
(``git worktree add --detach``, removed afterwards) and, on the same files:

* extracts the corpus in a fresh process per turn, the two versions taking turns (``--turns`` each),
  and keeps each version's least CPU time (reference tables loaded and one document extracted
  before the clock starts, as in ``bench_extract_speed.py``);
* counts the instructions of extracting the first ``--counted`` files with valgrind's callgrind,
  minus the same process with no file (skipped when valgrind is missing or with ``--counted 0``);
* compares the full ``repr`` of every extraction of the two versions (a digest per version).

    python benchmarks/bench_extract_compare.py --against main [--corpus DIR | --docs 300 --seed 1]
                                               [--turns 4] [--counted 40]
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORKER = r"""
import hashlib, sys, time
from kg.extract.pipeline import extract
from kg.reference import load_reference
timed, files = sys.argv[1] == "time", sys.argv[3:]
reference = load_reference()
extract(sys.argv[2], reference)
cpu, digest = 0.0, hashlib.sha256()
for path in files:  # one extraction held at a time (a heap of them would time the garbage collector)
    start = time.process_time()
    found = extract(path, reference)
    cpu += time.process_time() - start
    if timed:  # the digest is made off the clock
        digest.update(repr(found).encode())
print(cpu, digest.hexdigest())
"""


def run(tree: Path, warm: Path, files: list[Path], wrap: list[str] | None = None) -> str:
    """Output of the worker run on ``tree``'s code (from a folder where no other kg is importable);
    under ``wrap`` (valgrind) it only extracts."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    mode = "count" if wrap else "time"
    done = subprocess.run([*(wrap or []), sys.executable, "-c", WORKER, mode, str(warm), *map(str, files)], env=env,
                          cwd=tree, check=True, capture_output=True, text=True)
    return done.stdout + done.stderr


def instructions(tree: Path, warm: Path, files: list[Path]) -> int | None:
    """Instructions of extracting ``files`` (callgrind), minus the same process without them."""
    if shutil.which("valgrind") is None:
        return None
    counts = []
    for chosen in ([], files):
        with tempfile.TemporaryDirectory() as out:
            text = run(tree, warm, chosen, ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}/cg.out"])
        counts.append(int(re.search(r"Collected : (\d+)", text).group(1)))  # type: ignore[union-attr]
    return counts[1] - counts[0]


def compare(trees: dict[str, Path], files: list[Path], turns: int, counted: int) -> str:
    size = sum(p.stat().st_size for p in files) / 1e6
    best: dict[str, float] = {}
    digests: dict[str, str] = {}
    load = os.getloadavg()[0]
    for _ in range(turns):
        for name, tree in trees.items():
            cpu, digest = run(tree, files[-1], files).split()
            best[name] = min(best.get(name, float("inf")), float(cpu))
            digests[name] = digest
    rows = ["| code | CPU (least of turns) | throughput | instructions, first "
            f"{counted} files | output digest |", "|---|---|---|---|---|"]
    for name, tree in trees.items():
        count = instructions(tree, files[-1], files[:counted]) if counted else None
        shown = f"{count / 1e6:,.0f} M" if count is not None else "(not counted)"
        rows.append(f"| {name} | {best[name]:.2f} s | {size / best[name]:.2f} MB per CPU s | {shown} | "
                    f"{digests[name][:12]} |")
    same = len(set(digests.values())) == 1
    return (f"{len(files)} files, {size:.2f} MB; load {load:.1f} → {os.getloadavg()[0]:.1f}; {turns} turns each\n\n"
            + "\n".join(rows) + f"\n\nextractions identical: {'yes' if same else 'NO'}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--against", required=True, help="git revision to compare this checkout with")
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--turns", type=int, default=4)
    parser.add_argument("--counted", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = args.corpus
        if corpus is None:
            corpus = Path(tmp) / "corpus"
            subprocess.run([sys.executable, str(ROOT / "benchmarks" / "gen_corpus.py"), str(corpus), "--docs",
                            str(args.docs), "--seed", str(args.seed), "--jobs", "1"], check=True,
                           stdout=subprocess.DEVNULL)
        other = Path(tmp) / "other"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(other), args.against],
                       check=True, capture_output=True)
        try:
            files = sorted(p for p in corpus.iterdir() if p.suffix == ".txt")
            print(compare({args.against: other, "this checkout": ROOT}, files, args.turns, args.counted))
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(other)], check=True)


if __name__ == "__main__":
    main()
