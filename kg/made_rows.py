"""Rows made when they are read: a table that every writer reads in full, and none keeps.

The files of a build read their tables more than once (a CSV file and a workbook sheet; the
graph page's rows), each in one pass. Held as lists of dicts, the tables of ten thousand
documents took a gigabyte in the process that made them, and again in each forked writer that
touched them; made per row from the analytics' own records, they take nothing.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Callable, TypeVar, overload

__all__ = ["MadeRows", "made_from"]

S = TypeVar("S")
T = TypeVar("T")


class MadeRows(Sequence[T]):
    """``size`` rows, row ``k`` being ``row(k)``, made anew each time it is read.

    >>> rows = MadeRows(lambda k: [k, k * k], 3)
    >>> len(rows), rows[1], rows[1:], list(rows), rows[-1]
    (3, [1, 1], [[1, 1], [2, 4]], [[0, 0], [1, 1], [2, 4]], [2, 4])
    """

    def __init__(self, row: Callable[[int], T], size: int) -> None:
        self._row, self._size = row, size

    def __len__(self) -> int:
        return self._size

    @overload
    def __getitem__(self, k: int) -> T: ...

    @overload
    def __getitem__(self, k: slice) -> list[T]: ...

    def __getitem__(self, k: int | slice) -> T | list[T]:
        if isinstance(k, slice):
            return [self._row(i) for i in range(*k.indices(self._size))]
        if not -self._size <= k < self._size:
            raise IndexError(k)
        return self._row(k % self._size)


def made_from(source: Sequence[S], make: Callable[[S], T]) -> MadeRows[T]:
    """The rows ``make(item)`` of each item of ``source``, made when read.

    >>> list(made_from(["a", "b"], str.upper))
    ['A', 'B']
    """
    return MadeRows(lambda k: make(source[k]), len(source))
