"""Render generated graphs of about 200, 2,000 and 20,000 nodes; report file size, render time and
the time headless Chromium takes to stabilise the page (offline).

    python benchmarks/bench_render.py [--sizes 200 2000 20000] [--out benchmarks/results/render.md]
"""
from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DOMAINS = ["product_quality", "service_quality", "brand", "standardization", "metrology", "food_drug"]
FUNCTIONS = ["development_reform", "market_regulation", "commerce", "finance", "education", "public_security",
             "transport", "agriculture", "culture_tourism", "health"]


def generated(nodes: int, seed: int = 7):  # type: ignore[no-untyped-def]
    """GraphData with about ``nodes`` nodes: 80 % tasks, 15 % agencies, 5 % documents."""
    from kg.analysis.rows import AssignmentRow, DocumentRow, GraphData, TaskRow

    rng = random.Random(seed)
    n_docs, n_agencies = max(1, nodes // 20), max(3, nodes * 15 // 100)
    n_tasks = nodes - n_docs - n_agencies
    docs = [DocumentRow(f"doc{d:05d}.txt", f"文件{d}", "", "", "某市", "city") for d in range(n_docs)]
    agencies = [(f"https://w3id.org/cgr/id/agency/x/{k}", f"某市第{k}局", FUNCTIONS[k % len(FUNCTIONS)])
                for k in range(n_agencies)]
    tasks, assignments = [], []
    for t in range(n_tasks):
        doc = docs[t % n_docs].document
        iri = f"https://w3id.org/cgr/id/doc/{doc}/task/{t}"
        tasks.append(TaskRow(doc, iri, f"{t // 10 + 1}.{t % 10 + 1}", f"任务{t}", "action", t, True,
                             (rng.choice(DOMAINS),), f"(某局牵头,某局配合){t}"))
        for k, role in enumerate(rng.sample(["lead", "support", "support", "responsible"], rng.randint(1, 3))):
            agency, name, function = agencies[rng.randrange(n_agencies)]
            assignments.append(AssignmentRow(doc, iri, role, name, agency, name, function, False, True, False))
    return GraphData(tuple(docs), tuple(tasks), tuple(sorted(set(assignments), key=str)))


def stabilise(page_path: Path, limit_s: float) -> float:
    """Seconds until the page reports it stabilised (inf past the limit)."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"])
        page = browser.new_context(offline=True, viewport={"width": 1400, "height": 1000}).new_page()
        start = time.perf_counter()
        page.goto(page_path.as_uri(), timeout=int(limit_s * 1000))
        try:
            page.wait_for_function("window.kgStabilized === true", timeout=int(limit_s * 1000))
            elapsed = time.perf_counter() - start
        except Exception:  # noqa: BLE001 - a timeout is a result here
            elapsed = float("inf")
        browser.close()
    return elapsed


def main() -> None:
    from kg.present.graph_page import render_html
    from kg.reference import load_reference

    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2000, 20000])
    parser.add_argument("--limit", type=float, default=600.0)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "render.md")
    args = parser.parse_args()
    lines = ["# Interactive graph page: size and time to stabilise (headless Chromium, software rendering)", "",
             "| nodes (generated) | nodes drawn | edges | HTML size | render (Python) | stabilised in |",
             "|---|---|---|---|---|---|"]
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            data = generated(size)
            start = time.perf_counter()
            page = render_html(data, max_nodes=10**9, reference=load_reference())
            render_s = time.perf_counter() - start
            path = Path(tmp) / f"g{size}.html"
            path.write_text(page.html, encoding="utf-8")
            seconds = stabilise(path, args.limit)
            shown = f"{seconds:.1f} s" if seconds != float("inf") else f"> {args.limit:.0f} s"
            lines.append(f"| {size:,} | {page.nodes:,} | {page.edges:,} | {path.stat().st_size / 1e6:.1f} MB "
                         f"| {render_s:.2f} s | {shown} |")
            print(lines[-1], flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
