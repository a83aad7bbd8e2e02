"""The development-set gate: `kg extract` on 22 real excerpts (tests/data/realdocs), scored against their
gold annotations with the same scorer as the seeds; the seeds must stay perfect."""
from __future__ import annotations

import importlib.util
from pathlib import Path

from click.testing import CliRunner

from kg.cli import cli

HERE = Path(__file__).resolve().parent
REALDOCS = HERE / "data" / "realdocs"
# Reached on this branch (issue 10 asks for F1 >= 0.98 and path accuracy >= 0.95): every miss left is in
# the three task-table excerpts (09, 17, 18), whose readers are another branch's work.
MIN_F1, MIN_PATH = 0.98, 0.95  # the gate for the development set


def _scorer():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("score_gold", HERE / "score_gold.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _score(docs: list[Path], gold: Path, tmp_path: Path, capsys,  # type: ignore[no-untyped-def]
           min_f1: float, min_path: float) -> str:
    result = CliRunner().invoke(cli, ["extract", *map(str, docs), "--format", "csv"])
    assert result.exit_code == 0, result.output
    out = tmp_path / "pred.csv"
    out.write_text(result.stdout, encoding="utf-8")
    code = _scorer().main([str(gold), str(docs[0].parent), str(out), "--min-f1", str(min_f1),
                           "--min-path", str(min_path)])
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert code == 0, last
    return last


def test_development_set_reaches_the_gate(tmp_path, capsys):
    docs = sorted((REALDOCS / "docs").glob("*.txt"))
    assert len(docs) == 22 and len(list((REALDOCS / "gold").glob("*.json"))) == 22
    _score(docs, REALDOCS / "gold", tmp_path, capsys, MIN_F1, MIN_PATH)


def test_seeds_stay_perfect(tmp_path, capsys, corpus_docs):
    last = _score(corpus_docs, HERE / "gold", tmp_path, capsys, 1.0, 1.0)
    assert "F1=1.000" in last and "path_acc=1.000" in last


def test_negative_controls_give_nothing():
    from kg.extract.pipeline import extract

    for path in sorted((REALDOCS / "docs").glob("2[12]_neg_*.txt")):
        assert extract(path).assignments == (), path.name
