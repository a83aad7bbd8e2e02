"""Bring an export folder up to date with a set of documents, at a cost that follows the change.

Each document owns one named graph carrying a fingerprint (file bytes + extractor code +
reference tables). A document whose fingerprint is unchanged is skipped without being read
again; changed ones are extracted in worker processes (results in input order, so any number
of workers gives the same store) and their graphs replaced; graphs of documents no longer given
are removed. A document that fails keeps its previous graph (reported, not lost). Agencies,
areas and groups are described in shared graphs, each written once per build and only when
its content changed (it carries a fingerprint of its own). The dumps are then assembled from
per-graph pieces (:mod:`kg.graph.dumps`), and only when asked for and out of date.
"""
from __future__ import annotations

import functools
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from kg import __version__, paths
from kg.errors import DocumentError, os_problem
from kg.extract.limits import read_limited
from kg.faults import checkpoint
from kg.memory import release
from kg.graph.dumping import Progress, dump, dump_stale, silent as _silent
from kg.graph.dumps import DUMP_FORMATS, pieces
from kg.graph.piece_cache import DumpCache, Packed, pack
from kg.graph.prepare import Prepared, prepare, reference_ntriples, stamp_line
from kg.graph.remote import Endpoint
from kg.graph.prune import remove_orphans, remove_stale
from kg.graph.sources import may_remove, read_sources, write_sources
from kg.graph.store import DocumentStore
from kg.graph.storing import LOAD_BYTES, Batch, Descriptions, Graphs, collect, store_batch
from kg.graph.vocab import CGR, REFERENCE_GRAPH, graph_iri
from kg.names import display_name
from kg.reference import Reference

__all__ = ["BuildReport", "refresh", "build_salt", "EXPORT_FILES", "dump", "Progress", "Derive"]

EXPORT_FILES = tuple(DUMP_FORMATS.values())
Derive = Callable[[Prepared], dict[Path, str]]  # files made from a prepared document in its worker
Workers = tuple[Callable[[tuple[Path, str]], "Prepared | Exception"], int]  # the worker function, how many
BATCH_BYTES = LOAD_BYTES  # N-Triples a batch of documents or shared graphs gathers before it is stored
SHARED_CHUNK = 64  # shared graphs a worker serialises at a time

@dataclass
class BuildReport:
    built: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # not among the inputs, not removed
    reference_rebuilt: bool = False
    shared_written: int = 0
    dumps_written: list[str] = field(default_factory=list)
    pushed: tuple[int, int] = (0, 0)  # graphs put to and deleted from a SPARQL server

    @property
    def changed(self) -> bool:
        return bool(self.built or self.removed or self.reference_rebuilt or self.shared_written)


def build_salt() -> str:
    """Hash of everything besides the document that shapes its graph: code, tables, ontology."""
    return _salt(paths.reference_dir())


@functools.lru_cache(maxsize=4)
def _salt(tables: Path) -> str:
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parents[1]
    code = sorted(package.rglob("*.py"))
    for path in code + sorted(tables.glob("*.csv")) + sorted(paths.ONTOLOGY_DIR.glob("kg.ttl")):
        digest.update(path.relative_to(path.parents[1]).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _fingerprint(data: bytes) -> str:
    return hashlib.sha256(data + build_salt().encode()).hexdigest()


def refresh(inputs: list[Path], out: Path, report_failure: Callable[[Exception], None],
            on_document: Callable[[Path], None] = lambda p: None, folders: tuple[Path, ...] = (),
            prune: bool = False, on_phase: Callable[[str], None] = lambda name: None, *, jobs: int = 1,
            progress: Progress = _silent, dumps: tuple[str, ...] = tuple(DUMP_FORMATS),
            endpoint: Endpoint | None = None, reference: Reference, derive: Derive | None = None) -> BuildReport:
    """Update ``out/store`` from ``inputs`` with ``jobs`` extraction workers, then (when given) a
    SPARQL server, graph by graph, those whose fingerprint differs there, then the ``dumps`` that
    are out of date. Graphs of documents not among the inputs go only when they came from one of
    ``folders`` or with ``prune`` (:mod:`kg.graph.sources`). ``reference``: the tables in use, for
    the reference graph. ``derive`` runs in the workers on each prepared document; the files it
    returns (path in ``out`` → text) are written once the document is stored."""
    from kg.graph.totals_store import refresh_totals, state_before

    report = BuildReport()
    before = state_before(out)  # the burden totals are renewed after the build (kg.graph.totals)
    store, cache = DocumentStore(out), DumpCache(out)
    try:
        existing = store.fingerprints(CGR.fingerprint)
        _refresh_reference(store, existing, cache, report, reference)
        unique = _unique_names(inputs, report_failure)
        todo = _changed(unique, existing, report, report_failure, on_document)
        work = functools.partial(prepare, derive=derive, pieces=bool(dumps))
        orphans = _extract_and_store(store, cache, todo, (work, jobs), out, report, report_failure, progress,
                                     bool(dumps))
        sources = read_sources(out)
        wanted = {str(REFERENCE_GRAPH)} | {str(graph_iri(display_name(p.name))) for p in unique}
        kept, gone = remove_stale(store, wanted, lambda graph: may_remove(graph, sources, folders, prune), out,
                                  report.removed, report.kept)
        remove_orphans(store, out, orphans | gone)
        write_sources(out, {g: s for g, s in sources.items() if g in kept}
                      | {str(graph_iri(display_name(p.name))): display_name(_absolute(p)) for p in inputs})
        if endpoint is not None:
            on_phase("endpoint")
            _push(store, endpoint, report, report_failure, progress)
        checkpoint("before-dumps")
        if dumps:
            on_phase("dumps")
            report.dumps_written = dump_stale(store, cache, out, dumps, progress, jobs=jobs)
    finally:
        store.close()
        release()  # the store's caches and the shared graphs, before the analytics fork their writers
    refresh_totals(out, before, report.changed)
    return report


def _changed(paths_: list[Path], existing: dict[str, str], report: BuildReport,
             report_failure: Callable[[Exception], None],
             on_document: Callable[[Path], None] = lambda p: None) -> list[tuple[Path, str]]:
    """(path, fingerprint) of the documents whose graph is missing or out of date."""
    todo = []
    for path in paths_:
        on_document(path)
        try:
            fingerprint = _fingerprint(read_limited(path))
        except DocumentError as exc:
            report_failure(exc)
            report.failed.append(path.name)
            continue
        if existing.get(str(graph_iri(display_name(path.name)))) == fingerprint:
            report.skipped.append(path.name)
        else:
            todo.append((path, fingerprint))
    return todo


def _extract_and_store(store: DocumentStore, cache: DumpCache, todo: list[tuple[Path, str]], workers: Workers,
                       out: Path, report: BuildReport, report_failure: Callable[[Exception], None],
                       progress: Progress, with_pieces: bool = True) -> set[str]:
    """Extract in workers and store in batches (:mod:`kg.graph.storing`) on a thread of its own,
    so that the workers get new documents while a batch is written (Oxigraph's loads and SQLite
    let go of the GIL); return the shared nodes that replaced graphs referred to. Batches are
    stored one at a time, in input order, and reported in that order; the shared graphs' dump
    pieces (if ``with_pieces``) are made in the workers while the last batch is stored."""
    from concurrent.futures import ThreadPoolExecutor

    from kg.extract.batch import worker_died
    from kg.extract.parallel import ordered_map

    described, orphans = Descriptions(out), set[str]()
    present = set(store.graphs())
    batch, pending = Batch(out, present), None
    done_ = functools.partial(collect, built=report.built, failed=report.failed, report_failure=report_failure)
    crashed = lambda job, error: worker_died(job[0], error)  # noqa: E731
    work, jobs = workers
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-store") as writer:
        try:
            for done, result in enumerate(ordered_map(work, todo, jobs, on_crash=crashed), 1):
                progress("extract", done, len(todo))
                if isinstance(result, Exception):
                    report_failure(_as_document_error(result, todo[done - 1][0]))
                    report.failed.append(todo[done - 1][0].name)
                    continue
                batch.add(result)
                described.update(result.shared)  # the last document in input order describes a shared thing
                if batch.size >= BATCH_BYTES:
                    orphans |= done_(pending)  # one batch in the writer at a time
                    pending, batch = writer.submit(store_batch, store, cache, batch), Batch(out, present)
            orphans |= done_(pending)
            pending, batch = writer.submit(store_batch, store, cache, batch), Batch(out, present)
            last = functools.cache(lambda: done_(pending))  # reported once, when the shared graphs need the store
            _write_shared(store, cache, described, lambda: Graphs(out, present), report, progress, (jobs, with_pieces),
                          last)
        except BaseException:
            batch.discard()
            raise
        finally:
            described.discard()
    return orphans | last()


SharedGraph = tuple[str, bytes, bytes, Packed | None]  # name, triples, fingerprint triple, dump pieces
# descriptions file; name, offset, length, stored key; whether to make dump pieces
SharedJob = tuple[str, list[tuple[str, int, int, str]], bool]


def _write_shared(store: DocumentStore, cache: DumpCache, described: Descriptions, new: Callable[[], Graphs],
                  report: BuildReport, progress: Progress, workers: tuple[int, bool],
                  before: Callable[[], object]) -> None:
    """Each shared graph once, and only if its content differs from the stored one: read back,
    compared and its dump pieces made in worker processes, stored in batches like documents'
    (:class:`kg.graph.storing.Graphs`, fingerprints last) once ``before`` returned (the
    documents' last batch stored). ``workers``: their number, and whether to make dump pieces."""
    from kg.extract.parallel import ordered_map

    jobs, with_pieces = workers
    described.close()
    existing = store.fingerprints(CGR.fingerprint)
    names = sorted(described.where)
    chunks: list[SharedJob] = [(str(described.path), [(n, *described.where[n], existing.get(n, ""))
                                                      for n in names[i:i + SHARED_CHUNK]], with_pieces)
                               for i in range(0, len(names), SHARED_CHUNK)]
    graphs, made, checked = new(), [], 0
    try:
        for chunk, rows in zip(chunks, ordered_map(_shared_graphs, chunks, jobs,
                                                   on_crash=lambda job, error: _shared_graphs(job))):
            for name, triples, stamp, packed in rows:
                graphs.add(name, triples, stamp)
                made.append((name, packed))
            checked += len(chunk[1])
            progress("store shared", checked, len(names))
            if graphs.size >= BATCH_BYTES:
                _store_shared(store, cache, graphs, made, report, before)
                graphs, made = new(), []
        _store_shared(store, cache, graphs, made, report, before)
    except BaseException:
        graphs.discard()
        raise


def _store_shared(store: DocumentStore, cache: DumpCache, graphs: Graphs, made: list[tuple[str, Packed | None]],
                  report: BuildReport, before: Callable[[], object]) -> None:
    before()
    graphs.store(store)
    cache.put_many([(name, packed) for name, packed in made if packed is not None])
    report.shared_written += len(made)


def _shared_graphs(job: SharedJob) -> list[SharedGraph]:
    """The shared graphs of a chunk (read back from the descriptions file) whose content differs
    from the stored one (its content key), ready to store, with their fingerprints."""
    path, entries, with_pieces = job
    rows = []
    with open(path, "rb") as handle:
        for name, offset, length, stored in entries:
            handle.seek(offset)
            triples = handle.read(length)
            key = hashlib.sha256(triples).hexdigest()
            if key != stored:
                stamp = stamp_line(name, key)
                rows.append((name, triples, stamp, pack(pieces(name, triples + stamp, key)) if with_pieces else None))
    return rows


def _unique_names(inputs: list[Path], report_failure: Callable[[Exception], None]) -> list[Path]:
    seen: dict[str, Path] = {}
    for path in inputs:
        key = display_name(path.name)
        if key in seen:
            report_failure(DocumentError(path, f"same file name as {display_name(str(seen[key]))}", "rename one of them"))
            continue
        seen[key] = path
    return list(seen.values())


def _absolute(path: Path) -> str:
    """Where a document lives, links resolved where they can be (a broken link or a loop of
    links, which fails as a document, is named as given)."""
    try:
        return str(path.resolve())
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop, before Python 3.13
        return os.path.abspath(path)


def _as_document_error(exc: Exception, path: Path) -> DocumentError:
    if isinstance(exc, DocumentError):
        return exc
    if isinstance(exc, OSError):
        return os_problem(exc, path)
    return DocumentError(path, f"extraction failed: {exc}", "run with --debug and report it")


def _refresh_reference(store: DocumentStore, existing: dict[str, str], cache: DumpCache,
                       report: BuildReport, reference: Reference) -> None:
    salt = build_salt()
    if existing.get(str(REFERENCE_GRAPH)) == salt:
        return
    data = reference_ntriples(reference)
    store.replace_ntriples(data, str(REFERENCE_GRAPH))
    cache.put(str(REFERENCE_GRAPH), pieces(str(REFERENCE_GRAPH), data, salt))
    report.reference_rebuilt = True


def _push(store: DocumentStore, endpoint: Endpoint, report: BuildReport,
          report_failure: Callable[[Exception], None], progress: Progress) -> None:
    from kg.graph.remote import EndpointError, sync

    from kg.graph.direct import graph_fingerprints

    try:
        report.pushed = sync(endpoint, graph_fingerprints(store.store), store.ntriples, progress)
    except EndpointError as exc:
        report_failure(exc)
