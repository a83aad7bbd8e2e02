"""Where each graph's piece lies in a written dump, so that the next write can copy the graphs
that did not change straight out of the old file (:mod:`kg.graph.splice`).

One index a dump, ``DIR/.kg-cache/splice/<dump>.idx``, written just after the dump was renamed
into place and deleted just before a new one is begun: an index therefore never describes a
file other than the one it was written for, even when a write is killed half-way. It also
records the dump's size, inode and change times, so a dump edited, truncated or replaced by
hand since then no longer matches it; and the version of everything that shapes the pieces
(code, reference tables, Oxigraph), so a new version writes afresh. Whatever does not match
means a full write, never a wrong dump.

The file is bytes: a magic line, a JSON line (version, format, the dump's ``os.stat``, the
length of the header and of the tail), then a line a graph in dump order: name, content key,
length of its span and (``kg.ttl``) how many N-Triples lines it adds to the tail, then those
lines, graph after graph.
"""
from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

__all__ = ["Span", "Index", "index_path", "open_old", "load_index", "save_index", "forget_index", "last_write"]

_MAGIC = b"kg-dump-index 1"


@dataclass(frozen=True)
class Span:
    """One graph's bytes in a dump: where they start and how many, and the content key they
    were made from; for ``kg.ttl`` also the lines the graph adds to the file's tail."""

    key: str
    offset: int
    length: int
    foreign: tuple[bytes, ...] = ()


@dataclass
class Index:
    """A dump's layout: header, the graphs' spans in order, tail (``kg.ttl``'s merged triples)."""

    head: int = 0
    spans: dict[str, Span] = field(default_factory=dict)
    tail: int = 0

    @property
    def first(self) -> str | None:
        """The first graph with bytes of its own (in ``kg.jsonld`` the one without a comma)."""
        return next((graph for graph, span in self.spans.items() if span.length), None)

    def union(self) -> set[bytes]:
        """Every tail line of every graph, once."""
        lines: set[bytes] = set()
        for span in self.spans.values():
            lines.update(span.foreign)
        return lines


def index_path(out: Path, name: str) -> Path:
    return out / ".kg-cache" / "splice" / f"{name}.idx"


def _stamp(info: os.stat_result) -> list[int]:
    """What changes whenever a file is written, truncated, replaced or touched (the change time
    cannot be set back by hand)."""
    return [info.st_size, info.st_ino, info.st_dev, info.st_mtime_ns, info.st_ctime_ns]


def save_index(out: Path, name: str, version: str, index: Index, copied: int = 0) -> None:
    """Write ``name``'s index, once the dump is in place (a cache: not synced), with how many of
    its bytes were copied from the dump before (what :func:`last_write` tells)."""
    from kg.graph.store import write_atomic

    lines: list[bytes] = []
    tails: list[bytes] = []
    for graph, span in index.spans.items():
        if any(c in graph or c in span.key for c in "\t\n"):
            return  # not a name this layout can hold: no index, the next write is a full one
        lines.append(f"{graph}\t{span.key}\t{span.length}\t{len(span.foreign)}".encode("utf-8"))
        tails.extend(span.foreign)
    head = {"version": version, "dump": name, "stamp": _stamp(os.stat(out / name)), "head": index.head,
            "tail": index.tail, "graphs": len(lines), "copied": copied}
    body = b"\n".join([_MAGIC, json.dumps(head, sort_keys=True).encode("utf-8"), *lines, *tails])
    write_atomic(index_path(out, name), body + b"\n", sync=False)


def forget_index(out: Path, name: str) -> None:
    """Delete ``name``'s index: the dump is about to change."""
    index_path(out, name).unlink(missing_ok=True)


@contextlib.contextmanager
def open_old(out: Path, name: str, version: str) -> Iterator[tuple[Index, int] | None]:
    """The old dump ``name``, open for copying from, with its index; ``None`` when either is
    missing or they do not match."""
    try:
        handle = open(out / name, "rb")
    except OSError:
        yield None
        return
    with handle:
        index = load_index(out, name, version, os.fstat(handle.fileno()))
        yield (index, handle.fileno()) if index else None


def last_write(out: Path, name: str) -> dict[str, Any]:
    """What the index of dump ``name`` says of the write that made it: ``graphs``, ``copied``
    (bytes copied from the dump before), …; empty without an index."""
    try:
        with index_path(out, name).open("rb") as handle:
            handle.readline()
            found = json.loads(handle.readline())
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def load_index(out: Path, name: str, version: str, info: os.stat_result) -> Index | None:
    """The index of dump ``name`` if it describes the file whose ``os.stat`` is ``info``, and was
    made by this ``version``; otherwise ``None``."""
    stamp = _stamp(info)
    try:
        data = index_path(out, name).read_bytes()
    except OSError:
        return None
    lines = data.split(b"\n")
    try:
        head = json.loads(lines[1]) if lines[0] == _MAGIC else {}
        if (head.get("version"), head.get("dump"), head.get("stamp")) != (version, name, stamp):
            return None
        index = _spans(lines[2:], int(head["graphs"]), int(head["head"]), int(head["tail"]))
    except (ValueError, KeyError, IndexError, TypeError, UnicodeDecodeError):
        return None
    return index if index.head + sum(s.length for s in index.spans.values()) + index.tail == stamp[0] else None


def _spans(lines: list[bytes], count: int, head: int, tail: int) -> Index:
    """The spans of ``count`` graph lines, then their tail lines, as :func:`save_index` wrote them."""
    index, offset, at = Index(head=head, tail=tail), head, count
    for line in lines[:count]:
        graph, key, length, foreign = line.decode("utf-8").split("\t")
        extra = int(foreign)
        if extra < 0 or int(length) < 0:
            raise ValueError("negative count")
        index.spans[graph] = Span(key, offset, int(length), tuple(lines[at:at + extra]))
        offset, at = offset + int(length), at + extra
    if len(index.spans) != count or at != len(lines) - 1 or lines[-1]:
        raise ValueError("index cut short")
    return index
