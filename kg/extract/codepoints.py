"""Whole texts as arrays of code points: folding and sampling at C speed.

``str.translate`` and a regex that deletes characters both make a Python-level step per character;
a text of a few megabytes is folded, sampled and compared here as one numpy look-up over its code
points instead (a megabyte at a time, so memory stays a few times that). Results are exactly those
of the string methods they replace (tests/test_speed_equivalence.py).
"""
from __future__ import annotations

from typing import Any

__all__ = ["han_sample", "any_within", "differences", "codepoints", "translate", "lookup_table", "CHUNK"]

SHORT = 2000  # below this, str.translate is the quicker
CHUNK = 1 << 20  # characters converted at a time


def han_sample(text: str) -> str:
    """The first 20,000 characters of U+4E00–U+9FFF within the first 200,000 of ``text``, in order
    (selected in numpy: a regex removing everything else costs more than the conversion).

    >>> han_sample("一、加强(A)监管。")
    '一加强监管'
    """
    points = codepoints(text[:200_000])
    han = points[(points >= 0x4E00) & (points <= 0x9FFF)][:20_000]
    return str(han.tobytes().decode("utf-32-le"))


def any_within(text: str, ranges: tuple[tuple[int, int], ...]) -> bool:
    """Whether some character of ``text`` lies in one of the inclusive code point ``ranges``
    (all below U+10000), a megabyte at a time: a regex character class over a long text of
    Chinese tests each character in turn, numpy tests them all at once.

    >>> any_within("一、任务。Р二", ((0x400, 0x4FF),)), any_within("一、任务", ((0x400, 0x4FF),))
    (True, False)
    """
    top = max(b for _, b in ranges)
    for i in range(0, len(text), CHUNK):
        points = codepoints(text[i:i + CHUNK])
        low = points[points <= top]  # few of a Chinese text's characters: the ranges are tested on these
        if any(((low >= a) & (low <= b)).any() for a, b in ranges):
            return True
    return False


def differences(a: str, b: str) -> int:
    """How many positions of the common length differ (``sum(map(operator.ne, a, b))``, in C).

    >>> differences("质量监督", "質量監督"), differences("甲乙", "甲乙丙")
    (2, 0)
    """
    if a == b:
        return 0
    import numpy

    n = min(len(a), len(b))
    return int(numpy.count_nonzero(codepoints(a[:n]) != codepoints(b[:n])))


def codepoints(text: str) -> Any:
    """The code points of ``text`` as a numpy array (one uint32 each)."""
    import numpy

    return numpy.frombuffer(text.encode("utf-32-le"), dtype=numpy.uint32)


def translate(text: str, table: dict[int, int | str | None], lookup: Any) -> str:
    """``text.translate(table)`` for a table of one character to one character, done as one
    numpy look-up over the code points (str.translate makes a Python call per character; for
    a short text, a name or a title, it is still the quicker)."""
    if len(text) < SHORT:
        return text.translate(table)
    if lookup is None:
        lookup = lookup_table(table)
        if lookup is None:
            return text.translate(table)
    if len(text) > CHUNK:  # four bytes per character at a time: a long text goes by pieces
        return "".join(translate(text[i:i + CHUNK], table, lookup) for i in range(0, len(text), CHUNK))
    points = codepoints(text)
    if not len(points):
        return text
    if int(points.max()) < len(lookup):
        return str(lookup[points].tobytes().decode("utf-32-le"))
    folded = points.copy()  # characters beyond the Basic Multilingual Plane are never folded
    basic = points < len(lookup)
    folded[basic] = lookup[points[basic]]
    return str(folded.tobytes().decode("utf-32-le"))




def lookup_table(table: dict[int, int | str | None]) -> Any:
    """A code point → code point array for the Basic Multilingual Plane, or None when the table
    maps outside it or to anything but one character (then str.translate does it)."""
    import numpy

    lookup = numpy.arange(0x10000, dtype=numpy.uint32)
    for key, value in table.items():
        point = ord(value) if isinstance(value, str) and len(value) == 1 else value
        if key >= 0x10000 or not isinstance(point, int):
            return None
        lookup[key] = point
    return lookup
