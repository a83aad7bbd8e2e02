"""What a bundled SELECT read straight from the on-disk store (:mod:`kg.graph.direct`) needs
besides :mod:`kg.graph.query_source`, without rdflib: its final ORDER BY, parameters as plain
parts, and rows of plain Python values written as a table, CSV or JSON (the text
:func:`kg.graph.query_result.format_result` writes from rdflib terms). rdflib's import alone
takes longer than a summed burden query.
"""
from __future__ import annotations

import csv
import io
import json
import re
from typing import Any, Collection, Sequence

from kg.errors import QueryError
from kg.graph.query_source import bundled_queries, check_params, declared_params, query_text, unordered

__all__ = ["bundled_queries", "query_text", "declared_params", "check_params", "check_selected", "unordered",
           "final_order", "split_params", "format_records"]


def check_selected(names: Collection[str], variables: Sequence[str]) -> None:
    """Parameters bind selected variables only, on every store alike (rdflib insists)."""
    missing = sorted(set(names) - set(variables))
    if missing:
        raise QueryError(f"?{missing[0]} is not selected: a parameter must be a variable the query selects")


_FINAL_ORDER = re.compile(r"\nORDER BY ([^\n{}]*)\n?\Z")


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
