"""The rows a build's derived files are made from, read per document and kept between builds.

A document's rows (its documents, tasks and assignments rows and its evidence) depend only on
its own named graph, the shared graphs it refers to (agencies, their areas, groups), and the
reference graph. Each is stored in ``.kg-cache/rows`` under a key made of those graphs'
fingerprints. A build's workers make the entries of the documents they prepare
(:mod:`kg.present.row_parts`), so after a build every document's rows are usually here; a
document whose key does not match (its graph, an agency it names, the code or the tables
changed since its entry was made) is read from the store, its queries run over just those
graphs; entries of documents no longer in the store are deleted.

Merged, the parts are sorted exactly as :func:`kg.analysis.rows.rows_from` and
:func:`kg.analysis.evidence.evidence_rows` sort the whole store's rows, so the result is the
same as one bulk read (``tests/test_incremental_outputs.py`` compares every export).
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import sys
from dataclasses import dataclass, replace
from operator import attrgetter
from pathlib import Path
from typing import Any, Callable

from kg.analysis.evidence import EvidenceRow, evidence_rows
from kg.analysis.rows import AssignmentRow, DocumentRow, GraphData, GroupRow, TaskRow, rows_from
from kg.graph.store import write_atomic

__all__ = ["Part", "Rows", "read_rows", "CACHE", "store_stamps", "stamps_of", "dependencies", "part_rows", "entry_text",
           "entry_path"]

CACHE = Path(".kg-cache") / "rows"
_ID, _GRAPH = "https://w3id.org/cgr/id/", "https://w3id.org/cgr/graph/"
_REFERENCE = _GRAPH + "reference"
_AGENT = "https://w3id.org/cgr/ontology#agent"
_FILE_NAME = "https://w3id.org/cgr/ontology#fileName"


@dataclass(frozen=True)
class Part:
    """One document's rows, and the digests of them (what the derived files' keys are made of):
    of its documents, tasks and assignments rows, and of its evidence."""

    documents: tuple[DocumentRow, ...]
    tasks: tuple[TaskRow, ...]
    assignments: tuple[AssignmentRow, ...]
    evidence: tuple[EvidenceRow, ...]
    digests: tuple[str, str] = ("", "")

    def digested(self) -> "Part":
        """The same rows with their digests (of the rows as the cache keeps them)."""
        plain = _plain(self)
        rows = json.dumps([plain["documents"], plain["tasks"], plain["assignments"]], ensure_ascii=False)
        evidence = json.dumps(plain["evidence"], ensure_ascii=False)
        return replace(self, digests=(_sha(rows), _sha(evidence)))


@dataclass(frozen=True)
class Rows:
    """Every document's rows merged; ``digest`` names the rows and ``evidence_digest`` the evidence."""

    data: GraphData
    evidence: tuple[EvidenceRow, ...]
    digest: str
    evidence_digest: str
    read: int  # documents read from the store (the others came from the cache)


CHUNK = 100  # documents read at a time: 1,000 documents in 10 chunks took 2.4× less CPU than one read on disk


def read_rows(folder: Path, stamps: dict[str, str] | None = None) -> Rows:
    """The rows of an export folder's store, documents unchanged since the last build from the
    cache; ``stamps``: the store's :func:`store_stamps` when the caller has read them already."""
    from kg.graph.store import open_oxigraph

    store = open_oxigraph(folder)
    try:
        stamps = stamps_of(store) if stamps is None else stamps
        graphs = sorted(g for g in stamps if "/graph/doc/" in g)
        parts = {g: _cached(folder, g, stamps) for g in graphs}
        todo = [g for g, part in parts.items() if part is None]
        if todo:
            for start in range(0, len(todo), CHUNK):
                parts.update(_read(store, folder, todo[start:start + CHUNK], stamps))
        groups = rows_from(lambda name: _records(store, name) if name == "groups" else []).groups
    finally:
        del store
    _prune(folder, graphs)
    return _merge([p for p in parts.values() if p is not None], groups, len(todo))


def store_stamps(folder: Path) -> dict[str, str]:
    """:func:`stamps_of` an export folder's store."""
    from kg.graph.store import open_oxigraph

    store = open_oxigraph(folder)
    try:
        return stamps_of(store)
    finally:
        del store


def stamps_of(store: Any) -> dict[str, str]:
    """Graph IRI → fingerprint ("" for a graph without one: never cached)."""
    from kg.graph.direct import graph_fingerprints

    return graph_fingerprints(store)


def _records(store: Any, name: str) -> list[dict[str, Any]]:
    """Rows of a bundled query (without its ORDER BY) over the union of ``store``'s graphs."""
    from kg.graph import query
    from kg.graph.store import ox_records

    return ox_records(store, query.unordered(query.query_text(name)))


def dependencies(store: Any, graph: str, stamps: dict[str, str]) -> list[str]:
    """The graphs a document's rows are read from: its own, the reference graph, the shared
    graphs of what the document itself and its assignments' agents name, and of what those
    agents name (their area). Index lookups, not a pass over the graph."""
    import pyoxigraph as ox

    g = ox.NamedNode(graph)
    nodes = _ids(q.object for q in store.quads_for_pattern(ox.NamedNode(graph.replace("/graph/", "/id/")), None, None, g))
    agents = _ids(q.object for q in store.quads_for_pattern(None, ox.NamedNode(_AGENT), None, g))
    for agent in sorted(agents):
        shared = ox.NamedNode(_GRAPH + agent[len(_ID):])
        nodes |= _ids(q.object for q in store.quads_for_pattern(ox.NamedNode(agent), None, None, shared))
    found = {_GRAPH + n[len(_ID):] for n in nodes | agents}
    return sorted({graph, _REFERENCE} | {s for s in found if s in stamps})


def _ids(terms: Any) -> set[str]:
    return {t.value for t in terms if type(t).__name__ == "NamedNode" and t.value.startswith(_ID)
            and not t.value.startswith(_ID + "doc/")}


def _read(store: Any, folder: Path, todo: list[str], stamps: dict[str, str]) -> dict[str, Part]:
    """The rows of the documents in ``todo``, from an in-memory copy of just the graphs they are
    read from: the queries' joins run ~5× faster in memory than on disk, and a query over a list
    of graphs on disk costs about as much as one over all of them. Documents go :data:`CHUNK` at a
    time, so memory follows the chunk, not the corpus. Each is kept in the cache."""
    import pyoxigraph as ox

    needs = {g: dependencies(store, g, stamps) for g in todo}
    source = ox.Store()
    for graph in sorted(set().union(*needs.values())):
        source.extend(store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))
    parts = part_rows(source, _file_names(store, todo))
    for graph in todo:
        text = entry_text(graph, needs[graph], stamps, parts[graph])
        if text is not None:
            write_atomic(entry_path(folder, graph), text, sync=False)
    return parts


def part_rows(source: Any, names: dict[str, str]) -> dict[str, Part]:
    """The rows of each document graph in ``names`` (graph → file name) read from ``source``, a
    store holding those graphs and every graph they depend on."""
    data = rows_from(lambda name: _records(source, name) if name != "groups" else [])
    evidence = evidence_rows(_records(source, "assignment_evidence"))
    split = [_by_document(rows) for rows in (data.documents, data.tasks, data.assignments, evidence)]
    return {g: Part(*(tuple(by.get(name, ())) for by in split)).digested() for g, name in names.items()}


def _by_document(rows: Any) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    for row in rows:
        found.setdefault(row.document, []).append(row)
    return found


def _file_names(store: Any, graphs: list[str]) -> dict[str, str]:
    """Document graph → the file name its rows carry."""
    import pyoxigraph as ox

    wanted = set(graphs)
    return {q.graph_name.value: q.object.value for q in store.quads_for_pattern(None, ox.NamedNode(_FILE_NAME), None)
            if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value in wanted}


def _key(graphs: list[str], stamps: dict[str, str]) -> str | None:
    """What a document's rows were read from; None when a graph lacks a fingerprint."""
    if any(not stamps.get(g) for g in graphs):
        return None
    return hashlib.sha256("".join(f"{g}\t{stamps[g]}\n" for g in graphs).encode("utf-8")).hexdigest()


def entry_path(folder: Path, graph: str) -> Path:
    """Where a document graph's rows are kept in an export folder."""
    return folder / CACHE / (hashlib.sha256(graph.encode("utf-8")).hexdigest()[:40] + ".part")


def entry_text(graph: str, graphs: list[str], stamps: dict[str, str], part: Part) -> str | None:
    """A document's cache entry: its rows under the key of the ``graphs`` they were read from;
    None when a graph lacks a fingerprint (nothing would tell when the rows went stale)."""
    key = _key(graphs, stamps)
    if key is None:
        return None
    return json.dumps({"graph": graph, "graphs": graphs, "key": key, "digests": part.digests, "rows": _plain(part)},
                      ensure_ascii=False)


def _cached(folder: Path, graph: str, stamps: dict[str, str]) -> Part | None:
    try:
        entry = json.loads(entry_path(folder, graph).read_text(encoding="utf-8"))
        if entry.get("graph") != graph or entry.get("key") != _key(entry["graphs"], stamps):
            return None
        rows = entry["rows"]
        return Part(tuple(DocumentRow(*_shared(r)) for r in rows["documents"]),
                    tuple(_task(r) for r in rows["tasks"]),
                    tuple(AssignmentRow(*_shared(r)) for r in rows["assignments"]),
                    tuple(EvidenceRow(*_shared(r)) for r in rows["evidence"]), tuple(entry["digests"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


_FIELDS: dict[type, Callable[[Any], Any]] = {  # a row's field values, in the order of its fields
    cls: attrgetter(*(f.name for f in dataclasses.fields(cls)))
    for cls in (DocumentRow, TaskRow, AssignmentRow, EvidenceRow)}


def _task(values: list[Any]) -> TaskRow:
    fields = _shared(values)
    fields[7] = tuple(_shared(values[7]))  # the domains
    return TaskRow(*fields)


def _shared(values: list[Any]) -> list[Any]:
    """A row's values, text as one shared string per distinct value (a document's name, an
    agency's IRI, a role recur in thousands of rows: read from JSON, each would be a string of its own).

    >>> a, b = _shared(["lead", 3]), _shared(["".join(["le", "ad"])])
    >>> a[0] is b[0], a[1]
    (True, 3)
    """
    intern = sys.intern
    return [intern(v) if type(v) is str else v for v in values]


def _plain(part: Part) -> dict[str, list[Any]]:
    """Each row as the tuple of its fields (``dataclasses.astuple`` deep-copies every value: 10×
    slower, and the fields are plain values and tuples of text anyway)."""
    return {name: [_FIELDS[type(r)](r) for r in rows]
            for name, rows in (("documents", part.documents), ("tasks", part.tasks),
                               ("assignments", part.assignments), ("evidence", part.evidence))}


def _prune(folder: Path, graphs: list[str]) -> None:
    keep = {entry_path(folder, g).name for g in graphs}
    for path in (folder / CACHE).glob("*.part"):
        if path.name not in keep:
            path.unlink(missing_ok=True)


def _merge(parts: list[Part], groups: tuple[GroupRow, ...], read: int) -> Rows:
    """The parts in the order one bulk read gives (the same sort keys). Each part holds one
    document's rows already in that order, so taken in document order the sorts below only
    check it; the digests are made of the parts' digests, not of the merged rows again."""
    parts = sorted(parts, key=_document)
    documents = sorted((d for p in parts for d in p.documents), key=attrgetter("document"))
    tasks = sorted((t for p in parts for t in p.tasks), key=attrgetter("document", "order"))
    assignments = sorted((a for p in parts for a in p.assignments), key=attrgetter("document", "task", "role", "mention", "agency"))
    evidence = tuple(sorted((e for p in parts for e in p.evidence),
                            key=attrgetter("document", "task", "start", "role", "mention", "agency")))
    data = GraphData(tuple(documents), tuple(tasks), tuple(assignments), groups)
    digest = _sha("".join(f"{p.digests[0]}\n" for p in parts) + repr(groups))
    return Rows(data, evidence, digest, _sha("".join(f"{p.digests[1]}\n" for p in parts)), read)


def _document(part: Part) -> str:
    """The file name a part's rows carry ("" for a document without any)."""
    for rows in (part.documents, part.tasks, part.assignments, part.evidence):
        if rows:
            return rows[0].document
    return ""


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
