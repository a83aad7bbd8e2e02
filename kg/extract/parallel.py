"""Run one function over many inputs in worker processes, results in input order.

Extraction is pure CPU work per document, so every core can take documents. Results come back
in the order of the inputs whatever order the workers finish in, so a parallel run writes
exactly what a serial run writes. At most a few results per worker wait in memory: the next
inputs are only handed out as results are taken, so a slow consumer (the store) bounds memory.
"""
from __future__ import annotations

import os
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Callable, Iterable, Iterator, TypeVar

__all__ = ["ordered_map", "default_jobs"]

T = TypeVar("T")
R = TypeVar("R")


def default_jobs() -> int:
    """All the cores this process may use.

    >>> default_jobs() >= 1
    True
    """
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def ordered_map(fn: Callable[[T], R], items: Iterable[T], jobs: int, window: int = 4) -> Iterator[R]:
    """``map(fn, items)`` over ``jobs`` processes (in this process when ``jobs`` is 1 or there is
    one item), in input order, with at most ``jobs * window`` results pending.

    ``fn`` must be a module-level function and must not raise: workers return failures as values.

    >>> list(ordered_map(abs, [-3, 2, -1], jobs=1))
    [3, 2, 1]
    """
    items = list(items)
    if jobs <= 1 or len(items) <= 1:
        yield from map(fn, items)
        return
    with ProcessPoolExecutor(max_workers=min(jobs, len(items)), initializer=_quiet_worker) as pool:
        pending: deque[Future[R]] = deque()
        source = iter(items)
        for item in source:
            pending.append(pool.submit(fn, item))
            if len(pending) >= jobs * window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _quiet_worker() -> None:
    """Workers leave Ctrl-C to the parent, which stops the pool."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
