"""Reports as text: burden, coordination, gaps, domains and one agency's profile, each in
table (aligned for wide characters), csv, json or markdown. Pure functions returning str.
"""
from __future__ import annotations

import csv
import io
import json
from collections import Counter, defaultdict
from dataclasses import asdict
from typing import Any

from kg.analysis.burden import BurdenRow, Weights, burden_table
from kg.analysis.gaps import Gap, find_gaps
from kg.analysis.rows import GraphData
from kg.analysis.coordination import coordination

__all__ = ["FORMATS", "REPORTS", "make_report", "render_rows", "burden_report", "coordination_report",
           "gaps_report", "domains_report", "agency_report", "domain_labels"]

FORMATS = ("table", "csv", "json", "markdown")
_BURDEN_COLUMNS = ["name", "function", "lead", "support", "responsible", "burden", "share", "per_100_tasks",
                   "tasks", "documents"]


def render_rows(rows: list[dict[str, Any]], fmt: str, columns: list[str] | None = None) -> str:
    """Rows as text in one of :data:`FORMATS`.

    >>> print(render_rows([{"机构": "市质监局", "n": 3}], "markdown"))
    | 机构     |   n |
    |----------|-----|
    | 市质监局 |   3 |
    """
    columns = columns or (list(rows[0]) if rows else [])
    picked = [{c: r.get(c) for c in columns} for r in rows]
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, columns, lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        writer.writerows({c: _cell(v) for c, v in r.items()} for r in picked)
        return out.getvalue()
    from tabulate import tabulate

    if not picked:
        return "(nothing to report)"
    table = [[_cell(r[c]) for c in columns] for r in picked]
    return tabulate(table, headers=columns, tablefmt="github" if fmt == "markdown" else "simple",
                    floatfmt=".3f", disable_numparse=False)


def _cell(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return "、".join(map(str, value))
    if isinstance(value, dict):
        return "; ".join(f"{k}:{v}" for k, v in value.items())
    return value


def burden_report(data: GraphData, fmt: str, by: str = "agency", top: int | None = None,
                  weights: Weights = Weights(), table: list[BurdenRow] | None = None) -> str:
    """The burden table (``table``: already computed for these arguments); JSON gives every
    field of :class:`BurdenRow`."""
    rows = (burden_table(data, weights, by) if table is None else table)[:top]
    if fmt == "json":
        return render_rows([asdict(r) for r in rows], fmt)
    return render_rows([asdict(r) for r in rows], fmt, _BURDEN_COLUMNS)


def coordination_report(data: GraphData, fmt: str, top: int = 15) -> str:
    c = coordination(data, top)
    sections = {"centrality": c.centrality, "strongest pairs": c.pairs, "lead → support": c.directed,
                "communities": c.communities, "domain-bridging hubs": c.hubs}
    if fmt == "json":
        return json.dumps({k.replace(" ", "_"): v for k, v in sections.items()}, ensure_ascii=False, indent=2)
    hide = {"agency"}
    parts = []
    for title, rows in sections.items():
        rows = [{k: _abbreviate(v) for k, v in r.items()} for r in rows]
        columns = [k for k in (rows[0] if rows else {}) if k not in hide]
        heading = f"## {title}" if fmt == "markdown" else (f"# {title}" if fmt == "csv" else title)
        parts.append(f"{heading}\n\n{render_rows(rows, fmt, columns)}")
    return "\n\n".join(parts)


def _abbreviate(value: Any, limit: int = 10) -> Any:
    """Long name lists shortened for the terminal: the first ``limit`` and a count."""
    if isinstance(value, list) and len(value) > limit:
        return value[:limit] + [f"…(+{len(value) - limit})"]
    return value


def gaps_report(data: GraphData, fmt: str, top: int | None = None, gaps: list[Gap] | None = None) -> str:
    every = [asdict(g) for g in (find_gaps(data) if gaps is None else gaps)]
    shown = every[:top]
    if fmt in ("table", "markdown") and every:
        counts = Counter(g["kind"] for g in every)
        summary = ", ".join(f"{k} {n}" for k, n in sorted(counts.items()))
        return render_rows(shown, fmt) + f"\n\n{len(every)} gaps: {summary}"
    return render_rows(shown, fmt)


def domain_labels() -> dict[str, str]:
    from kg.reference import load_reference

    return {**{d.key: d.label_zh for d in load_reference().domains}, "unclassified": "未分类"}


def domains_report(data: GraphData, fmt: str, top: int | None = None) -> str:
    """Per policy domain: tasks, tasks with a lead, and the agencies carrying most of it."""
    labels, tasks_in = domain_labels(), defaultdict(set)
    for t in data.tasks:
        for d in t.domains:
            tasks_in[d].add(t.task)
    led = {a.task for a in data.assignments if a.role == "lead" and not a.inferred}
    domains_of = {t.task: t.domains for t in data.tasks}
    carriers: dict[str, Counter[str]] = defaultdict(Counter)
    for a in data.assignments:
        for d in domains_of.get(a.task, ()) if not a.inferred else ():
            carriers[d][a.name] += 1
    rows = [{"domain": d, "label": labels.get(d, d), "tasks": len(ts), "with_lead": len(ts & led),
             "top_agencies": "、".join(n for n, _ in carriers[d].most_common(3))}
            for d, ts in tasks_in.items()]
    rows.sort(key=lambda r: (-r["tasks"], r["domain"]))
    text = render_rows(rows[:top], fmt)
    return text + _classified_line(data) if fmt in ("table", "markdown") else text


def _classified_line(data: GraphData) -> str:
    """How many tasks no evidence classifies, and what decided the others."""
    from kg.analysis.domains import classification_summary

    s = classification_summary(data)
    basis = ", ".join(f"{k} {n}" for k, n in s["basis"].items())
    return f"\n\n{s['tasks']} tasks, {s['unclassified']} unclassified ({s['share']:.1%}); decided by: {basis}"


def _path_key(path: str) -> tuple[int, ...]:
    """Numeric order of dotted paths ("3.10" after "3.9"); pathless tasks last."""
    return tuple(int(p) for p in path.split(".") if p.isdigit()) if path else (10**6,)


def agency_report(data: GraphData, name: str, fmt: str, top: int | None = None) -> str:
    """One agency, found by any name it is written with or by its canonical name."""
    mine = [a for a in data.assignments if name in (a.mention, a.name)]
    if not mine:
        raise LookupError(f"no agency written or named '{name}' (kg report burden lists the names)")
    agencies, tasks = {a.agency for a in mine}, {t.task: t for t in data.tasks}
    rows = sorted(({"document": a.document, "path": tasks[a.task].path, "title": tasks[a.task].title,
                    "role": a.role, "written_as": a.mention, "agency": a.name} for a in mine if a.task in tasks),
                  key=lambda r: (r["document"], _path_key(r["path"]), r["role"], r["written_as"]))
    others: dict[str, set[str]] = defaultdict(set)
    for a in data.assignments:
        if a.agency not in agencies:
            others[a.task].add(a.name)
    partners = Counter(n for task in {a.task for a in mine} for n in others[task])
    if fmt == "json":
        return json.dumps({"name": name, "assignments": rows[:top],
                           "partners": [{"name": n, "shared_tasks": k} for n, k in partners.most_common(10)]},
                          ensure_ascii=False, indent=2)
    text = render_rows(rows[:top], fmt, ["document", "path", "role", "written_as", "title"])
    if fmt == "csv":
        return text
    counts = Counter(r["role"] for r in rows)
    summary = f"{name}: " + ", ".join(f"{k} {counts[k]}" for k in ("lead", "support", "responsible"))
    return f"{summary}\npartners: " + "、".join(f"{n}({k})" for n, k in partners.most_common(8)) + f"\n\n{text}"


REPORTS = ("burden", "coordination", "gaps", "domains", "agency")


def make_report(kind: str, data: GraphData, fmt: str, name: str | None = None, by: str = "agency",
                top: int | None = None, weights: Weights = Weights()) -> str:
    """Dispatch one of :data:`REPORTS`."""
    if kind == "burden":
        return burden_report(data, fmt, by, top, weights)
    if kind == "coordination":
        return coordination_report(data, fmt, top or 15)
    if kind == "gaps":
        return gaps_report(data, fmt, top)
    if kind == "domains":
        return domains_report(data, fmt, top)
    if kind == "agency":
        if not name:
            raise LookupError("kg report agency needs the agency's NAME, e.g. kg report agency 市质监局")
        return agency_report(data, name, fmt, top)
    raise LookupError(f"unknown report '{kind}'; choose one of {', '.join(REPORTS)}")

