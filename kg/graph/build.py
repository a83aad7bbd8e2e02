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
from kg.graph.dumps import DUMP_FORMATS, DumpCache, Pieces, pieces, state_digest, write_dumps
from kg.graph.prepare import FINGERPRINT_IRI, Prepared, prepare
from kg.graph.remote import Endpoint
from kg.graph.sources import may_remove, read_sources, write_sources
from kg.graph.store import DocumentStore, write_atomic
from kg.graph.vocab import CGR, REFERENCE_GRAPH, graph_iri
from kg.names import derived_name, display_name
from kg.reference import Reference

__all__ = ["BuildReport", "refresh", "build_salt", "EXPORT_FILES", "dump", "Progress"]

EXPORT_FILES = tuple(DUMP_FORMATS.values())
BATCH_BYTES = 32_000_000  # N-Triples per bulk load: big enough for few store files, small for memory

Progress = Callable[[str, int, int], None]  # phase, done, total


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


def _silent(phase: str, done: int, total: int) -> None:
    return None


def refresh(inputs: list[Path], out: Path, report_failure: Callable[[Exception], None],
            on_document: Callable[[Path], None] = lambda p: None, folders: tuple[Path, ...] = (),
            prune: bool = False, on_phase: Callable[[str], None] = lambda name: None, *, jobs: int = 1,
            progress: Progress = _silent, dumps: tuple[str, ...] = tuple(DUMP_FORMATS),
            endpoint: Endpoint | None = None, reference: Reference) -> BuildReport:
    """Update ``out/store`` from ``inputs`` with ``jobs`` extraction workers, then (when given) a
    SPARQL server, graph by graph, those whose fingerprint differs there, then the ``dumps`` that
    are out of date. Graphs of documents not among the inputs go only when they came from one of
    ``folders`` or with ``prune`` (:mod:`kg.graph.sources`). ``reference``: the tables in use, for
    the reference graph."""
    report = BuildReport()
    store, cache = DocumentStore(out), DumpCache(out)
    try:
        existing = store.fingerprints(CGR.fingerprint)
        _refresh_reference(store, existing, cache, report, reference)
        unique = _unique_names(inputs, report_failure)
        todo = _changed(unique, existing, report, report_failure, on_document)
        orphans = _extract_and_store(store, cache, todo, jobs, out, report, report_failure, progress)
        sources = read_sources(out)
        wanted = {str(REFERENCE_GRAPH)} | {str(graph_iri(display_name(p.name))) for p in unique}
        kept, gone = _remove_stale(store, wanted, lambda graph: may_remove(graph, sources, folders, prune), out,
                                   report)
        _remove_orphans(store, orphans | gone)
        write_sources(out, {g: s for g, s in sources.items() if g in kept}
                      | {str(graph_iri(display_name(p.name))): display_name(_absolute(p)) for p in inputs})
        if endpoint is not None:
            on_phase("endpoint")
            _push(store, endpoint, report, report_failure, progress)
        checkpoint("before-dumps")
        if dumps:
            on_phase("dumps")
            _dump(store, cache, out, dumps, report, progress)
    finally:
        store.close()
    return report


def dump(out: Path, formats: tuple[str, ...], progress: Progress = _silent) -> list[str]:
    """Write the dumps of an existing store (``kg dump``); returns the files written."""
    report = BuildReport()
    store = DocumentStore(out)
    try:
        _dump(store, DumpCache(out), out, formats, report, progress, force=True)
    finally:
        store.close()
    return report.dumps_written


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


def _extract_and_store(store: DocumentStore, cache: DumpCache, todo: list[tuple[Path, str]], jobs: int,
                       out: Path, report: BuildReport, report_failure: Callable[[Exception], None],
                       progress: Progress) -> set[str]:
    """Extract in workers, store in batches; return the shared nodes replaced graphs referred to."""
    from kg.extract.batch import worker_died
    from kg.extract.parallel import ordered_map

    shared: dict[str, bytes] = {}
    orphans: set[str] = set()
    batch: list[Prepared] = []
    crashed = lambda job, error: worker_died(job[0], error)  # noqa: E731
    for done, result in enumerate(ordered_map(prepare, todo, jobs, on_crash=crashed), 1):
        progress("extract", done, len(todo))
        if isinstance(result, Exception):
            report_failure(_as_document_error(result, todo[done - 1][0]))
            report.failed.append(todo[done - 1][0].name)
            continue
        batch.append(result)
        shared.update(result.shared)  # the last document in input order describes a shared thing
        if sum(len(p.triples) for p in batch) >= BATCH_BYTES:
            orphans |= _store_batch(store, cache, batch, out, report, report_failure)
    orphans |= _store_batch(store, cache, batch, out, report, report_failure)
    _write_shared(store, cache, shared, report, progress)
    return orphans


def _store_batch(store: DocumentStore, cache: DumpCache, batch: list[Prepared], out: Path,
                 report: BuildReport, report_failure: Callable[[Exception], None]) -> set[str]:
    """The extractions are written first and the graphs, which carry the fingerprints, last: a
    build killed in between finds the old fingerprints and does these documents again."""
    orphans: set[str] = set()
    for p in list(batch):
        try:
            write_atomic(out / "extractions" / derived_name(p.name, ".json"), p.extraction)
        except OSError as exc:  # disk full, read-only, permissions: this document keeps its old graph
            report.failed.append(p.name)
            batch.remove(p)
            report_failure(os_problem(exc, out))
            continue
        checkpoint("extraction-written")
        if store.has(p.graph):
            orphans |= store.shared_nodes(p.graph)
    store.load_batch([(p.graph, p.triples, p.fingerprint) for p in batch])
    for p in batch:
        checkpoint("document-stored")
        cache.put(p.graph, p.pieces)
        report.built.append(p.name)
    batch.clear()
    return orphans


def _write_shared(store: DocumentStore, cache: DumpCache, shared: dict[str, bytes], report: BuildReport,
                  progress: Progress) -> None:
    """Each shared graph once, and only if its content differs from the stored one."""
    existing = store.fingerprints(CGR.fingerprint)
    for done, (name, triples) in enumerate(sorted(shared.items()), 1):
        key = hashlib.sha256(triples).hexdigest()
        if existing.get(name) != key:
            stamp = f"<{name}> <{FINGERPRINT_IRI}> \"{key}\" .\n".encode("utf-8")
            store.replace_ntriples(triples + stamp, name)
            cache.put(name, pieces(name, triples + stamp, key))
            report.shared_written += 1
        progress("store shared", done, len(shared))


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
    from rdflib import Literal

    from kg.graph.rdf import reference_graph

    salt = build_salt()
    if existing.get(str(REFERENCE_GRAPH)) == salt:
        return
    graph = reference_graph(reference)
    graph.add((REFERENCE_GRAPH, CGR.fingerprint, Literal(salt)))
    data = graph.serialize(format="nt", encoding="utf-8")
    store.replace_ntriples(data, str(REFERENCE_GRAPH))
    cache.put(str(REFERENCE_GRAPH), pieces(str(REFERENCE_GRAPH), data, salt))
    report.reference_rebuilt = True


def _remove_stale(store: DocumentStore, wanted: set[str], removable: Callable[[str], bool], out: Path,
                  report: BuildReport) -> tuple[set[str], set[str]]:
    """Drop graphs of documents no longer given that may go; return the graph names of the
    documents kept and the shared nodes the dropped ones referred to."""
    kept, orphans, sources = set(), set(), read_sources(out)
    for name in store.graphs():
        if "/graph/doc/" in name and name not in wanted:
            file_name = Path(sources.get(name, name.rsplit("/", 1)[-1])).name
            if removable(name):
                orphans |= store.shared_nodes(name)
                store.remove(name)
                report.removed.append(file_name)
            else:
                kept.add(name)
                report.kept.append(file_name)
    for file_name in report.removed:  # extractions are named derived_name(<file name>, ".json")
        (out / "extractions" / derived_name(file_name, ".json")).unlink(missing_ok=True)
    return kept, orphans


def _remove_orphans(store: DocumentStore, candidates: set[str]) -> None:
    """Shared graphs that nothing refers to any more go; an agency's area is checked after it."""
    from kg.graph.rdf import shared_graph_iri
    from rdflib import URIRef

    areas = sorted(c for c in candidates if "/id/area/" in c)
    for node in sorted(c for c in candidates if "/id/area/" not in c) + areas:
        graph = str(shared_graph_iri(URIRef(node)))
        if store.has(graph) and not store.referenced(node):
            if "/id/agency/" in node:
                areas += sorted(store.shared_nodes(graph) - set(areas))
            store.remove(graph)


def _push(store: DocumentStore, endpoint: Endpoint, report: BuildReport,
          report_failure: Callable[[Exception], None], progress: Progress) -> None:
    from kg.graph.remote import EndpointError, sync

    local = {name: "" for name in store.graphs()} | store.fingerprints(CGR.fingerprint)
    try:
        report.pushed = sync(endpoint, local, store.ntriples, progress)
    except EndpointError as exc:
        report_failure(exc)


def _dump(store: DocumentStore, cache: DumpCache, out: Path, formats: tuple[str, ...], report: BuildReport,
          progress: Progress, force: bool = False) -> None:
    """Write the dumps in ``formats`` that are missing or out of date (all of them if ``force``)."""
    import json

    current = store.fingerprints(CGR.fingerprint)
    for name in store.graphs():
        current.setdefault(name, "")
    digest, state_file = state_digest(current), out / ".kg-cache" / "dumps.state"
    try:
        state = json.loads(state_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        state = {}
    stale = [f for f in formats if force or state.get(f) != digest or not (out / DUMP_FORMATS[f]).is_file()]
    if not stale:
        return
    done = iter(range(1, len(current) + 1))

    def get(graph: str) -> Pieces:
        progress("dumps", next(done), len(current))
        key = current[graph]
        made = cache.get(graph, key) if key else None
        if made is None:  # not made by a build of this version, or a graph without a fingerprint
            made = pieces(graph, store.ntriples(graph), key)
            if key:
                cache.put(graph, made)
        return made

    write_dumps(out, sorted(current), get, tuple(stale))
    state.update({f: digest for f in stale})
    write_atomic(state_file, json.dumps(state, sort_keys=True))
    cache.prune(current)
    report.dumps_written = [DUMP_FORMATS[f] for f in stale]
