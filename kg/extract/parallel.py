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
from concurrent.futures.process import BrokenProcessPool
from typing import Callable, Generator, Iterable, Iterator, TypeVar

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


def ordered_map(fn: Callable[[T], R], items: Iterable[T], jobs: int, window: int = 4,
                on_crash: Callable[[T, BaseException], R] | None = None) -> Iterator[R]:
    """``map(fn, items)`` over ``jobs`` processes (in this process when ``jobs`` is 1 or there is
    one item), in input order, with at most ``jobs * window`` results pending.

    ``fn`` must be a module-level function and must not raise: workers return failures as values.
    A worker that dies (killed, out of memory) stops its pool: the item it was on is run again
    alone, and if that dies too ``on_crash(item, error)`` stands for its result (without
    ``on_crash`` the error is raised); the items after it go to a fresh pool.

    >>> list(ordered_map(abs, [-3, 2, -1], jobs=1))
    [3, 2, 1]
    """
    items = list(items)
    if jobs <= 1 or len(items) <= 1:
        yield from map(fn, items)
        return
    start = 0
    while start < len(items):
        broken = yield from _pool_run(fn, items, start, jobs, window)
        if broken is None:
            return
        yield _alone(fn, items[broken], on_crash)
        start = broken + 1


def _pool_run(fn: Callable[[T], R], items: list[T], start: int, jobs: int,
              window: int) -> Generator[R, None, int | None]:
    """Yield the results of ``items[start:]`` in order; return the index at which a worker died."""
    with ProcessPoolExecutor(max_workers=min(jobs, len(items) - start), initializer=_quiet_worker) as pool:
        pending: deque[tuple[int, Future[R]]] = deque()
        for index in range(start, len(items)):
            pending.append((index, pool.submit(fn, items[index])))
            if len(pending) >= jobs * window:
                index, future = pending.popleft()
                try:
                    yield future.result()
                except BrokenProcessPool:
                    return index
        while pending:
            index, future = pending.popleft()
            try:
                yield future.result()
            except BrokenProcessPool:
                return index
    return None


def _alone(fn: Callable[[T], R], item: T, on_crash: Callable[[T, BaseException], R] | None) -> R:
    """``fn(item)`` in a worker of its own: whether the item itself kills its worker."""
    with ProcessPoolExecutor(max_workers=1, initializer=_quiet_worker) as pool:
        try:
            return pool.submit(fn, item).result()
        except BrokenProcessPool as exc:
            if on_crash is None:
                raise
            return on_crash(item, exc)


def _quiet_worker() -> None:
    """Workers leave Ctrl-C to the parent, which stops the pool, and die with it: a parent killed
    while work is queued would leave them blocked on the queue forever (Linux only)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux
        pass
