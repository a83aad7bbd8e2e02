"""Where each graph's piece lies in a written dump, so that the next write can copy the graphs
that did not change straight out of the old file (:mod:`kg.graph.splice`).

One index a dump, ``DIR/.kg-cache/splice/<dump>.idx``, written just after the dump was renamed
into place and deleted just before a new one is begun: an index therefore never describes a
file other than the one it was written for, even when a write is killed half-way. It also
records the dump's size, inode and change times, so a dump edited, truncated or replaced by
hand since then no longer matches it; and the version of everything that shapes the pieces
(code, reference tables, Oxigraph), so a new version writes afresh. Whatever does not match
means a full write, never a wrong dump.

The file is bytes: a magic line, a JSON line (version, dump, the dump's ``os.stat``, the length
of the header and of the tail), then a line a graph in dump order: name, content key, length of
its piece and (``kg.ttl``) how many N-Triples lines it adds to the tail, then those lines, graph
after graph. Kept as plain lists, not an object a graph: a dump has tens of thousands of graphs.
"""
from __future__ import annotations

import contextlib
import itertools
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

__all__ = ["Layout", "index_path", "open_old", "load_index", "save_index", "forget_index", "last_write"]

_MAGIC = b"kg-dump-index 3"


@dataclass
class Layout:
    """A dump's layout: ``head`` bytes of header, then each graph's piece (``lengths``, made from
    ``keys``) in the order of ``graphs``, then ``tail`` bytes; for ``kg.ttl`` also the lines each
    graph adds to the tail (``foreign``)."""

    head: int = 0
    graphs: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    lengths: list[int] = field(default_factory=list)
    foreign: list[tuple[bytes, ...]] = field(default_factory=list)
    tail: int = 0
    blocks: list[int] = field(default_factory=list)  # kg.ttl: the tail's length a subject, in order
    subjects: list[bytes] = field(default_factory=list)  # and those subjects (N-Triples terms)

    def offsets(self) -> list[int]:
        """Where each graph's piece starts, and (last) where the tail starts.

        >>> Layout(head=2, graphs=["a", "b"], keys=["1", "2"], lengths=[3, 4]).offsets()
        [2, 5, 9]
        """
        return list(itertools.accumulate(self.lengths, initial=self.head))

    def union(self) -> set[bytes]:
        """Every tail line of every graph, once."""
        return set(itertools.chain.from_iterable(self.foreign))


def index_path(out: Path, name: str) -> Path:
    return out / ".kg-cache" / "splice" / f"{name}.idx"


def _stamp(info: os.stat_result) -> list[int]:
    """What changes whenever a file is written, truncated, replaced or touched (the change time
    cannot be set back by hand)."""
    return [info.st_size, info.st_ino, info.st_dev, info.st_mtime_ns, info.st_ctime_ns]


def save_index(out: Path, name: str, version: str, layout: Layout, copied: int = 0) -> None:
    """Write ``name``'s index, once the dump is in place (a cache: not synced), with how many of
    its bytes were copied from the dump before (what :func:`last_write` tells)."""
    from kg.graph.store import write_atomic

    count = len(layout.graphs)
    foreign = layout.foreign or [()] * count
    columns = zip(layout.graphs, layout.keys, map(str, layout.lengths), map(str, map(len, foreign)))
    rows = "\n".join(map("\t".join, columns))
    if rows.count("\t") != 3 * count or rows.count("\n") != max(count - 1, 0):
        return  # a name or key this layout cannot hold: no index, the next write is a full one
    head = {"version": version, "dump": name, "stamp": _stamp(os.stat(out / name)), "head": layout.head,
            "tail": layout.tail, "graphs": len(layout.graphs), "copied": copied, "blocks": layout.blocks,
            "subjects": len(layout.subjects)}
    tails = list(itertools.chain.from_iterable(foreign)) + layout.subjects
    body = b"\n".join([_MAGIC, json.dumps(head, sort_keys=True).encode("utf-8"), rows.encode("utf-8"), *tails])
    write_atomic(index_path(out, name), body + b"\n", sync=False)


def forget_index(out: Path, name: str) -> None:
    """Delete ``name``'s index: the dump is about to change."""
    index_path(out, name).unlink(missing_ok=True)


@contextlib.contextmanager
def open_old(out: Path, name: str, version: str) -> Iterator[tuple[Layout, int] | None]:
    """The old dump ``name``, open for copying from, with its layout; ``None`` when either is
    missing or they do not match."""
    try:
        handle = open(out / name, "rb")
    except OSError:
        yield None
        return
    with handle:
        layout = load_index(out, name, version, os.fstat(handle.fileno()))
        yield (layout, handle.fileno()) if layout else None


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


def load_index(out: Path, name: str, version: str, info: os.stat_result) -> Layout | None:
    """The layout of dump ``name`` if its index describes the file whose ``os.stat`` is ``info``
    and was made by this ``version``; otherwise ``None``."""
    stamp = _stamp(info)
    try:
        lines = index_path(out, name).read_bytes().split(b"\n")
        head = json.loads(lines[1]) if lines[0] == _MAGIC else {}
        if (head.get("version"), head.get("dump"), head.get("stamp")) != (version, name, stamp):
            return None
        subjects = int(head["subjects"])
        layout = _layout(lines[2:len(lines) - 1 - subjects] + [b""], int(head["graphs"]), int(head["head"]),
                         int(head["tail"]))
        layout.blocks, layout.subjects = [int(n) for n in head["blocks"]], lines[len(lines) - 1 - subjects:-1]
    except (OSError, ValueError, KeyError, IndexError, TypeError, UnicodeDecodeError):
        return None
    if layout.blocks and (sum(layout.blocks) != layout.tail or min(layout.blocks) < 0
                          or len(layout.subjects) != len(layout.blocks)):
        layout.blocks, layout.subjects = [], []
    return layout if layout.head + sum(layout.lengths) + layout.tail == stamp[0] else None


def _layout(lines: list[bytes], count: int, head: int, tail: int) -> Layout:
    """The layout of ``count`` graph lines, then their tail lines, as :func:`save_index` wrote them."""
    cells = b"\t".join(lines[:count]).decode("utf-8").split("\t") if count else []
    if len(cells) != 4 * count:
        raise ValueError("not a graph line")
    lengths, counts = list(map(int, cells[2::4])), list(map(int, cells[3::4]))
    if min(lengths + counts, default=0) < 0 or count + sum(counts) != len(lines) - 1 or lines[-1]:
        raise ValueError("index cut short")
    ends = itertools.accumulate(counts, initial=count)
    foreign = [tuple(lines[start:end]) for start, end in itertools.pairwise(ends)] if any(counts) else []
    return Layout(head, cells[0::4], cells[1::4], lengths, foreign, tail)
