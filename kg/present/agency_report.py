"""One agency's profile, found by any name people write: as written in a document, its
canonical name, or any alias of its function (质监局, 质监, 质量技术监督局 …). When nothing
matches, the closest names are suggested.
"""
from __future__ import annotations

import difflib
import json
from collections import Counter, defaultdict

from kg.analysis.rows import AssignmentRow, GraphData
from kg.present.labels import document_labels
from kg.present.reports import render_rows
from kg.reference import Reference

__all__ = ["agency_report", "find_agency"]


def _function_of(name: str, reference: Reference) -> str | None:
    """The function key an alias names, with or without a jurisdiction prefix and type suffix."""
    from kg.extract.lexicon import split_prefix

    for core in dict.fromkeys((name, split_prefix(name)[1])):
        found = reference.aliases.get(core)
        for suffix in reference.suffixes:
            if found is None and core.endswith(suffix) and len(core) > len(suffix):
                found = reference.aliases.get(core[: -len(suffix)])
        if found:
            return found
    return None


def find_agency(data: GraphData, name: str, reference: Reference) -> list[AssignmentRow]:
    """Assignments of the agency NAME (exact written or canonical name first, then by an alias
    of ``reference``).

    Raises ``LookupError`` with up to five close names when nothing matches.
    """
    mine = [a for a in data.assignments if name in (a.mention, a.name)]
    if not mine:
        function = _function_of(name, reference)
        mine = [a for a in data.assignments if function and a.function == function]
    if mine:
        return mine
    names = sorted({a.name for a in data.assignments} | {a.mention for a in data.assignments})
    close = difflib.get_close_matches(name, names, n=5, cutoff=0.4)
    hint = f"did you mean {', '.join(close)}?" if close else "kg report burden lists the names"
    raise LookupError(f"report agency: no agency written or named '{name}' ({hint})")


def _path_key(path: str) -> tuple[int, ...]:
    """Numeric order of dotted paths ("3.10" after "3.9"); pathless tasks last.

    >>> sorted(["3.10", "3.9", ""], key=_path_key)
    ['3.9', '3.10', '']
    """
    return tuple(int(p) for p in path.split(".") if p.isdigit()) if path else (10**6,)


def agency_report(data: GraphData, name: str, fmt: str, top: int | None = None, width: int | None = None, *,
                  reference: Reference) -> str:
    """Every task of one agency with its role, and the agencies it shares tasks with."""
    mine = find_agency(data, name, reference)
    agencies, tasks = {a.agency for a in mine}, {t.task: t for t in data.tasks}
    labels = document_labels(data) if fmt in ("table", "markdown") else {}
    rows = sorted(({"document": a.document, "path": tasks[a.task].path, "title": tasks[a.task].title,
                    "role": a.role, "written_as": a.mention, "agency": a.name} for a in mine if a.task in tasks),
                  key=lambda r: (r["document"], _path_key(r["path"]), r["role"], r["written_as"]))
    rows = [{**r, "document": labels.get(r["document"], r["document"])} for r in rows]
    partners = sorted(_partners(data, mine, agencies).items(), key=lambda kv: (-kv[1], kv[0]))
    if fmt == "json":
        return json.dumps({"name": name, "assignments": rows[:top],
                           "partners": [{"name": n, "shared_tasks": k} for n, k in partners[:10]]},
                          ensure_ascii=False, indent=2)
    text = render_rows(rows[:top], fmt, ["document", "path", "role", "written_as", "title"], width)
    if fmt == "csv":
        return text
    counts = Counter(r["role"] for r in rows)
    summary = f"{name}: " + ", ".join(f"{k} {counts[k]}" for k in ("lead", "support", "responsible"))
    return f"{summary}\npartners: " + "、".join(f"{n}({k})" for n, k in partners[:8]) + f"\n\n{text}"


def _partners(data: GraphData, mine: list[AssignmentRow], agencies: set[str]) -> Counter[str]:
    others: dict[str, set[str]] = defaultdict(set)
    for a in data.assignments:
        if a.agency not in agencies:
            others[a.task].add(a.name)
    return Counter(n for task in {a.task for a in mine} for n in others[task])
