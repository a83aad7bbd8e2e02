"""Where each document in an export folder came from, so a rebuild removes only what it may.

A document's graph is removed when its file disappeared from a folder that was given (and
exists), or when the user asks with ``--prune``; never because a different folder, a single
file or a mistyped path was given. The record is ``DIR/.kg-sources`` (JSON) (document graph →
absolute path of the source), kept out of the graph so that the dumps stay the same on every machine.
"""
from __future__ import annotations

import json
from pathlib import Path

from kg.graph.store import write_atomic

__all__ = ["SOURCES_FILE", "read_sources", "write_sources", "may_remove"]

SOURCES_FILE = ".kg-sources"  # JSON; hidden, like the build lock: state, not an export


def read_sources(out: Path) -> dict[str, str]:
    """Document graph → source path of the documents built into ``out`` (empty when unknown)."""
    try:
        data = json.loads((out / SOURCES_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def write_sources(out: Path, sources: dict[str, str]) -> None:
    write_atomic(out / SOURCES_FILE, json.dumps(dict(sorted(sources.items())), ensure_ascii=False, indent=1) + "\n")


def may_remove(graph: str, sources: dict[str, str], folders: tuple[Path, ...], prune: bool) -> bool:
    """Whether the graph of a document that was not among the inputs may go: with ``prune``, or
    when its source lay in one of ``folders`` (given, existing, absolute).

    >>> may_remove("g:a", {"g:a": "/docs/sub/a.txt"}, (Path("/docs"),), False)
    True
    >>> may_remove("g:a", {"g:a": "/docs/a.txt"}, (Path("/other"),), False)
    False
    >>> may_remove("g:a", {}, (Path("/docs"),), False), may_remove("g:a", {}, (), True)
    (False, True)
    """
    if prune:
        return True
    source = sources.get(graph)
    if source is None:
        return False
    return any(folder in Path(source).parents for folder in folders)
