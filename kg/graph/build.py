"""Bring an export folder up to date with a set of documents.

Each document owns one named graph carrying a fingerprint (file bytes + extractor code +
reference tables). A document whose fingerprint is unchanged is skipped without being read
again; a changed one is extracted and its graph replaced; graphs of documents no longer in
the input set are removed. A document that fails keeps its previous graph (reported, not
lost). Then the dumps are rewritten atomically from the store.
"""
from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from kg import __version__, paths
from kg.graph.rdf import document_graph, reference_graph
from kg.errors import DocumentError
from kg.extract.limits import read_limited
from kg.faults import checkpoint
from kg.reference import load_reference
from kg.graph.sources import may_remove, read_sources, write_sources
from kg.graph.store import DocumentStore, dump_jsonld, dump_nquads, dump_trig, dump_turtle, write_atomic
from kg.graph.vocab import CGR, REFERENCE_GRAPH, graph_iri
from kg.names import derived_name, display_name

__all__ = ["BuildReport", "refresh", "build_salt", "EXPORT_FILES"]

EXPORT_FILES = ("kg.nq", "kg.trig", "kg.ttl", "kg.jsonld")


@dataclass
class BuildReport:
    built: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # not among the inputs, not removed
    reference_rebuilt: bool = False


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
            prune: bool = False, on_phase: Callable[[str], None] = lambda name: None) -> BuildReport:
    """Update ``out/store`` and the dumps in ``out`` from ``inputs``. Graphs of documents not
    among the inputs go only when they came from one of ``folders`` or with ``prune``
    (:mod:`kg.graph.sources`)."""
    reference = load_reference()
    report = BuildReport()
    store = DocumentStore(out)
    try:
        existing = store.fingerprints(CGR.fingerprint)
        _refresh_reference(store, existing, reference, report)
        wanted: set[str] = {str(REFERENCE_GRAPH)}
        for path in _unique_names(inputs, report_failure):
            on_document(path)
            name = str(graph_iri(display_name(path.name)))
            wanted.add(name)
            try:
                fingerprint = _fingerprint(read_limited(path))
            except DocumentError as exc:
                report_failure(exc)
                report.failed.append(path.name)
                continue
            if existing.get(name) == fingerprint:
                report.skipped.append(path.name)
                continue
            try:
                _build_one(path, fingerprint, reference, store, out)
            except Exception as exc:  # noqa: BLE001 - one bad document must not stop the build
                report_failure(_as_document_error(exc, path))
                report.failed.append(path.name)
                continue
            report.built.append(path.name)
        sources = read_sources(out)
        kept = _remove_stale(store, wanted, lambda graph: may_remove(graph, sources, folders, prune), out, report)
        write_sources(out, {g: s for g, s in sources.items() if g in kept}
                      | {str(graph_iri(display_name(p.name))): display_name(str(p.resolve())) for p in inputs})
        checkpoint("before-dumps")
        on_phase("dumps")
        _write_dumps(store, out)
    finally:
        store.close()
    return report


def _build_one(path: Path, fingerprint: str, reference, store: DocumentStore, out: Path) -> None:  # type: ignore[no-untyped-def]
    """Extract one document and replace its graph; any failure leaves its previous graph."""
    from kg.extract.pipeline import extract
    from kg.extract.serialize import extraction_dict

    doc = extract(path, reference)
    # The extraction is written first and the graph, which carries the fingerprint, last:
    # a build killed in between finds the old fingerprint and does the document again.
    write_atomic(out / "extractions" / derived_name(path.name, ".json"), _json(extraction_dict(doc)))
    checkpoint("extraction-written")
    graph, shared = document_graph(doc, reference, fingerprint)
    for name_of_shared, shared_graph in sorted(shared.items()):
        store.replace(shared_graph, name_of_shared)  # same content whoever writes it
    store.replace(graph, graph_iri(display_name(path.name)))
    checkpoint("document-stored")


def _as_document_error(exc: Exception, path: Path) -> DocumentError:
    from kg.errors import os_problem

    if isinstance(exc, DocumentError):
        return exc
    if isinstance(exc, OSError):  # writing its extraction failed: disk full, read-only, permissions
        return os_problem(exc, path)
    return DocumentError(path, f"extraction failed: {exc}", "run with --debug and report it")


def _described(shared_graph: str) -> str:
    return shared_graph.replace("/cgr/graph/", "/cgr/id/", 1)


def _unique_names(inputs: list[Path], report_failure: Callable[[Exception], None]) -> list[Path]:
    seen: dict[str, Path] = {}
    for path in inputs:
        key = display_name(path.name)
        if key in seen:
            report_failure(DocumentError(path, f"same file name as {display_name(str(seen[key]))}", "rename one of them"))
            continue
        seen[key] = path
    return list(seen.values())


def _refresh_reference(store: DocumentStore, existing: dict[str, str], reference, report: BuildReport) -> None:  # type: ignore[no-untyped-def]
    from rdflib import Literal

    salt = build_salt()
    if existing.get(str(REFERENCE_GRAPH)) == salt:
        return
    graph = reference_graph(reference)
    graph.add((REFERENCE_GRAPH, CGR.fingerprint, Literal(salt)))
    store.replace(graph, REFERENCE_GRAPH)
    report.reference_rebuilt = True


def _remove_stale(store: DocumentStore, wanted: set[str], removable: Callable[[str], bool], out: Path,
                  report: BuildReport) -> set[str]:
    """Drop graphs of documents no longer given that may go, then shared graphs nothing refers
    to any more; return the graph names of the documents kept."""
    kept, sources = set(), read_sources(out)
    for name in store.graphs():
        if "/graph/doc/" in name and name not in wanted:
            file_name = Path(sources.get(name, name.rsplit("/", 1)[-1])).name
            if removable(name):
                store.remove(name)
                report.removed.append(file_name)
            else:
                kept.add(name)
                report.kept.append(file_name)
    referenced = store.referenced_resources()
    for name in store.graphs():
        if "/graph/doc/" not in name and name not in wanted and _described(name) not in referenced:
            store.remove(name)
    for file_name in report.removed:  # extractions are named derived_name(<file name>, ".json")
        (out / "extractions" / derived_name(file_name, ".json")).unlink(missing_ok=True)
    return kept


def _json(data: dict) -> str:  # type: ignore[type-arg]
    import json

    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _write_dumps(store: DocumentStore, out: Path) -> None:
    nquads = dump_nquads(store.nquads())
    write_atomic(out / "kg.nq", nquads)
    write_atomic(out / "kg.trig", dump_trig(nquads))
    write_atomic(out / "kg.ttl", dump_turtle(nquads))
    write_atomic(out / "kg.jsonld", dump_jsonld(nquads))
