"""Named fault points, so tests can kill a build at an exact step instead of after a random sleep.

A build calls :func:`checkpoint` at the steps where a crash matters (a document's extraction
written, its graph stored, a temporary file written but not yet renamed, the dumps begun, every new dump
written but none renamed yet).
Nothing happens unless the environment variable ``KG_FAULT_AT`` names that point, optionally
with the hit to stop at (``before-rename#3`` is the third temporary file); then the process
kills itself with SIGKILL, exactly as a power cut or an OOM killer would end it.
"""
from __future__ import annotations

import os
import signal
from collections import Counter

__all__ = ["ENV", "POINTS", "checkpoint"]

ENV = "KG_FAULT_AT"
POINTS = ("extraction-written", "document-stored", "before-rename", "before-dumps", "dumps-written", "prepare:FILE NAME")
_hits: Counter[str] = Counter()


def checkpoint(name: str) -> None:
    """Die here when ``KG_FAULT_AT`` asks for this point (and hit); otherwise return at once.

    >>> checkpoint("before-dumps")  # KG_FAULT_AT is not set: nothing happens
    """
    wanted = os.environ.get(ENV)
    if not wanted:
        return
    point, _, nth = wanted.partition("#")
    if point != name:
        return
    _hits[name] += 1
    if _hits[name] == int(nth or 1):
        os.kill(os.getpid(), signal.SIGKILL)
