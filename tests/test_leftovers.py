"""Temporary files a killed writer left anywhere in the export folder's caches are cleared."""
from __future__ import annotations

from pathlib import Path

from kg.graph.lock import remove_leftovers


def test_leftovers_in_every_cache_folder_go_and_nothing_else_does(tmp_path: Path) -> None:
    out = tmp_path / "out"
    rows = out / ".kg-cache" / "rows"
    rows.mkdir(parents=True)
    (out / "extractions").mkdir()
    left = [rows / ".a.part.x1y2z3w4.tmp", out / ".kg-cache" / ".outputs.state.abcdefgh.tmp",
            out / "extractions" / ".a.json.abcdefgh.tmp", out / ".kg.nq.abcdefgh.tmp"]
    kept = [rows / "a.part", out / "kg.nq", out / "extractions" / "a.json"]
    for path in left + kept:
        path.write_text("x", encoding="utf-8")
    assert sorted(remove_leftovers(out)) == sorted(left)
    assert [p.exists() for p in left + kept] == [False] * len(left) + [True] * len(kept)


def test_no_cache_folder_is_no_problem(tmp_path: Path) -> None:
    assert remove_leftovers(tmp_path) == []
