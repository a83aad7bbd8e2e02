"""The store side of a build's documents: batches gathered by the main thread, stored by one
writer thread, one batch at a time, in input order.

A document whose graph is new to the store goes, as it arrives, to the batch's *spool*: a
temporary file of TriG (``.kg-cache/.load.XXXXXXXX.tmp``) that the writer bulk-loads in one
call, streamed from disk (the loader holds about a kilobyte a quad, not the batch's bytes too).
Every bulk load adds store files that RocksDB merges with all it holds (a term's key is a hash,
so each load overlaps the whole store), so fewer, larger loads cost less: ``LOAD_BYTES`` a load.
A graph already in the store is replaced in place, one transaction each, so readers never miss
it. Its extraction is written before the batch is stored and its fingerprint last, so a build
killed anywhere in between finds no fingerprint and does the document again.
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from kg.errors import os_problem
from kg.faults import checkpoint
from kg.graph.piece_cache import DumpCache
from kg.graph.prepare import Prepared
from kg.graph.prune import SharedRecord
from kg.graph.store import DocumentStore, write_atomic
from kg.names import derived_name

if TYPE_CHECKING:
    from concurrent.futures import Future

__all__ = ["LOAD_BYTES", "Batch", "Stored", "collect", "store_batch"]

# N-Quads a batch gathers before it is stored. Oxigraph's bulk loader holds ~1 KB a quad of the
# load (~200 bytes of N-Quads), so 96 MB costs ~0.45 GB while it loads; 1,000 documents are ~1 GB.
LOAD_BYTES = int(float(os.environ.get("KG_LOAD_MB", "96")) * 1_000_000)


class Spool:
    """Graphs new to the store, as TriG in a temporary file of the export's cache folder (a killed
    build's leftover is swept by the next one, like every ``.*.tmp``).

    Each graph's N-Triples lines go as they are inside a ``<graph> { … }`` block: an N-Triples
    line is a Turtle statement, so no byte of them is copied to name the graph on each line.
    """

    def __init__(self, out: Path) -> None:
        folder = out / ".kg-cache"
        folder.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=".load.", suffix=".tmp", dir=folder)
        self.path = Path(name)
        self.handle = os.fdopen(fd, "wb")
        self.size = 0

    def add(self, triples: bytes, graph: str) -> None:
        head = f"<{graph}> {{\n".encode("utf-8")
        self.handle.write(head)
        self.handle.write(triples)
        self.handle.write(b"\n}\n")
        self.size += len(head) + len(triples) + 3

    def close(self) -> None:
        self.handle.close()

    def discard(self) -> None:
        self.handle.close()
        self.path.unlink(missing_ok=True)


@dataclass
class Batch:
    """Documents waiting to be stored, in input order: those whose graph is new to the store are
    in ``spool`` (their ``triples`` dropped), the others keep theirs."""

    out: Path
    present: set[str]  # graphs in the store when the build began
    docs: list[Prepared] = field(default_factory=list)
    failed: list[tuple[str, Exception]] = field(default_factory=list)
    spool: Spool | None = None
    size: int = 0

    def add(self, p: Prepared) -> None:
        """Write the document's extraction (not synced yet: :func:`store_batch` syncs the batch's
        before any graph) and take its graph; a document whose extraction cannot be written keeps
        its previous graph."""
        try:
            write_atomic(self.out / "extractions" / derived_name(p.name, ".json"), p.extraction, sync=False)
        except OSError as exc:  # disk full, read-only, permissions
            self.failed.append((p.name, os_problem(exc, self.out)))
            return
        checkpoint("extraction-written")
        self.size += len(p.triples)
        if p.graph in self.present:
            self.docs.append(p)
            return
        if self.spool is None:
            self.spool = Spool(self.out)
        self.spool.add(p.triples, p.graph)
        self.docs.append(replace(p, triples=b""))  # the spool has them: the batch holds the small parts

    def discard(self) -> None:
        if self.spool is not None:
            self.spool.discard()


@dataclass
class Stored:
    """What storing one batch did, reported by the main thread (the one that reports failures)."""

    built: list[str] = field(default_factory=list)
    failed: list[tuple[str, Exception]] = field(default_factory=list)
    orphans: set[str] = field(default_factory=set)


def collect(stored: "Future[Stored] | Stored | None", built: list[str], failed: list[str],
            report_failure: Callable[[Exception], None]) -> set[str]:
    """Wait for a stored batch (its error, if any, is raised here), report it, return its orphans."""
    if stored is None:
        return set()
    done = stored if isinstance(stored, Stored) else stored.result()
    for name, exc in done.failed:
        report_failure(exc)
        failed.append(name)
    built.extend(done.built)
    return done.orphans


def store_batch(store: DocumentStore, cache: DumpCache, batch: Batch) -> Stored:
    """The extractions synced first, then the graphs (replaced ones in place, new ones in one
    load from the spool), the fingerprints last in one transaction, then the files derived from
    each document and its dump pieces."""
    stored = Stored(failed=batch.failed)
    try:
        _sync(batch.out / "extractions" / derived_name(p.name, ".json") for p in batch.docs)
        for p in batch.docs:
            if p.graph in batch.present:
                stored.orphans |= store.shared_nodes(p.graph)
                store.replace_ntriples(p.triples, p.graph)
        if batch.spool is not None:
            batch.spool.close()
            store.load_file(batch.spool.path, batch.spool.size)
        store.stamp([(p.graph, p.fingerprint) for p in batch.docs])
    finally:
        if batch.spool is not None:
            batch.spool.discard()
    if batch.docs:
        SharedRecord(batch.out).update({p.graph: sorted(p.shared) for p in batch.docs})
    for p in batch.docs:
        checkpoint("document-stored")
        for path, text in p.derived.items():
            write_atomic(batch.out / path, text, sync=False)
        stored.built.append(p.name)
    cache.put_many([(p.graph, p.pieces) for p in batch.docs])
    return stored


def _sync(paths: Iterable[Path]) -> None:
    """Make written files durable (their data is usually on disk already: a cheap call each)."""
    for path in paths:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
