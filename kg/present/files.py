"""The human-facing files a build writes next to the graph dumps, all read from the graph:
``report.html``, ``graph.html``, ``burden.md``, the report tables as CSV (``burden.csv``,
``gaps.csv`` and ``tables/*.csv``, UTF-8 with a byte-order mark for Excel) and as a workbook
(``reports.xlsx``), and the networks as GraphML and GEXF (``agencies.*``, ``tasks.*``).

Their cost follows the change: the rows are read once and the analytics computed once
(:class:`~kg.present.analytics.Analytics`) for every writer; a file is rewritten only when its
bytes differ; and when nothing they are made from changed (the store's graph fingerprints, the
code and tables, the source files) the files are left as they are and the terminal summary is
taken from the last build, without reading the graph at all.
"""
from __future__ import annotations

import contextlib
import gc
import hashlib
import io
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

from kg.memory import release

if TYPE_CHECKING:
    from kg.present.spreadsheets import Table
    from kg.reference import Reference

__all__ = ["write_outputs", "OUTPUT_FILES", "outputs_key", "write_if_changed"]

NETWORK_FILES = ("agencies.graphml", "agencies.gexf", "tasks.graphml", "tasks.gexf")

FORK_ROWS = 250_000  # assignments (about 2,000 plans): beyond, the writers run one after another, unforked
OUTPUT_FILES = ("report.html", "graph.html", "burden.md", "burden.csv", "gaps.csv", "reports.xlsx",
                "tables/", *NETWORK_FILES)
_STATE = Path(".kg-cache") / "outputs.state"  # JSON, named like dumps.state

Summary = tuple[str, dict[str, int], list[str]]


def write_outputs(folder: Path, top: int = 15, verbose: bool = False,
                  on_phase: Callable[[str], None] = lambda name: None,
                  width: int | None = None, sources: dict[str, Path] | None = None, *,
                  reference: Reference) -> Summary:
    """Write the derived files into ``folder``; return the burden table for the terminal, the
    graph's totals (documents, tasks, assignments) and its coverage lines (flagged documents).
    ``on_phase`` hears "analytics" and "pages" as they start; ``sources`` (file name → path) lets
    the graph page show the text around each clause."""
    on_phase("analytics")
    from kg.present.row_cache import read_rows, store_stamps

    stamps = store_stamps(folder)  # read once: for the key and for the rows
    key = outputs_key(stamps, sources or {})
    state = _read_state(folder)
    view = {"top": top, "width": width}
    if state.get("key") == key and state.get("view") == view and _all_present(folder, state.get("files", [])):
        return state["text"], state["totals"], state["notes"][str(int(verbose))]
    rows = read_rows(folder, stamps)  # documents unchanged since the last build come from the cache
    release()  # the store's caches, freed into the C heap when it closed, before the writers
    keys = _input_keys(rows, sources or {})
    fresh = state.get("view") == view and _all_present(folder, state.get("files", []))
    need_page, need_data = (not (fresh and state.get(k) == keys[k]) for k in ("page", "data"))
    data = _by_subject(rows.data, reference) if need_page or need_data else rows.data
    evidence = rows.evidence
    del rows  # the tasks as stored, before their domains were grouped: gone before a writer is forked
    page = _beside(_write_page, folder, data, evidence, sources or {}, reference,
                   rows=len(data.assignments)) if need_page else _nothing
    del evidence  # only the page reads it: written by now in turn, or held by the forked writer's retry
    if need_data:
        names, text, totals, notes = _write_data(folder, data, top, width, reference)
    else:
        names, text, totals, notes = state["files"], state["text"], state["totals"], state["notes"]
    on_phase("pages")  # what is left of the graph page made beside the analytics (in turn: written already)
    page()
    gc.unfreeze()  # every forked writer has ended (see _beside)
    from kg.graph.store import write_atomic

    write_atomic(folder / _STATE, json.dumps({"key": key, **keys, "view": view, "files": sorted(set(names) | {"graph.html"}),
                                              "text": text, "totals": totals, "notes": notes},
                                             ensure_ascii=False, sort_keys=True), sync=False)
    return text, totals, notes[str(int(verbose))]


def _input_keys(rows: Any, sources: dict[str, Path]) -> dict[str, str]:
    """What the files are made from: ``data`` (the rows, code, tables) for every file but the
    graph page, ``page`` (that, the evidence and the source files it quotes) for ``graph.html``."""
    from kg.graph.build import build_salt

    data = hashlib.sha256(f"{build_salt()}\n{_static_digest()}\n{rows.digest}".encode()).hexdigest()
    page = hashlib.sha256(f"{data}\n{rows.evidence_digest}\n{_sources_digest(sources)}".encode()).hexdigest()
    return {"data": data, "page": page}


def _by_subject(raw: Any, reference: Reference) -> Any:
    """The rows with their domains at the 主题分类 subjects (level 1), which every file groups by."""
    from kg.analysis.domains import with_level

    return with_level(raw, 1, reference=reference)


def _write_data(folder: Path, data: Any, top: int, width: int | None,
                reference: Reference) -> tuple[list[str], str, dict[str, int], dict[str, list[str]]]:
    """Compute the analytics once, write every file but the graph page whose bytes changed."""
    from kg.extract.coverage import report_lines
    from kg.present.analytics import Analytics
    from kg.present.report_page import report_html
    from kg.present.reports import burden_report

    from kg.present.spreadsheets import report_tables

    analytics = Analytics.of(data, reference)  # once, for every writer
    tables = report_tables(analytics.data, analytics)
    workbook = _beside(_write_workbook, folder, tables, rows=len(data.assignments))
    networks = _beside(_write_networks, folder, analytics, rows=len(data.assignments))
    analytics = analytics.without_network()  # written by now in turn, or held by the forked writer's retry
    files = _write_tables(folder, tables)  # here, while the workbook, the longest writer, is made in its child
    write_if_changed(folder / "report.html", report_html(data, reference=reference, analytics=analytics).encode("utf-8"))
    write_if_changed(folder / "burden.md", ("# Burden per agency\n\n" + burden_report(
        data, "markdown", table=analytics.burden, reference=reference) + "\n").encode("utf-8"))
    workbook()
    networks()
    table = burden_report(data, "table", top=top, width=width, table=analytics.burden, reference=reference)
    totals = {"documents": len(data.documents), "tasks": len(data.tasks), "assignments": len(data.assignments)}
    notes = {str(int(v)): report_lines(analytics.coverage, v) for v in (False, True)}
    return sorted([*files, "report.html", "burden.md", "reports.xlsx", *NETWORK_FILES]), f"Burden per agency (top {top}; kg report burden for all):\n\n{table}", totals, notes


def _write_page(folder: Path, data: Any, evidence: Any, sources: dict[str, Path], reference: Reference) -> None:
    from kg.analysis.evidence import source_texts
    from kg.present.graph_page import render_html

    page = render_html(data, reference=reference, evidence=evidence,
                       texts=source_texts(evidence, sources))
    write_text_if_changed(folder / "graph.html", page.pieces())


def _write_workbook(folder: Path, tables: dict[str, Table]) -> None:
    from kg.present.spreadsheets import workbook_bytes

    write_if_changed(folder / "reports.xlsx", workbook_bytes(tables))


def _write_tables(folder: Path, tables: dict[str, Table]) -> list[str]:
    """Each report table as CSV (with BOM) in ``tables/``, the burden and the gaps also at the
    top; the names of the files."""
    from kg.present.spreadsheets import csv_bytes

    names = []
    for name, rows in tables.items():
        content = csv_bytes(rows)
        for path in [f"tables/{name}.csv", *([f"{name}.csv"] if name in ("burden", "gaps") else [])]:
            write_if_changed(folder / path, content)
            names.append(path)
    return names


def _write_networks(folder: Path, analytics: Any) -> None:
    """The agency network and the task graph as GraphML and GEXF (the graph built once)."""
    from kg.present.networks import network_graphs, network_texts

    for name, graph in network_graphs(analytics.data, analytics.network).items():  # both files in one pass
        write_texts_if_changed([folder / f"{name}.graphml", folder / f"{name}.gexf"], network_texts(graph))


def _beside(target: Callable[..., None], *args: Any, rows: int = 0) -> Callable[[], None]:
    """Start ``target(*args)`` in a forked process while this one goes on (the workbook and the
    graph page take a second core beside the analytics); the returned function waits for it. A
    child that fails is run again here, so its error surfaces as it would have without the fork.
    Where forking is not the way, ``target`` runs at once: not Linux, one core, or more than
    :data:`FORK_ROWS` assignment ``rows`` (a child writes the reference count of every object it
    reads, so the kernel copies each page of rows it touches: at 10,000 documents three writers
    beside the analytics held 6.8 GB, most of it such copies)."""
    from kg.extract.parallel import default_jobs

    if sys.platform != "linux" or default_jobs() < 2 or rows > FORK_ROWS:
        target(*args)
        release()  # its large texts, freed into the C heap, before the next writer
        return _nothing
    import multiprocessing

    gc.freeze()  # collections in the child then leave the parent's objects alone: no page is copied for them
    child = multiprocessing.get_context("fork").Process(target=_quietly, args=(target, *args), daemon=True)
    child.start()

    def wait() -> None:
        child.join()
        if child.exitcode != 0:
            target(*args)
    return wait


def _quietly(target: Callable[..., None], *args: Any) -> None:
    """``target(*args)`` in a child: a failure is its exit status (the parent runs it again)."""
    try:
        target(*args)
    except BaseException:  # noqa: BLE001 - reported by the parent's own run
        os._exit(1)


def _nothing() -> None:
    pass


def write_if_changed(path: Path, content: bytes) -> bool:
    """Write ``content`` (atomically) unless the file holds it already; True when written, so
    an unchanged file keeps its time stamp and costs no write.

    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "x.csv"
    >>> write_if_changed(p, b"a"), write_if_changed(p, b"a"), write_if_changed(p, b"b")
    (True, False, True)
    """
    from kg.graph.store import write_atomic

    try:
        if path.stat().st_size == len(content) and path.read_bytes() == content:
            return False
    except OSError:
        pass
    write_atomic(path, content)
    return True


def write_text_if_changed(path: Path, pieces: Iterable[str]) -> bool:
    """:func:`write_if_changed` for text made piece by piece, never held whole (a network file of
    a thousand documents is 85 MB): written under a temporary name beside, then put in place
    only when it differs from the file there; True when written.

    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "x.xml"
    >>> write_text_if_changed(p, ["<a>", "</a>"]), write_text_if_changed(p, iter(["<a></a>"])), p.read_text()
    (True, False, '<a></a>')
    """
    return write_texts_if_changed([path], ((piece,) for piece in pieces))[0]


def write_texts_if_changed(paths: list[Path], pieces: Iterable[tuple[str, ...]]) -> list[bool]:
    """:func:`write_text_if_changed` for several files made in one pass: each item of ``pieces``
    holds a piece for each of ``paths``, in order. Whether each was written.

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> write_texts_if_changed([d / "a", d / "b"], [("1", ""), ("2", "x")]), (d / "a").read_text()
    ([True, True], '12')
    >>> write_texts_if_changed([d / "a", d / "b"], [("12", "y")]), (d / "b").read_text()
    ([False, True], 'y')
    """
    import filecmp

    from kg.graph.store import atomic_writer

    staged = [path.with_name(f".{path.name}.new.tmp") for path in paths]  # a killed build's leftover is swept as any .tmp
    with contextlib.ExitStack() as stack:
        texts = []
        for name in staged:
            handle = stack.enter_context(atomic_writer(name, sync=False))
            texts.append(io.TextIOWrapper(handle, "utf-8", newline=""))
        for piece in pieces:
            for text, part in zip(texts, piece):
                text.write(part)
        for text in texts:
            text.flush()
            text.detach()  # the file is the writer's to close
    written = []
    for name, path in zip(staged, paths):
        same = path.is_file() and filecmp.cmp(name, path, shallow=False)
        if same:
            name.unlink()
        else:
            os.replace(name, path)
        written.append(not same)
    return written


def outputs_key(stamps: dict[str, str], sources: dict[str, Path]) -> str:
    """What the derived files are made from, read without reading any rows: every graph's
    fingerprint in the store (``stamps``, :func:`kg.present.row_cache.store_stamps`), the code,
    tables and page assets (:func:`kg.graph.build.build_salt` and ``static/``), and the source
    files the graph page quotes (path, size, modification time)."""
    from kg.graph.build import build_salt

    digest = hashlib.sha256(build_salt().encode())
    digest.update(_static_digest().encode())
    for graph, stamp in sorted(stamps.items()):
        digest.update(f"{graph}\t{stamp}\n".encode())
    digest.update(_sources_digest(sources).encode())
    return digest.hexdigest()


def _static_digest() -> str:
    """The graph page's assets (template, script, style)."""
    digest = hashlib.sha256()
    for static in sorted((Path(__file__).parent / "static").glob("*")):
        digest.update(static.name.encode() + static.read_bytes())
    return digest.hexdigest()


def _sources_digest(sources: dict[str, Path]) -> str:
    """Path, size and modification time of each source file (the graph page quotes them)."""
    digest = hashlib.sha256()
    for name, path in sorted(sources.items()):
        try:  # the path as bytes: a file name need not be UTF-8
            st = path.stat()
            digest.update(f"{name}\t".encode() + os.fsencode(path.resolve()) + f"\t{st.st_size}\t{st.st_mtime_ns}\n".encode())
        except (OSError, RuntimeError):  # RuntimeError: a loop of links, before Python 3.13
            digest.update(f"{name}\t-\n".encode())
    return digest.hexdigest()


def _read_state(folder: Path) -> dict[str, Any]:
    try:
        state = json.loads((folder / _STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def _all_present(folder: Path, names: list[str]) -> bool:
    return bool(names) and all((folder / name).is_file() for name in names)
