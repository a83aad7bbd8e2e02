"""What a SPARQL request may do: no network and no local files unless the user says so.

The request is parsed (rdflib's SPARQL grammar) and its parse tree searched, so a ``SERVICE``
inside a comment or a string literal is not mistaken for one, and one written in odd case or
spacing is still found. ``SERVICE`` sends part of a query to another server; ``LOAD`` reads a URL
or a ``file:`` path into the store. Both are refused unless explicitly allowed. Text the parser
cannot read, yet which holds either word, is refused too: the engine must never see what the
guard could not check.
"""
from __future__ import annotations

import functools
import re
from typing import Any

from kg.errors import GuardError

__all__ = ["operations", "check", "UPDATE_OPERATIONS"]

# rdflib's names for the update operations (parse-tree node names)
UPDATE_OPERATIONS = frozenset({"Load", "Clear", "Drop", "Create", "Add", "Move", "Copy", "InsertData",
                               "DeleteData", "DeleteWhere", "Modify"})
_RISKY_WORDS = re.compile(r"\b(?:SERVICE|LOAD)\b", re.IGNORECASE)


@functools.lru_cache(maxsize=64)
def operations(text: str) -> frozenset[str] | None:
    """Names of the parse-tree nodes of a query or update; None when rdflib cannot parse it.

    >>> sorted(operations('SELECT * WHERE { ?s ?p "SERVICE <http://x/>" } # SERVICE <http://y/>'))
    ['GroupGraphPatternSub', 'SelectQuery', 'TriplesBlock', 'literal']
    >>> "Copy" in operations("COPY <urn:a> TO <urn:b>")
    True
    """
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    for parse in (parseQuery, parseUpdate):
        try:
            return frozenset(_names(parse(text), set()))
        except Exception:  # noqa: BLE001 - the parser raises several kinds
            continue
    return None


def check(text: str, allow_service: bool = False, allow_load: bool = False) -> None:
    """Raise :class:`GuardError` when ``text`` would reach the network or the file system unasked.

    >>> check("SELECT * WHERE { ?s ?p ?o }")
    >>> try:
    ...     check("select * { service <http://example.org/sparql> { ?s ?p ?o } }")
    ... except GuardError as exc:
    ...     print(exc)
    the query uses SERVICE, which sends it to another server (add --allow-service to run it)
    """
    names = operations(text)
    if names is None:
        if _RISKY_WORDS.search(text):
            raise GuardError("the request names SERVICE or LOAD but cannot be parsed, so it is not run "
                             "(check its syntax)")
        return
    if "ServiceGraphPattern" in names and not allow_service:
        raise GuardError("the query uses SERVICE, which sends it to another server (add --allow-service to run it)")
    if "Load" in names and not allow_load:
        raise GuardError("LOAD reads a URL or a local file into the store (add --allow-load to run it)")


def _names(node: Any, out: set[str]) -> set[str]:
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        out.add(node.name)
        for value in node.values():
            _names(value, out)
    elif isinstance(node, (list, tuple)) or hasattr(node, "asList"):
        for value in node:
            _names(value, out)
    return out
