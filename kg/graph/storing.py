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
from typing import IO, TYPE_CHECKING, Callable, Iterable

from kg.errors import os_problem
from kg.faults import checkpoint
from kg.graph.piece_cache import DumpCache
from kg.graph.prepare import Prepared
from kg.graph.prune import SharedRecord
from kg.graph.store import DocumentStore, write_atomic
from kg.names import derived_name

if TYPE_CHECKING:
    from concurrent.futures import Future

__all__ = ["LOAD_BYTES", "Spool", "Graphs", "Batch", "Descriptions", "Stored", "collect", "store_batch"]

# N-Triples a batch gathers before it is stored (``KG_LOAD_MB``). Oxigraph's loader holds up to about a
# kilobyte a quad of a load: at 1,000 documents 96 MB loads peaked ~0.2 GB above 32 MB ones and
# saved a third of the compaction (benchmarks/results/load.md).


def _load_bytes(default: float = 96) -> int:
    """``KG_LOAD_MB`` in bytes; anything but a number of megabytes above zero is the default.

    >>> _load_bytes() > 0
    True
    """
    try:
        megabytes = float(os.environ.get("KG_LOAD_MB", default))
    except ValueError:
        megabytes = default
    return int((megabytes if 0 < megabytes < 1e6 else default) * 1_000_000)


LOAD_BYTES = _load_bytes()


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


class Graphs:
    """Graphs to store together, with their fingerprint triples: those new to the store spooled,
    the others kept to be replaced in place (one transaction each)."""

    def __init__(self, out: Path, present: set[str]) -> None:
        self.out, self.present = out, present
        self.replaced: list[tuple[str, bytes]] = []
        self.stamps: list[tuple[str, bytes]] = []
        self.spool: Spool | None = None
        self.size = 0

    def add(self, name: str, triples: bytes, stamp: bytes) -> None:
        self.size += len(triples)
        self.stamps.append((name, stamp))
        if name in self.present:
            self.replaced.append((name, triples))
            return
        if self.spool is None:
            self.spool = Spool(self.out)
        self.spool.add(triples, name)

    def store(self, store: DocumentStore) -> None:
        """Replaced graphs in place, new ones in one load from the spool, fingerprints last."""
        try:
            for name, triples in self.replaced:
                store.replace_ntriples(triples, name)
            if self.spool is not None:
                self.spool.close()
                store.load_file(self.spool.path, self.spool.size)
            store.stamp(self.stamps)
        finally:
            self.discard()

    def discard(self) -> None:
        if self.spool is not None:
            self.spool.discard()


class Batch:
    """Documents waiting to be stored, in input order, with their graphs (:class:`Graphs`)."""

    def __init__(self, out: Path, present: set[str]) -> None:
        self.out, self.graphs = out, Graphs(out, present)
        self.docs: list[Prepared] = []  # without their triples: the graphs have them
        self.failed: list[tuple[str, Exception]] = []

    @property
    def size(self) -> int:
        return self.graphs.size

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
        self.graphs.add(p.graph, p.triples, p.fingerprint)
        self.docs.append(replace(p, triples=b""))

    def discard(self) -> None:
        self.graphs.discard()


class Descriptions:
    """The shared graphs the documents describe (the last description in input order wins), kept
    in a temporary file as they arrive rather than in memory (hundreds of megabytes at 10,000
    documents): ``where`` gives each graph's bytes in it, which the workers read back."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.where: dict[str, tuple[int, int]] = {}
        self.path: Path | None = None
        self._handle: IO[bytes] | None = None
        self._end = 0

    def update(self, described: dict[str, bytes]) -> None:
        if self._handle is None:
            folder = self.out / ".kg-cache"
            folder.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=".shared.", suffix=".tmp", dir=folder)
            self.path, self._handle = Path(name), os.fdopen(fd, "wb")
        for name, data in described.items():
            self._handle.write(data)
            self.where[name] = (self._end, len(data))
            self._end += len(data)

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()

    def discard(self) -> None:
        self.close()
        if self.path is not None:
            self.path.unlink(missing_ok=True)


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
    """The extractions synced first, then the graphs (:meth:`Graphs.store`: fingerprints last),
    then the files derived from each document and its dump pieces."""
    stored = Stored(failed=batch.failed)
    try:
        _sync(batch.out / "extractions" / derived_name(p.name, ".json") for p in batch.docs)
        for name, _ in batch.graphs.replaced:
            stored.orphans |= store.shared_nodes(name)
    except BaseException:
        batch.discard()
        raise
    batch.graphs.store(store)
    if batch.docs:
        SharedRecord(batch.out).update({p.graph: sorted(p.shared) for p in batch.docs})
    for p in batch.docs:
        checkpoint("document-stored")
        for path, text in p.derived.items():
            write_atomic(batch.out / path, text, sync=False)
        stored.built.append(p.name)
    cache.put_many([(p.graph, p.pieces) for p in batch.docs if p.pieces is not None])
    return stored


def _sync(paths: Iterable[Path]) -> None:
    """Make written files durable (their data is usually on disk already: a cheap call each)."""
    for path in paths:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
