"""Writing an export folder's dumps from its store: only those missing or out of date (a digest
of every graph's fingerprint, kept in ``.kg-cache/dumps.state``), from per-graph pieces kept
under each graph's fingerprint (:mod:`kg.graph.dumps`), so a rebuild serialises only the graphs
that changed."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from kg.graph.dumps import DUMP_FORMATS, Pieces, pieces, state_digest, write_dumps
from kg.graph.piece_cache import DumpCache
from kg.graph.store import DocumentStore, write_atomic
from kg.graph.vocab import CGR

__all__ = ["Progress", "dump", "dump_stale", "silent"]

Progress = Callable[[str, int, int], None]  # phase, done, total


def silent(phase: str, done: int, total: int) -> None:
    return None


def dump(out: Path, formats: tuple[str, ...], progress: Progress = silent) -> list[str]:
    """Write the dumps of an existing store (``kg dump``); returns the files written."""
    store = DocumentStore(out)
    try:
        return dump_stale(store, DumpCache(out), out, formats, progress, force=True)
    finally:
        store.close()


def dump_stale(store: DocumentStore, cache: DumpCache, out: Path, formats: tuple[str, ...],
               progress: Progress = silent, force: bool = False) -> list[str]:
    """Write the dumps in ``formats`` that are missing or out of date (all of them if ``force``);
    return the files written."""
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
        return []
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
    return [DUMP_FORMATS[f] for f in stale]
