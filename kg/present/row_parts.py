"""A document's rows made in the worker that prepared it, so a build never reads them back.

The derived files are made from every document's rows (:mod:`kg.present.row_cache`). Read back
from the on-disk store after the build, they cost about as much CPU as extracting the documents
did, in the main process, one process for the whole corpus. The worker that prepared a document
already holds everything its rows are read from: its graph, the shared graphs it describes
(agencies, their areas, groups) and the reference graph. It runs the same queries over an
in-memory store of just those graphs and hands back the row-cache entry, keyed by the same
fingerprints the on-disk store carries. When the stored graphs differ (another document in the
same build described a shared graph differently), the key does not match and the rows are read
from the store as before: the result never depends on which path made it.
"""
from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.present.row_cache import dependencies, entry_path, entry_text, part_rows, stamps_of

if TYPE_CHECKING:
    from kg.graph.prepare import Prepared

__all__ = ["document_rows", "release_scratch"]


def document_rows(prepared: Prepared) -> dict[Path, str]:
    """The row-cache entry of one prepared document, as {path in the export folder: content}
    (nothing when a graph it depends on has no fingerprint)."""
    import pyoxigraph as ox

    from kg.graph.store import as_quads

    store = _SCRATCH.take()
    data = as_quads(prepared.triples + prepared.fingerprint, prepared.graph)
    data += b"".join(as_quads(t + _stamp(name, t), name) for name, t in sorted(prepared.shared.items()))
    try:
        store.bulk_load(data, format=ox.RdfFormat.N_QUADS)  # in memory: 1.6× faster than load
        stamps = stamps_of(store)
        part = part_rows(store, {prepared.graph: prepared.name})[prepared.graph]
        text = entry_text(prepared.graph, dependencies(store, prepared.graph, stamps), stamps, part)
    except BaseException:
        _SCRATCH.drop()
        raise
    _SCRATCH.give_back([prepared.graph, *prepared.shared])
    return {} if text is None else {entry_path(Path(), prepared.graph): text}


class _Scratch:
    """A worker's in-memory store holding the reference graph, lent to one document at a time:
    the document's graphs are removed after use, so each document sees only its own graphs and
    the reference graph, as in a store of its own. Filling a new store with the reference graph
    cost a fifth of a document's rows; a store serves :data:`SERVES` documents and is then made
    anew, because Oxigraph's memory store keeps every term it saw and the removed quads' entries
    (about 2 MB a document), which also slow its scans."""

    SERVES = 16

    def __init__(self) -> None:
        self.store: Any = None
        self.salt = ""
        self.served = 0

    def take(self) -> Any:
        import pyoxigraph as ox

        from kg.graph.build import build_salt

        salt = build_salt()
        if self.store is None or self.served >= self.SERVES or salt != self.salt:
            self.store, self.salt, self.served = ox.Store(), salt, 0
            self.store.extend(_reference_quads(salt))
        self.served += 1
        return self.store

    def give_back(self, graphs: list[str]) -> None:
        """Remove a document's graphs; a store that fails to is dropped."""
        import pyoxigraph as ox

        try:
            for graph in graphs:
                self.store.remove_graph(ox.NamedNode(graph))
        except BaseException:
            self.drop()
            raise

    def drop(self) -> None:
        self.store = None


_SCRATCH = _Scratch()


def release_scratch() -> None:
    """Let go of this process's scratch store (a build run in one process made rows in it)."""
    _SCRATCH.drop()


def _stamp(graph: str, triples: bytes) -> bytes:
    """The fingerprint triple the build gives a shared graph (the digest of its triples)."""
    from kg.graph.prepare import stamp_line

    return stamp_line(graph, hashlib.sha256(triples).hexdigest())


@functools.lru_cache(maxsize=1)
def _reference_quads(salt: str) -> list[Any]:
    """The reference graph with its fingerprint, as the build writes it, parsed once per worker
    process and salt (copying the parsed quads into a new store costs half of parsing them)."""
    import pyoxigraph as ox

    from kg.graph.prepare import worker_reference
    from kg.graph.store import as_quads
    from kg.graph.vocab import REFERENCE_GRAPH

    return list(ox.parse(as_quads(worker_reference(salt), str(REFERENCE_GRAPH)), format=ox.RdfFormat.N_QUADS))
