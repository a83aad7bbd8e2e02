"""``kg.ttl``'s tail, spliced: the Turtle of the triples documents say about things they do not own
(every graph's foreign lines, merged and sorted), which Oxigraph writes as one block a subject.
The old tail's blocks are copied for the subjects whose lines did not change; only the subjects
that gained or lost a line are written, each run of them in one go. Which subjects those are
comes from comparing the old and new sets of lines, not from regrouping either."""
from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from kg.graph.dump_index import Layout
from kg.graph.dumps import footer

if TYPE_CHECKING:
    from kg.graph.splice import Output

__all__ = ["write_tail"]

Step = tuple[int, int] | bytes  # a range of the old dump, or bytes written anew


def _subject(line: bytes) -> bytes:
    return line[:line.find(b" ")]


def _order(subject: bytes) -> bytes:
    """Subjects in the order of their lines: a line is its subject, a space and the rest, and no
    subject holds a space."""
    return subject + b" "


def write_tail(out: "Output", union: set[bytes], old: Layout | None, start: int) -> tuple[list[bytes], list[int]]:
    """Write the tail of ``union`` (``old``: the old dump's layout, its tail at ``start``); return
    its subjects and the length of each one's block (both empty when the Turtle is not one block
    a subject: the next write then writes the whole tail)."""
    steps: list[Step] | None = None
    if old is not None and old.blocks and len(old.subjects) == len(old.blocks):
        steps, subjects, blocks = _spliced(union, old, start)
    if steps is None:
        text = footer("ttl", union)
        steps = [text]
        subjects, blocks = [key for key, _ in itertools.groupby(map(_subject, sorted(union)))], _blocks(text)
    for step in steps:
        out.copy(*step) if isinstance(step, tuple) else out.write(step)
    return (subjects, blocks) if len(subjects) == len(blocks) else ([], [])


def _spliced(union: set[bytes], old: Layout, start: int) -> tuple[list[Step] | None, list[bytes], list[int]]:
    affected = {_subject(line) for line in union ^ old.union()}
    prefixes = tuple(map(_order, affected))
    fresh: dict[bytes, list[bytes]] = {}
    for line in sorted(line for line in union if line.startswith(prefixes)) if affected else ():
        fresh.setdefault(_subject(line), []).append(line)
    where = {subject: i for i, subject in enumerate(old.subjects)}
    starts = list(itertools.accumulate(old.blocks, initial=start))
    subjects = sorted((set(old.subjects) - affected) | set(fresh), key=_order)
    steps: list[Step] = []
    blocks: list[int] = []
    run: list[bytes] = []
    for subject in subjects + [b""]:  # an empty subject last: the run before it is written
        if subject in fresh:
            run.extend(fresh[subject])
            continue
        if run:
            text = footer("ttl", set(run))
            steps.append(text)
            blocks.extend(_blocks(text))
            run = []
        if subject:
            i = where[subject]
            steps.append((starts[i], old.blocks[i]))
            blocks.append(old.blocks[i])
    if len(blocks) != len(subjects):  # not one block a subject after all
        return None, [], []
    return steps, subjects, blocks


def _blocks(text: bytes) -> list[int]:
    r"""The length of each subject's block in Oxigraph's Turtle: a line at the margin begins one,
    an indented line goes on with it.

    >>> _blocks(b"a:x a:p 1 .\na:y a:p 1 ;\n\ta:q 2 .\n")
    [12, 21]
    """
    blocks: list[int] = []
    for line in text.split(b"\n")[:-1]:
        if line.startswith(b"\t") and blocks:
            blocks[-1] += len(line) + 1
        else:
            blocks.append(len(line) + 1)
    return blocks
