"""Corpus burden totals kept by the build beside the store (kg.graph.totals): worked out by hand on
two copies of the tiny plan, the same text as the exact paths (summing every load, or every
assignment row) in every format and with every option, and never read once the store changed
(a build, an allowed update, another program writing the store)."""
from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from conftest import copy_export
from kg.analysis.burden import Weights
from kg.analysis.domains import with_level
from kg.analysis.rows import read_store
from kg.cli import cli
from kg.graph.totals import FOLDER, STATE, digest, store_state
from kg.graph.totals_read import read_sparql_totals
from kg.graph.totals_store import refresh_totals
from kg.present.reports import burden_report
from kg.reference import load_reference
from kg_tiny import write_plan

CGR = "https://w3id.org/cgr/ontology#"


def kg(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, (args, result.output)
    return result.stdout


def exact(out: Path, tmp: Path, *args: str) -> str:
    """What a command prints without the totals (a copy of the export folder without them)."""
    copy = tmp / f"exact{len(list(tmp.iterdir()))}"
    copy_export(out, copy)
    shutil.rmtree(copy / FOLDER)
    return kg(*args, "--out", str(copy))


@pytest.fixture(scope="module")
def twice(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny plan twice, in one city (tests/kg_tiny.py): 市质监局 leads 9 of 10 tasks and
    supports the 10th, 市发改委 supports the 9, 市商务局 leads the 10th; in each document."""
    root = tmp_path_factory.mktemp("twice")
    write_plan(root / "docs")
    write_plan(root / "docs", "plan2.txt")
    kg("build", str(root / "docs"), "--out", str(root / "out"), "--jobs", "1")
    return root / "out"


def test_totals_worked_out_by_hand(twice: Path) -> None:
    """Per document: 质监 9 × 1 (sole lead) + 0.5 = 9.5, 发改 9 × 0.5 = 4.5, 商务 1: over two
    documents 19, 9 and 2 of a total of 30, in 20 tasks carrying an assignment."""
    assert read_sparql_totals(twice) is not None  # the command below reads the totals
    rows = list(csv.DictReader(io.StringIO(kg("sparql", "burden", "--format", "csv", "--out", str(twice)))))
    assert [(r["function"], r["burden"], r["lead"], r["support"], r["responsible"], r["tasks"]) for r in rows] == [
        ("quality_technical_supervision", "19", "18", "2", "0", "20"),
        ("development_reform", "9", "0", "18", "0", "18"),
        ("commerce", "2", "2", "0", "0", "2")]
    report = list(csv.DictReader(io.StringIO(kg("report", "burden", "--format", "csv", "--out", str(twice)))))
    assert [(r["function"], r["burden"], r["share"], r["per_100_tasks"], r["documents"]) for r in report] == [
        ("quality_technical_supervision", "19.0", "0.633333", "95.0", "2"),
        ("development_reform", "9.0", "0.3", "45.0", "2"), ("commerce", "2.0", "0.066667", "10.0", "2")]
    weighted = list(csv.DictReader(io.StringIO(kg("report", "burden", "--format", "csv", "--weight", "support=1",
                                                   "--out", str(twice)))))
    assert [(r["function"], r["burden"]) for r in weighted] == [  # 质监 18 + 2, 发改 18, 商务 2
        ("quality_technical_supervision", "20.0"), ("development_reform", "18.0"), ("commerce", "2.0")]


OPTIONS = [[], ["--format", "csv"], ["--format", "json"], ["--format", "json", "--level", "2"],
           ["--format", "markdown", "--top", "7"], ["--weight", "lead=2", "--weight", "support=0.3"],
           ["--wide"], ["--by", "function"], ["--exclude-collectives"], ["--document", "000_4f8aafbd3b2270d0.txt"]]


@pytest.mark.parametrize("args", OPTIONS)
def test_report_from_totals_is_the_exact_report(built: Path, tmp_path: Path, args: list[str]) -> None:
    assert read_sparql_totals(built) is not None
    text = kg("report", "burden", "--out", str(built), *args)
    assert text == exact(built, tmp_path, "report", "burden", *args)
    if not {"--by", "--exclude-collectives", "--document"} & set(args):  # from every assignment row, too
        fmt = args[args.index("--format") + 1] if "--format" in args else "table"
        top = int(args[args.index("--top") + 1]) if "--top" in args else None
        level = int(args[args.index("--level") + 1]) if "--level" in args else 1
        reference = load_reference()
        data = with_level(read_store(built), level, reference=reference)
        every_row = burden_report(data, fmt, "agency", top, Weights.parse([a for a in args if "=" in a]),
                                  10_000 if "--wide" in args else None, reference=reference)
        assert text.rstrip("\n") == every_row.rstrip("\n")


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_sparql_burden_from_totals_is_the_engines_answer(built: Path, tmp_path: Path, fmt: str) -> None:
    text = kg("sparql", "burden", "--format", fmt, "--out", str(built))
    assert text == exact(built, tmp_path, "sparql", "burden", "--format", fmt)
    assert text == kg("sparql", "burden_rows", "--format", fmt, "--out", str(built))
    assert text == kg("sparql", "burden", "--format", fmt, "--out", str(built), "--store", "memory")  # through rdflib


def test_totals_are_read_only_while_the_store_is_unchanged(twice: Path, tmp_path: Path) -> None:
    """Wrong numbers put in the totals are printed (the file is what the command reads) until
    anything writes to the store; then the exact answer comes back."""
    copy = copy_export(twice, tmp_path / "out")
    right = kg("sparql", "burden", "--format", "csv", "--out", str(copy))
    totals = copy / FOLDER / "sparql.tsv"
    text = totals.read_text(encoding="utf-8")
    totals.write_text(text.replace("\t18\t2\t0\t20", "\t99\t2\t0\t20"), encoding="utf-8")
    assert read_sparql_totals(copy) is None  # its digest no longer holds
    state = copy / FOLDER / STATE
    state.write_text(state.read_text(encoding="utf-8").replace(digest(text), digest(totals.read_text(encoding="utf-8"))),
                     encoding="utf-8")
    assert ",99,2,0,20" in kg("sparql", "burden", "--format", "csv", "--out", str(copy))
    store = ox.Store(str(copy / "store"))  # another program writes to the store
    store.add(ox.Quad(ox.NamedNode("urn:x"), ox.NamedNode("urn:p"), ox.Literal("x"), ox.NamedNode("urn:g")))
    store.flush()
    del store
    assert read_sparql_totals(copy) is None
    assert kg("sparql", "burden", "--format", "csv", "--out", str(copy)) == right


def test_an_allowed_update_drops_the_totals(twice: Path, tmp_path: Path) -> None:
    copy = copy_export(twice, tmp_path / "out")
    update = (f"PREFIX cgr: <{CGR}> DELETE {{ GRAPH ?g {{ ?load cgr:leadTasks ?n }} }} "
              "INSERT { GRAPH ?g { ?load cgr:leadTasks 50 } } WHERE { GRAPH ?g { ?load cgr:leadTasks ?n FILTER(?n = 9) } }")
    kg("sparql", update, "--allow-update", "--out", str(copy))
    assert not (copy / FOLDER).exists()
    rows = list(csv.DictReader(io.StringIO(kg("sparql", "burden", "--format", "csv", "--out", str(copy)))))
    assert rows[0]["lead"] == "100"  # the loads as changed (9 → 50 in each document)
    report = kg("report", "burden", "--format", "csv", "--out", str(copy))
    assert report.splitlines()[1].split(",")[2] == "100"


def test_a_build_reads_again_only_the_changed_documents(twice: Path, tmp_path: Path) -> None:
    root = tmp_path / "root"
    shutil.copytree(twice.parent / "docs", root / "docs")
    out = copy_export(twice, root / "out")
    state = store_state(out)
    assert refresh_totals(out, state, False) == "kept"  # nothing changed: the totals stay, renewed
    assert read_sparql_totals(out) is not None
    plan = root / "docs" / "plan2.txt"
    plan.write_text(plan.read_text(encoding="utf-8").replace("配合单位:市发改委)", "配合单位:市财政局)", 1),
                    encoding="utf-8")
    kg("build", str(root / "docs"), "--out", str(out), "--jobs", "1")
    assert read_sparql_totals(out) is not None
    records = json.loads((out / FOLDER / "documents.records").read_text(encoding="utf-8"))
    assert len(records) == 2
    rows = list(csv.DictReader(io.StringIO(kg("sparql", "burden", "--format", "csv", "--out", str(out)))))
    assert [(r["function"], r["burden"], r["support"]) for r in rows] == [  # one support moved 发改 → 财政
        ("quality_technical_supervision", "19", "2"), ("development_reform", "8.5", "17"), ("commerce", "2", "0"),
        ("finance", "0.5", "1")]
    for args in (["sparql", "burden"], ["report", "burden"], ["report", "burden", "--format", "json"]):
        assert kg(*args, "--out", str(out)) == exact(out, tmp_path, *args)
    assert refresh_totals(out, None, True) == "0 documents read"  # every record kept by fingerprint
    fresh = copy_export(out, tmp_path / "fresh")
    shutil.rmtree(fresh / FOLDER)
    assert refresh_totals(fresh) == "2 documents read"
    for name in ("documents.records", "sparql.tsv", "report.rows", "domains.rows"):  # as if made in one go
        assert (fresh / FOLDER / name).read_bytes() == (out / FOLDER / name).read_bytes()


def test_a_store_without_totals_answers_exactly_and_gets_them_at_the_next_build(twice: Path, tmp_path: Path) -> None:
    out = copy_export(twice, tmp_path / "out")
    with_totals = kg("report", "burden", "--out", str(out))
    shutil.rmtree(out / FOLDER)  # as a store built before the totals
    assert kg("report", "burden", "--out", str(out)) == with_totals
    kg("build", str(twice.parent / "docs"), "--out", str(out), "--jobs", "1")  # nothing changed
    assert read_sparql_totals(out) is not None
    assert kg("report", "burden", "--out", str(out)) == with_totals
