"""What the dumps of a rebuild cost after one changed document, CPU and wall, and that they are
byte for byte what a from-scratch ``kg dump`` writes.

    python benchmarks/bench_dump_splice.py --build /tmp/b1000n --corpus /tmp/c1000 --work /tmp/splice_x \\
        [--code DIR] [--label branch] [--out benchmarks/results/dump_splice.md]

It copies the build and the corpus into ``--work`` (once; the originals are only read), then:

1. settles the copy with the code measured (``kg build``; everything is extracted again when the
   copy was built by another version, since a document's fingerprint includes the code);
2. appends a task with a lead clause to one document and rebuilds: the whole rebuild (wall, CPU
   of the process and its workers) and its ``dumps`` phase as ``kg build`` prints it;
3. appends another to a second document, rebuilds with ``--dumps none``, then writes the stale
   dumps in a process of their own: the dumps phase alone, wall and CPU;
4. hashes the four dumps, runs ``kg dump`` on the folder (every graph written from its piece:
   the from-scratch write, timed) and checks the hashes are the same.

``--code DIR`` runs another checkout (``git archive COMMIT | tar -x -C DIR``) through
``PYTHONPATH``, from that folder (``python -m`` puts the working folder first on the path), e.g.
the main branch for the figures before. The load average is written with
the figures: the machine is shared.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

DUMPS = ("kg.nq", "kg.trig", "kg.ttl", "kg.jsonld")
TASKS = ["（十）加强统筹。（市发展改革委牵头，市财政局配合）", "（十一）强化督办。（市政府办公室牵头，市财政局配合）"]
STALE = """
import json, os, sys, time
from pathlib import Path
from kg.graph.dumping import dump_stale
from kg.graph.piece_cache import DumpCache
from kg.graph.store import DocumentStore
out = Path(sys.argv[1])
wall, cpu = time.perf_counter(), time.process_time()
store = DocumentStore(out)
written = dump_stale(store, DumpCache(out), out, ("nq", "trig", "ttl", "jsonld"))
store.close()
print(json.dumps({"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu, "written": written}))
"""


def run(env: dict[str, str], *args: str) -> tuple[float, float, str]:
    """(wall s, CPU s of the command and its workers, stderr+stdout) of ``python ARGS``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, cwd=env["PYTHONPATH"])
    wall = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(f"{args}: exit {done.returncode}\n{done.stderr[-2000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), done.stderr + done.stdout


def phase(output: str, name: str) -> str:
    line = [row for row in output.splitlines() if " · " in row][-1]
    return next((part.split(name, 1)[1].strip() for part in line.split(" · ") if part.startswith(name)), "?")


def digests(out: Path) -> dict[str, str]:
    found = {}
    for name in DUMPS:
        digest = hashlib.sha256()
        with (out / name).open("rb") as handle:
            while chunk := handle.read(1 << 24):
                digest.update(chunk)
        found[name] = digest.hexdigest()
    return found


def change(corpus: Path, index: int) -> str:
    """Append a task with a lead clause to the ``index``-th document (in name order)."""
    path = sorted(corpus.glob("*.txt"))[index]
    with path.open("a", encoding="utf-8") as handle:
        handle.write("\n" + TASKS[index % len(TASKS)] + "\n")
    return path.name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", type=Path, required=True)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--code", type=Path, default=Path(__file__).resolve().parents[1])
    parser.add_argument("--label", default="this branch")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    out, corpus = args.work.absolute() / "build", args.work.absolute() / "corpus"
    if not out.exists():
        shutil.copytree(args.build, out, symlinks=True)
        shutil.copytree(args.corpus, corpus, symlinks=True)
    env = dict(os.environ, PYTHONPATH=str(args.code.resolve()))
    rows = []

    def note(step: str, wall: float, cpu: float, extra: str = "") -> None:
        rows.append(f"| {args.label} | {step} | {wall:.2f} | {cpu:.2f} | {os.getloadavg()[0]:.1f} | {extra} |")
        print(rows[-1], flush=True)

    wall, cpu, text = run(env, "-m", "kg", "build", str(corpus), "--out", str(out))
    note("settle (kg build, nothing or everything changed)", wall, cpu, f"dumps {phase(text, 'dumps')}")
    name = change(corpus, 1)
    wall, cpu, text = run(env, "-m", "kg", "build", str(corpus), "--out", str(out))
    phases = [row for row in text.splitlines() if " · " in row][-1]
    note(f"rebuild, one document changed ({name})", wall, cpu, f"dumps phase {phase(text, 'dumps')}; {phases}")
    change(corpus, 2)
    run(env, "-m", "kg", "build", str(corpus), "--out", str(out), "--dumps", "none")
    wall, cpu, text = run(env, "-c", STALE, str(out))
    figures = json.loads(text.strip().splitlines()[-1])
    note("dumps phase alone (one document changed)", figures["wall"], figures["cpu"], ", ".join(figures["written"]))
    spliced = digests(out)
    wall, cpu, _ = run(env, "-m", "kg", "dump", "--out", str(out))
    same = digests(out) == spliced
    note("kg dump (from scratch: every graph from its piece)", wall, cpu, f"same bytes as the rebuild's: {same}")
    if args.out:
        with args.out.open("a", encoding="utf-8") as handle:
            handle.write("\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
