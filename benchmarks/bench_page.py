"""The graph page at size: generated agency networks of 200 and 2,000 agencies, rendered in Python
(layout included) and opened in headless Chromium (offline, software rendering).

Reports the HTML size, the Python render time (and the layout's share), the time from navigation
to the first drawn frame (``performance.now()`` at vis' first afterDrawing), and the time the page
takes to answer a click (side panel), a filter change and a search once drawn.

    python benchmarks/bench_page.py [--sizes 200 2000] [--out benchmarks/results/page.md]
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


def generated(agencies: int, seed: int = 7):  # type: ignore[no-untyped-def]
    """GraphData shaped like ours: jurisdictions of ~40 agencies each, 3 tasks per agency with
    1–5 agencies (a few heavy ones), one document per jurisdiction."""
    from kg.analysis.rows import AssignmentRow, DocumentRow, GraphData, TaskRow
    from kg.reference import load_reference

    rng = random.Random(seed)
    functions = sorted(load_reference().functions)
    places = max(1, agencies // 40)
    docs = [DocumentRow(f"doc{p:04d}.txt", f"第{p}市质量工作方案", "", "2020-01-01", f"第{p}市", "city")
            for p in range(places)]
    per_place = agencies // places
    pick = [[functions[(7 * j + p) % len(functions)] for j in range(per_place)] for p in range(places)]
    members = [[(f"https://w3id.org/cgr/id/agency/p{p}/{f}", f"第{p}市{f}局", f) for f in pick[p]]
               for p in range(places)]
    tasks, rows = [], []
    for t in range(3 * agencies):
        p = t % places
        lead = members[p][(t // places) % len(members[p])]
        doc, iri = docs[p].document, f"https://w3id.org/cgr/id/doc/{p}/task/{t}"
        tasks.append(TaskRow(doc, iri, f"{t // 10 + 1}.{t % 10 + 1}", f"任务{t}", "action", t, True, ("product_quality",)))
        weights = [1 / (rank + 1) ** 0.7 for rank in range(len(members[p]))]
        chosen = set(rng.choices(range(len(members[p])), weights, k=rng.randint(1, 5)))
        rows.append(AssignmentRow(doc, iri, "lead", lead[1], lead[0], lead[1], lead[2], False, True, False))
        for m in sorted(chosen):
            agency, name, function = members[p][m]
            if agency != lead[0]:
                role = rng.choice(["support", "support", "responsible"])
                rows.append(AssignmentRow(doc, iri, role, name, agency, name, function, False, True, False))
    return GraphData(tuple(docs), tuple(tasks), tuple(sorted(set(rows), key=str)))


def vis_alone(folder: Path) -> Path:
    """A page holding only pyvis' inlined vis-network build: the floor any vis page pays."""
    import pyvis

    lib = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2" / "vis-network.min.js"
    path = folder / "vis-alone.html"
    path.write_text("<html><head><script>" + lib.read_text(encoding="utf-8") + "</script><script>"
                    "window.kgStabilized = true; window.kgReadyAt = performance.now();</script></head></html>",
                    encoding="utf-8")
    return path


def in_browser(path: Path) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_context(offline=True, viewport={"width": 1400, "height": 1000}).new_page()
        page.goto(path.as_uri(), timeout=120_000)
        page.wait_for_function("window.kgStabilized === true", timeout=120_000)
        drawn = page.evaluate("window.kgReadyAt") / 1000
        if page.evaluate("typeof kgShowNode") == "undefined":
            browser.close()
            return {"drawn": drawn}
        click = page.evaluate("""() => { const t = performance.now(); kgShowNode(kg.byBurden[0]);
                                         return (performance.now() - t) / 1000; }""")
        filt = page.evaluate("""() => { const t = performance.now(); const s = document.getElementById('kg-document');
                                        s.value = s.options[1].value; kgApply(); return (performance.now() - t) / 1000; }""")
        search = page.evaluate("""() => { const t = performance.now(); document.getElementById('kg-document').value = '';
                                          kgApply(); document.getElementById('kg-search').value = kg.data.nodes[0].name;
                                          kgSearch(); return (performance.now() - t) / 1000; }""")
        browser.close()
    return {"drawn": drawn, "click": click, "filter": filt, "search": search}


def main() -> None:
    from kg.present import graph_view
    from kg.present.graph_page import render_html
    from kg.reference import load_reference

    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2000])
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "page.md")
    args = parser.parse_args()
    lines = ["# Graph page at size (headless Chromium, software rendering, 2 shared cores)", "",
             "| agencies | links | HTML | render in Python (layout) | drawn after | click → panel | filter | "
             "search + filter reset |", "|---|---|---|---|---|---|---|---|"]
    with tempfile.TemporaryDirectory() as tmp:
        floor = in_browser(vis_alone(Path(tmp)))["drawn"]
        lines.append(f"| vis-network alone (parse) | | 0.7 MB | | {floor:.2f} s | | | |")
        for size in args.sizes:
            data = generated(size)
            layout = graph_view.layout
            spent = [0.0]

            def timed(net, *a, **k):  # type: ignore[no-untyped-def]
                start = time.perf_counter()
                try:
                    return layout(net, *a, **k)
                finally:
                    spent[0] += time.perf_counter() - start

            graph_view.layout = timed  # type: ignore[assignment]
            start = time.perf_counter()
            page = render_html(data, max_nodes=10**9, reference=load_reference())
            render_s = time.perf_counter() - start
            graph_view.layout = layout  # type: ignore[assignment]
            path = Path(tmp) / f"page{size}.html"
            path.write_text(page.html, encoding="utf-8")
            t = in_browser(path)
            lines.append(f"| {page.nodes:,} | {page.edges:,} | {path.stat().st_size / 1e6:.1f} MB | {render_s:.1f} s "
                         f"({spent[0]:.1f} s) | {t['drawn']:.2f} s | {t['click']:.3f} s | {t['filter']:.3f} s "
                         f"| {t['search']:.3f} s |")
            print(lines[-1], flush=True)
    load = Path("/proc/loadavg").read_text().split()[:3] if Path("/proc/loadavg").exists() else ["?"]
    lines += ["", f"Load average during the run: {' '.join(load)} (2 cores shared with other jobs). "
              "`drawn after` counts from navigation start, so it includes the vis-network parse above."]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
