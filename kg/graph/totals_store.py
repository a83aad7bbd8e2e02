"""Making the burden totals (:mod:`kg.graph.totals`) from a build's store, after the build.

Each document's loads are kept by its graph's fingerprint, so a build reads again only the
documents whose graph changed: a few by a query over their own graph, many (a first build, a
store built before the totals) by one pass over every load. Names are read for every agency in
one pass. When the build changed nothing and the totals were in step with the store before it
opened it, only their state is renewed. Anything unusual (a load the queries cannot read whole,
two loads of one agency in a document, an agency with two names) leaves no totals at all: the
readers then answer the exact way.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from kg.graph.totals import FOLDER, STATE, Agent, Record, digest, domain_rows, dumps, read_state, report_rows, \
    sparql_lines, store_state, sum_records

__all__ = ["refresh_totals", "state_before", "DOCUMENTS", "SPARQL", "REPORT", "DOMAINS"]

DOCUMENTS, SPARQL, REPORT, DOMAINS = "documents.records", "sparql.tsv", "report.rows", "domains.rows"
_FEW = 40  # more changed documents than this: one pass over every load
_SPARQL_HEADER = "?agency\t?name\t?function\t?burden\t?lead\t?support\t?responsible\t?tasks"


def state_before(out: Path) -> str | None:
    """The store's state before a build opens it (None: no store yet)."""
    try:
        return store_state(out)
    except OSError:
        return None


def refresh_totals(out: Path, before: str | None = None, changed: bool = True) -> str:
    """Bring the totals in ``out`` in step with its store; say what was done ("kept", "none" or
    how many documents were read). ``before``: the store's state when the build began,
    ``changed``: whether the build wrote to it. A failure leaves no totals, never a build failed."""
    try:
        return _refresh(out, before, changed)
    except (OSError, RuntimeError, ValueError):
        shutil.rmtree(out / FOLDER, ignore_errors=True)
        return "none"


def _refresh(out: Path, before: str | None, changed: bool) -> str:
    folder = out / FOLDER
    now = store_state(out)
    state, digests = read_state(out)
    if not changed and before is not None and state == before:
        _vouch(folder, now, digests)  # the same totals, for the store's new state
        return "kept"
    from kg.graph.direct import open_oxigraph

    (folder / STATE).unlink(missing_ok=True)  # nothing vouches for the totals while they are remade
    store = open_oxigraph(out)
    kept = _read_documents(folder)
    records, read = _records(store, kept)
    agents = _agents(store)
    if records is None or agents is None or store_state(out) != now or not _whole(store, records):
        shutil.rmtree(folder, ignore_errors=True)  # the readers answer the exact way
        return "none"
    _write(folder, now, records, agents)
    return f"{read} document{'' if read == 1 else 's'} read"


def _vouch(folder: Path, state: str, digests: dict[str, str]) -> None:
    """Write the state file: the store's state the totals are valid for, each file's digest."""
    from kg.graph.store import write_atomic

    write_atomic(folder / STATE, f"{state}\n" + "".join(f"{name} {digests[name]}\n" for name in sorted(digests)),
                 sync=False)


def _read_documents(folder: Path) -> dict[str, Record]:
    try:
        found = json.loads((folder / DOCUMENTS).read_text(encoding="utf-8"))
        return {doc: Record(**record) for doc, record in found.items()}
    except (OSError, ValueError, TypeError):
        return {}


def _records(store: Any, kept: dict[str, Record]) -> tuple[dict[str, Record] | None, int]:
    """Every document's record: kept when its fingerprint is the same, else read again."""
    from kg.graph.direct import select
    from kg.graph.query_source import query_text

    _names, rows = select(store, query_text("totals_documents"))
    records: dict[str, Record] = {}
    for doc, graph, fingerprint, assigned in rows:
        if assigned is None:
            return None, 0  # built before the loads: no totals
        old = kept.get(doc)
        records[doc] = old if old is not None and old.fingerprint == fingerprint \
            else Record(graph, fingerprint, int(assigned))
    todo = [doc for doc, record in records.items() if record is not kept.get(doc)]
    for doc in todo:
        records[doc].loads = []
    if len(todo) > _FEW:
        _add_loads(records, _rows(store, None, "totals_loads"), _rows(store, None, "totals_domains"), set(todo))
    else:
        import pyoxigraph as ox

        for doc in todo:
            graph = ox.NamedNode(records[doc].graph)
            _add_loads(records, _rows(store, graph, "totals_loads"), _rows(store, graph, "totals_domains"), {doc})
    return records, len(todo)


def _rows(store: Any, graph: Any, query: str) -> list[list[str]]:
    """A query's rows as TSV cells (over one graph, or the union of all)."""
    import pyoxigraph as ox

    from kg.graph.query_source import query_text

    options: dict[str, Any] = {"default_graph": graph} if graph is not None else {"use_default_graph_as_union": True}
    data = store.query(query_text(query), **options).serialize(format=ox.QueryResultsFormat.TSV) or b""
    return [line.split("\t") for line in data.decode("utf-8").split("\n")[1:] if line]


def _add_loads(records: dict[str, Record], loads: list[list[str]], domains: list[list[str]], todo: set[str]) -> None:
    from kg.graph.direct import tsv_value

    combinations: dict[tuple[str, str], list[str]] = {}
    for doc, agency, combination in domains:
        if doc[1:-1] in todo:
            combinations.setdefault((doc, agency), []).append(str(tsv_value(combination)[0]))
    for doc, agency, tasks, lead, support, responsible, *shares, credit in sorted(loads, key=lambda row: row[1]):
        if doc[1:-1] in todo:
            records[doc[1:-1]].loads.append([
                agency[1:-1], int(tasks), int(lead), int(support), int(responsible),
                *(str(tsv_value(s)[0]) for s in shares), str(tsv_value(credit)[0]),
                sorted(combinations.get((doc, agency), []))])


def _agents(store: Any) -> dict[str, Agent] | None:
    from kg.graph.direct import tsv_value

    agents: dict[str, Agent] = {}
    for cell, name, function, collective in _rows(store, None, "totals_agents"):
        agency = cell[1:-1]
        if agency in agents:
            return None  # two names or function keys: the exact way
        agents[agency] = Agent(name, function, str(tsv_value(name)[0]), str(tsv_value(function)[0]),
                                     collective == "true")
    return agents


def _whole(store: Any, records: dict[str, Record]) -> bool:
    """Whether every load was read once, whole (no property missing, none twice)."""
    from kg.graph.direct import select

    _names, rows = select(store, "PREFIX cgr: <https://w3id.org/cgr/ontology#>\n"
                                 "SELECT (COUNT(*) AS ?n) WHERE { ?load cgr:loadAgent ?agency }")
    pairs = [(doc, load[0]) for doc, record in records.items() for load in record.loads]
    return bool(len(pairs) == len(set(pairs)) == rows[0][0])


def _write(folder: Path, state: str, records: dict[str, Record], agents: dict[str, Agent]) -> None:
    """The documents' records and each reader's file, then the state file that vouches for them
    (the files hold nothing that depends on when they were made: the same store, the same bytes)."""
    from kg.graph.store import write_atomic

    totals = sum_records(records)
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(folder / DOCUMENTS, dumps({doc: {"graph": r.graph, "fingerprint": r.fingerprint, "assigned": r.assigned,
                                                  "loads": r.loads} for doc, r in sorted(records.items())}), sync=False)
    assigned = sum(r.assigned for r in records.values())
    texts = {SPARQL: f"{_SPARQL_HEADER}\n" + "".join(f"{line}\n" for line in sparql_lines(totals, agents)),
             REPORT: f"{dumps({'assigned': assigned, 'rows': report_rows(totals, agents)})}\n",
             DOMAINS: f"{dumps(domain_rows(totals, agents))}\n"}
    for name, text in texts.items():
        write_atomic(folder / name, text, sync=False)
    _vouch(folder, state, {name: digest(text) for name, text in texts.items()})
