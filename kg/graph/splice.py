"""Writing the dumps so that their cost follows the change: a graph whose content key is the one
the old dump was written from is copied out of the old file by the kernel
(``os.copy_file_range``: no bytes through Python, adjacent graphs in one call); only graphs
added or changed are written from their pieces, and removed ones are left out. The result is
byte for byte what writing every piece gives, because a dump is its header, each graph's piece
in graph order and its footer, and an unchanged graph's piece is the same bytes.

Where each graph lies in the old dump comes from its index (:mod:`kg.graph.dump_index`); with no
index that matches, every graph is written from its piece, as a first build does. Either way the
new file is written under a temporary name and renamed into place, so a killed write leaves the
old dump whole. It is not synced to disk first (a gigabyte would be written out while the build
waits): the dumps are made from the store, and ``kg dump`` writes them again.
"""
from __future__ import annotations

import contextlib
import errno
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Callable

from kg.graph.dump_index import Layout, forget_index, open_old, save_index
from kg.graph.dumps import DUMP_FORMATS, footer, header, joined

__all__ = ["Fetch", "SpliceError", "Output", "copy_range", "plan", "write_all"]

Fetch = Callable[[str, str], dict[str, bytes]]  # graph, key → its pieces (nq, trig, ttl, foreign, jsonld) as bytes
_NO_KERNEL_COPY = {errno.EXDEV, errno.ENOSYS, errno.EOPNOTSUPP, errno.EINVAL, errno.EBADF, errno.EPERM}


class SpliceError(OSError):
    """The old dump holds fewer bytes than its index says (changed while being copied)."""


class Output:
    """One dump being written: fresh bytes, and ranges of the old file copied by the kernel,
    adjacent ranges merged into one copy."""

    def __init__(self, handle: IO[bytes], old: int | None) -> None:
        self.handle, self.old = handle, old
        self.position = self.copied = 0
        self._pending: tuple[int, int] | None = None  # (offset, length) in the old file

    def write(self, data: bytes) -> None:
        if data:
            self._copy_pending()
            self.handle.write(data)
            self.position += len(data)

    def copy(self, offset: int, length: int) -> None:
        if not length:
            return
        if self._pending and sum(self._pending) == offset:
            self._pending = (self._pending[0], self._pending[1] + length)
        else:
            self._copy_pending()
            self._pending = (offset, length)
        self.position += length
        self.copied += length

    def finish(self) -> None:
        self._copy_pending()
        self.handle.flush()

    def _copy_pending(self) -> None:
        if self._pending is None or self.old is None:
            return
        self.handle.flush()  # what was written goes first
        copy_range(self.old, self.handle.fileno(), *self._pending)
        self._pending = None


def copy_range(source: int, target: int, offset: int, length: int) -> None:
    """Append ``length`` bytes of ``source`` from ``offset`` to ``target``: by the kernel where
    it can, by reading and writing where it cannot (another file system, an older kernel)."""
    kernel = getattr(os, "copy_file_range", None)
    while length > 0:
        done = 0
        if kernel is not None:
            try:
                done = kernel(source, target, length, offset)
            except OSError as exc:
                if exc.errno not in _NO_KERNEL_COPY:
                    raise
                kernel = None
        if kernel is None:
            done = os.write(target, os.pread(source, min(length, 1 << 20), offset))
        if done <= 0:
            raise SpliceError(errno.EIO, "the old dump is shorter than its index says")
        offset, length = offset + done, length - done


@dataclass
class _Dump:
    """One dump being written, with the old one's layout (``None``: nothing to copy from)."""

    form: str
    out: Output
    old: Layout | None
    new: Layout = field(default_factory=Layout)
    offsets: list[int] = field(default_factory=list)  # of the old dump's pieces
    first: int = -1  # the old dump's first graph with bytes of its own (kg.jsonld: the one without a comma)

    def begin(self) -> None:
        self.out.write(header(self.form))
        self.new.head = self.out.position
        if self.old is not None:
            self.offsets = self.old.offsets()
            self.first = next((i for i, n in enumerate(self.old.lengths) if n), -1)

    def fresh(self, made: dict[str, bytes]) -> None:
        """The next graph from its piece."""
        data = joined(self.form, made[self.form], self.out.position == self.new.head)
        self.out.write(data)
        self.new.lengths.append(len(data))
        if self.form == "ttl":
            self.new.foreign.append(tuple(made["foreign"].split(b"\n")[:-1]))

    def copy(self, start: int, end: int, fetch: Fetch) -> None:
        """The old dump's graphs ``start`` to ``end`` (excluded), which stand together in both."""
        assert self.old is not None
        if self.form == "jsonld":  # the first object has no comma before it: a graph that changes place is written anew
            lone = self.first if self.out.position > self.new.head else next(
                (i for i in range(start, end) if self.old.lengths[i]), -1)
            if start <= lone < end and (lone == self.first) != (self.out.position == self.new.head):
                self.copy(start, lone, fetch)
                self.fresh(fetch(self.old.graphs[lone], self.old.keys[lone]))
                self.copy(lone + 1, end, fetch)
                return
        self.out.copy(self.offsets[start], self.offsets[end] - self.offsets[start])
        self.new.lengths.extend(self.old.lengths[start:end])
        if self.form == "ttl":
            self.new.foreign.extend(self.old.foreign[start:end])


Segment = tuple[int, int] | str  # graphs start to end of the old layout, or one graph written anew


def plan(order: list[str], current: dict[str, str], old: Layout) -> list[Segment]:
    """The new dump as runs of graphs that stand together in the old one with the same content
    key, and the graphs written anew between them.

    >>> old = Layout(graphs=["a", "b", "c", "d"], keys=["1", "2", "3", "4"], lengths=[1, 1, 1, 1])
    >>> plan(["a", "b", "c", "d", "e"], {"a": "1", "b": "2", "c": "9", "d": "4", "e": "5"}, old)
    [(0, 2), 'c', (3, 4), 'e']
    """
    where = {graph: i for i, graph in enumerate(old.graphs)}
    segments: list[Segment] = []
    start = end = -1
    for graph in order:
        i = where.get(graph, -1)
        if i >= 0 and current[graph] and old.keys[i] == current[graph]:
            if i != end:
                if end > start:
                    segments.append((start, end))
                start = i
            end = i + 1
        else:
            if end > start:
                segments.append((start, end))
            start = end = -1
            segments.append(graph)
    if end > start:
        segments.append((start, end))
    return segments


def write_all(out: Path, order: list[str], current: dict[str, str], formats: tuple[str, ...], fetch: Fetch,
              version: str, progress: Callable[[str, int, int], None], splice: bool = True) -> tuple[int, set[str]]:
    """Write the dumps in ``formats`` for the graphs in ``order`` (keys in ``current``), copying
    from the old dumps what did not change (unless ``splice`` is false); return how many bytes
    were copied, and the graphs the old dumps held that the new ones do not."""
    from kg.faults import checkpoint
    from kg.graph.store import atomic_writer

    with contextlib.ExitStack() as stack:
        dumps = []
        for form in formats:
            name = DUMP_FORMATS[form]
            old = stack.enter_context(open_old(out, name, version)) if splice else None
            forget_index(out, name)  # from here on the dump may change: no index may outlive it
            handle = stack.enter_context(atomic_writer(out / name, sync=False))
            dumps.append(_Dump(form, Output(handle, old[1] if old else None), old[0] if old else None))
        _write_graphs(dumps, order, current, fetch, progress)
        checkpoint("dumps-written")
    for dump in dumps:
        save_index(out, DUMP_FORMATS[dump.form], version, dump.new, dump.out.copied)
    dropped = {graph for dump in dumps if dump.old for graph in dump.old.graphs if graph not in current}
    return sum(dump.out.copied for dump in dumps), dropped


def _write_graphs(dumps: list[_Dump], order: list[str], current: dict[str, str], fetch: Fetch,
                  progress: Callable[[str, int, int], None]) -> None:
    """Each dump's header, graphs and footer; the graphs as planned against the old layout, one
    plan for the dumps whose old layouts list the same graphs and keys (all, after a build)."""
    groups: list[list[_Dump]] = []
    for dump in dumps:
        dump.begin()
        dump.new.graphs, dump.new.keys = order, [current[graph] for graph in order]
    for dump in dumps:
        for group in groups:
            if _same(group[0].old, dump.old):
                group.append(dump)
                break
        else:
            groups.append([dump])
    for group in groups:
        old = group[0].old
        _write_segments(group, plan(order, current, old) if old else list(order), current, fetch, progress, len(order))
    for dump in dumps:
        _finish(dump)


def _same(one: Layout | None, other: Layout | None) -> bool:
    return one is other or (one is not None and other is not None and one.keys == other.keys
                            and one.graphs == other.graphs)


def _write_segments(dumps: list[_Dump], segments: list[Segment], current: dict[str, str], fetch: Fetch,
                    progress: Callable[[str, int, int], None], total: int) -> None:
    done = 0
    for segment in segments:
        if isinstance(segment, str):
            made = fetch(segment, current[segment])
            for dump in dumps:
                dump.fresh(made)
            done += 1
        else:
            for dump in dumps:
                dump.copy(*segment, fetch)
            done += segment[1] - segment[0]
        progress("dumps", done, total)


def _finish(dump: _Dump) -> None:
    """The footer (``kg.ttl``: its tail, :mod:`kg.graph.splice_tail`)."""
    from kg.graph.splice_tail import write_tail

    start = dump.out.position
    if dump.form == "ttl":
        tail = dump.offsets[-1] if dump.old is not None else 0
        dump.new.subjects, dump.new.blocks = write_tail(dump.out, dump.new.union(), dump.old, tail)
    else:
        dump.out.write(footer(dump.form, set()))
    dump.new.tail = dump.out.position - start
    dump.out.finish()
