"""Reference tables are handed down, never fetched: the CLI loads the tables in use once
(``--reference DIR``, ``$KG_REFERENCE`` or the bundled ones) and every analysis and page takes
them as a parameter. No module of ``kg/analysis`` or ``kg/present`` loads them itself, and what
the tables say reaches the reports: a label or an alias edited in a copy of the tables shows in
the output of the commands run with that copy.

The expected figures are worked out from the tiny plan of ``tests/kg_tiny.py``: 市质监局 (quality
technical supervision, a pre-2018 body whose heir is market regulation) leads tasks 3.1–3.9 and
supports 3.10; 市发改委 (development and reform) supports 3.1–3.9; 市商务局 leads 3.10. With the
default weights (lead 1, support 0.5) 市质监局 carries 9 × 1 + 0.5 = 9.5 and 市发改委 9 × 0.5 = 4.5.
"""
from __future__ import annotations

import ast
import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kg.cli import cli

PACKAGE = Path(__file__).resolve().parents[1] / "kg"
HANDED_DOWN = ("analysis", "present")  # layers that are given the tables, never load them
LOADERS = {"load_reference", "reference_dir", "_load"}  # kg.reference.load_reference, kg.paths.reference_dir


def loads_tables(path: Path) -> list[str]:
    """Where a module imports or calls a loader of the reference tables (``line: what``); text in
    docstrings (doctests load the tables as a caller would) is not code and does not count."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module in ("kg.reference", "kg.paths"):
            found += [f"{node.lineno}: imports {a.name}" for a in node.names if a.name in LOADERS]
        elif isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else \
                node.func.attr if isinstance(node.func, ast.Attribute) else ""
            if name in LOADERS:
                found.append(f"{node.lineno}: calls {name}")
    return found


MODULES = sorted(p for layer in HANDED_DOWN for p in (PACKAGE / layer).rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_analysis_or_page_module_loads_the_reference_tables(path: Path) -> None:
    assert not loads_tables(path), f"{path.relative_to(PACKAGE)} loads the reference tables: {loads_tables(path)}"


def test_the_check_sees_a_module_that_loads_them(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text('"""\n>>> load_reference()\n"""\nimport kg.reference\n\n\ndef labels():\n'
                   "    from kg.reference import Reference, load_reference\n\n"
                   "    return kg.reference.load_reference().domains, load_reference()\n", encoding="utf-8")
    assert loads_tables(bad) == ["8: imports load_reference", "10: calls load_reference", "10: calls load_reference"]
    assert len(MODULES) > 20  # the layers were found


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the bundled tables with new labels for two functions, a domain label suffix and
    one more alias."""
    folder = tmp_path_factory.mktemp("tables") / "ref"
    assert run("reference", "export", str(folder)).exit_code == 0
    edit(folder / "functions.csv", "function",
         {"market_regulation": "甲乙监管局", "development_reform": "甲乙改革委"})
    with (folder / "domains.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    write(folder / "domains.csv", [{**r, "label_zh": r["label_zh"] + "※"} for r in rows])
    with (folder / "agency_aliases.csv").open("a", encoding="utf-8") as handle:
        handle.write("甲乙质监,quality_technical_supervision\n")
    return folder


def edit(path: Path, key: str, labels: dict[str, str]) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    write(path, [{**r, "label_zh": labels.get(r[key], r["label_zh"])} for r in rows])


def write(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env=env)


def test_burden_by_successor_is_named_from_the_tables_given(built_tiny: tuple[Path, str], tables: Path) -> None:
    out = built_tiny[0] / "out"
    given = run("--reference", str(tables), "report", "burden", "--by", "successor", "--format", "csv",
                "--out", str(out))
    bundled = run("report", "burden", "--by", "successor", "--format", "csv", "--out", str(out))
    assert given.exit_code == bundled.exit_code == 0, given.output + bundled.output
    named = {r["name"]: float(r["burden"]) for r in csv.DictReader(io.StringIO(given.output))}
    assert named["甲乙监管局"] == 9.5 and named["甲乙改革委"] == 4.5
    assert "甲乙监管局" not in bundled.output and "市场监督管理局" in bundled.output


def test_the_environment_variable_chooses_the_tables_too(built_tiny: tuple[Path, str], tables: Path) -> None:
    out = built_tiny[0] / "out"
    result = run("report", "burden", "--by", "function", "--format", "json", "--out", str(out),
                 env={"KG_REFERENCE": str(tables)})
    assert result.exit_code == 0, result.output
    assert {r["name"]: r["burden"] for r in json.loads(result.output)}["甲乙改革委"] == 4.5


def test_an_alias_of_the_tables_given_finds_the_agency(built_tiny: tuple[Path, str], tables: Path) -> None:
    out = built_tiny[0] / "out"
    found = run("--reference", str(tables), "report", "agency", "甲乙质监", "--format", "json", "--out", str(out))
    assert found.exit_code == 0, found.output
    roles = sorted(a["role"] for a in json.loads(found.output)["assignments"])
    assert roles == ["lead"] * 9 + ["support"]
    missing = run("report", "agency", "甲乙质监", "--out", str(out))
    assert missing.exit_code == 1 and "no agency written or named '甲乙质监'" in missing.output


def test_domain_labels_come_from_the_tables_given(built_tiny: tuple[Path, str], tables: Path) -> None:
    out = built_tiny[0] / "out"
    result = run("--reference", str(tables), "report", "domains", "--format", "json", "--out", str(out))
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert rows and all(r["label"].endswith("※") or r["domain"] == "unclassified" for r in rows)


def test_a_build_writes_its_files_with_the_tables_given(built_tiny: tuple[Path, str], tables: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("--reference", str(tables), "build", str(built_tiny[0] / "docs"), "--out", str(out), "--dumps", "none")
    assert result.exit_code == 0, result.output
    lines = (out / "burden.md").read_text(encoding="utf-8").splitlines()
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in lines if line.startswith("| ")]
    table = [dict(zip(rows[0], row)) for row in rows[1:]]
    supporter = next(r for r in table if r["support"] == "9")  # 市发改委, the only agency supporting nine tasks
    assert (supporter["function"], supporter["lead"], supporter["burden"]) == ("甲乙改革委", "0", "4.500")
