"""Text cells bound for spreadsheets: never run as formulas.

A spreadsheet program runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula
(and some also after a leading tab or carriage return), so text taken from documents, such as
an agency name or a task title, could run code on the reader's machine when a CSV export is
opened. Such text gets a leading ``'``, which spreadsheets show as a plain-text marker.
"""
from __future__ import annotations

import re
from typing import Any

__all__ = ["spreadsheet_safe", "xml_safe", "FORMULA_START"]

# What XML 1.0 cannot carry: C0 controls but tab and newlines, surrogates, U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """The value with formula-like text neutralised; numbers and other text unchanged.

    >>> spreadsheet_safe("=HYPERLINK(1)"), spreadsheet_safe("@x"), spreadsheet_safe(-2), spreadsheet_safe("市质监局")
    ("'=HYPERLINK(1)", "'@x", -2, '市质监局')
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def xml_safe(value: Any) -> Any:
    r"""The value with the characters XML cannot carry (file names and documents may hold them)
    written as ``\xNN`` or ``\uNNNN``, so that one odd document cannot stop an .xlsx or GraphML file.

    >>> xml_safe("a\x01b\ufffe.txt"), xml_safe(3)
    ('a\\x01b\\ufffe.txt', 3)
    """
    if isinstance(value, str) and _NOT_XML.search(value):  # most text has none: no substitution to set up
        return _NOT_XML.sub(lambda m: m.group().encode("unicode_escape", "backslashreplace").decode(), value)
    return value
