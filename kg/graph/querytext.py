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
           "final_order", "split_params", "format_records", "format_rows"]


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
    if fmt == "table":
        return format_rows(variables, [[r[v] for v in variables] for r in records], fmt, width)
    if fmt == "json":
        return json.dumps(records, ensure_ascii=False, indent=2, default=str)
    out = io.StringIO()
    writer = csv.DictWriter(out, variables, lineterminator="\n")
    writer.writeheader()
    from kg.cells import spreadsheet_safe

    writer.writerows({k: spreadsheet_safe(v) for k, v in r.items()} for r in records)
    return out.getvalue()


def format_rows(variables: list[str], rows: list[list[Any]], fmt: str, width: int | None = None) -> str:
    """The text :func:`format_records` writes, from rows as lists (a table needs no record per row).

    >>> print(format_rows(["agency", "n"], [["https://w3id.org/cgr/id/agency/x", 3]], "table", 20))
    agency       n
    ──────────────
    id:agency/x  3
    """
    if fmt != "table":
        return format_records(variables, [dict(zip(variables, row)) for row in rows], fmt, width)
    from kg.console import render_table

    short = _Short()  # values repeat down a column (numbers, function keys): each is written once
    shown = [[short[value.__class__, value] for value in row] for row in rows]  # 1, 1.0, True: three texts
    return render_table(variables, shown, width) if shown else "(no rows)"


class _Short(dict[tuple[type, Any], str]):
    """A value (keyed with its type) as a table shows it: IRIs of the graph's own things
    shortened to ``id:…``."""

    def __missing__(self, key: tuple[type, Any]) -> str:
        value = key[1]
        text = str(value) if value is not None else ""
        shown = self[key] = text.replace("https://w3id.org/cgr/id/", "id:")
        return shown
