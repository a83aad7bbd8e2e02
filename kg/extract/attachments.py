"""Office and PDF files as users receive them (attachments of a notice) → decoded text.

The text produced here is what offsets index: tables become ``a | b | c`` rows, one per line,
which :mod:`kg.extract.tables` reads like any other delimited table. Merged cells are expanded
the same way for every format (as for HTML): a vertical merge repeats its text in the rows it
covers (the same unit leads those tasks); a horizontal merge keeps its text in its first column.

Formats nobody can read without converting them first get a one-line error that says how.
"""
from __future__ import annotations

import io
import logging
import re
from pathlib import Path
from typing import Any

from kg.errors import DocumentError
from kg.extract.limits import INFLATE_FACTOR, check_zip, max_bytes

__all__ = ["docx_text", "xlsx_text", "pdf_text", "unreadable", "UNREADABLE"]

_CONVERT = "libreoffice --headless --convert-to"
UNREADABLE = {
    ".doc": ("Word 97-2003 .doc files cannot be read", "docx"),
    ".wps": ("WPS .wps files cannot be read", "docx"),
    ".rtf": ("RTF files cannot be read", "docx"),
    ".xls": ("Excel 97-2003 .xls files cannot be read", "xlsx"),
    ".et": ("WPS .et spreadsheets cannot be read", "xlsx"),
}
_OLE = b"\xd0\xcf\x11\xe0"  # the container of .doc/.xls/.wps: a renamed old file


def unreadable(path: Path) -> DocumentError | None:
    """The error for a format that must be converted first, or None.

    >>> str(unreadable(Path("a/plan.doc")))
    'a/plan.doc: Word 97-2003 .doc files cannot be read (convert it: libreoffice --headless --convert-to docx plan.doc)'
    """
    suffix = path.suffix.lower()
    if suffix == ".ofd":
        return DocumentError(path, "OFD files cannot be read", "print it to PDF from an OFD reader")
    if suffix not in UNREADABLE:
        return None
    problem, target = UNREADABLE[suffix]
    return DocumentError(path, problem, f"convert it: {_CONVERT} {target} {path.name}")


def _renamed_old_file(data: bytes, path: Path, target: str) -> None:
    if data[:4] == _OLE:
        raise DocumentError(path, f"an old binary Office file named {path.suffix}",
                            f"convert it: {_CONVERT} {target} {path.name}")


def _one_line(text: str) -> str:
    """A cell's text on one line: CJK wrapped inside a cell joins without a space.

    >>> _one_line("市发展改革\\n委、市财政局\\n(牵头)"), _one_line("5G\\nnetwork")
    ('市发展改革委、市财政局(牵头)', '5G network')
    """
    text = re.sub(r"(?<=[^\x00-\x7f])[ \t]*\n\s*|[ \t]*\n\s*(?=[^\x00-\x7f])", "", text.strip())
    return " ".join(text.split())


def _rows(grid: list[list[str]]) -> str:
    """Rows as ``a | b`` lines; rows before the first row of several cells (titles) as plain text."""
    out, started = [], False
    for row in grid:
        cells = [_one_line(c) for c in row]
        filled = [c for c in cells if c]
        if not filled:
            continue
        started = started or len(filled) > 1
        out.append(" | ".join(cells) if started else filled[0])
    return "\n".join(out)


def docx_text(data: bytes, path: Path) -> str:
    """Paragraphs and tables of a .docx file in document order."""
    import docx

    _renamed_old_file(data, path, "docx")
    check_zip(data, path, max_bytes() * INFLATE_FACTOR)  # a small file may inflate without bound
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:
        raise DocumentError(path, "not a readable .docx file", "re-save it from Word") from None
    lines: list[str] = []
    for block in document.iter_inner_content():
        if hasattr(block, "rows"):
            lines.extend(" | ".join(_docx_cells(row)) for row in block.rows)
        else:
            lines.append(block.text)
    return "\n".join(lines)


def _docx_cells(row: Any) -> list[str]:
    """A Word table row's cell texts; a horizontally merged cell (python-docx repeats it per grid
    column) keeps its text in its first column only; a vertical merge repeats (python-docx
    gives the merged cell's text in every row it covers)."""
    texts, previous = [], None
    for cell in row.cells:
        texts.append("" if cell._tc is previous else _one_line(cell.text))
        previous = cell._tc
    return texts


def xlsx_text(data: bytes, path: Path) -> str:
    """Every sheet of an .xlsx workbook as rows, merged cells expanded."""
    import openpyxl

    _renamed_old_file(data, path, "xlsx")
    check_zip(data, path, max_bytes() * INFLATE_FACTOR)  # a small file may inflate without bound
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception:
        raise DocumentError(path, "not a readable .xlsx file", "re-save it from Excel or WPS") from None
    sheets = [_rows(_sheet_grid(sheet)) for sheet in book.worksheets]
    text = "\n\n".join(s for s in sheets if s)
    if not text.strip():
        raise DocumentError(path, "the workbook has no text", "check that it is the right file")
    return text


def _sheet_grid(sheet: Any) -> list[list[str]]:
    grid = [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    for merged in sheet.merged_cells.ranges:
        top, left = merged.min_row - 1, merged.min_col - 1
        value = grid[top][left] if top < len(grid) and left < len(grid[top]) else ""
        for r in range(top, min(merged.max_row, len(grid))):
            for c in range(left, min(merged.max_col, len(grid[r]))):
                grid[r][c] = value if c == left else ""
    return grid


def _cell_text(value: object) -> str:
    """A worksheet value as written: whole numbers without ".0", dates as yyyy-mm-dd.

    >>> _cell_text(3.0), _cell_text(None), _cell_text(2.5)
    ('3', '', '2.5')
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]  # type: ignore[no-any-return]
    return str(value)


def pdf_text(data: bytes, path: Path) -> str:
    """The text layer of a PDF, page by page, with its ruled tables read as tables."""
    import pdfplumber

    for name in ("pdfminer", "pdfplumber"):
        logging.getLogger(name).setLevel(logging.ERROR)  # their warnings would break one-line errors
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = [_page_text(page) for page in pdf.pages]
    except Exception:
        raise DocumentError(path, "not a readable PDF", "re-export it, or convert it to .docx") from None
    text = "\n".join(pages)
    if not text.strip():
        raise DocumentError(path, "PDF has no text layer (a scan?)", "run OCR on it first: ocrmypdf IN.pdf OUT.pdf")
    return text


def _page_text(page: Any) -> str:
    """Lines outside tables and each table's rows, in reading order (top to bottom)."""
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]
    blocks: list[tuple[float, str]] = [(t.bbox[1], _rows(_pdf_grid(t))) for t in tables]
    for line in page.extract_text_lines(strip=True):
        middle = ((line["x0"] + line["x1"]) / 2, (line["top"] + line["bottom"]) / 2)
        if not any(x0 <= middle[0] <= x1 and top <= middle[1] <= bottom for x0, top, x1, bottom in boxes):
            blocks.append((line["top"], line["text"]))
    return "\n".join(text for _, text in sorted(blocks, key=lambda b: b[0]) if text)


def _pdf_grid(table: Any) -> list[list[str]]:
    """A ruled table's cells; pdfplumber gives None where a merged cell covers the position:
    below the merge's first row that is a vertical merge (repeat its text), else horizontal."""
    grid: list[list[str]] = []
    for i, row in enumerate(table.extract()):
        cells = []
        for j, value in enumerate(row):
            covered = value is None and i > 0 and j < len(grid[i - 1]) and _starts_above(table, i, j)
            cells.append(grid[i - 1][j] if covered else (value or ""))
        grid.append(cells)
    return grid


def _starts_above(table: Any, i: int, j: int) -> bool:
    """Whether position (i, j) is covered by a cell that starts in an earlier row, same column."""
    top = table.rows[i].bbox[1]
    x0, x1 = table.columns[j].bbox[0], table.columns[j].bbox[2]
    middle_y = (top + table.rows[i].bbox[3]) / 2
    return any(c[1] < top - 1 and abs(c[0] - x0) < 1 and c[1] <= middle_y <= c[3] and c[2] >= x1 - 1
               for c in table.cells)
