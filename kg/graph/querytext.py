"""Query texts and results as text, without rdflib: the bundled questions in
``kg/graph/queries/*.rq``, their declared parameters, and SELECT rows (plain Python values)
written as a table, CSV or JSON.

Kept apart from :mod:`kg.graph.query` (which runs queries through rdflib) so that a bundled
SELECT read straight from the on-disk store (:mod:`kg.graph.direct`) never imports rdflib, whose
import alone takes longer than a summed burden query.
"""
from __future__ import annotations

import csv
import io
import json
import re
from importlib.resources import files
from pathlib import Path
from typing import Any, Collection, Sequence

from kg.errors import QueryError

__all__ = ["bundled_queries", "query_text", "declared_params", "check_params", "check_selected", "unordered",
           "split_params", "format_records"]


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


def check_params(query: str, names: Collection[str]) -> None:
    """Refuse to run a query without its required parameters, or with ones it does not declare."""
    declared = declared_params(query_text(query))
    missing = [n for n, (required, _) in declared.items() if required and n not in names]
    if missing:
        described = "; ".join(f"{n}: {declared[n][1]}" for n in missing)
        raise QueryError(f"{query} needs --param {'=… --param '.join(missing)}=… ({described})")
    unknown = sorted(set(names) - set(declared)) if query in bundled_queries() else []
    if unknown:
        accepted = ", ".join(declared) or "none"
        raise QueryError(f"{query} has no parameter {', '.join(unknown)} (it takes: {accepted})")


def check_selected(names: Collection[str], variables: Sequence[str]) -> None:
    """Parameters bind selected variables only, on every store alike (rdflib insists)."""
    missing = sorted(set(names) - set(variables))
    if missing:
        raise QueryError(f"?{missing[0]} is not selected: a parameter must be a variable the query selects")


def query_text(query: str) -> str:
    """The text of a bundled query name, a .rq file path, or the inline query itself."""
    if query in bundled_queries():
        return (files("kg.graph") / "queries" / f"{query}.rq").read_text(encoding="utf-8")
    path = Path(query)
    if query.endswith(".rq"):
        if not path.is_file():
            raise QueryError(f"{query}: no such query file")
        return path.read_text(encoding="utf-8")
    if not any(word in query.upper() for word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "INSERT", "DELETE",
                                                   "DROP", "CLEAR", "LOAD", "CREATE", "COPY", "MOVE", "ADD")):
        raise QueryError(f"'{query}' is neither a bundled query (see kg sparql --list), a .rq file nor SPARQL")
    return query


_FINAL_ORDER = re.compile(r"\nORDER BY ([^\n{}]*)\n?\Z")


def unordered(text: str) -> str:
    r"""The query without a final ``ORDER BY`` line (for readers that sort the rows themselves).

    >>> unordered("SELECT ?s WHERE { ?s ?p ?o }\nORDER BY ?s\n")
    'SELECT ?s WHERE { ?s ?p ?o }\n'
    """
    return _FINAL_ORDER.sub("\n", text)


def final_order(text: str) -> str | None:
    r"""The conditions of a final ``ORDER BY`` line, or None.

    >>> final_order("SELECT ?s WHERE { ?s ?p ?o }\nORDER BY DESC(?n) ?s\n")
    'DESC(?n) ?s'
    """
    match = _FINAL_ORDER.search(text)
    return match.group(1).strip() if match else None


def split_params(pairs: tuple[str, ...]) -> dict[str, tuple[bool, str]]:
    """``name=value`` pairs → name → (whether the value is an IRI written ``<…>``, the value).

    >>> split_params(("name=市质监局", "agency=<https://w3id.org/cgr/id/agency/x>"))
    {'name': (False, '市质监局'), 'agency': (True, 'https://w3id.org/cgr/id/agency/x')}
    """
    found: dict[str, tuple[bool, str]] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip().lstrip("?$")
        if not sep or not name.isidentifier():
            raise QueryError(f"--param '{pair}': write it as NAME=VALUE")
        iri = value.startswith("<") and value.endswith(">") and len(value) > 2
        found[name] = (iri, value[1:-1] if iri else value)
    return found


def format_records(variables: list[str], records: list[dict[str, Any]], fmt: str, width: int | None = None) -> str:
    """table | csv | json text of SELECT rows (plain values); a table at most ``width`` columns wide."""
    if fmt == "json":
        return json.dumps(records, ensure_ascii=False, indent=2, default=str)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, variables, lineterminator="\n")
        writer.writeheader()
        from kg.cells import spreadsheet_safe

        writer.writerows({k: spreadsheet_safe(v) for k, v in r.items()} for r in records)
        return out.getvalue()
    from kg.console import render_table

    shown = [[_short(r[v]) for v in variables] for r in records]
    return render_table(variables, shown, width) if shown else "(no rows)"


def _short(value: Any) -> Any:
    text = str(value) if value is not None else ""
    return text.replace("https://w3id.org/cgr/id/", "id:")
