"""What a query gives, whichever store or server ran it: :class:`QueryResult` (variables and rows
of rdflib terms), the terms built from their parts as rdflib's own results give them, and the
result as table, CSV or JSON text.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rdflib import Literal, URIRef
from rdflib.term import Identifier

__all__ = ["QueryResult", "format_result", "rdf_term"]


@dataclass(frozen=True)
class QueryResult:
    variables: list[str]
    rows: list[list[Identifier | None]]

    def records(self) -> list[dict[str, Any]]:
        return [{v: _plain(c) for v, c in zip(self.variables, row)} for row in self.rows]


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def rdf_term(kind: str, value: str, datatype: str | None = None, language: str | None = None) -> Identifier:
    """An rdflib term from its parts (kind: uri, bnode or literal), as rdflib's own results give it.

    >>> rdf_term("literal", "3", "http://www.w3.org/2001/XMLSchema#integer").toPython()
    3
    """
    from rdflib import BNode

    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    typed = URIRef(datatype) if datatype and datatype not in (_XSD_STRING, _LANG_STRING) else None
    return Literal(value, lang=language or None, datatype=None if language else typed)


def _plain(value: Identifier | None) -> Any:
    if value is None:
        return None
    if isinstance(value, Literal):
        return value.toPython() if value.datatype else str(value)
    return str(value)


def format_result(result: QueryResult, fmt: str, width: int | None = None) -> str:
    """table | csv | json text of a result; a table at most ``width`` columns wide."""
    from kg.graph.querytext import format_records

    return format_records(result.variables, result.records(), fmt, width)
