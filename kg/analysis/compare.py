"""How the load shifts: weighted burden per function (or agency) side by side across documents,
years or jurisdiction levels, with the change from the first column to the last.

The figure in every cell is the burden of :mod:`kg.analysis.burden` (same weights, same sharing
rules), restricted to the column's tasks, so a comparison adds up to the burden table.
``successor=True`` rolls pre-reform bodies up to the bodies that hold their function today
(质监 + 工商 + 食药监 → 市场监督管理) by the lineage table; without it an old body stays itself.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from kg.analysis.burden import Weights, credits
from kg.analysis.function_names import function_name, heir_key
from kg.analysis.rows import DocumentRow, GraphData
from kg.reference import Reference

__all__ = ["ACROSS", "BY", "Comparison", "compare", "heir_key", "function_name", "document_label"]

ACROSS = ("document", "year", "level")
BY = ("function", "agency")
_LEVEL_ORDER = {"national": 0, "province": 1, "city": 2, "district": 3, "county": 4, "": 5}


@dataclass(frozen=True)
class Comparison:
    across: str
    columns: tuple[str, ...]  # column labels, in order (documents by year, years, levels)
    rows: list[dict[str, object]] = field(default_factory=list)  # key, name, one cell per column, change, total


def document_label(doc: DocumentRow) -> str:
    """A document by its title and year, never by its file name.

    >>> document_label(DocumentRow("a.txt", "关于印发某市质量工作要点的通知", "", "2016-03-01", "某市", "city"))
    '关于印发某市质量工作要点的通知 (2016)'
    """
    if not doc.title or doc.title == doc.document:
        return doc.document  # an untitled document: its file name is the one name that tells it apart
    return f"{doc.title} ({doc.date[:4]})" if doc.date else doc.title


def _column_of(data: GraphData, across: str) -> tuple[dict[str, str], tuple[str, ...]]:
    """document file name → column label, and the column order."""
    docs = sorted(data.documents, key=lambda d: (d.date or "9999", document_label(d), d.document))
    if across == "document":
        labels = {d.document: document_label(d) for d in docs}
        seen: dict[str, int] = defaultdict(int)
        for d in docs:  # two documents of one title and year stay two columns
            seen[labels[d.document]] += 1
            if seen[labels[d.document]] > 1:
                labels[d.document] += f" #{seen[labels[d.document]]}"
        return labels, tuple(dict.fromkeys(labels[d.document] for d in docs))
    if across == "year":
        labels = {d.document: d.date[:4] if d.date else "年份不详" for d in docs}
        return labels, tuple(sorted(set(labels.values())))
    labels = {d.document: d.level or "unknown" for d in docs}
    return labels, tuple(sorted(set(labels.values()), key=lambda v: (_LEVEL_ORDER.get(v, 5), v)))


def _keys(data: GraphData, by: str, successor: bool, reference: Reference) -> dict[str, tuple[str, str]]:
    """agency IRI → (row key, row name)."""
    from kg.extract.labels import agency_label
    from kg.graph.vocab import agency_iri

    out: dict[str, tuple[str, str]] = {}
    for a in {a.agency: a for a in data.assignments}.values():  # each agency once, its last row as before
        function = heir_key(a.function, reference) if successor else a.function
        plain = a.agency == str(agency_iri(a.jurisdiction, a.function))  # not a collective, merged or named body
        if by == "function":
            out[a.agency] = (function, function_name(function, reference))
        elif successor and plain and function in reference.functions:
            heir = str(agency_iri(a.jurisdiction, function))  # the city's 市场监管局 whether written so or rolled up
            out[a.agency] = (heir, agency_label(reference.functions[function], a.jurisdiction))
        else:
            out[a.agency] = (a.agency, a.name)
    return out


def compare(data: GraphData, across: str = "year", by: str = "function", successor: bool = False,
            weights: Weights = Weights(), *, reference: Reference) -> Comparison:
    """Burden per row key and column, heaviest rows first (ties by name)."""
    if across not in ACROSS or by not in BY:
        raise ValueError(f"compare across {'|'.join(ACROSS)} by {'|'.join(BY)}")
    column_of, columns = _column_of(data, across)
    document_of = {a.task: a.document for a in data.assignments}
    keys = _keys(data, by, successor, reference)
    cells: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for (agency, task), credit in credits(data.assignments, weights).items():
        cells[keys[agency][0]][column_of[document_of[task]]] += credit
    used = {column for by_column in cells.values() for column, v in by_column.items() if v}
    columns = tuple(c for c in columns if c in used) or columns[:1]  # a document without assignments adds nothing
    names = {key: name for key, name in keys.values()}
    rows: list[tuple[tuple[float, str, str], dict[str, object]]] = []  # (sort key, row)
    for key, by_column in cells.items():
        row: dict[str, object] = {"key": key, "name": names[key]}
        row.update({c: round(by_column.get(c, 0.0), 3) for c in columns})
        row["change"] = round(by_column.get(columns[-1], 0.0) - by_column.get(columns[0], 0.0), 3)
        row["total"] = total = round(sum(by_column.values()), 3)
        rows.append(((-total, names[key], key), row))
    return Comparison(across, columns, [row for _, row in sorted(rows, key=lambda kr: kr[0])])  # heaviest first
