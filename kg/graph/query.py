"""Run SPARQL: bundled questions in ``kg/graph/queries/*.rq``, a ``.rq`` file or inline text.

Parameters are bound (rdflib ``initBindings``; Oxigraph ``substitutions``), never pasted into
the query text: ``name=value`` binds ``?name`` to the plain literal ``value``, ``name=<iri>``
to an IRI. Updates are refused unless explicitly allowed.

This module runs a query on an rdflib dataset and is the one import callers need: where the text
and parameters come from is :mod:`kg.graph.query_source`, the result and its text forms
:mod:`kg.graph.query_result`, Oxigraph and SPARQL servers :mod:`kg.graph.query_engines`.
"""
from __future__ import annotations

from typing import Iterable

from rdflib import Dataset, Literal
from rdflib.term import Identifier

from kg.errors import QueryError
from kg.graph.query_engines import run_oxigraph, run_remote
from kg.graph.query_result import QueryResult, format_result
from kg.graph.query_source import (bundled_queries, check_params, declared_params, parse_params, query_text,
                                   unordered)

__all__ = ["bundled_queries", "query_text", "parse_params", "is_update", "run", "QueryResult", "guard",
           "format_result", "declared_params", "check_params", "run_oxigraph", "run_remote", "unordered"]


def is_update(text: str) -> bool:
    """Whether the text is a SPARQL Update rather than a query.

    >>> is_update("SELECT * WHERE { ?s ?p ?o }"), is_update("DELETE WHERE { ?s ?p ?o }")
    (False, True)
    """
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        parseQuery(text)
        return False
    except Exception:  # noqa: BLE001 - the parser raises several kinds
        try:
            parseUpdate(text)
            return True
        except Exception:  # noqa: BLE001
            return False


def guard(text: str, allow_service: bool = False, allow_load: bool = False) -> None:
    """Refuse SERVICE and LOAD unless allowed (a :class:`kg.errors.GuardError`, which is a
    :class:`QueryError`), whichever store or server runs the query."""
    from kg.graph.guard import check

    check(text, allow_service, allow_load)


def run(dataset: Dataset, text: str, bindings: dict[str, Identifier] | None = None,
        allow_update: bool = False, allow_service: bool = False, allow_load: bool = False) -> QueryResult:
    """Run a query (or, when allowed, an update) on a dataset; SERVICE and LOAD only when allowed."""
    guard(text, allow_service, allow_load)
    if is_update(text):
        if not allow_update:
            raise QueryError("this is a SPARQL UPDATE; it would change the store (add --allow-update to run it)")
        if bindings:
            raise QueryError("parameters cannot be bound into an UPDATE")
        try:
            dataset.update(text)
        except Exception as exc:  # noqa: BLE001 - never echo what a LOAD read: its text may be a private file
            raise QueryError(f"update failed ({type(exc).__name__})") from None
        return QueryResult([], [])
    try:
        result = dataset.query(text, initBindings=bindings or {})
    except RuntimeError as exc:
        if "SELECT projection" in str(exc):
            raise QueryError(f"{exc}: a parameter must be a variable the query selects") from None
        raise QueryError(str(exc)) from None
    except Exception as exc:  # noqa: BLE001 - parser errors come in many types
        raise QueryError(f"query failed: {exc}") from None
    if result.type == "ASK":
        return QueryResult(["ask"], [[Literal(bool(result.askAnswer))]])
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        triples = result.graph if result.graph is not None else ()
        return QueryResult(["subject", "predicate", "object"], sorted([_identifiers(t) for t in triples]))
    variables = [str(v) for v in result.vars or ()]
    return QueryResult(variables, [[_cell(row, v) for v in variables] for row in result])


def _identifiers(triple: Iterable[object]) -> list[Identifier | None]:
    return [t if isinstance(t, Identifier) else None for t in triple]


def _cell(row: object, name: str) -> Identifier | None:
    """One variable of an rdflib result row, or None where the row leaves it unbound."""
    from rdflib.query import ResultRow

    if not isinstance(row, ResultRow) or name not in row.labels:
        return None
    value = row[name]
    return value if isinstance(value, Identifier) else None
