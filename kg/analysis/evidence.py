"""Where each assignment comes from: the clause and its offsets in the decoded document text.

Read in one bulk query, apart from :class:`~kg.analysis.rows.GraphData`, because only the graph
page needs it. Text windows around the clauses are cut from the source files when they are at
hand and still hold the text the graph was built from (same SHA-256 of the decoded text).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping

from rdflib import Dataset

from kg.graph import query

__all__ = ["EvidenceRow", "read_evidence", "source_texts"]


@dataclass(frozen=True, slots=True)
class EvidenceRow:
    document: str
    task: str
    role: str
    mention: str
    agency: str
    clause: str
    start: int  # clause offsets in the decoded text (code points, end exclusive)
    end: int
    mention_start: int | None  # None for units carried by a "下同" note
    mention_end: int | None
    sha256: str  # of the decoded text the offsets refer to


def _int(value: object) -> int | None:
    return None if value is None else int(str(value))


def read_evidence(dataset: Dataset) -> tuple[EvidenceRow, ...]:
    """Every assignment's clause, in a stable order."""
    return evidence_rows(query.run(dataset, query.query_text("assignment_evidence")).records())


def read_evidence_store(folder: Path) -> tuple[EvidenceRow, ...]:
    """The same rows read from an export folder's Oxigraph store directly (no rdflib: a bulk read)."""
    from kg.graph.store import open_oxigraph, ox_records

    store = open_oxigraph(folder)
    try:
        return evidence_rows(ox_records(store, query.query_text("assignment_evidence")))
    finally:
        del store


def evidence_rows(rows: list[dict[str, Any]]) -> tuple[EvidenceRow, ...]:
    """Evidence records from the rows of assignment_evidence.rq, deduplicated and sorted."""
    found = {EvidenceRow(r["document"], r["task"], r["role"], r["mention"], r["agency"], r["clause"],
                         int(r["start"]), int(r["end"]), _int(r["mstart"]), _int(r["mend"]), r["sha256"])
             for r in rows}
    return tuple(sorted(found, key=lambda e: (e.document, e.task, e.start, e.role, e.mention, e.agency)))


def source_texts(evidence: tuple[EvidenceRow, ...], sources: Mapping[str, Path],
                 read: Callable[[Path], str] | None = None) -> dict[str, str]:
    """Decoded texts of the documents whose source file is known and unchanged since the build.

    ``read`` turns a path into decoded text (default: the extractor's reader).

    >>> e = EvidenceRow("a.txt", "t", "lead", "x", "X", "x", 0, 1, 0, 1, hashlib.sha256(b"xy").hexdigest())
    >>> source_texts((e,), {"a.txt": Path("a.txt")}, read=lambda p: "xy")
    {'a.txt': 'xy'}
    >>> source_texts((e,), {"a.txt": Path("a.txt")}, read=lambda p: "changed")
    {}
    """
    if read is None:
        from kg.extract.read import read_document

        read = lambda path: read_document(path).text  # noqa: E731
    wanted = {e.document: e.sha256 for e in evidence}
    texts = {}
    for name, digest in sorted(wanted.items()):
        path = sources.get(name)
        if path is None:
            continue
        try:
            text = read(path)
        except Exception:  # noqa: BLE001 - an unreadable source only loses its text view
            continue
        if hashlib.sha256(text.encode("utf-8")).hexdigest() == digest:
            texts[name] = text
    return texts
