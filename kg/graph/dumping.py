"""Writing an export folder's dumps from its store: only those missing or out of date (a digest
of every graph's fingerprint, kept in ``.kg-cache/dumps.state``), from per-graph pieces kept
under each graph's fingerprint (:mod:`kg.graph.dumps`), so a rebuild serialises only the graphs
that changed, and copies the others' bytes from the dump before (:mod:`kg.graph.splice`).
``kg dump`` writes every piece afresh. Pieces the cache lacks (after a build without dumps, or a
store changed by other means) are made first, in worker processes."""
from __future__ import annotations

import functools
import zlib
from pathlib import Path
from typing import Any, Callable, Iterator

from kg.graph.direct import graph_fingerprints
from kg.graph.dumps import DUMP_FORMATS, pieces, state_digest
from kg.graph.piece_cache import DumpCache, Packed, pack
from kg.graph.store import DocumentStore, write_atomic

__all__ = ["Progress", "dump", "dump_stale", "silent", "FreshPieces"]

Progress = Callable[[str, int, int], None]  # phase, done, total
_ONE_BY_ONE = 64  # graphs looked up one at a time before the rest of the cache is read in one pass
_MISSING_CHUNK = 256  # graphs a worker makes the pieces of per task (a chunk is sent as names, not triples)


def silent(phase: str, done: int, total: int) -> None:
    return None


def dump(out: Path, formats: tuple[str, ...], progress: Progress = silent, jobs: int = 1) -> list[str]:
    """Write the dumps of an existing store (``kg dump``), every graph from its piece; returns the
    files written."""
    store = DocumentStore(out)
    try:
        return dump_stale(store, DumpCache(out), out, formats, progress, force=True, jobs=jobs)
    finally:
        store.close()


def dump_stale(store: DocumentStore, cache: DumpCache, out: Path, formats: tuple[str, ...],
               progress: Progress = silent, force: bool = False, jobs: int = 1) -> list[str]:
    """Write the dumps in ``formats`` that are missing or out of date (all of them, and without
    copying from the old ones, if ``force``); return the files written. The pieces the cache
    lacks are made first by ``jobs`` worker processes (:func:`make_missing`)."""
    import json

    from kg.graph.splice import SpliceError, write_all

    current = graph_fingerprints(store.store)
    digest, state_file = state_digest(current), out / ".kg-cache" / "dumps.state"
    try:
        state = json.loads(state_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        state = {}
    stale = tuple(f for f in formats if force or state.get(f) != digest or not (out / DUMP_FORMATS[f]).is_file())
    if not stale:
        return []
    fields, version = stale + (("foreign",) if "ttl" in stale else ()), _version()
    make_missing(out, cache, current, jobs, progress)

    def write(splice: bool) -> tuple[int, set[str]]:
        return write_all(out, sorted(current), current, stale, FreshPieces(store, cache, fields), version, progress,
                         splice)

    try:
        copied, dropped = write(not force)
    except SpliceError:  # an old dump changed under the copy: write every piece
        copied, dropped = write(False)
    state.update({f: digest for f in stale})
    write_atomic(state_file, json.dumps(state, sort_keys=True))
    if not copied or dropped:  # a graph's row is replaced when it is stored: only removed graphs leave rows
        cache.prune(current)
    return [DUMP_FORMATS[f] for f in stale]


def make_missing(out: Path, cache: DumpCache, current: dict[str, str], jobs: int,
                 progress: Progress = silent) -> int:
    """Make the pieces the cache lacks for the graphs of ``current`` (graph → key) in ``jobs``
    worker processes, and keep them; return how many were made. A worker reads its graphs from
    the store opened read-only, and keeps a graph's pieces only if the graph it read carries the
    key asked for: anything else is left to :class:`FreshPieces`, which makes it from this
    process's store. One process alone leaves it all to :class:`FreshPieces` (the same work).
    After a build without dumps this is the whole of a dump's cost but the writing: 1,000
    documents took 141 s in one process."""
    from kg.extract.parallel import ordered_map

    if jobs <= 1:
        return 0
    held = cache.keys()
    missing = [(graph, key) for graph, key in sorted(current.items()) if key and held.get(graph) != key]
    if len(missing) <= _MISSING_CHUNK:
        return 0
    path = str((out / "store").resolve())
    chunks = [(path, missing[i:i + _MISSING_CHUNK]) for i in range(0, len(missing), _MISSING_CHUNK)]
    made = 0
    for done, packed in enumerate(ordered_map(_missing_pieces, chunks, jobs, on_crash=lambda job, error: []), 1):
        cache.put_many(list(packed))
        made += len(packed)
        progress("dump pieces", min(done * _MISSING_CHUNK, len(missing)), len(missing))
    return made


def _missing_pieces(job: tuple[str, list[tuple[str, str]]]) -> list[tuple[str, Packed]]:
    """The packed pieces of a chunk of graphs, read from the store opened read-only (once per
    worker); a graph whose fingerprint there is not the key asked for is left out."""
    import pyoxigraph as ox

    from kg.graph.prepare import carries_fingerprint

    path, graphs = job
    made = []
    try:
        store = _read_only(path)
        for graph, key in graphs:
            ntriples = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph)) or b""
            if carries_fingerprint(ntriples, key):
                made.append((graph, pack(pieces(graph, ntriples, key))))
    except (OSError, RuntimeError, ValueError):  # the rest is left to the main process
        pass
    return made


@functools.lru_cache(maxsize=1)
def _read_only(path: str) -> Any:
    from kg.graph.direct import read_only

    return read_only(Path(path))


def _version() -> str:
    """Everything that shapes the pieces: the build's salt (code, tables, ontology) and Oxigraph's
    serialisers."""
    import pyoxigraph as ox

    from kg.graph.build import build_salt

    return f"{build_salt()} {getattr(ox, '__version__', '')}"


class FreshPieces:
    """The pieces ``fields`` of the graphs written afresh, as bytes: from the piece cache (looked
    up one by one while few are asked for, then read in one pass in graph order), or made from
    the store and kept in the cache when not there."""

    def __init__(self, store: DocumentStore, cache: DumpCache, fields: tuple[str, ...]) -> None:
        self.store, self.cache, self.fields = store, cache, fields
        self.asked = 0
        self._rows: Iterator[tuple[str, str, tuple[bytes, ...]]] | None = None
        self._row: tuple[str, str, tuple[bytes, ...]] | None = None
        self._ended = False

    def __call__(self, graph: str, key: str) -> dict[str, bytes]:
        self.asked += 1
        if self._row is not None and graph < self._row[0]:  # asked again from an earlier graph: a new pass
            self._rows, self._row, self._ended = None, None, False
        found = self._cached(graph, key) if key else None
        if found is not None:
            return found
        made = pieces(graph, self.store.ntriples(graph), key)
        if key:
            self.cache.put(graph, made)
        return {name: getattr(made, name).encode("utf-8") for name in self.fields}

    def _cached(self, graph: str, key: str) -> dict[str, bytes] | None:
        if self.asked <= _ONE_BY_ONE:
            made = self.cache.get(graph, key)
            return {name: getattr(made, name).encode("utf-8") for name in self.fields} if made else None
        if self._rows is None:
            self._rows = self.cache.scan(self.fields, graph)
        while not self._ended and (self._row is None or self._row[0] < graph):
            self._row = next(self._rows, None)
            self._ended = self._row is None
        if self._row is None or self._row[:2] != (graph, key):
            return None
        blobs = self._row[2]
        try:
            return {field: zlib.decompress(blob) for field, blob in zip(self.fields, blobs)}
        except zlib.error:
            return None
