"""Text cells bound for spreadsheets: never run as formulas.

A spreadsheet program runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula
(and some also after a leading tab or carriage return), so text taken from documents, such as
an agency name or a task title, could run code on the reader's machine when a CSV export is
opened. Such text gets a leading ``'``, which spreadsheets show as a plain-text marker.
"""
from __future__ import annotations

from typing import Any

__all__ = ["spreadsheet_safe", "FORMULA_START"]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """The value with formula-like text neutralised; numbers and other text unchanged.

    >>> spreadsheet_safe("=HYPERLINK(1)"), spreadsheet_safe("@x"), spreadsheet_safe(-2), spreadsheet_safe("市质监局")
    ("'=HYPERLINK(1)", "'@x", -2, '市质监局')
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
