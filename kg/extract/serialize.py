"""An extraction as rows (CSV, terminal table) and as a JSON document.

Rows are sorted by document order and written with fixed column order, so the same inputs
give byte-identical output.
"""
from __future__ import annotations

import csv
import io
import json
from typing import Any, Iterable, Iterator

from kg.model import Agency, DocumentExtraction
from kg.cells import spreadsheet_safe

__all__ = ["CSV_COLUMNS", "assignment_rows", "to_csv", "to_json", "to_table", "extraction_dict"]

CSV_COLUMNS = ["document", "path", "title", "role", "mention", "agency", "function", "start", "end", "inferred"]


def assignment_rows(doc: DocumentExtraction) -> list[dict[str, Any]]:
    """One row per (task, role, mention), in document order."""
    return list(_rows(doc))


def _rows(doc: DocumentExtraction) -> Iterator[dict[str, Any]]:
    """The rows one at a time (a long document's rows are never all held as dicts)."""
    for values in _values(doc):
        yield dict(zip(CSV_COLUMNS, values))


def _values(doc: DocumentExtraction) -> Iterator[list[Any]]:
    """Each row's values in the order of ``CSV_COLUMNS``."""
    tasks = {t.key: t for t in doc.tasks}
    name = doc.source.name
    for a in doc.assignments:
        task, mention, agency = tasks.get(a.task), a.mention, a.agency
        yield [name, (task.path or "") if task else "", task.title if task else "", mention.role.value, mention.text,
               agency.name, agency.function, a.clause.start, a.clause.end, "true" if mention.inferred else "false"]


def to_csv(docs: Iterable[DocumentExtraction]) -> str:
    """CSV text with a header, ``\\n`` line ends. Rows go to the writer as lists in column order
    (a dict per row, checked against the columns by ``csv.DictWriter``, cost a sixth as much as
    extracting them)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for doc in docs:
        writer.writerows([spreadsheet_safe(v) for v in row] for row in _values(doc))
    return out.getvalue()


def to_table(docs: Iterable[DocumentExtraction]) -> str:
    """An aligned terminal table that fits the terminal (wide characters count double; paths
    stay text, so 3.10 is not 3.1)."""
    from kg.console import render_table

    rows = [[r["document"], r["path"], r["role"], r["mention"], r["agency"], r["function"]]
            for doc in docs for r in assignment_rows(doc)]
    return render_table(["document", "path", "role", "mention", "agency", "function"], rows)


def extraction_dict(doc: DocumentExtraction) -> dict[str, Any]:
    """The full structure of one document: metadata, task tree, clauses, assignments, groups."""
    meta = doc.metadata
    clauses_of: dict[int, list[int]] = {}
    for k, c in enumerate(doc.clauses):
        clauses_of.setdefault(c.task if c.task is not None else -1, []).append(k)
    return {
        "document": doc.source.name, "encoding": doc.source.encoding, "script": doc.source.script,
        "sha256": doc.source.sha256, "title": meta.title, "issuer": meta.issuer, "doc_number": meta.doc_number,
        "date": meta.date, "jurisdiction": meta.jurisdiction, "level": meta.level,
        "tasks": [{
            "key": t.key, "path": t.path, "marker": t.marker, "origin": t.origin, "title": t.title, "section": t.section,
            "parent": t.parent, "leaf": t.is_leaf, "start": t.start, "end": t.end,
            "domains": list(doc.domains.get(t.key, ())), "clauses": clauses_of.get(t.key, []),
            **_evidence(doc, t.key),
        } for t in doc.tasks],
        "clauses": [{
            "task": c.task, "kind": c.kind, "start": c.start, "end": c.end, "text": c.text, "notes": list(c.notes),
            "mentions": [{"text": m.text, "role": m.role.value, "start": m.start, "end": m.end,
                          "elided_prefix": m.elided_prefix, "inferred": m.inferred} for m in c.mentions],
        } for c in doc.clauses],
        "assignments": [{
            "task": a.task, "role": a.mention.role.value, "mention": a.mention.text, "agency": a.agency.name,
            "function": a.agency.function, "jurisdiction": a.agency.jurisdiction, "resolved": a.agency.resolved,
            "collective": a.agency.collective, "inferred": a.mention.inferred,
            "clause_start": a.clause.start, "clause_end": a.clause.end,
        } for a in doc.assignments],
        "groups": [{"name": g.name, "members": list(g.members), "office_host": g.office_host,
                    "evidence": g.evidence, "start": g.start, "end": g.end,
                    "member_agencies": [_agency(a) for a in g.member_agencies],
                    "host_agency": _agency(g.host_agency) if g.host_agency else None} for g in doc.groups],
        "issuer_agency": _agency(doc.issuer_agency) if doc.issuer_agency else None,
        "unresolved": sorted({a.mention.text for a in doc.unresolved}),
    }


def _agency(agency: Agency) -> dict[str, object]:
    return {"name": agency.name, "function": agency.function, "jurisdiction": agency.jurisdiction,
            "resolved": agency.resolved}


def _evidence(doc: DocumentExtraction, key: int) -> dict[str, Any]:
    """Which evidence decided a task's domains (text, agency, heading, title, none) and its cues."""
    found = doc.domain_evidence.get(key)
    return {"domain_basis": found.basis if found else "none", "domain_cues": list(found.cues) if found else []}


def to_json(docs: Iterable[DocumentExtraction]) -> str:
    """A JSON list of :func:`extraction_dict` objects."""
    return json.dumps([extraction_dict(d) for d in docs], ensure_ascii=False, indent=2, sort_keys=False) + "\n"
