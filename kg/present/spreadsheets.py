"""The report tables as files spreadsheet users open: one CSV per table (UTF-8 with a byte-order
mark, so Excel reads the Chinese right) and one ``.xlsx`` workbook with a sheet per table.

Cells keep the keys of the CSV/JSON forms; text that a spreadsheet would run as a formula is
neutralised (:func:`kg.present.reports.safe_cell`). Both files are byte-identical for the same
graph: the workbook carries fixed document dates and fixed zip timestamps.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import asdict
from datetime import datetime
from typing import Any

from kg.analysis.rows import GraphData
from kg.cells import xml_safe
from kg.present.analytics import Analytics
from kg.present.reports import COORDINATION_TABLES, csv_text, flat_cell, safe_cell

__all__ = ["report_tables", "csv_bytes", "workbook_bytes", "BOM"]

BOM = "\ufeff"
_FIXED = datetime(2000, 1, 1)


def report_tables(data: GraphData, analytics: Analytics) -> dict[str, list[dict[str, Any]]]:
    """Every report table by name, in the order of the workbook's sheets, from the ``analytics``
    of ``data`` (computed once per build)."""
    c = analytics.coordination
    tables: dict[str, list[dict[str, Any]]] = {
        "burden": [_flat(asdict(r)) for r in analytics.burden],
        "burden_by_function": [_flat(asdict(r)) for r in analytics.burden_by_function],
        "gaps": [asdict(g) for g in analytics.gaps],
    }
    for name, rows in zip(COORDINATION_TABLES, (c.centrality, c.pairs, c.directed, c.communities, c.hubs)):
        tables[name] = [_flat(r) for r in rows]
    return tables


def _flat(row: dict[str, Any]) -> dict[str, Any]:
    return {k: flat_cell(v) for k, v in row.items()}


def _columns(rows: list[dict[str, Any]]) -> list[str]:
    return list(rows[0]) if rows else []


def csv_bytes(rows: list[dict[str, Any]]) -> bytes:
    """One table as CSV for Excel: UTF-8 with a byte-order mark.

    >>> csv_bytes([{"机构": "市质监局", "n": 3}])[:3] == BOM.encode()
    True
    """
    return (BOM + (csv_text(rows, _columns(rows)) if rows else "")).encode("utf-8")


def workbook_bytes(tables: dict[str, list[dict[str, Any]]]) -> bytes:
    """An .xlsx workbook, one sheet per table with the header in the first row."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in tables.items():
        sheet = book.create_sheet(name[:31])  # Excel's limit for sheet names
        columns = _columns(rows)
        if columns:
            sheet.append([xml_safe(c) for c in columns])
        for row in rows:
            sheet.append([xml_safe(safe_cell(row[c])) for c in columns])
    book.properties.created = book.properties.modified = _FIXED
    buffer = io.BytesIO()
    book.save(buffer)
    return _fixed_zip(buffer.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with fixed timestamps (openpyxl stamps the current time)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            member.compress_type = zipfile.ZIP_DEFLATED
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps "modified" with the time of saving
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2000-01-01T00:00:00Z", content)
            target.writestr(member, content)
    return out.getvalue()
