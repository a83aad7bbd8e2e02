"""Characters that Python's ``str.splitlines`` takes for line ends (form feed, U+2028, U+001C …)
inside a file name end up in RDF literals; the dumps must still be one statement per line."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from click.testing import CliRunner

from kg.cli import cli
from kg_tiny import write_plan


def test_a_file_name_with_line_separators_builds_and_its_dumps_parse(tmp_path: Path) -> None:
    docs, out = tmp_path / "docs", tmp_path / "out"
    write_plan(docs, "plan\u2028a\x0cb\x1cc.txt")
    result = CliRunner().invoke(cli, ["build", str(docs), "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    assert "built 1," in result.stderr
    quads = list(ox.parse(path=str(out / "kg.nq"), format=ox.RdfFormat.N_QUADS))
    assert any("plan\u2028a\x0cb\x1cc.txt" in getattr(q.object, "value", "") for q in quads)
    ox.parse(path=str(out / "kg.trig"), format=ox.RdfFormat.TRIG)
