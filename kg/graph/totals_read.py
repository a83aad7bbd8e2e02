"""Reading the burden totals the build keeps (:mod:`kg.graph.totals`), only while they are in step
with the store; light on imports, since ``kg sparql burden`` reads nothing else."""
from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["valid_text", "read_sparql_totals"]


def valid_text(out: Path, name: str) -> str | None:
    """A totals file's content, when the state file vouches for it (its digest) and names the
    store's state now; else None (no totals, or totals made for another state of the store).

    >>> import tempfile; folder = Path(tempfile.mkdtemp()); (folder / "store").mkdir()
    >>> valid_text(folder, "sparql.tsv") is None
    True
    """
    from kg.graph.totals import FOLDER, digest, read_state, store_state

    state, digests = read_state(out)
    try:
        if state is None or name not in digests or state != store_state(out):
            return None
        text = (out / FOLDER / name).read_text(encoding="utf-8")
    except OSError:
        return None
    return text if digest(text) == digests[name] else None


def read_sparql_totals(out: Path) -> tuple[list[str], list[list[Any]]] | None:
    """``burden.rq``'s variables and rows (plain values, in its order), or None."""
    from kg.graph.direct import read_tsv

    text = valid_text(out, "sparql.tsv")
    if text is None:
        return None
    variables, rows = read_tsv(text)
    return variables, [[value for value, _key in row] for row in rows]
