"""Reports as text: burden, coordination, gaps, domains and one agency's profile, each in
table (aligned for wide characters), csv, json or markdown. Pure functions returning str.
"""
from __future__ import annotations

import csv
import io
import json
from collections import Counter, defaultdict
from dataclasses import asdict
from typing import TYPE_CHECKING, Any, Iterable

from kg.analysis.burden import BurdenRow, Weights, burden_table
from kg.present.labels import COLLECTIVE_MARK, document_labels, domain_label, domain_labels, function_label, percent
from kg.reference import Reference

if TYPE_CHECKING:  # imported where used: the burden report from the totals reads no rows, gaps or loads
    from kg.analysis.gaps import Gap
    from kg.analysis.loads import Loads
    from kg.analysis.rows import GraphData

__all__ = ["FORMATS", "REPORTS", "make_report", "render_rows", "render_lists", "csv_text", "flat_cell", "safe_cell",
           "burden_report",
           "loads_report",
           "coordination_report", "coordination_tables", "COORDINATION_TABLES", "gaps_report", "domains_report"]

FORMATS = ("table", "csv", "json", "markdown")
_BURDEN_COLUMNS = ["name", "function", "lead", "support", "responsible", "burden", "share", "per_100_tasks",
                   "tasks", "documents"]
_BURDEN_TABLE = ["name", "function", "lead", "support", "resp.", "burden", "share", "tasks", "docs"]
_FORMULA_START = ("=", "+", "-", "@")


def render_rows(rows: list[dict[str, Any]], fmt: str, columns: list[str] | None = None,
                width: int | None = None) -> str:
    """Rows as text in one of :data:`FORMATS`; tables at most ``width`` columns wide.

    >>> print(render_rows([{"机构": "市质监局", "n": 3}], "markdown"))
    | 机构 | n |
    |---|---:|
    | 市质监局 | 3 |
    """
    columns = columns or (list(rows[0]) if rows else [])
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2)
    return render_lists(columns, [[r.get(c) for c in columns] for r in rows], fmt, width)


def render_lists(columns: list[str], rows: list[list[Any]], fmt: str, width: int | None = None) -> str:
    """:func:`render_rows` of rows given as lists of ``columns``' values, in csv, markdown or table.

    >>> print(render_lists(["机构", "share"], [["市质监局", "12.4%"]], "table"))
    机构      share
    ───────────────
    市质监局  12.4%
    """
    from kg.console import markdown_table, render_table

    if fmt == "csv":
        return csv_text([dict(zip(columns, row)) for row in rows], columns)
    if not rows:
        return "(nothing to report)"
    right, flat = [], []
    for k, column in enumerate(columns):
        values = [r[k] for r in rows]
        kinds = set(map(type, values))
        if kinds - _PLAIN:
            flat.append(k)  # lists or mappings: flat_cell makes them text
        if kinds - {type(None)} <= _NUMBERS or all(isinstance(v, (int, float)) or str(v).endswith("%")
                                                   for v in values if v is not None):
            right.append(column)
    table = [[flat_cell(v) if k in flat else v for k, v in enumerate(row)] for row in rows] if flat else rows
    if fmt == "markdown":
        return markdown_table(columns, table, right)
    return render_table(columns, table, width, right)


_NUMBERS = frozenset({int, float, bool})  # numbers: right-aligned
_PLAIN = frozenset({str, int, float, type(None), bool})  # cells flat_cell leaves as they are


def csv_text(rows: Iterable[dict[str, Any]], columns: list[str]) -> str:
    """One CSV table; text cells that a spreadsheet would run as a formula get a leading '.

    >>> print(csv_text([{"a": "=1+1", "b": -2}], ["a", "b"]), end="")
    a,b
    '=1+1,-2
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([_cell(r.get(c)) for c in columns] for r in rows)
    return out.getvalue()


def _cell(value: Any) -> Any:
    """A CSV cell: :func:`flat_cell`, then :func:`safe_cell` (text, most cells, checked at once)."""
    if type(value) is str:
        return "'" + value if value.startswith(_FORMULA_START) else value
    return safe_cell(flat_cell(value))


def safe_cell(value: Any) -> Any:
    """Neutralise formula injection: text starting with =, +, - or @ is prefixed with '."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def flat_cell(value: Any) -> Any:
    """A list or mapping as one cell of text; other values as they are."""
    if isinstance(value, (list, tuple)):
        return "、".join(map(str, value))
    if isinstance(value, dict):
        return "; ".join(f"{k}:{v}" for k, v in value.items())
    return value


def burden_report(data: GraphData | None, fmt: str, by: str = "agency", top: int | None = None,
                  weights: Weights = Weights(), width: int | None = None,
                  table: list[BurdenRow] | None = None, collective: frozenset[str] | None = None, *,
                  reference: Reference) -> str:
    """The burden table; JSON gives every field of :class:`BurdenRow`, CSV the keys, the table
    Chinese labels (from ``reference``), percentages and collectives marked (``collective``: their
    keys, when the rows did not come from ``data``)."""
    if (table is None or collective is None) and data is None:
        raise TypeError("burden_report needs the rows (data) unless given the table and the collectives")
    if table is None:  # not computed already
        assert data is not None
        table = burden_table(data, weights, by, reference=reference)
    rows = table[:top]
    if fmt in ("json", "csv"):
        return render_rows([{**vars(r), "domains": dict(r.domains)} for r in rows], fmt,
                           None if fmt == "json" else _BURDEN_COLUMNS)
    if collective is None:
        assert data is not None
        collective = frozenset(a.agency for a in data.assignments if a.collective)
    labels, percents = _FunctionLabels(reference), _Percents()
    shown = [[(COLLECTIVE_MARK if r.agency in collective else "") + r.name,
              r.name if by == "function" else labels[r.function],
              r.lead, r.support, r.responsible, round(r.burden, 3), percents[r.share], r.tasks, r.documents]
             for r in rows]
    if by != "agency":  # by function: name is the label
        shown = [row[:1] + row[2:] for row in shown]
    columns = [c for c in _BURDEN_TABLE if by == "agency" or c != "function"]
    text = render_lists(columns, shown, fmt, width)
    if any(r.agency in collective for r in rows):
        text += f"\n\n{COLLECTIVE_MARK.strip()} collective (各乡镇, …成员单位); --exclude-collectives leaves them out"
    return text


class _FunctionLabels(dict[str, str]):
    """Function keys' labels, each looked up once (a few hundred keys label thousands of rows)."""

    def __init__(self, reference: Reference) -> None:
        super().__init__()
        self.reference = reference

    def __missing__(self, key: str) -> str:
        label = self[key] = function_label(key, self.reference)
        return label


class _Percents(dict[float, str]):
    """Shares as percentages, each distinct share written once (many round alike)."""

    def __missing__(self, share: float) -> str:
        text = self[share] = percent(share)
        return text


def loads_report(loads: Loads, fmt: str, top: int | None = None, weights: Weights = Weights(),
                 width: int | None = None, document: str | None = None, level: int = 1, *,
                 reference: Reference) -> str:
    """The burden report per agency summed from the per-document loads kept at build time: the
    same text :func:`burden_report` gives from every assignment, without reading them."""
    from kg.analysis.loads import loads_table

    table = loads_table(loads, weights, document, level, reference=reference)
    return burden_report(None, fmt, "agency", top, weights, width, table, loads.collective,
                         reference=reference)


COORDINATION_TABLES = ("centrality", "strongest_pairs", "lead_support", "communities", "hubs")
_JSON_KEYS = {"lead_support": "lead_→_support", "hubs": "domain-bridging_hubs"}


def coordination_tables(data: GraphData, top: int = 15) -> dict[str, list[dict[str, Any]]]:
    """The coordination report's tables by name (see :data:`COORDINATION_TABLES`)."""
    from kg.analysis.coordination import coordination  # networkx: imported by the reports that need it

    c = coordination(data, top)
    return {name: list(rows) for name, rows in zip(COORDINATION_TABLES, (c.centrality, c.pairs, c.directed, c.communities, c.hubs))}


def coordination_report(data: GraphData, fmt: str, top: int = 15, table: str | None = None,
                        width: int | None = None, *, reference: Reference) -> str:
    """Every table with a heading, or only ``table``; CSV is one table per stream, so it needs one.
    Tables name domains by their labels in ``reference``."""
    tables = coordination_tables(data, top)
    if table is not None and table not in tables:
        raise LookupError(f"no coordination table '{table}' (choose one of {', '.join(tables)})")
    if fmt == "csv" and table is None:
        raise LookupError(f"CSV holds one table: add --table NAME (one of {', '.join(tables)})")
    if fmt == "json":  # the whole report keeps its earlier keys, which scripts already read
        whole = {_JSON_KEYS.get(k, k): v for k, v in tables.items()}
        return json.dumps(whole if table is None else tables[table], ensure_ascii=False, indent=2)
    parts = []
    for title, rows in tables.items():
        if table not in (None, title):
            continue
        rows = [{k: _abbreviate(_domain_names(k, v, fmt, reference)) for k, v in r.items()} for r in rows]
        columns = [k for k in (rows[0] if rows else {}) if k != "agency"]
        text = render_rows(rows, fmt, columns, width)
        parts.append(text if table else f"{'## ' if fmt == 'markdown' else ''}{title}\n\n{text}")
    return "\n\n".join(parts)


def _abbreviate(value: Any, limit: int = 10) -> Any:
    """Long name lists shortened for the terminal: the first ``limit`` and a count."""
    if isinstance(value, list) and len(value) > limit:
        return value[:limit] + [f"…(+{len(value) - limit})"]
    return value


def _domain_names(column: str, value: Any, fmt: str, reference: Reference) -> Any:
    """Domain keys as Chinese labels in tables (CSV and JSON keep the keys)."""
    if fmt in ("table", "markdown") and column in ("domain_list", "domains") and isinstance(value, list):
        return [domain_label(v, reference) for v in value]
    return value


def gaps_report(data: GraphData, fmt: str, top: int | None = None, width: int | None = None,
                gaps: list[Gap] | None = None) -> str:
    """Every gap (kind, document, task path, title, detail), with a count per kind in tables."""
    from kg.analysis.gaps import find_gaps

    every = [asdict(g) for g in (find_gaps(data) if gaps is None else gaps)]
    if fmt in ("table", "markdown"):
        labels = document_labels(data)
        every = [{**g, "document": labels.get(g["document"], g["document"])} for g in every]
    shown = every[:top]
    if fmt in ("table", "markdown") and every:
        counts = Counter(g["kind"] for g in every)
        summary = ", ".join(f"{k} {n}" for k, n in sorted(counts.items()))
        return render_rows(shown, fmt, width=width) + f"\n\n{len(every)} gaps: {summary}"
    return render_rows(shown, fmt)


def domains_report(data: GraphData, fmt: str, top: int | None = None, width: int | None = None, *,
                   reference: Reference) -> str:
    """Per policy domain (labelled from ``reference``): tasks, tasks with a lead, and the agencies
    carrying most of it."""
    labels, tasks_in = domain_labels(reference), defaultdict(set)
    for t in data.tasks:
        for d in t.domains:
            tasks_in[d].add(t.task)
    led = {a.task for a in data.assignments if a.role == "lead" and not a.inferred}
    domains_of = {t.task: t.domains for t in data.tasks}
    carriers: dict[str, Counter[str]] = defaultdict(Counter)
    for a in data.assignments:
        for d in domains_of.get(a.task, ()) if not a.inferred else ():
            carriers[d][a.name] += 1
    rows: list[dict[str, Any]] = [
        {"domain": d, "label": labels.get(d, d), "tasks": len(ts), "with_lead": len(ts & led),
         "top_agencies": "、".join(n for n, _ in carriers[d].most_common(3))} for d, ts in tasks_in.items()]
    rows.sort(key=lambda r: (-int(r["tasks"]), str(r["domain"])))
    columns = ["label", "tasks", "with_lead", "top_agencies"] if fmt in ("table", "markdown") else None
    text = render_rows(rows[:top], fmt, columns, width)
    return text + _classified_line(data) if fmt in ("table", "markdown") else text


def _classified_line(data: GraphData) -> str:
    """How many tasks no evidence classifies, and what decided the others."""
    from kg.analysis.domains import classification_summary

    s = classification_summary(data)
    basis = ", ".join(f"{k} {n}" for k, n in s["basis"].items())
    return f"\n\n{s['tasks']} tasks, {s['unclassified']} unclassified ({s['share']:.1%}); decided by: {basis}"


REPORTS = ("burden", "coordination", "gaps", "domains", "agency")


def make_report(kind: str, data: GraphData, fmt: str, name: str | None = None, by: str = "agency",
                top: int | None = None, weights: Weights = Weights(), width: int | None = None,
                table: str | None = None, *, reference: Reference) -> str:
    """Dispatch one of :data:`REPORTS`; ``width`` bounds tables (None: the terminal's); labels,
    function names and aliases come from ``reference``."""
    from kg.present.agency_report import agency_report

    if kind == "burden":
        return burden_report(data, fmt, by, top, weights, width, reference=reference)
    if kind == "coordination":
        return coordination_report(data, fmt, top or 15, table, width, reference=reference)
    if kind == "gaps":
        return gaps_report(data, fmt, top, width)
    if kind == "domains":
        return domains_report(data, fmt, top, width, reference=reference)
    if kind == "agency":
        if not name:
            raise LookupError("kg report agency needs the agency's NAME, e.g. kg report agency 市质监局")
        return agency_report(data, name, fmt, top, width, reference=reference)
    raise LookupError(f"unknown report '{kind}'; choose one of {', '.join(REPORTS)}")
