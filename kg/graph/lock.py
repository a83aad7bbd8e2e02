"""One writer per export folder: a build holds an exclusive lock, and clears what killed builds left.

The lock is an ``flock`` on ``DIR/.kg-build.lock``; the kernel releases it when the process
dies, so a killed build never leaves a stale lock behind. A second build asking for the lock
gets a one-line error at once instead of a RocksDB lock traceback. Readers take no lock: the
store and every export file are replaced atomically, so they always see a whole version.
"""
from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path
from typing import Iterator

from kg.errors import DocumentError

__all__ = ["build_lock", "remove_leftovers"]

LOCK_NAME = ".kg-build.lock"


@contextlib.contextmanager
def build_lock(out: Path) -> Iterator[None]:
    """Hold the export folder's write lock for the ``with`` block, or fail in one line.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder, build_lock(Path(folder)):
    ...     pass
    """
    out.mkdir(parents=True, exist_ok=True)
    fd = os.open(out / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DocumentError(out, "another build is writing this export folder",
                                "wait for it to finish, or build into another --out") from None
        remove_leftovers(out)
        yield
    finally:
        os.close(fd)


def remove_leftovers(out: Path) -> list[Path]:
    """Delete the temporary files (``.NAME.*.tmp``) that a killed writer left; return them.

    Only called under the lock, so no live writer owns them.
    """
    cache = out / ".kg-cache"  # and every cache folder in it (rows, …), not a list kept by hand
    caches = [cache, *(d for d in cache.iterdir() if d.is_dir())] if cache.is_dir() else []
    found = [p for folder in (out, out / "extractions", *caches) if folder.is_dir()
             for p in folder.glob(".*.tmp") if p.is_file()]
    for path in found:
        path.unlink(missing_ok=True)
    return found
