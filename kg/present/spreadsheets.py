"""The report tables as files spreadsheet users open: one CSV per table (UTF-8 with a byte-order
mark, so Excel reads the Chinese right) and one ``.xlsx`` workbook with a sheet per table.

Cells keep the keys of the CSV/JSON forms; text that a spreadsheet would run as a formula is
neutralised (:func:`kg.present.reports.safe_cell`). Both files are byte-identical for the same
graph: the workbook carries a fixed creation date, which XlsxWriter also gives the zip's entries.
"""
from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import fields
from datetime import datetime
from typing import Any

from kg.analysis.rows import GraphData
from kg.cells import xml_safe
from kg.present.analytics import Analytics
from kg.made_rows import made_from
from kg.present.reports import COORDINATION_TABLES, csv_text, flat_cell, safe_cell

__all__ = ["report_tables", "csv_bytes", "workbook_bytes", "BOM", "Table"]

Table = Sequence[dict[str, Any]]  # a report table's rows: a list, or rows made when read

BOM = "\ufeff"
_FIXED = datetime(2000, 1, 1)
_CELL_LIMIT = 32767  # characters in one cell of Excel


def report_tables(data: GraphData, analytics: Analytics) -> dict[str, Table]:
    """Every report table by name, in the order of the workbook's sheets, from the ``analytics``
    of ``data`` (computed once per build); each row made when it is read."""
    c = analytics.coordination
    tables: dict[str, Table] = {
        "burden": made_from(analytics.burden, lambda r: _flat(_record(r))),
        "burden_by_function": made_from(analytics.burden_by_function, lambda r: _flat(_record(r))),
        "gaps": made_from(analytics.gaps, _record),
    }
    for name, rows in zip(COORDINATION_TABLES, (c.centrality, c.pairs, c.directed, c.communities, c.hubs)):
        tables[name] = made_from(rows, _flat)
    return tables


def _record(row: Any) -> dict[str, Any]:
    """A dataclass row as a mapping of its fields, values as they are: ``dataclasses.asdict``
    copies every nested value, 4× slower, and the rows are only read (each made twice a build,
    for its CSV file and its sheet).

    >>> from kg.analysis.gaps import Gap
    >>> _record(Gap(*range(len(fields(Gap))))) == {f.name: k for k, f in enumerate(fields(Gap))}
    True
    """
    names = _NAMES.get(type(row)) or _NAMES.setdefault(type(row), tuple(f.name for f in fields(row)))
    return {name: getattr(row, name) for name in names}


_NAMES: dict[type, tuple[str, ...]] = {}  # a row class's field names, in order


def _flat(row: dict[str, Any]) -> dict[str, Any]:
    return {k: flat_cell(v) for k, v in row.items()}


def _columns(rows: Table) -> list[str]:
    return list(rows[0]) if rows else []


def csv_bytes(rows: Table) -> bytes:
    """One table as CSV for Excel: UTF-8 with a byte-order mark.

    >>> csv_bytes([{"机构": "市质监局", "n": 3}])[:3] == BOM.encode()
    True
    """
    return (BOM + (csv_text(rows, _columns(rows)) if rows else "")).encode("utf-8")


def workbook_bytes(tables: dict[str, Table]) -> bytes:
    """An .xlsx workbook, one sheet per table with the header in the first row.

    Written by XlsxWriter row by row (``constant_memory``: a row is on disk once the next one
    starts, so memory does not grow with the corpus), every cell by its type (text is never read
    as a formula or a link); the fixed creation date also fixes the zip timestamps.

    >>> import zipfile
    >>> book = workbook_bytes({"t": [{"name": "=1+1", "n": 2}]})
    >>> book == workbook_bytes({"t": [{"name": "=1+1", "n": 2}]})
    True
    >>> "xl/worksheets/sheet1.xml" in zipfile.ZipFile(io.BytesIO(book)).namelist()
    True
    """
    import xlsxwriter  # lazy: kg --help stays fast

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False, "strings_to_numbers": False})
    book.set_properties({"created": _FIXED})
    for name, rows in tables.items():
        sheet = book.add_worksheet(name[:31])  # Excel's limit for sheet names
        columns = _columns(rows)
        if columns:
            _write_row(sheet, 0, columns)
        for r, row in enumerate(rows, 1):
            _write_row(sheet, r, [safe_cell(row[c]) for c in columns])
    book.close()
    return buffer.getvalue()


def _write_row(sheet: Any, r: int, values: list[Any]) -> None:
    """One row, each cell as its type: numbers and booleans as such, None left empty, anything
    else as text (XML-safe, cut at Excel's limit of 32,767 characters a cell)."""
    for c, value in enumerate(values):
        if isinstance(value, bool):
            sheet.write_boolean(r, c, value)
        elif isinstance(value, (int, float)):
            sheet.write_number(r, c, value)
        elif value is not None:
            sheet.write_string(r, c, xml_safe(str(value))[:_CELL_LIMIT])
