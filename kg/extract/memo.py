"""Answers that depend only on the reference tables and a short piece of text, kept once.

The same agency is named in dozens of clauses of a document and in most documents of a corpus,
and "is this list item an agency?", "which function does this core denote?" are pure functions
of the written text and the tables. They are remembered per set of reference tables (never per
document, so nothing a document says can leak into another's answer), in tables that are
emptied when they grow past a bound, so memory stays constant however large the corpus.
"""
from __future__ import annotations

from typing import Any

from kg.reference import Reference

__all__ = ["memo", "remember", "MEMO_LIMIT"]

MEMO_LIMIT = 50_000  # entries per table; a table past this is emptied (answers are recomputed)

_TABLES: dict[int, tuple[Reference, dict[str, dict[Any, Any]]]] = {}


def memo(reference: Reference, name: str) -> dict[Any, Any]:
    """The memo table ``name`` of ``reference`` (fill it with :func:`remember`, which bounds it).

    Tables are kept with the reference itself, so an id is never reused for other tables while
    its memo lives; at most a few sets of tables are remembered.

    >>> from kg.reference import load_reference
    >>> ref = load_reference()
    >>> table = memo(ref, "example")
    >>> table["甲局"] = True
    >>> memo(ref, "example")["甲局"], memo(ref, "other")
    (True, {})
    """
    held = _TABLES.get(id(reference))
    if held is None or held[0] is not reference:
        if len(_TABLES) >= 8:
            _TABLES.clear()
        held = _TABLES[id(reference)] = (reference, {})
    table = held[1].get(name)
    if table is None:
        table = held[1][name] = {}
    return table


def remember(table: dict[Any, Any], key: Any, value: Any) -> Any:
    """Store ``value`` under ``key`` and return it; a table past the bound is emptied first.

    >>> t: dict[str, int] = {}
    >>> remember(t, "a", 1), t
    (1, {'a': 1})
    """
    if len(table) >= MEMO_LIMIT:
        table.clear()
    table[key] = value
    return value
