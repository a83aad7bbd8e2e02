"""Time every bundled query on a ≥1 M-triple graph in three stores, side by side.

The graph is the bundled corpus's own graph replicated under new document IRIs, so its
shape (assignments, spans, agencies shared across documents) is exactly ours.

    python benchmarks/bench_store.py [--copies 92] [--out benchmarks/results/store.md]

Needs a built export folder (``kg build``) for the seed graph.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PARAMS = {
    "agency_tasks": {"name": "市质监局"},
    "assignment_source": {"mention": "市工商局"},
    "burden_in_document": {"document": "000_4f8aafbd3b2270d0_c0000.txt"},
    "document_agencies": {"document": "000_4f8aafbd3b2270d0_c0000.txt"},
    "task_coleads": {"document": "000_4f8aafbd3b2270d0_c0000.txt", "path": "3.1.2"},
    "tasks_in_domain": {"domain": "product_quality"},
}


def replicated_nquads(seed: str, copies: int) -> str:
    """The seed dataset with every document graph copied ``copies`` times under new names."""
    reference, documents = [], []
    for line in seed.splitlines():
        (reference if "/graph/reference>" in line else documents).append(line)
    out = list(reference)
    for k in range(copies):
        tag = f"_c{k:04d}"
        for line in documents:
            out.append(line.replace("/doc/0", f"/doc/{tag}_0").replace('.txt"', f'{tag}.txt"'))
    return "\n".join(out) + "\n"


class _TooSlow(BaseException):  # not Exception: query.run turns those into QueryError
    pass


def _time(fn, repeat: int, limit: float) -> float:  # type: ignore[no-untyped-def]
    """Median seconds of ``repeat`` runs; ``inf`` when one run exceeds ``limit`` seconds."""
    import signal

    def stop(*_):  # type: ignore[no-untyped-def]
        raise _TooSlow

    runs = []
    previous = signal.signal(signal.SIGALRM, stop)
    try:
        for _ in range(repeat):
            start = time.perf_counter()
            signal.setitimer(signal.ITIMER_REAL, limit)
            try:
                fn()
            except _TooSlow:
                return float("inf")
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            runs.append(time.perf_counter() - start)
    finally:
        signal.signal(signal.SIGALRM, previous)
    return statistics.median(runs)


def _fmt(seconds: float, limit: float) -> str:
    return f"> {limit:.0f} s" if seconds == float("inf") else f"{seconds:.3f} s"


def _ratio(slow: float, fast: float) -> str:
    if slow == float("inf"):
        return "—"
    if not fast:
        return "—"
    ratio = slow / fast
    return f"{ratio:.1f}×" if ratio < 10 else f"{ratio:.0f}×"


def main() -> None:
    from rdflib import Literal

    from kg.graph import query
    from kg.graph.store import _dataset_from_nquads, load_memory

    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=92)
    parser.add_argument("--exports", type=Path, default=ROOT / "exports")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "store.md")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--limit", type=float, default=120.0, help="seconds before a query counts as too slow")
    args = parser.parse_args()

    data = replicated_nquads((args.exports / "kg.nq").read_text(encoding="utf-8"), args.copies)
    quads = data.count("\n")
    stores, loads = {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        import pyoxigraph as ox
        from oxrdflib import OxigraphStore
        from rdflib import Dataset

        start = time.perf_counter()
        disk = ox.Store(str(Path(tmp) / "store"))
        disk.bulk_load(data.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
        disk.flush()
        loads["Oxigraph on disk"] = time.perf_counter() - start
        stores["Oxigraph on disk"] = Dataset(store=OxigraphStore(store=disk), default_union=True)
        start = time.perf_counter()
        stores["Oxigraph in memory"] = load_memory(data)
        loads["Oxigraph in memory"] = time.perf_counter() - start
        start = time.perf_counter()
        stores["rdflib default store"] = _dataset_from_nquads(data)
        loads["rdflib default store"] = time.perf_counter() - start

        rows = []
        for name in sorted(query.bundled_queries()):
            text = query.query_text(name)
            bindings = {k: Literal(v) for k, v in PARAMS.get(name, {}).items()}
            times = {label: _time(lambda ds=ds: query.run(ds, text, bindings),
                                  args.repeat if "rdflib" not in label else 1, args.limit)
                     for label, ds in stores.items()}
            rows.append((name, times))
            print(name, {k: round(v, 3) for k, v in times.items()}, flush=True)
        for ds in stores.values():
            ds.close()

    labels = list(stores)
    lines = [f"# Bundled queries on {quads:,} quads ({args.copies} copies of the bundled corpus)", "",
             "Load: " + ", ".join(f"{k} {v:.1f} s" for k, v in loads.items()), "",
             "| query | " + " | ".join(labels) + " | rdflib ÷ Oxigraph on disk | rdflib ÷ Oxigraph in memory |",
             "|---|" + "---|" * (len(labels) + 2)]
    for name, times in rows:
        rd = times["rdflib default store"]
        lines.append(f"| {name} | " + " | ".join(_fmt(times[k], args.limit) for k in labels)
                     + f" | {_ratio(rd, times['Oxigraph on disk'])} | {_ratio(rd, times['Oxigraph in memory'])} |")
    finished = [t for _, t in rows if all(v != float("inf") for v in t.values())]
    total = {k: sum(t[k] for t in finished) for k in labels}
    lines.append(f"| **queries all stores finished ({len(finished)})** | "
                 + " | ".join(f"**{total[k]:.2f} s**" for k in labels)
                 + f" | **{_ratio(total['rdflib default store'], total['Oxigraph on disk'])}** | "
                   f"**{_ratio(total['rdflib default store'], total['Oxigraph in memory'])}** |")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
