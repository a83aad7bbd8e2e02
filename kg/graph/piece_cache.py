"""The cache of dump pieces (:mod:`kg.graph.dumps`): one SQLite file in ``DIR/.kg-cache``, a row
per graph under the content key its pieces were made from, each piece zlib-compressed."""
from __future__ import annotations

import contextlib
import shutil
import sqlite3
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from kg.graph.dumps import _PIECE_FIELDS, _COLUMNS, Pieces

__all__ = ["DumpCache", "Packed", "pack", "unpack"]

_TABLE = "pieces_v3"
_OLD_TABLES = ("pieces", "pieces_v2")  # the layouts before: one JSON text a piece, then plain text columns


@dataclass(frozen=True)
class Packed:
    """A graph's pieces as the cache keeps them: each piece zlib-compressed (the fastest level).

    The pieces repeat the same IRIs line after line and shrink about twentyfold, so the cache
    writes, and a build's workers send, a twentieth of the bytes; packing is done where the
    pieces are made (in the workers), unpacking costs a few milliseconds a megabyte.

    >>> made = Pieces("k", "a", "b", "c", "", "d")
    >>> unpack(pack(made)) == made
    True
    """

    key: str
    blobs: tuple[bytes, ...]  # the pieces after the key, in the order of Pieces


def pack(made: Pieces) -> Packed:
    return Packed(made.key, tuple(zlib.compress(getattr(made, name).encode("utf-8"), 1) for name in _PIECE_FIELDS[1:]))


def unpack(packed: Packed) -> Pieces:
    return Pieces(packed.key, *(zlib.decompress(blob).decode("utf-8") for blob in packed.blobs))



class DumpCache:
    """Dump pieces kept between builds in one SQLite file, a row per graph with the content key it
    was made from: a piece is found only for that content, so a store changed behind the cache's
    back is never dumped stale.

    It is only a cache: any failure to read or write it (a damaged file, a full disk) costs the
    pieces being made again from the store, never a build. One file, not one per graph, because a
    thousand-document build has tens of thousands of graphs.
    """

    def __init__(self, out: Path) -> None:
        self.path = out / ".kg-cache" / "dumps.sqlite"
        self._db: sqlite3.Connection | None = None

    def _connect(self) -> sqlite3.Connection:
        if self._db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            shutil.rmtree(self.path.parent / "dumps", ignore_errors=True)  # the one-file-a-piece layout before
            try:
                self._db = self._open()
            except sqlite3.DatabaseError:  # damaged: start afresh
                self.path.unlink(missing_ok=True)
                self._db = self._open()
        return self._db

    def _open(self) -> sqlite3.Connection:
        # a build writes from its storing thread, one thread at a time
        db = sqlite3.connect(self.path, isolation_level=None, timeout=30, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=OFF")  # a cache: a lost row is made again
        columns = ", ".join(f'"{name}" BLOB NOT NULL' for name in _PIECE_FIELDS[1:])
        db.execute(f"CREATE TABLE IF NOT EXISTS {_TABLE} (graph TEXT PRIMARY KEY, key TEXT NOT NULL, {columns})")
        for old in _OLD_TABLES:
            db.execute(f"DROP TABLE IF EXISTS {old}")
        return db

    def get(self, graph: str, key: str) -> Pieces | None:
        try:
            row = self._connect().execute(f"SELECT {_COLUMNS} FROM {_TABLE} WHERE graph = ? AND key = ?",
                                          (graph, key)).fetchone()
            return unpack(Packed(row[0], tuple(row[1:]))) if row else None
        except (sqlite3.Error, OSError, TypeError, zlib.error, UnicodeDecodeError):
            return None

    def scan(self, names: tuple[str, ...], start: str = "") -> Iterator[tuple[str, str, tuple[bytes, ...]]]:
        """(graph, key, its pieces ``names`` still packed) from graph ``start`` on, in graph order, read
        through a connection of its own (rows put meanwhile are not seen); a damaged file ends early."""
        columns = ", ".join(f'"{name}"' for name in names if name in _PIECE_FIELDS[1:])
        with contextlib.suppress(sqlite3.Error, OSError, ValueError):
            db = sqlite3.connect(self.path.resolve().as_uri() + "?mode=ro", uri=True)
            try:
                for graph, key, *blobs in db.execute(f"SELECT graph, key, {columns} FROM {_TABLE} WHERE graph >= ? "
                                                     "ORDER BY graph", (start,)):
                    yield graph, key, tuple(blobs)
            finally:
                db.close()

    def keys(self) -> dict[str, str]:
        """Every graph the cache holds pieces of, with the content key they were made from (empty
        when the file cannot be read)."""
        with contextlib.suppress(sqlite3.Error, OSError):
            return dict(self._connect().execute(f"SELECT graph, key FROM {_TABLE}").fetchall())
        return {}

    def put(self, graph: str, made: Pieces | Packed) -> None:
        self.put_many([(graph, made)])

    def put_many(self, rows: list[tuple[str, Pieces | Packed]]) -> None:
        """Keep the pieces of several graphs, in one transaction: a commit a graph costs more than
        writing the pieces themselves."""
        if not rows:
            return
        packed = [(graph, made if isinstance(made, Packed) else pack(made)) for graph, made in rows]
        with contextlib.suppress(sqlite3.Error, OSError):
            db = self._connect()
            try:
                db.execute("BEGIN")
                db.executemany(f"INSERT OR REPLACE INTO {_TABLE} VALUES (?{', ?' * len(_PIECE_FIELDS)})",
                               [(graph, made.key, *made.blobs) for graph, made in packed])
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.rollback()
                raise

    def prune(self, current: dict[str, str]) -> None:
        """Delete the pieces of graphs and contents no longer in the store."""
        with contextlib.suppress(sqlite3.Error, OSError):
            db = self._connect()
            stale = [(g,) for g, k in db.execute(f"SELECT graph, key FROM {_TABLE}") if current.get(g) != k]
            db.executemany(f"DELETE FROM {_TABLE} WHERE graph = ?", stale)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
