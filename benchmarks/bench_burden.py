"""Burden at size: ``kg sparql burden`` and ``kg report burden`` on a ≥ 1 M-quad store, against
the row-by-row burden query on rdflib's default in-memory store loaded from the same kg.nq, in
the same run.

    python benchmarks/bench_burden.py [--docs 260] [--seed 1] [--work /tmp/kgburden]
                                      [--out benchmarks/results/burden.md] [--repeat 5]

Generates the corpus (``gen_corpus.py``) and builds it (``kg build --dumps nq``) unless the work
folder has them already. "Own work" is the command run in this process through the real CLI
(click's runner) after a warm-up, so Python start-up and imports are left out; "process" is
a fresh ``kg`` process, start-up included. CPU seconds are given beside wall seconds because the
machine is shared; the load average is printed at the start and the end.
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float, object]:
    """Median wall and CPU seconds of ``repeat`` runs, and the last result."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), result


def process(args: list[str], repeat: int) -> tuple[float, float]:
    """Median wall and CPU (user + sys) seconds of a fresh ``kg`` process."""
    walls, cpus = [], []
    kg = str(Path(sys.executable).with_name("kg"))
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([kg, *args], check=True, capture_output=True)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def cli(*args: str) -> str:
    from click.testing import CliRunner

    from kg.cli import cli as group

    result = CliRunner().invoke(group, list(args))
    if result.exit_code != 0:
        raise SystemExit(f"kg {' '.join(args)} failed: {result.output}")
    return result.stdout


def prepare(work: Path, docs: int, seed: int) -> tuple[Path, list[str]]:
    """The export folder, generating and building it when missing; notes on what was done."""
    corpus, export, notes = work / "corpus", work / "export", []
    if not corpus.is_dir():
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "gen_corpus.py"), str(corpus), "--docs", str(docs),
                        "--seed", str(seed)], check=True, capture_output=True)
        notes.append(f"generated {docs} documents (seed {seed})")
    if not (export / "kg.nq").is_file():
        wall, cpu = process(["build", str(corpus), "--out", str(export), "--dumps", "nq"], 1)
        notes.append(f"built in {wall:.0f} s wall, {cpu:.0f} s CPU")
    return export, notes


def rdflib_burden(nquads: Path, limit: int) -> dict[str, tuple[float, float, int]]:
    """Load time, and both burden queries (row by row, and summing the aggregates) on rdflib's
    default in-memory store: name → (wall, CPU, rows)."""
    from rdflib import Dataset

    from kg.graph.query import query_text, run

    dataset = Dataset(default_union=True)
    wall, cpu, _ = timed(lambda: dataset.parse(nquads, format="nquads"), 1)
    result = {"load kg.nq": (wall, cpu, len(dataset))}
    for name in ("burden_rows", "burden"):
        result[name] = _limited(lambda: timed(lambda: run(dataset, query_text(name)), 1), limit)
    return result


class _Stopped(BaseException):  # not an Exception: the query runner turns those into QueryError
    pass


def _limited(measure: Callable[[], tuple[float, float, object]], limit: int) -> tuple[float, float, int]:
    """(wall, CPU, rows) of a measurement, or (limit, -1, -1) when it ran past ``limit`` seconds
    (rdflib's joins on a million quads can run for hours: the figure is then a lower bound)."""
    import signal

    def stop(signum: int, frame: object) -> None:
        raise _Stopped

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(limit)
    try:
        wall, cpu, answer = measure()
        return wall, cpu, len(answer.rows)  # type: ignore[attr-defined]
    except _Stopped:
        return float(limit), -1.0, -1
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=260)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path("/tmp/kgburden"))
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "burden.md")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rdflib-limit", type=int, default=900,
                        help="seconds each rdflib query may take; past it the figure is a lower bound")
    args = parser.parse_args()
    load_start = os.getloadavg()
    export, notes = prepare(args.work, args.docs, args.seed)
    out = str(export)
    quads = sum(1 for _ in open(export / "kg.nq", "rb"))
    rows = {}
    for label, command in (("kg sparql burden", ("sparql", "burden", "--out", out)),
                           ("kg report burden", ("report", "burden", "--out", out)),
                           ("kg report burden --format json", ("report", "burden", "--format", "json", "--out", out)),
                           ("kg sparql burden_rows (row by row)", ("sparql", "burden_rows", "--out", out))):
        cli(*command)  # warm-up: imports and caches
        wall, cpu, _ = timed(lambda: cli(*command), args.repeat)
        rows[label] = (wall, cpu, *process(list(command), max(1, args.repeat // 2)))
    exact = exact_report(export, args.repeat)
    same = same_answers(out)
    reference = rdflib_burden(export / "kg.nq", args.rdflib_limit)
    write(args, export, quads, notes, rows, exact, same, reference, load_start)


def exact_report(export: Path, repeat: int) -> tuple[float, float]:
    """``kg report burden`` the way it was computed before the aggregates: every task and
    assignment row read in bulk, burden computed in Python."""
    from kg.analysis.rows import read_store
    from kg.present.reports import burden_report
    from kg.reference import load_reference

    tables = load_reference()
    wall, cpu, _ = timed(lambda: burden_report(read_store(export), "table", reference=tables), max(1, repeat // 2))
    return wall, cpu


def same_answers(out: str) -> dict[str, bool]:
    """The aggregates give what the rows give (the tests check this on small corpora; here at size)."""
    from kg.analysis.domains import with_level
    from kg.analysis.rows import read_store
    from kg.console import WIDE
    from kg.present.reports import burden_report
    from kg.reference import load_reference

    reference = load_reference()  # the tables the CLI would use
    data = with_level(read_store(Path(out)), 1, reference=reference)  # the report's default level, as the CLI reads it
    return {
        "kg sparql burden = burden_rows": cli("sparql", "burden", "--format", "csv", "--out", out)
        == cli("sparql", "burden_rows", "--format", "csv", "--out", out),
        "kg report burden = report from every row (json)": cli("report", "burden", "--format", "json", "--out", out)
        == burden_report(data, "json", reference=reference).rstrip("\n") + "\n",
        "kg report burden = report from every row (table)": cli("report", "burden", "--wide", "--out", out)
        == burden_report(data, "table", width=WIDE, reference=reference).rstrip("\n") + "\n",
    }


def write(args: argparse.Namespace, export: Path, quads: int, notes: list[str], rows: dict[str, tuple[float, ...]],
          exact: tuple[float, float], same: dict[str, bool], reference: dict[str, tuple[float, float, int]],
          load_start: tuple[float, float, float]) -> None:
    from kg import __version__

    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    slow = reference["burden_rows"][0]
    bound = "> " if reference["burden_rows"][2] < 0 else ""  # rdflib stopped at the limit: a lower bound
    lines = [f"# Burden on {quads:,} quads ({args.docs} generated documents)", "",
             f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} with `python benchmarks/bench_burden.py "
             f"--docs {args.docs} --seed {args.seed} --repeat {args.repeat}`; kg {__version__}, commit {commit}, "
             f"CPython {sys.version.split()[0]}, {os.cpu_count()} cores.",
             f"Load average at start {' '.join(f'{x:.2f}' for x in load_start)}, at end "
             f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}. {'; '.join(notes) or 'corpus and build reused'}.", "",
             "Own work: the command through the real CLI in this process (median of the runs, imports excluded). "
             "Process: a fresh `kg` process, Python start-up and imports included. The ratio is rdflib's row-by-row "
             "burden query (the bundled burden query before aggregates) over the command's own work, same run.", "",
             "| command | own work (wall) | own work (CPU) | process (wall) | process (CPU) | rdflib row-by-row ÷ own work |",
             "|---|---|---|---|---|---|"]
    for label, (wall, cpu, pwall, pcpu) in rows.items():
        lines.append(f"| {label} | {wall:.3f} s | {cpu:.3f} s | {pwall:.2f} s | {pcpu:.2f} s | {bound}{slow / wall:.0f}× |")
    lines.append(f"| report from every task and assignment row (before) | {exact[0]:.3f} s | {exact[1]:.3f} s | | | "
                 f"{bound}{slow / exact[0]:.1f}× |")
    lines += ["", "rdflib's default in-memory store (`Dataset`, union default graph) loaded from the same kg.nq:", "",
              "| step | wall | CPU | result |", "|---|---|---|---|"]
    for label, (wall, cpu, n) in reference.items():
        what = {"load kg.nq": "quads", "burden_rows": "rows (row-by-row query)", "burden": "rows (summing aggregates)"}
        if n < 0:
            lines.append(f"| {label} | > {wall:.0f} s (stopped) | | {what[label]}: no answer within the limit |")
        else:
            lines.append(f"| {label} | {wall:.2f} s | {cpu:.2f} s | {n:,} {what[label]} |")
    lines += ["", "Same answers at this size:", ""] + [f"- {k}: {'yes' if v else 'NO'}" for k, v in same.items()]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
