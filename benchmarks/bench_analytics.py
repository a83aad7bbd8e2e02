"""The analytics of ``kg build`` at size: the coordination figures, the workbook and the network
files, piece by piece, on an existing build (read only: its rows come from its store and row cache).

    python benchmarks/bench_analytics.py BUILD [--before SRC] [--check] [--out benchmarks/results/analytics.md]

BUILD is a ``kg build`` output folder (e.g. /tmp/b1000, 1,000 generated documents). Each piece is
timed once, CPU seconds (``time.process_time``) beside wall seconds, the load average printed at
the start and the end. ``--before SRC`` times the same pieces with the source tree SRC (e.g. an
export of main: ``git archive main | tar -x -C SRC``) in a child process. ``--check`` also runs
the references and says whether the figures and files are the same: networkx's betweenness
(500 pivots) and eigenvector centrality, networkx's GraphML and GEXF writers, the workbook read
back with openpyxl (these take minutes).
"""
from __future__ import annotations

import argparse
import inspect
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]


NOTES = """What changed (one piece each):

- betweenness: the shortest paths are counted by igraph (compiled) from networkx's own pivots
  (`random.Random(0).sample` of the sorted agencies, 500 of them) and scaled as networkx 3.6 scales
  (normalized, endpoints left out: 1/((k − 1)(n − 2)) for a pivot, 1/(k(n − 2)) for any other
  agency; exact figures 2/((n − 1)(n − 2)) on igraph's once-per-pair count). The figures that differ
  after rounding differ because of ties: igraph counts two paths as equally short when their lengths
  are equal up to rounding (1/5 + 1/5 + 1/5 against 1/2 + 1/10, both 0.6), networkx compares the
  float sums exactly and keeps only the one that rounds shorter. On random graphs the figures equal
  networkx's exactly when the sums are exact in floats (shares that are powers of two), and equal
  networkx's run on exact fractions otherwise (tests/test_fast_analytics.py).
- eigenvector: networkx's power iteration step for step (start 1/n, A + I, unit length, L1 stop
  at n × 1e-8, 2,000 steps), each step as NumPy arrays; per connected component as before.
- the build makes the co-assignment graph once (`Analytics.network`) for the figures and for
  `agencies.graphml`/`.gexf` (`network_graphs(data, agencies)`); before, `network_graphs` made it
  again (its "before" figure includes that, about 1.2 s).
- workbook: XlsxWriter, row by row with `constant_memory` (memory does not grow with the rows;
  `in_memory` holds every cell), each cell written by its type. Measured once on the same tables
  (13:20 UTC, loaded machine): openpyxl write-only 22.6 s CPU, XlsxWriter `in_memory` 13.6 s,
  XlsxWriter `constant_memory` 16.5 s, against openpyxl's normal mode above. The file is not the
  bytes openpyxl wrote (another writer), but the cells read back are the same, and two runs give
  the same bytes (the fixed creation date also dates the zip entries). One change: a text cell is
  cut at Excel's limit of 32,767 characters (the longest cell at this size has 10,013).
- GraphML and GEXF: written as text in one pass, the same bytes as networkx's writers (checked
  above at this size, and in the tests on text full of XML specials).

Left as it was: Louvain (networkx, as asked), the co-assignment and agency–task graphs, and the
flattening of attributes for the network files (`network_graphs`: per-edge Python work).""".splitlines()


def timed(figures: dict[str, tuple[float, float]], name: str, fn: Callable[[], Any]) -> Any:
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    figures[name] = (time.process_time() - cpu, time.perf_counter() - wall)
    print(f"{name}: {figures[name][0]:.2f} s CPU, {figures[name][1]:.2f} s wall", file=sys.stderr, flush=True)
    return result


def pieces(build: Path) -> tuple[dict[str, tuple[float, float]], dict[str, Any]]:
    """CPU and wall seconds of each piece with the ``kg`` on sys.path (old or new interface)."""
    from kg.analysis import coordination as co
    from kg.analysis.domains import with_level
    from kg.present import networks
    from kg.present.analytics import Analytics
    from kg.present.row_cache import read_rows
    from kg.present.spreadsheets import report_tables, workbook_bytes
    from kg.reference import load_reference

    reference, f = load_reference(), {}
    data = with_level(read_rows(build).data, 1, reference=reference)
    g = timed(f, "coassignment_graph", lambda: co.coassignment_graph(data))
    between = timed(f, "betweenness", lambda: co.betweenness(g))
    rank = timed(f, "eigenvector", lambda: co.eigenvector(g))
    timed(f, "Louvain communities", lambda: co._communities(g, {n: d["name"] for n, d in g.nodes(data=True)}))
    new = "network" in inspect.signature(co.coordination).parameters
    timed(f, "coordination (all)", lambda: co.coordination(data, 10**6, g) if new else co.coordination(data, 10**6))
    analytics = Analytics.of(data, reference)
    tables = report_tables(data, analytics)
    book = timed(f, "workbook_bytes", lambda: workbook_bytes(tables))
    graphs = timed(f, "network_graphs", lambda: networks.network_graphs(data, g) if new
                   else networks.network_graphs(data))
    files = {"reports.xlsx": book}
    for name, graph in graphs.items():
        if hasattr(networks, "network_texts"):  # both formats in one pass: timed once, not each at the cost of both
            pieces = timed(f, f"GraphML + GEXF {name}", lambda: list(networks.network_texts(graph)))
            for k, suffix in enumerate(("graphml", "gexf")):
                files[f"{name}.{suffix}"] = "".join(piece[k] for piece in pieces).encode("utf-8")
            continue
        files[f"{name}.graphml"] = timed(f, f"GraphML {name}", lambda: networks.graphml_bytes(graph))
        files[f"{name}.gexf"] = timed(f, f"GEXF {name}", lambda: networks.gexf_bytes(graph))
    return f, {"data": data, "graph": g, "between": between, "rank": rank, "tables": tables, "graphs": graphs,
               "files": files}


def checks(build: Path, made: dict[str, Any]) -> list[str]:
    """Whether the figures and files are the references' (slow: networkx at size)."""
    import io

    import networkx as nx
    from networkx.readwrite.gexf import GEXFWriter

    from kg.analysis.coordination import PIVOTS, _ordered

    g, out = made["graph"], []
    ref = nx.betweenness_centrality(_ordered(g, g.nodes), k=PIVOTS, weight="distance", normalized=True, seed=0)
    diff = [abs(made["between"][n] - ref[n]) for n in g]
    changed = sum(round(made["between"][n], 6) != round(ref[n], 6) for n in g)
    out.append(f"betweenness = networkx's (500 pivots, seed 0): max difference {max(diff):.3g}, "
               f"{changed} of {len(g):,} agencies differ after rounding to 6 decimals")
    out.append(_exact_betweenness(g, made["between"]))
    rank = {}
    for nodes in nx.connected_components(g):
        if len(nodes) > 1:
            part = nx.eigenvector_centrality(_ordered(g, nodes), weight="weight", max_iter=2000, tol=1e-8)
            rank.update({n: v * len(nodes) / len(g) for n, v in part.items()})
    changed = sum(round(made["rank"][n], 6) != round(rank.get(n, 0.0), 6) for n in g)
    out.append(f"eigenvector = networkx's: max difference {max(abs(made['rank'][n] - rank.get(n, 0.0)) for n in g):.3g}, "
               f"{changed} differ after rounding to 6 decimals")
    for name, graph in made["graphs"].items():
        buffer = io.BytesIO()
        nx.write_graphml(graph, buffer, encoding="utf-8")
        out.append(f"{name}.graphml = nx.write_graphml's bytes: {made['files'][f'{name}.graphml'] == buffer.getvalue()}")
        writer = GEXFWriter(encoding="utf-8", version="1.2draft")
        writer.xml.find("meta").attrib.pop("lastmodifieddate", None)
        writer.add_graph(graph)
        buffer = io.BytesIO()
        writer.write(buffer)
        out.append(f"{name}.gexf = networkx's GEXFWriter's bytes: {made['files'][f'{name}.gexf'] == buffer.getvalue()}")
    for name in ("agencies.graphml", "agencies.gexf", "tasks.graphml", "tasks.gexf"):
        out.append(f"{name} = the build's file: {(build / name).read_bytes() == made['files'][name]}")
    out.append(f"reports.xlsx read back = the tables: {_workbook_matches(made['files']['reports.xlsx'], made['tables'])}")
    return out


def _exact_betweenness(g: Any, between: dict[str, float]) -> str:
    """networkx's betweenness on whole-number distances (L / shares, L the least common multiple of
    the shares, Python integers: sums exact, ties seen) against ours."""
    import math

    import networkx as nx

    from kg.analysis.coordination import PIVOTS, _ordered

    whole = math.lcm(*{d["weight"] for *_, d in g.edges(data=True)})
    exact = _ordered(g, g.nodes)
    for _, _, d in exact.edges(data=True):
        d["whole"] = whole // d["weight"]
    ref = nx.betweenness_centrality(exact, k=PIVOTS, weight="whole", normalized=True, seed=0)
    changed = sum(round(between[n], 6) != round(ref[n], 6) for n in g)
    return (f"betweenness = networkx's on exact whole-number distances (ties seen): max difference "
            f"{max(abs(between[n] - ref[n]) for n in g):.3g}, {changed} differ after rounding to 6 decimals")


def _workbook_matches(book: bytes, tables: dict[str, list[dict[str, Any]]]) -> bool:
    import io

    from openpyxl import load_workbook

    from kg.cells import xml_safe
    from kg.present.reports import safe_cell

    sheets = load_workbook(io.BytesIO(book), read_only=True)
    for name, rows in tables.items():
        columns = list(rows[0]) if rows else []
        expected = ([tuple(columns)] if columns else []) + [tuple(xml_safe(safe_cell(r[c])) for c in columns) for r in rows]
        if list(sheets[name[:31]].iter_rows(values_only=True)) != expected:
            return False
    return True


def before(source: Path, build: Path) -> dict[str, tuple[float, float]]:
    """The pieces timed with the source tree ``source`` in a child process."""
    code = (f"import json, sys; sys.path[:0] = [{str(source)!r}, {str(ROOT / 'benchmarks')!r}]; "
            f"from bench_analytics import pieces; from pathlib import Path; "
            f"print(json.dumps(pieces(Path({str(build)!r}))[0]))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            env={**os.environ, "PYTHONPATH": str(source)})
    return {k: tuple(v) for k, v in json.loads(result.stdout.splitlines()[-1]).items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("build", type=Path)
    parser.add_argument("--before", type=Path)
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "analytics.md")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    load = os.getloadavg()
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()  # at the start: the code that is timed
    old = before(args.before, args.build) if args.before else {}
    now, made = pieces(args.build)
    notes = checks(args.build, made) if args.check else []
    lines = [f"# Analytics of a build at size ({args.build})", "",
             f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} with `python benchmarks/bench_analytics.py "
             f"{' '.join(sys.argv[1:])}`; commit {commit}, CPython {sys.version.split()[0]}, {os.cpu_count()} cores.",
             f"Load average at start {' '.join(f'{x:.2f}' for x in load)}, at end "
             f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}.", "",
             f"Graph: {made['graph'].number_of_nodes():,} agencies, {made['graph'].number_of_edges():,} links.", "",
             "| piece | before CPU s | before wall s | now CPU s | now wall s |", "|---|---|---|---|---|"]
    for name, (cpu, wall) in now.items():
        was = old.get(name)
        lines.append(f"| {name} | {was[0]:.2f} | {was[1]:.2f} | {cpu:.2f} | {wall:.2f} |" if was
                     else f"| {name} | | | {cpu:.2f} | {wall:.2f} |")
    lines += ([""] + [f"- {n}" for n in notes]) if notes else []
    lines += ["", *NOTES]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
