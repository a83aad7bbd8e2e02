"""Burden at size: ``kg sparql burden`` and ``kg report burden`` on a ≥ 1 M-quad store, against
the same questions on rdflib's default in-memory store loaded from the same kg.nq, in the same run,
and what keeping the corpus totals costs a build.

    python benchmarks/bench_burden.py [--docs 260] [--seed 1] [--work /tmp/kgburden] [--export DIR]
                                      [--out benchmarks/results/burden.md] [--repeat 5]
                                      [--rdflib-limit 300] [--before SRC]

Generates the corpus (``gen_corpus.py``) and builds it (``kg build --dumps nq``) unless the work
folder has them already; ``--export DIR`` uses that export folder instead (a copy of an earlier
build: the totals are made when it has none, timed). For each command three figures, wall and
CPU seconds:

* query: the answer in hand as Python values — ``kg sparql burden`` its rows read from the totals
  (:func:`kg.graph.totals_read.read_sparql_totals`), ``kg report burden`` the totals read and made
  into burden rows (:func:`kg.analysis.totals.totals_table`); the exact ways (``burden.rq`` run on
  the store, the loads summed) beside them;
* own work: the command run in this process through the real CLI (click's runner) after a
  warm-up, output written, so Python start-up and imports are left out;
* process: a fresh ``kg`` process, start-up and imports included (with ``--before SRC``, also
  the same command from the source tree SRC, e.g. an export of the previous commit).

The totals' build cost (:func:`kg.graph.totals_store.refresh_totals`): every document read (a
first build), one document changed (its record dropped, so it is read again), nothing changed.
CPU seconds are given beside wall seconds because the machine is shared; the load average is
printed at the start and the end. A new section goes on top of the results file; older ones stay.
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
from typing import Any, Callable

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


def process(args: list[str], repeat: int, source: Path | None = None) -> tuple[float, float]:
    """Median wall and CPU (user + sys) seconds of a fresh ``kg`` process (of the source tree
    ``source`` when given)."""
    walls, cpus = [], []
    command = [sys.executable, "-m", "kg"] if source else [str(Path(sys.executable).with_name("kg"))]
    env = {**os.environ, "PYTHONPATH": str(source)} if source else None
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([*command, *args], check=True, capture_output=True, env=env, cwd=source or None)
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


def prepare(work: Path, docs: int, seed: int, export: Path | None) -> tuple[Path, list[str]]:
    """The export folder, generating and building it when missing; notes on what was done."""
    if export is not None:
        return export, []
    corpus, export, notes = work / "corpus", work / "export", []
    if not corpus.is_dir():
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "gen_corpus.py"), str(corpus), "--docs", str(docs),
                        "--seed", str(seed)], check=True, capture_output=True)
        notes.append(f"generated {docs} documents (seed {seed})")
    if not (export / "kg.nq").is_file():
        wall, cpu = process(["build", str(corpus), "--out", str(export), "--dumps", "nq"], 1)
        notes.append(f"built in {wall:.0f} s wall, {cpu:.0f} s CPU")
    return export, notes


def totals_cost(out: Path, repeat: int) -> dict[str, tuple[float, float, str]]:
    """What keeping the totals costs a build: (wall, CPU, what was done) per case."""
    import json

    from kg.graph.totals import FOLDER, store_state
    from kg.graph.totals_store import DOCUMENTS, refresh_totals

    documents = out / FOLDER / DOCUMENTS

    def every() -> str:
        documents.unlink(missing_ok=True)
        return refresh_totals(out)

    def one() -> str:
        records = json.loads(documents.read_text(encoding="utf-8"))
        records[min(records)]["fingerprint"] = "changed"
        documents.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
        return refresh_totals(out)

    cases = {"every document read (a first build, or a store built before the totals)": every,
             "one document changed (its loads read again, every agency summed and named)": one,
             "nothing changed (the totals' state renewed)": lambda: refresh_totals(out, store_state(out), False)}
    found = {}
    for label, fn in cases.items():
        wall, cpu, what = timed(fn, 1 if fn is every else repeat)
        found[label] = (wall, cpu, str(what))
    return found


def rdflib_burden(nquads: Path, limit: int) -> dict[str, tuple[float, float, int]]:
    """Load time, and both burden queries (summing the aggregates, and row by row) on rdflib's
    default in-memory store: name → (wall, CPU, rows)."""
    from rdflib import Dataset

    from kg.graph.query import query_text, run

    dataset = Dataset(default_union=True)
    wall, cpu, _ = timed(lambda: dataset.parse(nquads, format="nquads"), 1)
    result = {"load kg.nq": (wall, cpu, len(dataset))}
    for name in ("burden", "burden_rows"):
        result[name] = _limited(lambda: timed(lambda: run(dataset, query_text(name)), 1), limit)
    return result


def query_times(out: Path, repeat: int) -> dict[str, tuple[float, float]]:
    """The answers in hand as Python values, files or store opening included, output left out:
    from the totals, and the exact ways."""
    from kg.analysis.loads import loads_table, read_loads
    from kg.analysis.rows import store_with
    from kg.analysis.totals import read_totals, totals_table
    from kg.graph.direct import open_oxigraph, select
    from kg.graph.querytext import query_text
    from kg.graph.totals_read import read_sparql_totals
    from kg.reference import load_reference

    reference = load_reference()

    def report(with_domains: bool) -> Callable[[], object]:
        return lambda: totals_table(_needed(read_totals(out, with_domains)), reference=reference)

    measured = {"kg sparql burden": lambda: _needed(read_sparql_totals(out)),
                "kg report burden": report(False), "kg report burden --format json": report(True),
                "kg sparql burden, exact (burden.rq on the store)": lambda: select(open_oxigraph(out), query_text("burden")),
                "kg report burden, exact (the loads summed)":
                lambda: loads_table(store_with(out, read_loads, True), reference=reference)}
    for fn in measured.values():
        fn()  # warm-up: imports and caches
    return {label: timed(fn, repeat)[:2] for label, fn in measured.items()}


def _needed(value: Any) -> Any:
    if value is None:
        raise SystemExit("the totals are not in step with the store")
    return value


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


COMMANDS = {"kg sparql burden": ("sparql", "burden"), "kg sparql burden --format csv": ("sparql", "burden", "--format", "csv"),
            "kg report burden": ("report", "burden"), "kg report burden --format csv": ("report", "burden", "--format", "csv"),
            "kg report burden --format json": ("report", "burden", "--format", "json")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=260)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path("/tmp/kgburden"))
    parser.add_argument("--export", type=Path, default=None, help="an export folder to use (a copy: totals are written)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "burden.md")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rdflib-limit", type=int, default=300,
                        help="seconds each rdflib query may take; past it the figure is a lower bound (0: no rdflib)")
    parser.add_argument("--before", type=Path, default=None,
                        help="a source tree of an earlier version (git archive COMMIT | tar -x -C DIR): its processes too")
    args = parser.parse_args()
    load_start = os.getloadavg()
    export, notes = prepare(args.work, args.docs, args.seed, args.export)
    out = str(export)
    quads = _quads(export)
    cost = totals_cost(export, args.repeat)
    queries = query_times(export, args.repeat)
    rows = {}
    for label, command in COMMANDS.items():
        full = (*command, "--out", out)
        cli(*full)  # warm-up: imports and caches
        wall, cpu, _ = timed(lambda: cli(*full), args.repeat)
        before = process(list(full), args.repeat, args.before) if args.before else None
        rows[label] = (queries.get(label), (wall, cpu), process(list(full), args.repeat), before)
    exact = {label: pair for label, pair in queries.items() if "exact" in label}
    same = same_answers(out)
    reference = rdflib_burden(export / "kg.nq", args.rdflib_limit) if args.rdflib_limit else {}
    write(args, export, quads, notes, rows, exact, cost, same, reference, load_start)


def _quads(export: Path) -> int:
    """Quads in the store (the dump may be older than the store)."""
    from kg.graph.direct import open_oxigraph

    return len(open_oxigraph(export))


def same_answers(out: str) -> dict[str, bool]:
    """The totals give what the loads and the rows give (the tests check this on small corpora; here at size)."""
    import shutil
    import tempfile

    from kg.analysis.domains import with_level
    from kg.analysis.rows import read_store
    from kg.console import WIDE
    from kg.graph.query import format_result, query_text, run_oxigraph
    from kg.graph.store import open_oxigraph
    from kg.graph.totals import FOLDER
    from kg.graph.totals_read import read_sparql_totals
    from kg.present.reports import burden_report
    from kg.reference import load_reference

    reference = load_reference()  # the tables the CLI would use
    data = with_level(read_store(Path(out)), 1, reference=reference)  # the report's default level, as the CLI reads it
    engine = run_oxigraph(open_oxigraph(Path(out)), query_text("burden"))  # engine's order, terms through rdflib
    fresh = read_sparql_totals(Path(out)) is not None
    kept = Path(tempfile.mkdtemp()) / "totals"
    shutil.move(str(Path(out) / FOLDER), kept)  # without them: the exact ways, for the comparison
    try:
        exact = {fmt: (cli("report", "burden", "--format", fmt, "--out", out),
                       cli("sparql", "burden", "--format", fmt, "--out", out)) for fmt in ("table", "csv", "json")}
    finally:
        shutil.move(str(kept), Path(out) / FOLDER)
    return {
        "the totals are in step with the store (the commands read them)": fresh and read_sparql_totals(Path(out)) is not None,
        "kg sparql burden (the totals) = burden.rq on the store, the engine's ORDER BY through rdflib terms (csv)":
        cli("sparql", "burden", "--format", "csv", "--out", out) == format_result(engine, "csv").rstrip("\n") + "\n",
        "same (json)": cli("sparql", "burden", "--format", "json", "--out", out)
        == format_result(engine, "json").rstrip("\n") + "\n",
        "kg sparql burden = burden_rows (every assignment row)": cli("sparql", "burden", "--format", "csv", "--out", out)
        == cli("sparql", "burden_rows", "--format", "csv", "--out", out),
        "kg sparql burden = the exact way without the totals (table, csv, json)": all(
            cli("sparql", "burden", "--format", fmt, "--out", out) == exact[fmt][1] for fmt in exact),
        "kg report burden = the loads summed without the totals (table, csv, json)": all(
            cli("report", "burden", "--format", fmt, "--out", out) == exact[fmt][0] for fmt in exact),
        "kg report burden = report from every row (json)": cli("report", "burden", "--format", "json", "--out", out)
        == burden_report(data, "json", reference=reference).rstrip("\n") + "\n",
        "kg report burden = report from every row (table)": cli("report", "burden", "--wide", "--out", out)
        == burden_report(data, "table", width=WIDE, reference=reference).rstrip("\n") + "\n",
    }


Pair = tuple[float, float]


def write(args: argparse.Namespace, export: Path, quads: int, notes: list[str],
          rows: dict[str, tuple[Pair | None, Pair, Pair, Pair | None]], exact: dict[str, Pair],
          cost: dict[str, tuple[float, float, str]], same: dict[str, bool],
          reference: dict[str, tuple[float, float, int]], load_start: tuple[float, float, float]) -> None:
    from kg import __version__

    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    slow, bound = _rdflib_figure(reference) if reference else (0.0, "")

    def pair(p: Pair | None) -> str:
        return f"{p[0]:.3f} s / {p[1]:.3f} s" if p else ""

    def ratio(p: Pair | None) -> str:
        return f"{bound}{slow / p[0]:.0f}×" if p and reference else ""

    skipped = {"out"} | ({"docs", "seed", "work"} if args.export else set())  # not used with --export
    options = " ".join(f"--{k.replace('_', '-')} {v}" for k, v in vars(args).items() if v is not None and k not in skipped)
    lines = [f"## Burden on {quads:,} quads ({export})", "",
             f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} with `python benchmarks/bench_burden.py "
             f"{options}`; kg {__version__}, commit {commit}, CPython {sys.version.split()[0]}, {os.cpu_count()} cores.",
             f"Load average at start {' '.join(f'{x:.2f}' for x in load_start)}, at end "
             f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}. {'; '.join(notes) or 'build reused'}.", "",
             "Each cell is wall / CPU seconds, median of the runs. Query: the answer in hand as Python values (the "
             "totals read, output left out). Own work: the command through the real CLI in this process, output "
             "written, imports excluded. Process: a fresh `kg` process, start-up and imports included"
             + (f"; before: the same from `{args.before}`" if args.before else "") + ". The ratios are rdflib's "
             "default in-memory store answering the same burden question (the faster of its two queries) over the "
             "query and over the fresh process, same run.", "",
             "| command | query | own work | process | " + ("process before | " if args.before else "")
             + "rdflib ÷ query | rdflib ÷ process |", "|---|---|---|---|" + ("---|" if args.before else "") + "---|---|"]
    for label, (query, own, proc, before) in rows.items():
        lines.append(f"| {label} | {pair(query)} | {pair(own)} | {pair(proc)} | "
                     + (f"{pair(before)} | " if args.before else "") + f"{ratio(query)} | {ratio(proc)} |")
    lines += ["", "The same answers the exact way, in this process (store opened, output left out):", "",
              "| query | wall / CPU |", "|---|---|"] + [f"| {label} | {pair(p)} |" for label, p in exact.items()]
    lines += ["", "What keeping the totals costs a build (`refresh_totals`, after the store is closed):", "",
              "| case | wall | CPU | done |", "|---|---|---|---|"]
    lines += [f"| {label} | {wall:.2f} s | {cpu:.2f} s | {what} |" for label, (wall, cpu, what) in cost.items()]
    if reference:
        lines += ["", "rdflib's default in-memory store (`Dataset`, union default graph) loaded from the same kg.nq:",
                  "", "| step | wall | CPU | result |", "|---|---|---|---|"]
    what = {"load kg.nq": "quads", "burden_rows": "rows (row-by-row query)", "burden": "rows (summing aggregates)"}
    for label, (wall, cpu, n) in reference.items():
        if n < 0:
            lines.append(f"| {label} | > {wall:.0f} s (stopped) | | {what[label]}: no answer within the limit |")
        else:
            lines.append(f"| {label} | {wall:.2f} s | {cpu:.2f} s | {n:,} {what[label]} |")
    lines += ["", "Same answers at this size:", ""] + [f"- {k}: {'yes' if v else 'NO'}" for k, v in same.items()]
    text = "\n".join(lines) + "\n"
    older = args.out.read_text(encoding="utf-8") if args.out.is_file() else ""
    title, _, rest = older.partition("\n")
    head = title if title.startswith("# ") else "# Burden at size"
    args.out.write_text(f"{head}\n\n{text}\n{rest.lstrip() if title.startswith('# ') else older}", encoding="utf-8")
    print(text)


def _rdflib_figure(reference: dict[str, tuple[float, float, int]]) -> tuple[float, str]:
    """rdflib's fastest burden answer in seconds, and "> " when every query ran past its limit."""
    answered = [wall for name, (wall, _cpu, n) in reference.items() if name != "load kg.nq" and n >= 0]
    if answered:
        return min(answered), ""
    return min(wall for name, (wall, _cpu, _n) in reference.items() if name != "load kg.nq"), "> "


if __name__ == "__main__":
    main()
