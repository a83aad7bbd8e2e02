"""Files for the tools analysts use: GraphML/GEXF read back with networkx, the workbook read
back with openpyxl, CSV with a byte-order mark, one table per CSV, formulas neutralised."""
from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from kg.analysis.coordination import coassignment_graph
from kg.analysis.rows import read_graph
from kg.cli import cli
from kg.graph.store import close_dataset, open_dataset
from kg.present.reports import csv_text
from kg.present.spreadsheets import workbook_bytes
from conftest import copy_export
from kg_tiny import snapshot


@pytest.fixture(scope="module")
def out(built_tiny) -> Path:
    return built_tiny[0] / "out"  # the shared build of the tiny plan; tests only read it


@pytest.fixture(scope="module")
def data(out):
    dataset = open_dataset(out, "memory")
    try:
        return read_graph(dataset)
    finally:
        close_dataset(dataset)


def _value(cell: object) -> object:
    """A cell compared by value: numbers as numbers (95 in the sheet is 95.0 in the CSV)."""
    text = "" if cell is None else str(cell)
    try:
        return float(text)
    except ValueError:
        return text


def _edges(g: nx.Graph) -> set[frozenset[str]]:
    return {frozenset(e) for e in g.edges()}


@pytest.mark.parametrize("suffix,reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_networks_read_back_with_the_same_nodes_and_edges(out, data, suffix, reader):
    agencies = coassignment_graph(data)
    g = reader(out / f"agencies.{suffix}")
    assert set(g.nodes) == set(agencies.nodes) and _edges(g) == _edges(agencies)
    named = [a for a in data.assignments if not a.inferred]  # the task graph: a link per (task, agency) named
    g = reader(out / f"tasks.{suffix}")
    assert set(g.nodes) == {t.task for t in data.tasks} | {a.agency for a in named}
    assert _edges(g) == {frozenset((a.task, a.agency)) for a in named}
    agencies = reader(out / f"agencies.{suffix}")
    # 质监局–发改委 share 3.1–3.9, 质监局–商务局 share 3.10; 发改委 and 商务局 share nothing
    assert len(agencies) == 3 and sorted(int(d["weight"]) for _, _, d in agencies.edges(data=True)) == [1, 9]


def test_workbook_has_the_rows_of_the_csv_files(out):
    from openpyxl import load_workbook

    book = load_workbook(out / "reports.xlsx")
    for table in sorted((out / "tables").glob("*.csv")):
        assert table.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads the BOM as UTF-8
        with table.open(encoding="utf-8-sig", newline="") as handle:
            expected = list(csv.reader(handle))
        sheet = [[_value(c) for c in row] for row in book[table.stem].iter_rows(values_only=True)]
        assert sheet == [[_value(c) for c in row] for row in expected], table.stem
    assert book["burden"]["B2"].value == "安宁市质量技术监督局"


def test_exports_are_byte_identical_when_rebuilt(out, tmp_path):
    before = snapshot(out)
    mine = copy_export(out, tmp_path / "out")  # the same documents built there: only the two files are missing
    (mine / "reports.xlsx").unlink()
    (mine / "agencies.gexf").unlink()
    assert CliRunner().invoke(cli, ["build", str(out.parent / "docs"), "--out", str(mine)]).exit_code == 0
    assert snapshot(mine) == before


def test_standard_output_csv_has_no_bom_and_one_table(out):
    result = CliRunner().invoke(cli, ["report", "burden", "--format", "csv", "--out", str(out)])
    assert result.stdout.startswith("name,function,lead")
    result = CliRunner().invoke(cli, ["report", "coordination", "--format", "csv", "--out", str(out)])
    assert result.exit_code == 1 and "--table NAME" in result.stderr
    result = CliRunner().invoke(cli, ["report", "coordination", "--format", "csv", "--table", "strongest_pairs",
                                      "--out", str(out)])
    assert result.stdout.splitlines()[0] == "a,b,shared_tasks" and len(result.stdout.splitlines()) == 3  # two pairs


def test_formulas_are_neutralised_in_csv_and_workbook():
    rows = [{"name": "=HYPERLINK(\"x\")", "n": -1}, {"name": "@SUM(A1)", "n": 2}]
    parsed = list(csv.reader(csv_text(rows, ["name", "n"]).splitlines()))
    assert parsed[1:] == [["'=HYPERLINK(\"x\")", "-1"], ["'@SUM(A1)", "2"]]
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(workbook_bytes({"t": rows})))["t"]
    assert [c.value for c in sheet["A"]] == ["name", "'=HYPERLINK(\"x\")", "'@SUM(A1)"] and sheet["B2"].value == -1
