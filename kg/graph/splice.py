"""Writing the dumps so that their cost follows the change: a graph whose content key is the one
the old dump was written from is copied out of the old file by the kernel
(``os.copy_file_range``: no bytes through Python, adjacent graphs in one call); only graphs
added or changed are written from their pieces, and removed ones are left out. The result is
byte for byte what writing every piece gives, because a dump is its header, each graph's piece
in graph order and its footer, and an unchanged graph's piece is the same bytes.

Where each graph lies in the old dump comes from its index (:mod:`kg.graph.dump_index`); with no
index that matches, every graph is written from its piece, as a first build does. Either way the
new file is written under a temporary name and renamed into place, so a killed write leaves the
old dump whole.
"""
from __future__ import annotations

import contextlib
import errno
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Callable

from kg.graph.dump_index import Index, Span, forget_index, open_old, save_index
from kg.graph.dumps import DUMP_FORMATS, footer, header, joined

__all__ = ["Fetch", "SpliceError", "Output", "write_all"]

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
    old: Index | None
    new: Index = field(default_factory=Index)
    emitted: bool = False  # a graph with bytes of its own was written (kg.jsonld's commas)
    first: str | None = None  # the old dump's first such graph

    def reusable(self, graph: str, key: str) -> Span | None:
        """The old span of ``graph`` if its bytes are what this place in the new dump takes."""
        span = self.old.spans.get(graph) if self.old and key else None
        if span is None or span.key != key:
            return None
        if self.form == "jsonld" and span.length and (graph == self.first) == self.emitted:
            return None  # it had its comma and is first now, or the other way round
        return span

    def add(self, graph: str, key: str, span: Span | None, made: dict[str, bytes]) -> None:
        start = self.out.position
        if span is not None:
            self.out.copy(span.offset, span.length)
            foreign = span.foreign
        else:
            self.out.write(joined(self.form, made[self.form], not self.emitted))
            foreign = tuple(made["foreign"].split(b"\n")[:-1]) if self.form == "ttl" else ()
        self.emitted = self.emitted or self.out.position > start
        self.new.spans[graph] = Span(key, start, self.out.position - start, foreign)


def write_all(out: Path, order: list[str], current: dict[str, str], formats: tuple[str, ...], fetch: Fetch,
              version: str, progress: Callable[[str, int, int], None], splice: bool = True) -> dict[str, Index]:
    """Write the dumps in ``formats`` for the graphs in ``order`` (keys in ``current``), copying
    from the old dumps what did not change (unless ``splice`` is false); return their layouts."""
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
    return {dump.form: dump.new for dump in dumps}


def _write_graphs(dumps: list[_Dump], order: list[str], current: dict[str, str], fetch: Fetch,
                  progress: Callable[[str, int, int], None]) -> None:
    for dump in dumps:
        dump.first = dump.old.first if dump.old else None
        dump.out.write(header(dump.form))
        dump.new.head = dump.out.position
    for done, graph in enumerate(order, 1):
        progress("dumps", done, len(order))
        key = current[graph]
        spans = [dump.reusable(graph, key) for dump in dumps]
        made = fetch(graph, key) if None in spans else {}
        for dump, span in zip(dumps, spans):
            dump.add(graph, key, span, made)
    for dump in dumps:
        _finish(dump)


def _finish(dump: _Dump) -> None:
    """The footer: ``kg.ttl``'s merged tail copied when it merges the same lines as before."""
    start = dump.out.position
    old = dump.old
    union = dump.new.union() if dump.form == "ttl" else set()
    if old is not None and dump.form == "ttl" and old.tail and union == old.union():
        dump.out.copy(old.head + sum(span.length for span in old.spans.values()), old.tail)
    else:
        dump.out.write(footer(dump.form, union))
    dump.new.tail = dump.out.position - start
    dump.out.finish()
