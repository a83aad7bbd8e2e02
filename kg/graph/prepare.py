"""The per-document half of a build, run in worker processes: extract one document and turn it
into what the store and the dumps need, as plain bytes (cheap to send between processes).

A worker returns a :class:`Prepared` or the exception the document raised (never raises), so
one bad document costs nothing else and results stay in input order.
"""
from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from kg.graph.piece_cache import Packed
from kg.model import DocumentExtraction

if TYPE_CHECKING:
    from kg.reference import Reference

__all__ = ["Prepared", "prepare", "stamp_line", "carries_fingerprint", "reference_ntriples", "worker_reference", "FINGERPRINT_IRI",
           "max_assignments", "DEFAULT_MAX_ASSIGNMENTS"]

FINGERPRINT_IRI = "https://w3id.org/cgr/ontology#fingerprint"
# A build holds one document's graph in memory (~20 triples and ~60 KB at peak per assignment).
# The longest real task-division plans assign a few thousand times; a "document" far beyond that
# is many documents run together (or generated), and is refused with a one-line error instead of
# taking the machine's memory.
DEFAULT_MAX_ASSIGNMENTS = 20_000


def stamp_line(graph: str, key: str) -> bytes:
    """The N-Triples line that gives ``graph`` its fingerprint ``key`` (written last: a graph
    without it is redone by the next build).

    >>> stamp_line("g:1", "ab")
    b'<g:1> <https://w3id.org/cgr/ontology#fingerprint> "ab" .\\n'
    """
    return f'<{graph}> <{FINGERPRINT_IRI}> "{key}" .\n'.encode("utf-8")


def carries_fingerprint(ntriples: bytes, key: str) -> bool:
    """Whether a graph's N-Triples state one fingerprint, and that it is ``key``: what a reader of
    the store checks before it trusts that the graph it read is the content ``key`` names.

    >>> carries_fingerprint(stamp_line("g:1", "ab") + b'<g:1> <a:p> "x" .\\n', "ab")
    True
    >>> carries_fingerprint(stamp_line("g:1", "ab"), "cd")
    False
    """
    predicate = f"> <{FINGERPRINT_IRI}> ".encode("utf-8")
    return ntriples.count(predicate) == 1 and predicate + f'"{key}" .\n'.encode("utf-8") in ntriples


def reference_ntriples(reference: Reference) -> bytes:
    """The reference graph as the store holds it: ontology and schemes, with the build's salt
    as its fingerprint."""
    from rdflib import Literal

    from kg.graph.build import build_salt
    from kg.graph.rdf import reference_graph
    from kg.graph.vocab import CGR, REFERENCE_GRAPH

    graph = reference_graph(reference)
    graph.add((REFERENCE_GRAPH, CGR.fingerprint, Literal(build_salt())))
    return graph.serialize(format="nt", encoding="utf-8")


@functools.lru_cache(maxsize=1)
def worker_reference(salt: str) -> bytes:
    """:func:`reference_ntriples` of the tables this process reads (``$KG_REFERENCE``, set by
    the CLI), made once per worker process and build salt (:func:`kg.graph.build.build_salt`:
    other tables, another salt)."""
    from kg.reference import load_reference

    return reference_ntriples(load_reference())


def max_assignments() -> int:
    """The most assignments one document may carry in a build: ``KG_MAX_ASSIGNMENTS`` or the default.

    >>> max_assignments() == DEFAULT_MAX_ASSIGNMENTS or "KG_MAX_ASSIGNMENTS" in os.environ
    True
    """
    from kg.errors import DocumentError

    raw = os.environ.get("KG_MAX_ASSIGNMENTS", "").strip()
    if not raw:
        return DEFAULT_MAX_ASSIGNMENTS
    if not raw.isdigit() or int(raw) == 0:
        raise DocumentError("KG_MAX_ASSIGNMENTS", f"not a positive whole number: {raw!r}", "set it to a count")
    return int(raw)


@dataclass(frozen=True)
class Prepared:
    """One document ready for the store: its graph as N-Triples without the fingerprint triple
    (loaded first), the fingerprint triple (written last, so a killed build leaves a graph that
    the next build redoes), the shared graphs it describes, its extraction as JSON and its dump
    pieces packed. Everything the main process needs is made here, in the worker: it only writes."""

    name: str
    graph: str
    triples: bytes
    fingerprint: bytes
    shared: dict[str, bytes]
    extraction: str
    counts: tuple[int, int]  # tasks, assignments
    pieces: Packed | None  # its share of the dumps, packed for the cache (None: no dump asked for)
    derived: dict[Path, str] = field(default_factory=dict)  # files made from it in the worker (see build.refresh)


def prepare(job: tuple[Path, str], derive: Callable[[Prepared], dict[Path, str]] | None = None,
            pieces: bool = True) -> Prepared | Exception:
    """Extract ``path`` and map it to RDF with ``fingerprint`` (the worker's entry point), then
    ``derive`` files from the result. Derived files are caches the build could make otherwise:
    if ``derive`` fails the document is prepared without them. Without ``pieces`` (a build that
    writes no dump) no dump piece is made: they cost two fifths of a worker's time, and a later
    dump makes the missing ones from the store."""
    from kg.errors import DocumentError
    from kg.extract.batch import extract_or_error
    from kg.faults import checkpoint

    path, fingerprint = job
    checkpoint(f"prepare:{path.name}")  # a test kills the worker on a given document
    doc = extract_or_error(path)
    if isinstance(doc, Exception):
        return doc
    try:
        limit = max_assignments()
    except DocumentError as exc:
        return exc
    if len(doc.assignments) > limit:
        return DocumentError(path, f"{len(doc.assignments):,} assignments in one document, more than {limit:,}",
                             "split it into its documents, or raise KG_MAX_ASSIGNMENTS")
    try:
        prepared = _prepared(doc, fingerprint, pieces)
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop the build
        return DocumentError(path, f"mapping to RDF failed: {exc}", "run with --debug and report it")
    try:
        return replace(prepared, derived=derive(prepared)) if derive else prepared
    except Exception:  # noqa: BLE001 - a cache left unmade is made later from the store
        return prepared


def _prepared(doc: DocumentExtraction, fingerprint: str, pieces: bool) -> Prepared:
    import json

    from kg.extract.serialize import extraction_dict
    from kg.graph.dumps import sorted_pieces
    from kg.graph.piece_cache import pack
    from kg.graph.rdf import document_graph
    from kg.graph.vocab import graph_iri
    from kg.reference import load_reference

    graph, shared = document_graph(doc, load_reference(), fingerprint)
    lines = graph.sorted()
    marker = f"<{FINGERPRINT_IRI}>"
    stamped = [_is_stamp(line, marker) for line in lines]
    name = str(graph_iri(doc.source.name))
    return Prepared(doc.source.name, name, _join(line for line, s in zip(lines, stamped) if not s),
                    _join(line for line, s in zip(lines, stamped) if s),
                    {key: g.ntriples() for key, g in sorted(shared.items())},
                    json.dumps(extraction_dict(doc), ensure_ascii=False, indent=2) + "\n",
                    (len(doc.tasks), len(doc.assignments)),
                    pack(sorted_pieces(name, lines, fingerprint)) if pieces else None)


def _is_stamp(line: str, marker: str) -> bool:
    """Whether an N-Triples line states a fingerprint: its predicate (after the subject IRI,
    which holds no space) is the fingerprint property; a literal that quotes it does not count.

    >>> _is_stamp('<a:s> <a:fp> "1" .', "<a:fp>"), _is_stamp('<a:s> <a:p> "<a:fp>" .', "<a:fp>")
    (True, False)
    """
    return marker in line and line.split(" ", 2)[1] == marker


def _join(lines: Iterable[str]) -> bytes:
    return "".join(line + "\n" for line in lines).encode("utf-8")
