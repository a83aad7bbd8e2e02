"""Burden summed from the per-document aggregates kept at build time equals burden computed from
every assignment: worked out here independently from the extraction JSON files the build wrote,
for ``kg report burden`` (every filter) and ``kg sparql burden``, before and after one document
changes."""
from __future__ import annotations

import csv
import json
import subprocess
import sys
from collections import defaultdict
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli

ROOT = Path(__file__).resolve().parents[1]
WEIGHTS = {"lead": Fraction(1), "support": Fraction(1, 2), "responsible": Fraction(3, 4)}
SHARED = {"lead", "responsible"}


def kg(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, (args, result.output)
    return result.stdout


def _tops() -> dict[str, str]:
    """Domain → its top-level domain, read from the reference table itself."""
    with open(ROOT / "data" / "domains.csv", encoding="utf-8") as f:
        return {r["domain"]: r["broader"] or r["domain"] for r in csv.DictReader(f)}


def expected_burden(extractions: Path, weights: dict[str, Fraction] = WEIGHTS, document: str | None = None,
                    collectives: bool = True) -> dict[str, dict]:
    """Per agency name, from the extraction JSON: distinct tasks per role, tasks, documents, the
    exact weighted burden, share, per 100 tasks and level-1 domain counts."""
    tops, rows = _tops(), defaultdict(lambda: {"tasks": set(), "credit": Fraction(0), "roles": defaultdict(set)})
    assigned = 0
    domains: dict[tuple[str, int], set[str]] = {}
    for path in sorted(extractions.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        if document not in (None, doc["document"]):
            continue
        sets: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for a in doc["assignments"]:
            if not a["inferred"] and (collectives or not a["collective"]):
                sets[a["task"]][a["role"]].add(a["agency"])
        assigned += len(sets)
        for t in doc["tasks"]:
            domains[(doc["document"], t["key"])] = {tops.get(d, d) for d in t["domains"]}
        for task, by_role in sets.items():
            for role, agencies in by_role.items():
                for agency in agencies:
                    row = rows[agency]
                    row["tasks"].add((doc["document"], task))
                    row["roles"][role].add((doc["document"], task))
                    row["credit"] += weights[role] / (len(agencies) if role in SHARED else 1)
    grand = sum(r["credit"] for r in rows.values())
    result = {}
    for name, r in rows.items():
        counted: dict[str, int] = defaultdict(int)
        for key in r["tasks"]:
            for d in domains[key]:
                counted[d] += 1
        result[name] = {"lead": len(r["roles"]["lead"]), "support": len(r["roles"]["support"]),
                        "responsible": len(r["roles"]["responsible"]), "tasks": len(r["tasks"]),
                        "documents": len({d for d, _ in r["tasks"]}), "burden": round(float(r["credit"]), 6),
                        "share": round(float(r["credit"] / grand), 6),
                        "per_100_tasks": round(float(100 * r["credit"] / assigned), 4), "domains": dict(counted)}
    return result


def by_name(rows: list[dict]) -> dict[str, dict]:
    named = {r["name"]: r for r in rows}
    assert len(named) == len(rows), "agency names are unique in this corpus"
    return named


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A small generated corpus (varied places, agencies and layouts), built by the real CLI."""
    base = tmp_path_factory.mktemp("burden")
    docs, out = base / "docs", base / "out"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "gen_corpus.py"), str(docs), "--docs", "2",
                    "--seed", "7"], check=True, capture_output=True)
    first = sorted(docs.iterdir())[0]  # a second document of the same issuer: agencies across documents
    data = first.read_bytes()  # cut at a line end (a newline byte is one character in UTF-8 and GBK)
    (docs / "zz_same_issuer.txt").write_bytes(data[: data.rindex(b"\n", 0, len(data) * 2 // 3) + 1])
    kg("build", str(docs), "--out", str(out), "--jobs", "1", "--dumps", "nq")
    return docs, out


def _report(out: Path, *args: str) -> list[dict]:
    return json.loads(kg("report", "burden", "--format", "json", "--out", str(out), *args))


def _check(rows: list[dict], expected: dict[str, dict]) -> None:
    ours = by_name(rows)
    assert set(ours) == set(expected)
    for name, want in expected.items():
        got = {k: ours[name][k] for k in want}
        assert got == want, name


def test_report_burden_equals_the_row_by_row_computation(generated):
    docs, out = generated
    expected = expected_burden(out / "extractions")
    assert len(expected) > 20 and sum(r["documents"] > 1 for r in expected.values()) > 0
    _check(_report(out), expected)
    first = sorted(p.name for p in docs.iterdir())[0]
    _check(_report(out, "--document", first), expected_burden(out / "extractions", document=first))
    heavy = {"lead": Fraction(2), "support": Fraction(1, 4), "responsible": Fraction(3, 4)}
    _check(_report(out, "--weight", "lead=2", "--weight", "support=0.25"),
           expected_burden(out / "extractions", heavy))
    _check(_report(out, "--exclude-collectives"), expected_burden(out / "extractions", collectives=False))


def test_aggregates_and_assignment_rows_give_identical_reports(generated):
    """Every format and filter: the aggregate path and the exact path print the same bytes."""
    from kg.analysis.burden import Weights
    from kg.analysis.domains import with_level
    from kg.analysis.rows import read_store
    from kg.console import WIDE
    from kg.present.reports import burden_report
    from kg.reference import load_reference

    _docs, out = generated
    data, reference = read_store(out), load_reference()
    for fmt in ("table", "csv", "json", "markdown"):
        for args, document, level, weights, top in (((), None, 1, Weights(), None),
                                                     (("--level", "2"), None, 2, Weights(), None),
                                                     (("--top", "4", "--weight", "responsible=1"), None, 1,
                                                      Weights(responsible=1.0), 4),
                                                     (("--document", data.documents[1].document), data.documents[1].document,
                                                      1, Weights(), None)):
            exact = burden_report(with_level(data, level, reference=reference).for_document(document), fmt, "agency",
                                  top, weights, WIDE, reference=reference)
            assert kg("report", "burden", "--format", fmt, "--out", str(out), "--wide", *args) == exact.rstrip("\n") + "\n"


def test_sparql_burden_equals_the_row_by_row_query_and_the_extractions(generated):
    _docs, out = generated
    summed = kg("sparql", "burden", "--format", "csv", "--out", str(out))
    assert summed == kg("sparql", "burden_rows", "--format", "csv", "--out", str(out))
    rows = list(csv.DictReader(summed.splitlines()))
    expected = expected_burden(out / "extractions")
    assert {r["name"] for r in rows} == set(expected)
    for r in rows:
        want = expected[r["name"]]
        assert (float(r["burden"]), int(r["lead"]), int(r["support"]), int(r["responsible"]), int(r["tasks"])) == (
            want["burden"], want["lead"], want["support"], want["responsible"], want["tasks"]), r["name"]


def test_one_changed_document_changes_only_its_own_aggregates(generated, tmp_path):
    import shutil

    docs, built = generated
    docs, out = shutil.copytree(docs, tmp_path / "docs"), shutil.copytree(built, tmp_path / "out")
    before = _loads_by_graph(out / "kg.nq")
    changed = sorted(docs.iterdir())[1]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n九、补充任务\n（一）新增一项任务。（牵头单位：市审计局；"
                       "配合单位：市财政局）\n", encoding="utf-8")
    kg("build", str(docs), "--out", str(out), "--jobs", "1", "--dumps", "nq")
    after = _loads_by_graph(out / "kg.nq")
    moved = {g for g in before.keys() | after.keys() if before.get(g) != after.get(g)}
    assert moved == {g for g in after if changed.stem in g}
    _check(_report(out), expected_burden(out / "extractions"))
    assert kg("sparql", "burden", "--out", str(out)) == kg("sparql", "burden_rows", "--out", str(out))


def _loads_by_graph(nquads: Path) -> dict[str, set[str]]:
    """Graph → its burden aggregate lines."""
    graphs: dict[str, set[str]] = defaultdict(set)
    for line in nquads.read_text(encoding="utf-8").splitlines():
        if "/load/" in line or "#assignedTasks>" in line:
            graphs[line.rsplit(" ", 2)[-2]].add(line)
    return graphs


def test_a_store_without_aggregates_is_reported_from_the_assignments(generated, tmp_path):
    """A graph written before aggregates existed (or by another tool) still gets the exact report."""
    import shutil

    _docs, built = generated
    out = shutil.copytree(built, tmp_path / "out")
    expected = kg("report", "burden", "--format", "csv", "--out", str(out))
    kg("sparql", "--allow-update", "--out", str(out),
       "PREFIX cgr: <https://w3id.org/cgr/ontology#> DELETE WHERE { GRAPH ?g { ?d cgr:assignedTasks ?n } }")
    assert kg("report", "burden", "--format", "csv", "--out", str(out)) == expected


def test_unknown_document_is_a_one_line_error(generated):
    _docs, out = generated
    result = CliRunner().invoke(cli, ["report", "burden", "--document", "nope.txt", "--out", str(out)])
    assert result.exit_code == 1 and "no document named 'nope.txt'" in result.output
    assert len(result.output.strip().splitlines()) == 1
