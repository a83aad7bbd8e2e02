"""Where the derived files' memory goes: ``write_outputs`` on a built export folder, its writers
run one after another in this process (as above 250,000 assignments), with this process's
resident set size before and after each step and the step in which the peak fell (sampled every
0.1 s). The folder's derived files are rewritten; its store and caches are only read, so a
hard-linked copy of a build will do (``cp -al BUILD/store BUILD/.kg-cache COPY/``).

    python benchmarks/bench_output_steps.py FOLDER [SOURCES_DIR]
"""
import sys, time, os, threading, psutil, functools, importlib
from pathlib import Path
folder = Path(sys.argv[1])
(folder / ".kg-cache" / "outputs.state").unlink(missing_ok=True)
import kg.present.files as files
files.FORK_ROWS = -1
from kg.reference import load_reference
ref = load_reference()
me = psutil.Process(); w0 = time.time(); peak = [0, ""]; cur = ["start"]
def rss(): return me.memory_info().rss >> 20
def sampler():
    while True:
        r = rss()
        if r > peak[0]: peak[0], peak[1] = r, cur[0]
        time.sleep(0.1)
threading.Thread(target=sampler, daemon=True).start()
def wrap(modname, fname):
    mod = importlib.import_module(modname); f = getattr(mod, fname)
    @functools.wraps(f)
    def g(*a, **k):
        prev = cur[0]; cur[0] = fname; r0 = rss(); t = time.time()
        out = f(*a, **k)
        print(f"{time.time()-w0:7.1f}s {fname:22s} {time.time()-t:6.1f}s rss {r0}->{rss()} MB (peak so far {peak[0]} in {peak[1]})", flush=True)
        cur[0] = prev
        return out
    setattr(mod, fname, g)
    return g
for m, f in [("kg.present.row_cache", "read_rows"), ("kg.present.files", "_by_subject"), ("kg.present.files", "_write_page"),
             ("kg.present.files", "_write_data"), ("kg.present.files", "_write_workbook"), ("kg.present.files", "_write_networks"),
             ("kg.present.files", "_write_tables")]:
    wrap(m, f)
import kg.present.analytics as an
orig = an.Analytics.of.__func__
def of(cls, *a, **k):
    prev = cur[0]; cur[0] = "Analytics.of"; r0 = rss(); t = time.time()
    out = orig(cls, *a, **k)
    print(f"{time.time()-w0:7.1f}s {'Analytics.of':22s} {time.time()-t:6.1f}s rss {r0}->{rss()} MB (peak so far {peak[0]} in {peak[1]})", flush=True)
    cur[0] = prev; return out
an.Analytics.of = classmethod(of)
import kg.present.spreadsheets as sp
wrap("kg.present.spreadsheets", "report_tables")
import kg.present.report_page as rp
wrap("kg.present.report_page", "report_html")
src = Path(sys.argv[2]) if len(sys.argv) > 2 else None
from kg.names import display_name
sources = {display_name(p.name): p for p in sorted(src.iterdir())} if src else {}
c = time.process_time()
files.write_outputs(folder, reference=ref, sources=sources)
print(f"wall {time.time()-w0:.1f} s cpu {time.process_time()-c:.1f} s peak {peak[0]} MB in {peak[1]}, load {os.getloadavg()[0]:.1f}")
