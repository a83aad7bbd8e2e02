"""What every hostile case of ``bench_robustness.py`` needs: running ``kg`` and checking its results.

A case runs the real command line in a subprocess (own process group, a timeout, peak RSS from
GNU time) and judges what it left behind with the checks below. Each check returns ``None`` when
the expectation held, else a one-line reason; :func:`first_failure` keeps the first of them.
"""
from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Optional, Sequence

GOOD_LEAD, GOOD_SUPPORT = "市质监局", "市工商局、市食药监局"


def plan_text(title: str = "质量工作要点", lead: str = GOOD_LEAD, support: str = GOOD_SUPPORT,
              extra: str = "") -> str:
    """A small plan in the layout the extractor reads: a title, a 文号 and two assigned tasks."""
    return (f"株洲市人民政府办公室关于印发株洲市2020年{title}的通知\n株政办发〔2020〕21号\n"
            "一、工作任务\n"
            f"(一)加强产品质量监督抽查。({lead}牵头,{support}配合)\n"
            f"(二)推进标准化建设。(市发改委牵头,市商务局配合)\n{extra}")


def write_plan(path: Path, **kw: str) -> Path:
    """Write :func:`plan_text` as UTF-8 and return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(plan_text(**kw), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- running kg

@dataclass
class Res:
    """One finished command: exit status (None on timeout), output, seconds, peak RSS in MB."""

    rc: Optional[int]
    out: str = ""
    err: str = ""
    secs: float = 0.0
    peak_mb: float = 0.0


@dataclass
class Tally:
    """The seconds and peak RSS over every command a case ran."""

    secs: float = 0.0
    peak_mb: float = 0.0
    runs: list[Res] = field(default_factory=list)

    def add(self, res: Res) -> Res:
        self.secs += res.secs
        self.peak_mb = max(self.peak_mb, res.peak_mb)
        self.runs.append(res)
        return res


def kg_exe() -> list[str]:
    """The ``kg`` console script of this interpreter's environment."""
    exe = Path(sys.executable).parent / "kg"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "kg"]


def run(args: Sequence[str | bytes | os.PathLike[str]], cwd: Path, timeout: float = 300,
        env: Optional[dict[str, str]] = None, wrap: Sequence[str] = (),
        kg: bool = True, shell: bool = False) -> Res:
    """Run ``kg ARGS`` (or a plain command) under GNU time; kill its group on timeout."""
    rss = cwd / f".rss-{os.getpid()}-{time.monotonic_ns()}"
    full = [*wrap, *(kg_exe() if kg else []), *args]
    cmd: list = ["/usr/bin/time", "-f", "%M", "-o", str(rss), *full]
    if shell:
        cmd = ["/usr/bin/time", "-f", "%M", "-o", str(rss), "sh", "-c", str(args[0])]
    e = {**os.environ, "COLUMNS": "200", **(env or {})}
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, start_new_session=True, env=e)
    try:
        out, err = proc.communicate(timeout=timeout)
        rc: Optional[int] = proc.returncode
    except subprocess.TimeoutExpired:
        hwm = _group_peak(proc.pid)  # GNU time reports nothing once killed: read the peaks first
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        rc = None
    secs = time.perf_counter() - t0
    peak = _read_peak(rss) if rc is not None else hwm
    text = err.decode("utf-8", "replace")
    text = "\n".join(x for x in text.splitlines() if not x.startswith(("Command exited", "Command terminated")))
    return Res(rc, out.decode("utf-8", "replace"), text, secs, peak)


def _group_peak(pgid: int) -> float:
    """The largest peak RSS (VmHWM, MB) among the live processes of a process group."""
    peak = 0.0
    for status in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(status.read_text().rsplit(")", 1)[1].split()[2]) != pgid:
                continue
            hwm = re.search(r"VmHWM:\s+(\d+)", (status.parent / "status").read_text())
        except (OSError, ValueError, IndexError):
            continue
        if hwm:
            peak = max(peak, int(hwm.group(1)) / 1024)
    return peak


def _read_peak(path: Path) -> float:
    try:
        lines = path.read_text().split()
        path.unlink()
        return int(lines[-1]) / 1024 if lines else 0.0
    except (OSError, ValueError):
        return 0.0


def build(tally: Tally, cwd: Path, inputs: Sequence[str | os.PathLike[str]], out: str = "out",
          timeout: float = 300, env: Optional[dict[str, str]] = None, dumps: str = "nq",
          wrap: Sequence[str] = ()) -> Res:
    """``kg build INPUTS --out OUT --jobs 1 --dumps nq`` in ``cwd``."""
    args = ["build", *map(str, inputs), "--out", out, "--jobs", "1", "--dumps", dumps]
    return tally.add(run(args, cwd, timeout, env, wrap))


# --------------------------------------------------------------------------- checks

Check = Optional[str]


def first_failure(checks: Iterable[Callable[[], Check]]) -> Check:
    """The first reason a check gives, or ``None`` when all held (later checks are not run)."""
    for check in checks:
        reason = check()
        if reason:
            return reason
    return None


def exit_is(res: Res, *codes: int) -> Check:
    if res.rc is None:
        return "timed out (killed)"
    said = next((x for x in res.err.splitlines() if x.startswith("kg: ")), last_line(res.err))
    return None if res.rc in codes else f"exit {res.rc}, expected {'/'.join(map(str, codes))}: {said[:150]}"


def clean_stderr(res: Res) -> Check:
    """No traceback and no ``Error:`` style lines; every error line is ``kg: …``."""
    for line in res.err.splitlines():
        if line.startswith("Traceback") or "Traceback (most recent" in line:
            return f"traceback: {last_line(res.err)}"
        if re.match(r"^\s*(\w+)?Error\b|^\s*\w+(Error|Exception):", line):
            return f"'{line[:100]}' is not a kg: line"
        if re.search(r"(?i)\berror\b", line) and not line.startswith(("kg: ", "warning: ")) \
                and not re.match(r"^\d+ documents,", line) and "failed" not in line:
            return f"'{line[:100]}' is not a kg: line"
    return None


def error_names(res: Res, name: str) -> Check:
    """An error line ``kg: …`` names ``name`` (a file or folder) on one line."""
    lines = [x for x in res.err.splitlines() if x.startswith("kg: ")]
    if any(name in x for x in lines):
        return None
    return f"no 'kg:' line names {name!r} ({last_line(res.err) or 'stderr empty'})"


def last_line(text: str) -> str:
    lines = [x for x in text.strip().splitlines() if x.strip()]
    return (lines[-1] if lines else "")[:150].replace("|", "/")


def documents(out: Path) -> list[str]:
    """The document graph names in ``out/kg.nq`` (sorted), read with pyoxigraph."""
    import pyoxigraph as ox
    names: set[str] = set()
    for quad in ox.parse(path=str(out / "kg.nq"), format=ox.RdfFormat.N_QUADS):
        g = quad.graph_name
        if isinstance(g, ox.NamedNode) and "/graph/doc/" in g.value:
            names.add(g.value)
    return sorted(names)


def nq_valid(out: Path, expect_docs: Optional[int] = None) -> Check:
    """``kg.nq`` parses as strict N-Quads (every IRI valid), with the expected document count."""
    try:
        docs = documents(out)
    except FileNotFoundError:
        return "no kg.nq written"
    except (SyntaxError, ValueError, OSError) as e:
        return f"kg.nq does not parse: {str(e)[:120]}"
    if expect_docs is not None and len(docs) != expect_docs:
        return f"kg.nq holds {len(docs)} documents, expected {expect_docs}"
    return None


def no_tmp(out: Path) -> Check:
    left = [p.name for p in out.rglob("*") if p.name.endswith(".tmp") or ".tmp." in p.name]
    return f"leftover temporary files: {', '.join(sorted(left)[:3])}" if left else None


def snapshot(out: Path) -> dict[str, str]:
    """Hashes of the exports under ``out``: not the store, the caches or per-document extractions
    (a killed build may leave a document's new extraction; the next build checks its fingerprint)."""
    snap = {}
    for p in sorted(out.rglob("*")):
        rel = p.relative_to(out).as_posix()
        if p.is_file() and not rel.startswith(("store/", ".kg-cache/", "extractions/")) \
                and p.name != ".kg-build.lock" and not p.name.endswith(".tmp"):
            snap[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
    return snap


def same_snapshot(before: dict[str, str], out: Path, what: str = "previous exports") -> Check:
    after = snapshot(out)
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    return f"{what} changed: {', '.join(changed[:4])}" if changed else None


FORMULA = ("=", "+", "-", "@", "\t", "\r")


def csv_cells_safe(text: str, where: str) -> Check:
    """No CSV cell starts with a formula character (``-`` followed by a digit is a number)."""
    for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))):
        for cell in row:
            if cell.startswith(FORMULA) and not re.fullmatch(r"[-+]?\d[\d.,eE+-]*%?", cell):
                return f"{where}: cell {cell[:40]!r} starts a formula"
    return None


def exports_safe(out: Path) -> Check:
    """Every CSV and the workbook of an export folder are free of formula cells."""
    for p in sorted(out.rglob("*.csv")):
        reason = csv_cells_safe(p.read_text(encoding="utf-8-sig"), p.name)
        if reason:
            return reason
    book = out / "reports.xlsx"
    if book.exists():
        import openpyxl
        wb = openpyxl.load_workbook(book)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    if c.data_type == "f" or (isinstance(c.value, str) and c.value.startswith(FORMULA[:4])):
                        return f"reports.xlsx {ws.title}!{c.coordinate}: {str(c.value)[:40]!r} is a formula"
    return None


def markdown_intact(text: str, where: str) -> Check:
    """Every row of every Markdown table has as many cells as its header."""
    width = None
    for line in text.splitlines():
        if not line.startswith("|"):
            width = None
            continue
        cells = len(re.split(r"(?<!\\)\|", line.strip())) - 2
        if width is None:
            width = cells
        elif cells != width:
            return f"{where}: a row has {cells} cells, its header {width}: {line[:60]!r}"
    return None


def copy_tree(src: Path, dst: Path) -> None:
    shutil.copytree(src, dst, symlinks=True)
