"""The comparison report as text (table, csv, json, markdown) and as the report page's heat map."""
from __future__ import annotations

import json
from html import escape

from kg.analysis.burden import Weights
from kg.analysis.compare import Comparison, compare
from kg.analysis.rows import GraphData
from kg.present.reports import render_rows
from kg.reference import Reference

__all__ = ["compare_report", "comparison_heatmap"]


def compare_report(data: GraphData, fmt: str, across: str = "year", by: str = "function", successor: bool = False,
                   top: int | None = None, weights: Weights = Weights(), *, reference: Reference) -> str:
    """Burden per function (or agency) in columns of documents, years or levels, then the change."""
    result = compare(data, across, by, successor, weights, reference=reference)
    rows = result.rows[:top]
    if fmt == "json":
        return json.dumps({"across": result.across, "columns": list(result.columns), "rows": rows},
                          ensure_ascii=False, indent=2)
    columns = ["name", "key", *result.columns, "change", "total"]
    return render_rows(rows, fmt, columns)


def comparison_heatmap(data: GraphData, weights: Weights = Weights(), top: int = 25, *,
                       reference: Reference) -> str:
    """Function (rolled up to today's bodies) × document heat map, the change in the last column."""
    result: Comparison = compare(data, "document", "function", True, weights, reference=reference)
    if not result.rows:
        return "<p>No assignments to compare.</p>"
    peak = max(_number(r[c]) for r in result.rows for c in result.columns) or 1.0
    head = "".join(f'<th class="rot cmp"><div>{escape(c)}</div></th>' for c in result.columns)
    body = []
    for row in result.rows[:top]:
        cells = []
        for c in result.columns:
            value = _number(row[c])
            alpha = 0.08 + 0.9 * value / peak if value else 0
            cells.append(f'<td class="heat" style="background:rgba(46,134,193,{alpha:.2f})">'
                         f'{f"{value:.2f}" if value else ""}</td>')
        change = _number(row["change"])
        body.append(f'<tr><th>{escape(str(row["name"]))}</th>{"".join(cells)}<td class="heat">{change:+.2f}</td></tr>')
    return (f'<table class="compare"><tr><th>职能 \\ 文件</th>{head}<th class="rot cmp"><div>变化 change</div></th></tr>'
            f'{"".join(body)}</table>')


def _number(cell: object) -> float:
    """A comparison cell as a number (cells are weighted burdens; anything else counts as 0).

    >>> _number(1.5), _number("2"), _number(None)
    (1.5, 2.0, 0.0)
    """
    return float(cell) if isinstance(cell, (int, float, str)) else 0.0
