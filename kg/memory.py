"""Giving freed memory back to the system between the phases of a long run."""
from __future__ import annotations

import ctypes
import functools
import gc
from typing import Callable

__all__ = ["release"]


def release() -> None:
    """Collect garbage, then hand the C heap's free pages back to the system.

    Oxigraph's RocksDB frees its read caches into the C heap when a store is closed, and the
    heap keeps them: Python's own objects live in arenas mapped apart, so they never reuse that
    space, and the pages stay counted against the process (about 90 MB after reading the
    fingerprints of a 1,000-document store) and against every process it forks.
    A no-op where the C library has no ``malloc_trim``.

    >>> release()
    """
    gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.lru_cache(maxsize=1)
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim`` (looked up among the symbols the process has loaded), or None
    (musl, macOS, Windows)."""
    try:
        return getattr(ctypes.CDLL(None), "malloc_trim", None)
    except (OSError, TypeError):
        return None
