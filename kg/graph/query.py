"""Run SPARQL: bundled questions in ``kg/queries/*.rq``, a ``.rq`` file or inline text.

Parameters are bound (rdflib ``initBindings``; Oxigraph ``substitutions``), never pasted into
the query text: ``name=value`` binds ``?name`` to the plain literal ``value``, ``name=<iri>``
to an IRI. Updates are refused unless explicitly allowed.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from rdflib import Dataset, Literal, URIRef
from rdflib.term import Identifier

from kg.errors import QueryError
from kg.graph.querytext import (bundled_queries, check_params, check_selected, declared_params, format_records,
                                query_text, split_params, unordered)

__all__ = ["bundled_queries", "query_text", "parse_params", "is_update", "run", "QueryResult",
           "format_result", "declared_params", "check_params", "run_oxigraph", "run_remote", "unordered"]


@dataclass(frozen=True)
class QueryResult:
    variables: list[str]
    rows: list[list[Identifier | None]]

    def records(self) -> list[dict[str, Any]]:
        return [{v: _plain(c) for v, c in zip(self.variables, row)} for row in self.rows]


def parse_params(pairs: tuple[str, ...]) -> dict[str, Identifier]:
    """``name=value`` pairs → bindings.

    >>> parse_params(("name=市质监局", "agency=<https://w3id.org/cgr/id/agency/x>"))
    {'name': rdflib.term.Literal('市质监局'), 'agency': rdflib.term.URIRef('https://w3id.org/cgr/id/agency/x')}
    """
    return {name: URIRef(value) if iri else Literal(value) for name, (iri, value) in split_params(pairs).items()}


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


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def _term(kind: str, value: str, datatype: str | None = None, language: str | None = None) -> Identifier:
    """An rdflib term from its parts (kind: uri, bnode or literal), as rdflib's own results give it.

    >>> _term("literal", "3", "http://www.w3.org/2001/XMLSchema#integer").toPython()
    3
    """
    from rdflib import BNode

    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    typed = URIRef(datatype) if datatype and datatype not in (_XSD_STRING, _LANG_STRING) else None
    return Literal(value, lang=language or None, datatype=None if language else typed)


def _from_ox(term: Any) -> Identifier | None:
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.Literal):
        return _term("literal", term.value, term.datatype.value, term.language)
    return _term("uri" if isinstance(term, ox.NamedNode) else "bnode", term.value)


def _to_ox(value: Identifier) -> Any:
    import pyoxigraph as ox

    if isinstance(value, URIRef):
        return ox.NamedNode(str(value))
    if isinstance(value, Literal) and value.language:
        return ox.Literal(str(value), language=value.language)
    if isinstance(value, Literal) and value.datatype:
        return ox.Literal(str(value), datatype=ox.NamedNode(str(value.datatype)))
    return ox.Literal(str(value))


def run_oxigraph(store: Any, text: str, bindings: dict[str, Identifier] | None = None) -> QueryResult:
    """A SELECT or ASK on a pyoxigraph store directly (union default graph; parameters bound as
    Oxigraph substitutions): what :func:`run` gives, without rdflib in between."""
    import pyoxigraph as ox

    try:
        result = store.query(text, use_default_graph_as_union=True,
                             substitutions={ox.Variable(k): _to_ox(v) for k, v in (bindings or {}).items()} or None)
    except RuntimeError as exc:
        if "SELECT projection" in str(exc):
            raise QueryError(f"{exc}: a parameter must be a variable the query selects") from None
        raise QueryError(f"query failed: {exc}") from None
    except (SyntaxError, OSError, ValueError) as exc:
        raise QueryError(f"query failed: {exc}") from None
    if isinstance(result, ox.QueryBoolean):
        return QueryResult(["ask"], [[Literal(bool(result))]])
    if not isinstance(result, ox.QuerySolutions):
        raise QueryError("only SELECT and ASK queries run on the store directly (use --store memory)")
    variables = [v.value for v in result.variables]
    check_selected(bindings or {}, variables)
    return QueryResult(variables, [[_from_ox(row[v]) for v in variables] for row in result])


def run_remote(endpoint: Any, text: str, bindings: dict[str, Identifier] | None = None) -> QueryResult:
    """A SELECT or ASK on a SPARQL server. Parameters are sent as a trailing ``VALUES`` block of
    terms serialised by Oxigraph (escaped as N-Triples terms), never spliced into the text."""
    if bindings:
        names = sorted(bindings)
        row = " ".join(str(_to_ox(bindings[n])) for n in names)
        text = f"{text}\nVALUES ({' '.join('?' + n for n in names)}) {{ ({row}) }}"
    answer = endpoint.request_json(text)
    if "boolean" in answer:
        return QueryResult(["ask"], [[Literal(bool(answer["boolean"]))]])
    variables = answer["head"]["vars"]
    check_selected(bindings or {}, variables)
    return QueryResult(variables, [[_term(b[v]["type"].replace("typed-literal", "literal"), b[v]["value"],
                                          b[v].get("datatype"), b[v].get("xml:lang")) if v in b else None
                                    for v in variables] for b in answer["results"]["bindings"]])


def _plain(value: Identifier | None) -> Any:
    if value is None:
        return None
    if isinstance(value, Literal):
        return value.toPython() if value.datatype else str(value)
    return str(value)


def format_result(result: QueryResult, fmt: str, width: int | None = None) -> str:
    """table | csv | json text of a result; a table at most ``width`` columns wide."""
    return format_records(result.variables, result.records(), fmt, width)
