"""The real CLI on the bundled documents, scored against the gold annotations."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from click.testing import CliRunner

from kg.cli import cli

HERE = Path(__file__).resolve().parent


def _scorer():
    spec = importlib.util.spec_from_file_location("score_gold", HERE / "score_gold.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_seed_documents_score_perfectly(tmp_path, corpus_docs, capsys):
    result = CliRunner().invoke(cli, ["extract", *map(str, corpus_docs), "--format", "csv"])
    assert result.exit_code == 0, result.output
    out = tmp_path / "pred.csv"
    out.write_text(result.stdout, encoding="utf-8")
    code = _scorer().main([str(HERE / "gold"), str(corpus_docs[0].parent), str(out),
                           "--min-f1", "1.0", "--min-path", "1.0"])
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert code == 0, last
    assert "F1=1.000" in last and "path_acc=1.000" in last


def test_metadata_matches_gold(gold, corpus_docs):
    from kg.extract.pipeline import extract

    for path in corpus_docs:
        meta, expected = extract(path).metadata, gold[path.name]
        for field in ("title", "issuer", "doc_number", "date", "jurisdiction", "level"):
            assert getattr(meta, field) == expected[field], (path.name, field)


def test_groups_match_gold(gold, corpus_docs):
    from kg.extract.pipeline import extract

    for path in corpus_docs:
        groups = extract(path).groups
        for g in gold[path.name]["groups"]:
            hits = [x for x in groups if x.name.endswith(g["name"].lstrip("省市区县")) or g["name"].endswith(x.name)]
            assert hits, (path.name, g["name"], [x.name for x in groups])
            if g["members"]:
                assert list(hits[0].members) == g["members"]
            if g["office_host"]:
                assert any(h.office_host == g["office_host"] for h in hits)


def test_document_without_clauses_gives_tasks_and_no_assignments(tmp_path):
    doc = tmp_path / "plain.txt"
    doc.write_text("一、主要措施\n(一)加强质量管理。企业要落实主体责任。\n(二)推进标准化。\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(doc), "--format", "json"])
    assert result.exit_code == 0, result.output
    import json
    data = json.loads(result.stdout)[0]
    assert [t["path"] for t in data["tasks"]] == ["1", "1.1", "1.2"]
    assert data["assignments"] == []


def test_tasks_match_gold_paths(gold, corpus_docs):
    """Every gold task path exists among the extracted tasks."""
    from kg.extract.pipeline import extract

    for path in corpus_docs:
        paths = {t.path for t in extract(path).tasks}
        missing = [t["path"] for t in gold[path.name]["tasks"] if t["path"] not in paths]
        assert not missing, (path.name, missing)
