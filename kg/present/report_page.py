"""The one-page HTML report: burden bars stacked by role, an agency × domain heat map, the gap
list and the documents. Self-contained (no script, no remote resource); every piece of
document text is escaped exactly once, here.
"""
from __future__ import annotations

from collections import defaultdict
from html import escape

from kg.analysis.burden import BurdenRow, Weights, burden_table, role_credits
from kg.analysis.compare import document_label
from kg.analysis.gaps import Gap, document_coverage, find_gaps
from kg.analysis.rows import GraphData
from kg.extract.coverage import Coverage
from kg.present.analytics import Analytics
from kg.present.comparison import comparison_heatmap
from kg.present.labels import domain_labels
from kg.reference import Reference

__all__ = ["report_html", "ROLE_COLOURS"]

ROLE_COLOURS = {"lead": "#c0392b", "support": "#2e86c1", "responsible": "#7f8c8d"}
_ROLE_ZH = {"lead": "牵头", "support": "配合", "responsible": "责任"}

_CSS = """
body{font-family:"Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",
"WenQuanYi Micro Hei",sans-serif;margin:24px;color:#222;max-width:1200px}
h1{font-size:22px}h2{font-size:18px;margin-top:28px;border-bottom:1px solid #ddd;padding-bottom:4px}
.bar-row{display:flex;align-items:center;margin:3px 0;font-size:13px}
.bar-label{width:220px;text-align:right;padding-right:8px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.bar{display:flex;height:16px}.bar span{display:block;height:16px}.bar-value{padding-left:6px;color:#555}
.legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;vertical-align:middle}
table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #e3e3e3;padding:3px 6px}
th.rot{height:110px;white-space:nowrap;vertical-align:bottom}th.rot div{writing-mode:vertical-rl}
td.heat{text-align:center;min-width:22px}.muted{color:#777;font-size:12px}
.flag{color:#b03a2e;font-weight:bold}
"""


def _bars(data: GraphData, weights: Weights, top: int, table: list[BurdenRow]) -> str:
    rows = table[:top]
    by_role: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for (agency, _task, role), credit in role_credits(data.assignments, weights).items():
        by_role[agency][role] += credit
    scale = 560 / max((r.burden for r in rows), default=1.0)
    out = []
    for r in rows:
        spans = "".join(
            f'<span style="width:{by_role[r.agency][role] * scale:.1f}px;background:{colour}" '
            f'title="{_ROLE_ZH[role]} {by_role[r.agency][role]:.2f}"></span>'
            for role, colour in ROLE_COLOURS.items() if by_role[r.agency][role])
        out.append(f'<div class="bar-row"><div class="bar-label" title="{escape(r.name)}">{escape(r.name)}</div>'
                   f'<div class="bar">{spans}</div><div class="bar-value">{r.burden:.2f} '
                   f'({r.lead}/{r.support}/{r.responsible})</div></div>')
    legend = "".join(f'<span style="background:{c}"></span>{_ROLE_ZH[k]} {k}' for k, c in ROLE_COLOURS.items())
    return f'<div class="legend">{legend}</div>' + "".join(out)


def _heatmap(data: GraphData, top: int, table: list[BurdenRow], labels: dict[str, str]) -> str:
    agencies = [(r.agency, r.name) for r in table[:top]]
    domains_of = {t.task: t.domains for t in data.tasks}
    counts: dict[tuple[str, str], set[str]] = defaultdict(set)
    for a in data.assignments:
        if not a.inferred:
            for d in domains_of.get(a.task, ()):
                counts[(a.agency, d)].add(a.task)
    domains = sorted({d for (_, d) in counts}, key=lambda d: (d == "unclassified",  # always the last column
                                                          -sum(len(v) for (a, dd), v in counts.items() if dd == d), d))
    peak = max((len(v) for v in counts.values()), default=1)
    head = "".join(f'<th class="rot"><div>{escape(labels.get(d, d))}</div></th>' for d in domains)
    body = []
    for agency, name in agencies:
        cells = []
        for d in domains:
            n = len(counts.get((agency, d), ()))
            alpha = 0.08 + 0.9 * n / peak if n else 0
            cells.append(f'<td class="heat" style="background:rgba(192,57,43,{alpha:.2f})">{n or ""}</td>')
        body.append(f"<tr><th>{escape(name)}</th>{''.join(cells)}</tr>")
    return f"<table><tr><th>机构 \\ 领域</th>{head}</tr>{''.join(body)}</table>{_unclassified_note(data)}"


def _unclassified_note(data: GraphData) -> str:
    from kg.analysis.domains import classification_summary

    s = classification_summary(data)
    return (f'<p class="muted">{s["unclassified"]} of {s["tasks"]} tasks unclassified ({s["share"]:.1%}): '
            "no subject word, no lead agency function, no classified heading or title.</p>")


def _gaps(data: GraphData, limit: int, gaps: list[Gap]) -> str:
    names = {d.document: document_label(d) for d in data.documents}
    rows = "".join(f"<tr><td>{escape(g.kind)}</td><td>{escape(names.get(g.document, g.document))}</td><td>{escape(g.path)}</td>"
                   f"<td>{escape(g.title)}</td><td>{escape(g.detail)}</td></tr>" for g in gaps[:limit])
    more = f'<p class="muted">… and {len(gaps) - limit} more (kg report gaps)</p>' if len(gaps) > limit else ""
    return (f"<p>{len(gaps)} gaps.</p><table><tr><th>kind</th><th>document</th><th>path</th><th>task</th>"
            f"<th>detail</th></tr>{rows}</table>{more}")


def _documents(data: GraphData, coverages: list[Coverage]) -> str:
    """Every document with what was found in it; a flagged one (nothing assigned) stands out."""
    coverage = {c.document: c for c in coverages}
    rows = []
    for d in data.documents:
        c = coverage[d.document]
        flag = f'<td class="flag">{escape("; ".join(c.warnings))}</td>' if c.flagged else \
            f"<td>{escape('; '.join(c.warnings))}</td>"
        rows.append(f"<tr><td>{escape(document_label(d))}</td><td>{escape(d.number)}</td>"
                    f"<td>{escape(d.date)}</td><td>{escape(d.jurisdiction)}</td><td>{escape(d.level)}</td>"
                    f"<td>{c.tasks}</td><td>{c.with_clause}</td><td>{c.assignments}</td>{flag}</tr>")
    labels = {d.document: document_label(d) for d in data.documents}
    flagged = [labels.get(c.document, c.document) for c in coverage.values() if c.flagged]
    note = (f'<p class="flag">{len(flagged)} document(s) yielded no assignment at all: '
            f'{escape("、".join(sorted(flagged)))}. Check their layout (kg extract FILE --format json).</p>'
            if flagged else "")
    return (f"{note}<table><tr><th>document</th><th>文号</th><th>date</th><th>jurisdiction</th>"
            f"<th>level</th><th>tasks</th><th>with a clause</th><th>assignments</th><th>warnings</th></tr>"
            f"{''.join(rows)}</table>")


def report_html(data: GraphData, weights: Weights = Weights(), top: int = 25, gap_limit: int = 300, *,
                reference: Reference, analytics: Analytics | None = None) -> str:
    """The whole page as a string, domains and functions named from ``reference``; ``analytics``
    (of ``data``, default weights) saves computing the burden table, gaps and coverage again when
    a build already has them."""
    if analytics is None or weights != Weights():
        burden, gaps, coverage = burden_table(data, weights), find_gaps(data), document_coverage(data)
    else:
        burden, gaps, coverage = analytics.burden, analytics.gaps, analytics.coverage
    assigned = len({a.task for a in data.assignments})
    return f"""<!DOCTYPE html>
<html lang="zh-Hans"><head><meta charset="utf-8"><title>责任分工报告 Responsibility report</title>
<style>{_CSS}</style></head><body>
<h1>责任分工报告 · Responsibility report</h1>
<p class="muted">{len(data.documents)} documents, {len(data.tasks)} tasks ({assigned} with an assignment),
{len(data.assignments)} assignments. Burden = Σ lead {weights.lead} (shared among co-leads) +
support {weights.support} + responsible {weights.responsible} (shared among the listed units).</p>
<h2>负担 Burden (top {top})</h2>{_bars(data, weights, top, burden)}
<h2>机构 × 政策领域 Agency × policy domain (tasks)</h2>{_heatmap(data, top, burden, domain_labels(reference))}
<h2>比较 Comparison: burden by function (2018 reform rolled up) per document</h2>
<p class="muted">Old bodies count with the bodies holding their work today (质监 + 工商 + 食药监 → 市场监督管理);
kg compare gives the same figures as a table.</p>{comparison_heatmap(data, weights, top, reference=reference)}
<h2>问责缺口 Accountability gaps</h2>{_gaps(data, gap_limit, gaps)}
<h2>文件 Documents</h2>{_documents(data, coverage)}
</body></html>
"""
