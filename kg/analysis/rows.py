"""Plain records read back from the graph (one bulk query each) for analytics and rendering.

Reading the graph rather than extraction objects keeps reports right after an incremental
build, where unchanged documents were never extracted again.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, TypeVar

from kg.graph import querytext

if TYPE_CHECKING:
    from rdflib import Dataset

__all__ = ["AssignmentRow", "TaskRow", "DocumentRow", "GroupRow", "GraphData", "read_graph", "read_store", "read_endpoint",
           "rows_from", "Records", "graph_with", "store_with", "endpoint_with"]


@dataclass(frozen=True, slots=True)
class AssignmentRow:
    document: str
    task: str
    role: str
    mention: str
    agency: str
    name: str
    function: str
    collective: bool
    resolved: bool
    inferred: bool
    jurisdiction: str = ""  # the agency's place (榆林市), or a level word when the text names none


@dataclass(frozen=True, slots=True)
class TaskRow:
    document: str
    task: str
    path: str
    title: str
    section: str
    order: int
    leaf: bool
    domains: tuple[str, ...]
    clauses: str = ""
    domain_basis: str = ""  # text | agency | heading | title | none: what decided the domains


@dataclass(frozen=True, slots=True)
class DocumentRow:
    document: str
    title: str
    number: str
    date: str
    jurisdiction: str
    level: str


@dataclass(frozen=True, slots=True)
class GroupRow:
    group: str
    name: str
    host: str
    members: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class GraphData:
    documents: tuple[DocumentRow, ...]
    tasks: tuple[TaskRow, ...]
    assignments: tuple[AssignmentRow, ...]
    groups: tuple[GroupRow, ...] = ()

    def for_document(self, document: str | None) -> "GraphData":
        """The same data restricted to one document (by file name); all when None."""
        if document is None:
            return self
        return GraphData(tuple(d for d in self.documents if d.document == document),
                         tuple(t for t in self.tasks if t.document == document),
                         tuple(a for a in self.assignments if a.document == document), self.groups)


Records = Callable[[str], list[dict[str, Any]]]  # bundled query name → rows of plain values
T = TypeVar("T")


def _text(name: str) -> str:
    """A bundled query without its final ORDER BY: the rows are sorted here anyway, and ordering
    on a disk store looks every compared term up again (half the time of a bulk read)."""
    return querytext.unordered(querytext.query_text(name))


def _records(dataset: Dataset, name: str) -> list[dict[str, Any]]:
    from kg.graph import query

    return query.run(dataset, _text(name)).records()


def read_graph(dataset: Dataset) -> GraphData:
    """Documents, tasks and assignments of an rdflib dataset, in a stable order."""
    return graph_with(dataset, rows_from)


def graph_with(dataset: Dataset, reader: Callable[[Records], T]) -> T:
    """What ``reader`` makes of the bundled queries' rows on an rdflib dataset."""
    return reader(lambda name: _records(dataset, name))


def read_store(folder: Path) -> GraphData:
    """The same rows read from an export folder's Oxigraph store directly (no rdflib in between:
    several times faster in bulk)."""
    return store_with(folder, rows_from)


def store_with(folder: Path, reader: Callable[[Records], T], text_values: bool = False) -> T:
    """What ``reader`` makes of the bundled queries' rows on an export folder's Oxigraph store;
    with ``text_values`` every value is its lexical form ("" when unbound), which Oxigraph writes
    as CSV several times faster than terms cross into Python one by one."""
    from kg.graph.direct import open_oxigraph

    store = open_oxigraph(folder)
    try:
        if text_values:
            return reader(lambda name: _csv_records(store, _text(name)))
        from kg.graph.store import ox_records

        return reader(lambda name: ox_records(store, _text(name)))
    finally:
        del store


def _csv_records(store: Any, text: str) -> list[dict[str, Any]]:
    import csv
    import io

    import pyoxigraph as ox

    solutions = store.query(text, use_default_graph_as_union=True)
    data = solutions.serialize(format=ox.QueryResultsFormat.CSV).decode("utf-8")
    return list(csv.DictReader(io.StringIO(data, newline="")))


def read_endpoint(query_url: str) -> GraphData:
    """The same rows read from a SPARQL server (union of its named graphs as default graph)."""
    return endpoint_with(query_url, rows_from)


def endpoint_with(query_url: str, reader: Callable[[Records], T]) -> T:
    """What ``reader`` makes of the bundled queries' rows on a SPARQL server."""
    from kg.graph.remote import Endpoint

    endpoint = Endpoint(query_url)
    return reader(lambda name: endpoint.select(_text(name)))


def rows_from(records: Records) -> GraphData:
    """Documents, tasks and assignments from the bundled queries' rows, in a stable order."""
    documents = tuple(DocumentRow(r["document"], r["title"], r["number"] or "", str(r["date"] or ""),
                                  r["jurisdiction"] or "", r["level"] or "") for r in records("documents"))
    tasks = tuple(TaskRow(r["document"], r["task"], r["path"] or "", r["title"], r["section"], int(r["order"]),
                          bool(r["leaf"]), tuple(sorted(filter(None, (r["domains"] or "").split(",")))),
                          "\n".join(sorted((r["clauses"] or "").split("\n"))).strip(), r.get("basis") or "")
                  for r in records("tasks"))
    groups = tuple(GroupRow(r["group"], r["name"], r["host"] or "", tuple(sorted((r["members"] or "").split())))
                   for r in records("groups"))
    assignments = tuple(AssignmentRow(r["document"], r["task"], r["role"], r["mention"], r["agency"], r["name"],
                                      r["function"], bool(r["collective"]), bool(r["resolved"]), bool(r["inferred"]),
                                      r.get("jurisdiction") or "")
                        for r in records("assignments"))
    return GraphData(tuple(sorted(set(documents), key=lambda d: d.document)),
                     tuple(sorted(tasks, key=lambda t: (t.document, t.order))),
                     tuple(sorted(set(assignments), key=lambda a: (a.document, a.task, a.role, a.mention, a.agency))),
                     tuple(sorted(groups, key=lambda g: (g.name, g.group))))
