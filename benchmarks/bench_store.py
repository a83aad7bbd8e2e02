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


def _time(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> None:
    from rdflib import Literal

    from kg import query
    from kg.store import _dataset_from_nquads, load_memory

    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=92)
    parser.add_argument("--exports", type=Path, default=ROOT / "exports")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "store.md")
    parser.add_argument("--repeat", type=int, default=3)
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
            times = {label: _time(lambda ds=ds: query.run(ds, text, bindings), args.repeat if "rdflib" not in label else 1)
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
        lines.append(f"| {name} | " + " | ".join(f"{times[k]:.3f} s" for k in labels)
                     + f" | {rd / times['Oxigraph on disk']:.0f}× | {rd / times['Oxigraph in memory']:.0f}× |")
    total = {k: sum(t[k] for _, t in rows) for k in labels}
    lines.append("| **all queries** | " + " | ".join(f"**{total[k]:.2f} s**" for k in labels)
                 + f" | **{total['rdflib default store'] / total['Oxigraph on disk']:.0f}×** | "
                   f"**{total['rdflib default store'] / total['Oxigraph in memory']:.0f}×** |")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
