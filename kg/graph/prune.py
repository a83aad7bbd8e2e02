"""What a build removes: the graphs of documents no longer given (when they may go), and the
shared graphs (agencies, areas, groups, lineage events) no document describes any more.

Which shared graphs each document described is recorded at build time (``.kg-cache/shared.state``),
so after a removal or a change the store keeps exactly the shared graphs a fresh build of the
same documents writes: the union of what the documents still there described. Lineage links
between agencies (an old body and its successor name each other) do not keep one another alive.
A store built before the record existed falls back to following references.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

from kg.graph.sources import read_sources
from kg.graph.store import DocumentStore, write_atomic
from kg.graph.vocab import REFERENCE_GRAPH
from kg.names import derived_name

__all__ = ["SharedRecord", "remove_stale", "remove_orphans"]


class SharedRecord:
    """Document graph → the shared graphs its extraction described, in ``.kg-cache/shared.state``."""

    def __init__(self, out: Path) -> None:
        self.path = out / ".kg-cache" / "shared.state"  # JSON, named like dumps.state

    def read(self) -> dict[str, list[str]]:
        try:
            found = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return found if isinstance(found, dict) else {}

    def update(self, described: dict[str, list[str]], gone: set[str] = frozenset()) -> None:  # type: ignore[assignment]
        record = {g: names for g, names in self.read().items() if g not in gone} | described
        write_atomic(self.path, json.dumps(record, ensure_ascii=False, sort_keys=True), sync=False)


def remove_stale(store: DocumentStore, wanted: set[str], removable: Callable[[str], bool], out: Path,
                 removed: list[str], kept_names: list[str]) -> tuple[set[str], set[str]]:
    """Drop graphs of documents no longer given that may go (their file names go to ``removed``,
    those kept to ``kept_names``); return the graph names of the documents kept and the shared
    nodes the dropped ones referred to."""
    kept, orphans, sources, dropped = set(), set(), read_sources(out), set()
    for name in store.graphs():
        if "/graph/doc/" in name and name not in wanted:
            file_name = Path(sources.get(name, name.rsplit("/", 1)[-1])).name
            if removable(name):
                orphans |= store.shared_nodes(name)
                store.remove(name)
                dropped.add(name)
                removed.append(file_name)
            else:
                kept.add(name)
                kept_names.append(file_name)
    for file_name in removed:  # extractions are named derived_name(<file name>, ".json")
        (out / "extractions" / derived_name(file_name, ".json")).unlink(missing_ok=True)
    if dropped:
        SharedRecord(out).update({}, dropped)
    return kept, orphans


def remove_orphans(store: DocumentStore, out: Path, candidates: set[str]) -> None:
    """Shared graphs no document in the store describes go (by the record), or, for a store
    without a full record, those nothing refers to any more among ``candidates``."""
    record = SharedRecord(out).read()
    graphs = store.graphs()
    documents = [g for g in graphs if "/graph/doc/" in g]
    if all(g in record for g in documents):
        described = {name for g in documents for name in record[g]}
        for graph in graphs:
            if "/graph/doc/" not in graph and graph != str(REFERENCE_GRAPH) and graph not in described:
                store.remove(graph)
        return
    _follow_references(store, candidates)


def _follow_references(store: DocumentStore, candidates: set[str]) -> None:
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
