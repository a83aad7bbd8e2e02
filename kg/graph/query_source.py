"""Where a query's text comes from and which parameters it takes: the bundled questions in
``kg/graph/queries/*.rq`` (their header declares parameters, ``# param: NAME (required) — what``),
a ``.rq`` file or inline SPARQL; and ``name=value`` pairs turned into bindings, never pasted into
the text.
"""
from __future__ import annotations

import functools
import re
from importlib.resources import files
from pathlib import Path

from typing import TYPE_CHECKING, Collection

from kg.errors import QueryError

if TYPE_CHECKING:  # rdflib only where bindings are made: a bundled SELECT read directly never imports it
    from rdflib.term import Identifier

__all__ = ["bundled_queries", "declared_params", "check_params", "query_text", "unordered", "parse_params"]


@functools.cache
def _bundled_text(name: str) -> str:
    """A bundled query's text (read once a process: the workers read their rows query by query)."""
    return (files("kg.graph") / "queries" / f"{name}.rq").read_text(encoding="utf-8")


@functools.cache
def bundled_queries() -> dict[str, str]:
    """Name → one-line description of every bundled query.

    >>> "burden" in bundled_queries()
    True
    """
    folder = files("kg.graph") / "queries"
    found = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            first = entry.read_text(encoding="utf-8").splitlines()[0]
            found[entry.name[:-3]] = first.lstrip("# ").strip()
    return found


_PARAM = re.compile(r"^#\s*param:\s*(\w+)\s*(\((required|optional)\))?\s*(?:[—–-]+\s*(.*))?$")


def declared_params(text: str) -> dict[str, tuple[bool, str]]:
    """Parameters a query declares in its header, ``# param: NAME (required) — description``.

    >>> declared_params("# Tasks\\n# param: name (required) — the agency\\nSELECT ?name WHERE {}")
    {'name': (True, 'the agency')}
    """
    found = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = _PARAM.match(line.strip())
        if match:
            found[match.group(1)] = (match.group(3) != "optional", (match.group(4) or "").strip())
    return found


def check_params(query: str, bindings: Collection[str]) -> None:
    """Refuse to run a query without its required parameters, or with ones it does not declare."""
    declared = declared_params(query_text(query))
    missing = [n for n, (required, _) in declared.items() if required and n not in bindings]
    if missing:
        described = "; ".join(f"{n}: {declared[n][1]}" for n in missing)
        raise QueryError(f"{query} needs --param {'=… --param '.join(missing)}=… ({described})")
    unknown = sorted(set(bindings) - set(declared)) if query in bundled_queries() else []
    if unknown:
        accepted = ", ".join(declared) or "none"
        raise QueryError(f"{query} has no parameter {', '.join(unknown)} (it takes: {accepted})")


def query_text(query: str) -> str:
    """The text of a bundled query name, a .rq file path, or the inline query itself."""
    if query in bundled_queries():
        return _bundled_text(query)
    path = Path(query)
    if query.endswith(".rq"):
        if not path.is_file():
            raise QueryError(f"{query}: no such query file")
        return path.read_text(encoding="utf-8")
    if not any(word in query.upper() for word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "INSERT", "DELETE",
                                                   "DROP", "CLEAR", "LOAD", "CREATE", "COPY", "MOVE", "ADD")):
        raise QueryError(f"'{query}' is neither a bundled query (see kg sparql --list), a .rq file nor SPARQL")
    return query


def unordered(text: str) -> str:
    r"""The query without a final ``ORDER BY`` line (for readers that sort the rows themselves).

    >>> unordered("SELECT ?s WHERE { ?s ?p ?o }\nORDER BY ?s\n")
    'SELECT ?s WHERE { ?s ?p ?o }\n'
    """
    return re.sub(r"\nORDER BY [^\n{}]*\n?\Z", "\n", text)


def parse_params(pairs: tuple[str, ...]) -> dict[str, Identifier]:
    """``name=value`` pairs → bindings.

    >>> parse_params(("name=市质监局", "agency=<https://w3id.org/cgr/id/agency/x>"))
    {'name': rdflib.term.Literal('市质监局'), 'agency': rdflib.term.URIRef('https://w3id.org/cgr/id/agency/x')}
    """
    from rdflib import Literal, URIRef

    bindings: dict[str, Identifier] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip().lstrip("?$")
        if not sep or not name.isidentifier():
            raise QueryError(f"--param '{pair}': write it as NAME=VALUE")
        if value.startswith("<") and value.endswith(">") and len(value) > 2:
            bindings[name] = URIRef(value[1:-1])
        else:
            bindings[name] = Literal(value)
    return bindings
