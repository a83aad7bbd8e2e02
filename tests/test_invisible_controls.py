"""Control characters are invisible, so they cannot change who is named; a private-use character
is a glyph (old GBK documents put rare characters there), so it does."""
from __future__ import annotations

import csv
import io
from pathlib import Path

from click.testing import CliRunner

from kg.cli import cli

PLAN = "安宁市质量提升方案\n一、重点任务\n(一)加强监管。(市质{x}监局牵头,市发展改革委配合)\n"


def _agencies(tmp_path: Path, inside: str) -> list[tuple[str, str]]:
    path = tmp_path / f"plan{ord(inside) if inside else 0}.txt"
    path.write_text(PLAN.format(x=inside), encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(path), "--format", "csv"])
    return [(r["role"], r["agency"]) for r in csv.DictReader(io.StringIO(result.stdout))]


def test_a_control_character_inside_a_name_changes_nothing(tmp_path: Path) -> None:
    clean = _agencies(tmp_path, "")
    assert ("lead", "安宁市质量技术监督局") in clean
    for control in ("\x01", "\x08", "\x1b", "\x7f", "\x9b"):
        assert _agencies(tmp_path, control) == clean, repr(control)


def test_a_private_use_glyph_inside_a_name_is_part_of_it(tmp_path: Path) -> None:
    assert ("lead", "安宁市质量技术监督局") not in _agencies(tmp_path, "\ue000")
