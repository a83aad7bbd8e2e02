"""How ``kg`` scales from five documents to a research corpus, measured on a generated one.

    python benchmarks/bench_scale.py --docs 1000 [--big] [--out benchmarks/results/scale.md]
                                     [--work /tmp/kgbench] [--seed 1] [--timeout 3600]

For a corpus made by ``gen_corpus.py`` (1,000 documents, and 10,000 with ``--big``) it measures

(a) ``kg extract FOLDER --format csv`` throughput in MB/s (with ``--jobs 1`` / ``--jobs 2`` when
    the CLI has that option) next to a ceiling measured in the same run: read + decode + one
    regex pass over the same files in Python;
(b) ``kg build FOLDER --out DIR`` wall time and peak RSS;
(c) a rebuild with nothing changed and one with one changed document, as a share of (b);
(d) ``kg sparql burden`` and ``kg report burden`` on that store, and the bundled burden.rq
    on rdflib's default in-memory store loaded from the export's kg.nq (the ratio is what the
    Oxigraph store buys);
(e) on a sample, the share of the generator's (role, mention) pairs that ``kg extract`` finds.

Every step has a timeout; a command that fails, times out or lacks an option is reported as
"n/a (reason)" in the table instead of stopping the run, so the harness keeps working while
the package changes under it. Results go to a Markdown file.
"""
from __future__ import annotations

import argparse
import collections
import csv
import io
import json
import os
import platform
import re
import resource
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Optional, Sequence

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import gen_corpus  # noqa: E402  (sibling module, imported after the path is set)

# One pass over the role words every clause contains: the least any extractor has to do.
CLAUSE_RE = re.compile(r"牵头|配合|负责|责任单位|协同")


# --------------------------------------------------------------------------- running commands

@dataclass
class Run:
    """One finished (or failed) command: wall seconds, peak RSS, output tails."""

    ok: bool
    wall: float = 0.0
    rss_mb: Optional[float] = None
    stdout: str = ""
    stderr: str = ""
    reason: str = ""


def kg_cmd() -> list[str]:
    """The ``kg`` console script of this environment (``python -m kg`` if it is not on PATH)."""
    exe = shutil.which("kg", path=str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""))
    return [exe] if exe else [sys.executable, "-m", "kg"]


def time_v() -> Optional[str]:
    """GNU time for per-command peak RSS; without it the harness falls back to getrusage."""
    path = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)
    if path and subprocess.run([path, "-v", "true"], capture_output=True).returncode == 0:
        return path
    return None


def run(cmd: Sequence[str], timeout: float, capture: bool = False, rss: bool = False) -> Run:
    """Run ``cmd`` in its own process group (so a timeout kills kg, not only /usr/bin/time)."""
    tv = time_v() if rss else None
    full = ([tv, "-v"] if tv else []) + list(cmd)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    proc = subprocess.Popen(full, stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True, text=True,
                            encoding="utf-8", errors="replace")
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return Run(False, time.perf_counter() - t0, reason=f"timeout after {timeout:.0f} s")
    wall = time.perf_counter() - t0
    peak = _peak_rss(err, before) if rss else None
    tail = _strip_time_v(err)
    if proc.returncode != 0:
        return Run(False, wall, peak, out or "", tail, f"exit {proc.returncode}: {_last_line(tail)}")
    return Run(True, wall, peak, out or "", tail)


def _peak_rss(stderr: str, before: int) -> Optional[float]:
    """Peak RSS in MB from GNU time, else from RUSAGE_CHILDREN if it grew (a max over children)."""
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", stderr)
    if m:
        return int(m.group(1)) / 1024
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return after / 1024 if after > before else None


def _strip_time_v(stderr: str) -> str:
    """The command's own stderr without GNU time's report."""
    cut = stderr.find("\tCommand being timed:")
    return (stderr[:cut] if cut >= 0 else stderr).strip()


def _last_line(text: str) -> str:
    """The last non-empty line, shortened for a table cell."""
    lines = [x for x in text.strip().splitlines() if x.strip()]
    return (lines[-1] if lines else "no output")[:160].replace("|", "/")


# --------------------------------------------------------------------------- results table

@dataclass
class Table:
    """Rows of the Markdown result table: step, corpus, figure, note."""

    rows: list[tuple[str, str, str, str]] = field(default_factory=list)
    on_add: Optional[Callable[["Table"], None]] = None

    def add(self, step: str, corpus: str, value: str, note: str = "") -> None:
        """Record a row, echo it and rewrite the report: a killed run keeps what it measured."""
        self.rows.append((step, corpus, value, note.replace("|", "/").replace("\n", " ")))
        print(f"  {step:42} {corpus:14} {value:>18}  {note}", flush=True)
        if self.on_add:
            self.on_add(self)

    def markdown(self) -> str:
        """The table as GitHub Markdown."""
        out = ["| step | corpus | result | notes |", "|---|---|---|---|"]
        out += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in self.rows]
        return "\n".join(out)


def na(reason: str) -> str:
    """The cell for a step that could not be measured."""
    return f"n/a ({reason})"


# --------------------------------------------------------------------------- corpus

@dataclass
class Corpus:
    """A generated corpus: folder, truth file, size."""

    folder: Path
    truth: Path
    docs: int
    size: int
    gen_seconds: float

    @property
    def label(self) -> str:
        """Row label: 1,000 docs / 19.2 MB."""
        return f"{self.docs:,} docs"

    @property
    def mb(self) -> float:
        """Size in MB (10^6 bytes)."""
        return self.size / 1e6


def make_corpus(work: Path, docs: int, seed: int) -> Corpus:
    """A fresh corpus (a rerun must not see a previous run's modified document)."""
    folder, truth = work / f"corpus_{docs}", work / f"truth_{docs}.jsonl"
    shutil.rmtree(folder, ignore_errors=True)
    t0 = time.perf_counter()
    gen_corpus.main([str(folder), "--docs", str(docs), "--seed", str(seed), "--truth", str(truth)])
    size = sum(p.stat().st_size for p in folder.iterdir())
    return Corpus(folder, truth, docs, size, time.perf_counter() - t0)


# --------------------------------------------------------------------------- (a) extraction

def has_option(sub: str, option: str, timeout: float) -> bool:
    """Whether ``kg SUB --help`` mentions ``option`` (options appear as the CLI grows)."""
    r = run(kg_cmd() + [sub, "--help"], timeout, capture=True)
    return r.ok and option in r.stdout


def extraction(c: Corpus, t: Table, timeout: float) -> None:
    """kg extract throughput, per --jobs variant when supported, next to the Python ceiling."""
    variants: list[list[str]] = [[]]
    if has_option("extract", "--jobs", 60):
        variants += [["--jobs", "1"], ["--jobs", "2"]]
    else:
        t.add("(a) kg extract --jobs 1 / 2", c.label, na("kg extract has no --jobs option yet"))
    for extra in variants:
        r = run(kg_cmd() + ["extract", str(c.folder), "--format", "csv"] + extra, timeout)
        name = "(a) kg extract --format csv " + " ".join(extra)
        if r.ok:
            t.add(name.strip(), c.label, f"{c.mb / r.wall:.2f} MB/s", f"{r.wall:.1f} s for {c.mb:.1f} MB; {_last_line(r.stderr)}")
        else:
            t.add(name.strip(), c.label, na(r.reason))
    ceiling(c, t)


def _decode(data: bytes) -> str:
    """BOM-aware UTF-8, else GB18030: what any extractor has to do at least."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def ceiling(c: Corpus, t: Table) -> None:
    """Read + decode, then + one regex pass, in this process over the same files."""
    files = sorted(c.folder.iterdir())
    t0 = time.perf_counter()
    texts = [_decode(p.read_bytes()) for p in files]
    t_decode = time.perf_counter() - t0
    t1 = time.perf_counter()
    hits = sum(len(CLAUSE_RE.findall(x)) for x in texts)
    t_regex = time.perf_counter() - t1
    t.add("(a) ceiling: read + decode (Python)", c.label, f"{c.mb / t_decode:.0f} MB/s", f"{t_decode:.2f} s")
    t.add("(a) ceiling: read + decode + one regex pass", c.label,
          f"{c.mb / (t_decode + t_regex):.0f} MB/s", f"{t_decode + t_regex:.2f} s, {hits:,} role words")


# --------------------------------------------------------------------------- (b) (c) build

def build_summary(r: Run) -> str:
    """kg build's "built N, unchanged N, removed N, failed N" line, wherever it printed it."""
    for line in (r.stdout + "\n" + r.stderr).splitlines():
        if re.match(r"\s*built \d+", line):
            return line.strip().replace("|", "/")
    return _last_line(r.stderr or r.stdout)


def build(c: Corpus, store: Path, t: Table, timeout: float, step: str) -> Run:
    """kg build into ``store``: wall and peak RSS."""
    r = run(kg_cmd() + ["build", str(c.folder), "--out", str(store)], timeout, capture=True, rss=True)
    summary = build_summary(r)
    if r.ok:
        rss = f"peak RSS {r.rss_mb:,.0f} MB" if r.rss_mb else "peak RSS n/a"
        t.add(step, c.label, f"{r.wall:.1f} s", f"{rss}; {summary}")
    else:
        t.add(step, c.label, na(r.reason))
    return r


def change_one(c: Corpus) -> Path:
    """Append one task with a clause to the middle document, in that file's own encoding."""
    target = sorted(c.folder.iterdir())[c.docs // 2]
    data = target.read_bytes()
    encoding = "utf-8"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        encoding = "gb18030"
    line = "\n十九、补充任务\n(一)加强基准测试数据管理。(市统计局牵头,市财政局配合)\n"
    target.write_bytes(data + line.encode(encoding))
    return target


def rebuilds(c: Corpus, store: Path, full: Run, t: Table, timeout: float) -> None:
    """No-change rebuild and one-changed-document rebuild, as a share of the full build."""
    for step, modify in (("(c) rebuild, nothing changed", False), ("(c) rebuild, one document changed", True)):
        if modify:
            changed = change_one(c)
        r = run(kg_cmd() + ["build", str(c.folder), "--out", str(store)], timeout, capture=True)
        if not r.ok:
            t.add(step, c.label, na(r.reason))
            continue
        share = f"{100 * r.wall / full.wall:.1f} % of full build" if full.ok else "full build n/a"
        note = build_summary(r) + (f"; changed {changed.name}" if modify else "")
        t.add(step, c.label, f"{r.wall:.1f} s ({share})", note)


# --------------------------------------------------------------------------- (d) queries

def burden_rq() -> Optional[Path]:
    """The bundled burden.rq wherever the package keeps it (it moves during restructuring)."""
    r = subprocess.run([sys.executable, "-c", "import kg, pathlib; print(pathlib.Path(kg.__file__).parent)"],
                       capture_output=True, text=True)
    if r.returncode != 0:
        return None
    found = sorted(Path(r.stdout.strip()).rglob("burden.rq"))
    return found[0] if found else None


def count_rows(csv_text: str) -> int:
    """Data rows of a CSV result (header excluded)."""
    return max(0, sum(1 for row in csv.reader(io.StringIO(csv_text)) if row) - 1)


def kg_queries(c: Corpus, store: Path, t: Table, timeout: float) -> Optional[float]:
    """kg sparql burden and kg report burden on the store; returns the sparql wall time."""
    startup = run(kg_cmd() + ["--version"], 60)
    if startup.ok:
        t.add("(d) kg --version (process start-up)", c.label, f"{startup.wall:.2f} s", "part of every figure below")
    sparql_wall = None
    for step, args in (("(d) kg sparql burden", ["sparql", "burden"]), ("(d) kg report burden", ["report", "burden"])):
        r = run(kg_cmd() + args + ["--out", str(store), "--format", "csv"], timeout, capture=True)
        if r.ok:
            t.add(step, c.label, f"{r.wall:.2f} s", f"{count_rows(r.stdout)} rows")
            sparql_wall = r.wall if "sparql" in args else sparql_wall
        else:
            t.add(step, c.label, na(r.reason))
    return sparql_wall


RDFLIB_SCRIPT = """
import json, sys, time
from rdflib import Dataset
nq, rq = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
ds = Dataset(default_union=True)
ds.parse(nq, format="nquads")
t1 = time.perf_counter()
rows = list(ds.query(open(rq, encoding="utf-8").read()))
t2 = time.perf_counter()
print(json.dumps({"load": t1 - t0, "query": t2 - t1, "rows": len(rows), "quads": len(ds)}))
"""


def rdflib_burden(c: Corpus, store: Path, sparql_wall: Optional[float], t: Table, timeout: float) -> None:
    """burden.rq on rdflib's default in-memory store loaded from kg.nq, and the ratio to kg sparql."""
    rq, nq = burden_rq(), store / "kg.nq"
    if rq is None or not nq.exists():
        t.add("(d) rdflib in-memory: burden.rq", c.label, na("no burden.rq found" if rq is None else "no kg.nq in the export"))
        return
    r = run([sys.executable, "-c", RDFLIB_SCRIPT, str(nq), str(rq)], timeout, capture=True)
    if not r.ok:
        t.add("(d) rdflib in-memory: burden.rq", c.label, na(r.reason))
        return
    res = json.loads(r.stdout.strip().splitlines()[-1])
    t.add("(d) rdflib in-memory: load kg.nq", c.label, f"{res['load']:.1f} s", f"{res['quads']:,} quads, {nq.stat().st_size / 1e6:.0f} MB")
    ratio = f"; {res['query'] / sparql_wall:.1f}× the kg sparql burden wall time" if sparql_wall else ""
    t.add("(d) rdflib in-memory: burden.rq query", c.label, f"{res['query']:.2f} s", f"{res['rows']} rows{ratio} (query only, load excluded)")


# --------------------------------------------------------------------------- (e) recall

def recall(c: Corpus, work: Path, sample: int, t: Table, timeout: float) -> None:
    """Share of generated (role, mention) pairs that kg extract reports, on the first ``sample`` files."""
    files = sorted(c.folder.iterdir())[:sample]
    r = run(kg_cmd() + ["extract", *map(str, files), "--format", "csv"], timeout, capture=True)
    if not r.ok:
        t.add("(e) generated assignments found", f"{len(files)} docs", na(r.reason))
        return
    got = _extracted(r.stdout)
    found, total, by_layout = _match(c.truth, {p.name for p in files}, got)
    t.add("(e) generated assignments found (role + mention)", f"{len(files)} docs",
          f"{100 * found / max(total, 1):.1f} %", f"{found:,} of {total:,}")
    for layout, (f, n) in sorted(by_layout.items()):
        t.add(f"(e) … layout {layout}", f"{len(files)} docs", f"{100 * f / max(n, 1):.1f} %", f"{f:,} of {n:,}")


def _norm(mention: str) -> str:
    """发展改革部门 and 发展改革 are the same mention for this count."""
    return mention[:-2] if mention.endswith("部门") and len(mention) > 3 else mention


def _extracted(csv_text: str) -> dict[str, collections.Counter[tuple[str, str]]]:
    """(role, mention) counts per document from kg extract CSV, inferred rows excluded."""
    got: dict[str, collections.Counter[tuple[str, str]]] = collections.defaultdict(collections.Counter)
    for row in csv.DictReader(io.StringIO(csv_text)):
        if row.get("inferred", "false").lower() not in ("true", "1"):
            got[row["document"]][(row["role"], _norm(row["mention"]))] += 1
    return got


def _match(truth: Path, names: set[str], got: dict[str, collections.Counter[tuple[str, str]]]
           ) -> tuple[int, int, dict[str, list[int]]]:
    """Multiset match of truth against extraction, overall and per clause layout."""
    found = total = 0
    by_layout: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    for line in truth.read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        if d["file"] not in names:
            continue
        g = got.get(d["file"], collections.Counter())
        for role, mention, layout in d["assignments"]:
            key = (role, _norm(mention))
            hit = g[key] > 0
            g[key] -= hit
            found, total = found + hit, total + 1
            by_layout[layout][0] += hit
            by_layout[layout][1] += 1
    return found, total, by_layout


# --------------------------------------------------------------------------- main

def machine() -> str:
    """What the figures were measured on; load average matters on a shared machine."""
    mem = ""
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))  # type: ignore[union-attr]
        mem = f", {kb / 1024 / 1024:.0f} GiB"
    except (OSError, AttributeError):
        pass
    load = ", load average at start %.2f %.2f %.2f" % os.getloadavg() if hasattr(os, "getloadavg") else ""
    return f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores{mem}{load}"


def revision() -> str:
    """kg version and the checked-out commit (read-only git)."""
    v = run(kg_cmd() + ["--version"], 60, capture=True)
    g = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return f"{v.stdout.strip() if v.ok else 'kg version n/a'}, commit {g.stdout.strip() or 'n/a'}"


def bench_size(docs: int, args: argparse.Namespace, t: Table) -> None:
    """All steps for one corpus size."""
    c = make_corpus(args.work, docs, args.seed)
    t.add("corpus: gen_corpus.py", c.label, f"{c.mb:.1f} MB", f"{c.gen_seconds:.1f} s to generate, mean {c.size / c.docs / 1e3:.1f} KB, seed {args.seed}")
    extraction(c, t, args.timeout)
    store = args.work / f"store_{docs}"
    shutil.rmtree(store, ignore_errors=True)
    full = build(c, store, t, args.timeout, "(b) kg build (full, empty store)")
    if full.ok:
        rebuilds(c, store, full, t, args.timeout)
        sparql_wall = kg_queries(c, store, t, args.timeout)
        rdflib_burden(c, store, sparql_wall, t, args.timeout)
    recall(c, args.work, args.sample, t, args.timeout)


def parse_args(argv: Optional[list[str]] = None) -> argparse.Namespace:
    """Command line."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=1000, help="corpus size for every step")
    ap.add_argument("--big", action="store_true", help="also run every step on 10,000 documents")
    ap.add_argument("--out", type=Path, default=HERE / "results" / "scale.md")
    ap.add_argument("--work", type=Path, default=Path("/tmp/kgbench"), help="scratch folder (corpora, stores)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=4 * 3600, help="seconds per step")
    ap.add_argument("--sample", type=int, default=100, help="documents for the recall check (e)")
    return ap.parse_args(argv)


def main(argv: Optional[list[str]] = None) -> int:
    """Run every size, then write the Markdown report."""
    args = parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    started = datetime.now(timezone.utc)
    head = f"{machine()}; {revision()}"
    print(head, flush=True)
    t = Table(on_add=lambda table: write_report(args, table, started, head, done=False))
    for docs in [args.docs] + ([10_000] if args.big and args.docs != 10_000 else []):
        bench_size(docs, args, t)
    write_report(args, t, started, head, done=True)
    print(f"→ {args.out}")
    return 0


def write_report(args: argparse.Namespace, t: Table, started: datetime, head: str, done: bool) -> None:
    """The Markdown file: how it was run, on what, and the table."""
    cmd = "python benchmarks/bench_scale.py " + " ".join(sys.argv[1:])
    text = (f"# Scale: generated corpus → kg extract / build / query\n\n"
            f"Run {started:%Y-%m-%d %H:%M} UTC with `{cmd.strip()}`.\n"
            f"{head}.{'' if done else ' **Run in progress or interrupted: the table is partial.**'}\n\n"
            "MB = 10^6 bytes of input files. Every `kg` figure is the wall time of a fresh process "
            "(start-up included). The ceiling is single-process Python over the same files. "
            "\"n/a (reason)\" marks a step that failed, timed out or needs an option the CLI "
            "does not have yet. (e) compares `kg extract` with the (role, mention) pairs "
            "`gen_corpus.py` wrote into its clauses (`--truth`).\n\n" + t.markdown() + "\n")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
