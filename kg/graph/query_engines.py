"""Run a SELECT or ASK without rdflib in between: on a pyoxigraph store directly, or on a SPARQL
server over HTTP. Either way parameters are bound as terms (Oxigraph substitutions, or a trailing
``VALUES`` block of N-Triples terms), never spliced into the text, and a parameter must be a
variable the query selects, as rdflib insists.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import Literal, URIRef
from rdflib.term import Identifier

from kg.errors import QueryError
from kg.graph.query_result import QueryResult, rdf_term

if TYPE_CHECKING:
    import pyoxigraph as ox

    from kg.graph.remote import Endpoint

__all__ = ["run_oxigraph", "run_remote"]


def _from_ox(value: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> Identifier | None:
    import pyoxigraph as ox

    if value is None:
        return None
    if isinstance(value, ox.Literal):
        return rdf_term("literal", value.value, value.datatype.value, value.language)
    return rdf_term("uri" if isinstance(value, ox.NamedNode) else "bnode", value.value)


def _to_ox(value: Identifier) -> ox.NamedNode | ox.Literal:
    import pyoxigraph as ox

    if isinstance(value, URIRef):
        return ox.NamedNode(str(value))
    if isinstance(value, Literal) and value.language:
        return ox.Literal(str(value), language=value.language)
    if isinstance(value, Literal) and value.datatype:
        return ox.Literal(str(value), datatype=ox.NamedNode(str(value.datatype)))
    return ox.Literal(str(value))


def run_oxigraph(store: ox.Store, text: str, bindings: dict[str, Identifier] | None = None) -> QueryResult:
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
    _check_selected(bindings, variables)
    return QueryResult(variables, [[_from_ox(row[v]) for v in variables] for row in result])


def _check_selected(bindings: dict[str, Identifier] | None, variables: list[str]) -> None:
    """Parameters bind selected variables only, on every store alike (rdflib insists)."""
    missing = sorted(set(bindings or {}) - set(variables))
    if missing:
        raise QueryError(f"?{missing[0]} is not selected: a parameter must be a variable the query selects")


def run_remote(endpoint: Endpoint, text: str, bindings: dict[str, Identifier] | None = None) -> QueryResult:
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
    _check_selected(bindings, variables)
    return QueryResult(variables, [[rdf_term(b[v]["type"].replace("typed-literal", "literal"), b[v]["value"],
                                              b[v].get("datatype"), b[v].get("xml:lang")) if v in b else None
                                    for v in variables] for b in answer["results"]["bindings"]])
