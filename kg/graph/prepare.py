"""The per-document half of a build, run in worker processes: extract one document and turn it
into what the store and the dumps need, as plain bytes (cheap to send between processes).

A worker returns a :class:`Prepared` or the exception the document raised (never raises), so
one bad document costs nothing else and results stay in input order.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kg.graph.dumps import Pieces

__all__ = ["Prepared", "prepare", "FINGERPRINT_IRI"]

FINGERPRINT_IRI = "https://w3id.org/cgr/ontology#fingerprint"


@dataclass(frozen=True)
class Prepared:
    """One document ready for the store: its graph as N-Triples without the fingerprint triple
    (loaded first), the fingerprint triple (written last, so a killed build leaves a graph that
    the next build redoes), the shared graphs it describes, and its extraction as JSON."""

    name: str
    graph: str
    triples: bytes
    fingerprint: bytes
    shared: dict[str, bytes]
    extraction: str
    counts: tuple[int, int]  # tasks, assignments
    pieces: Pieces  # its share of the dumps


def prepare(job: tuple[Path, str]) -> Prepared | Exception:
    """Extract ``path`` and map it to RDF with ``fingerprint`` (the worker's entry point)."""
    from kg.errors import DocumentError
    from kg.extract.batch import extract_or_error

    path, fingerprint = job
    doc = extract_or_error(path)
    if isinstance(doc, Exception):
        return doc
    try:
        return _prepared(doc, fingerprint)
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop the build
        return DocumentError(path, f"mapping to RDF failed: {exc}", "run with --debug and report it")


def _prepared(doc, fingerprint: str) -> Prepared:  # type: ignore[no-untyped-def]
    import json

    from kg.extract.serialize import extraction_dict
    from kg.graph.dumps import pieces
    from kg.graph.rdf import document_graph
    from kg.graph.vocab import graph_iri
    from kg.reference import load_reference

    graph, shared = document_graph(doc, load_reference(), fingerprint)
    lines = graph.sorted()
    marker = f"<{FINGERPRINT_IRI}>"
    own = [line for line in lines if marker not in line]
    stamp = [line for line in lines if marker in line]
    name = str(graph_iri(doc.source.name))
    everything = _join(lines)
    return Prepared(doc.source.name, name, _join(own), _join(stamp),
                    {key: g.ntriples() for key, g in sorted(shared.items())},
                    json.dumps(extraction_dict(doc), ensure_ascii=False, indent=2) + "\n",
                    (len(doc.tasks), len(doc.assignments)), pieces(name, everything, fingerprint))


def _join(lines: list[str]) -> bytes:
    return "".join(line + "\n" for line in lines).encode("utf-8")
