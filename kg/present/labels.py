"""Readable names for tables people read: Chinese labels of functions and domains, documents by
short title and year, collectives marked. CSV and JSON keep the keys; only tables use these.
"""
from __future__ import annotations

import re

from kg.analysis.rows import DocumentRow, GraphData
from kg.reference import UNCLASSIFIED, Reference

__all__ = ["function_label", "domain_label", "domain_labels", "document_label", "document_labels", "COLLECTIVE_MARK",
           "without_collectives", "percent"]

COLLECTIVE_MARK = "* "  # before a collective's name; the table's footnote explains it
_WRAPPER = re.compile(r"^(?:关于)?(?:印发|转发|发布)?(.+?)(?:的通知|的意见|的决定)?$")


def function_label(key: str, reference: Reference) -> str:
    """Chinese label of a function key (or a collective's); merged keys joined with "+"; unknown
    keys as they are.

    >>> from kg.reference import load_reference
    >>> r = load_reference()
    >>> function_label("development_reform", r), function_label("no_such_key", r)
    ('发展和改革委员会', 'no_such_key')
    """
    return "+".join(_one_function(part, reference) for part in key.split("+")) if key else ""


def _one_function(key: str, reference: Reference) -> str:
    collective = next((c.label_zh for c in reference.collectives if f"collective:{c.key}" == key), None)
    if collective is not None:
        return collective
    function = reference.functions.get(key)
    return function.label_zh if function else key


def domain_labels(reference: Reference) -> dict[str, str]:
    """Domain key → Chinese label, ``unclassified`` included."""
    return {d.key: d.label_zh for d in reference.domains} | {UNCLASSIFIED: "未分类"}


def domain_label(key: str, reference: Reference) -> str:
    """Chinese label of a policy domain key (the key itself when unknown)."""
    if key == UNCLASSIFIED:
        return "未分类"
    return next((d.label_zh for d in reference.domains if d.key == key), key)


def document_label(document: DocumentRow) -> str:
    """Short title and year: the name inside 《》 or the title without its 关于印发…的通知 wrapper.

    >>> document_label(DocumentRow("a.txt", "关于印发《某市质量提升行动计划》的通知", "", "2017-03-01", "", ""))
    '某市质量提升行动计划 (2017)'
    >>> document_label(DocumentRow("b.txt", "", "", "", "", ""))
    'b.txt'
    """
    title = document.title.strip()
    quoted = re.search(r"《([^》]+)》", title)
    short = quoted.group(1) if quoted else _WRAPPER.sub(r"\1", title)
    year = document.date[:4] if document.date[:4].isdigit() else ""
    if not short:
        return document.document
    return f"{short} ({year})" if year else short


def document_labels(data: GraphData) -> dict[str, str]:
    """File name → short label; two documents with one label keep their file names apart."""
    labels = {d.document: document_label(d) for d in data.documents}
    taken: dict[str, int] = {}
    for label in labels.values():
        taken[label] = taken.get(label, 0) + 1
    return {doc: label if taken[label] == 1 else f"{label} [{doc}]" for doc, label in labels.items()}


def without_collectives(data: GraphData) -> GraphData:
    """The same data without assignments to collectives (各乡镇, …成员单位)."""
    return GraphData(data.documents, data.tasks, tuple(a for a in data.assignments if not a.collective),
                     data.groups)


def percent(share: float) -> str:
    """A share as a percentage for tables.

    >>> percent(0.1237), percent(0.0004)
    ('12.4%', '0.0%')
    """
    return f"{100 * share:.1f}%"
