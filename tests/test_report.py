"""Reports through the real CLI, checked against counts made from the gold files."""
from __future__ import annotations

import importlib.util
import json
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings, strategies as st
from rich.cells import cell_len as wcswidth

from kg.analysis.burden import Weights, burden_table
from kg.cli import cli
from kg.analysis.rows import AssignmentRow, GraphData, TaskRow

ROLES = ("lead", "support", "responsible")
HERE = Path(__file__).resolve().parent


def _norm():
    spec = importlib.util.spec_from_file_location("score_gold", HERE / "score_gold.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.norm


norm = _norm()


def report(out: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["report", *args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    return result.stdout


def gold_tasks(doc: dict) -> dict[str, dict[str, set]]:
    """Normalised mention (within one document) → role → gold task paths."""
    tasks: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for task in doc["tasks"]:
        for role in ROLES:
            for mention in task[role]:
                tasks[norm(mention)][role].add(task["path"])
    return tasks


def test_burden_json_counts_equal_gold_for_every_agency(built, gold):
    for name, doc in gold.items():
        rows = json.loads(report(built, "burden", "--document", name, "--format", "json"))
        for row in rows:
            assert {"agency", "function", "lead", "support", "responsible", "burden", "share"} <= set(row)
        mentions = json.loads(report(built, "burden", "--document", name, "--format", "json"))
        expected = gold_tasks(doc)
        agency_written = json.loads(CliRunner().invoke(cli, [
            "sparql", "document_agencies", "--param", f"document={name}", "--format", "json",
            "--out", str(built)]).stdout)
        keys_of = {r["agency"]: {norm(m) for m in r["written_as"].split("、")} for r in agency_written}
        assert len(mentions) == len(keys_of)
        for row in mentions:
            for role in ROLES:  # an agency written several ways: the union of the gold tasks of each form
                tasks = set().union(*(expected[key][role] for key in keys_of[row["agency"]]))
                assert row[role] == len(tasks), (name, row["name"], role)
        if rows:
            assert abs(sum(r["share"] for r in rows) - 1) < 1e-6 * len(rows)  # shares are rounded to 6 places


def test_agency_profile_matches_gold(built, gold):
    text = report(built, "agency", "市质监局")
    doc = gold["000_4f8aafbd3b2270d0.txt"]
    counts = {r: sum("市质监局" in t[r] for t in doc["tasks"]) for r in ROLES}
    assert text.splitlines()[0] == f"市质监局: lead {counts['lead']}, support {counts['support']}, " \
                                   f"responsible {counts['responsible']}"


def test_strongest_pair_matches_gold(built, gold):
    pairs: Counter = Counter()
    for doc in gold.values():
        for t in doc["tasks"]:
            units = sorted({norm(m) for r in ROLES for m in t[r]})
            pairs.update((doc["document"],) + p for p in combinations(units, 2))
    data = json.loads(report(built, "coordination", "--format", "json"))
    assert data["strongest_pairs"][0]["shared_tasks"] == max(pairs.values())
    listed = [m for c in data["communities"] for m in c["members"]]
    assert len(listed) == len(set(listed))  # communities are disjoint
    assert {a["name"] for a in data["centrality"]} <= set(listed)  # every ranked agency has a community


def test_gaps_match_gold(built, gold):
    gaps = json.loads(report(built, "gaps", "--format", "json"))
    found = defaultdict(set)
    for g in gaps:
        found[g["kind"]].add((g["document"], g["path"]))
    tasks = [(name, t) for name, doc in gold.items() for t in doc["tasks"]]
    assert found["no_clause"] == {(n, t["path"]) for n, t in tasks if not t["clause"]}
    assert found["diffuse_list"] == {(n, t["path"]) for n, t in tasks
                                     if not t["lead"] and not t["support"] and len(t["responsible"]) >= 5}
    collective = lambda m: m.startswith("各") or "成员单位" in m  # noqa: E731
    assert found["only_collective"] == {(n, t["path"]) for n, t in tasks if t["clause"]
                                        and all(collective(m) for r in ROLES for m in t[r])}
    assert not found["many_leads"] and not found["lead_and_support"]


def test_terminal_table_aligns_wide_characters(built):
    table = report(built, "burden", "--top", "12", "--wide").split("\n\n")[0]  # the footnote after it
    lines = [line for line in table.splitlines() if line.strip()]
    widths = {wcswidth(line.rstrip()) for line in lines[2:]} | {wcswidth(lines[1])}
    assert len(widths) == 1, widths  # every row as wide as the ruler
    assert "大同市质量技术监督局" in lines[2]


def test_markdown_and_csv_forms(built):
    assert report(built, "burden", "--format", "markdown", "--top", "3").startswith("| name")
    csv_text = report(built, "burden", "--format", "csv", "--by", "function")
    assert csv_text.splitlines()[0].startswith("name,function,lead,support,responsible,burden")
    assert "quality_technical_supervision" in csv_text


def test_weights_from_the_cli(built):
    rows = json.loads(report(built, "burden", "--weight", "support=0", "--format", "json"))
    only_support = [r for r in rows if r["support"] and not r["lead"] and not r["responsible"]]
    assert only_support and all(r["burden"] == 0 for r in only_support)


def test_unknown_document_and_agency_are_clear_errors(built):
    result = CliRunner().invoke(cli, ["report", "burden", "--document", "nope.txt", "--out", str(built)])
    assert result.exit_code == 1 and "no document named 'nope.txt'" in result.output
    result = CliRunner().invoke(cli, ["report", "agency", "--out", str(built)])
    assert result.exit_code == 1 and "needs the agency's NAME" in result.output


def test_build_shows_the_burden_table(built_run):
    out, stdout = built_run  # the shared build of the corpus (exit code checked there)
    assert "Burden per agency" in stdout and "大同市质量技术监督局" in stdout
    for name in ("report.html", "burden.md", "burden.csv", "gaps.csv", "graph.html"):
        assert (out / name).stat().st_size > 100


# ---------------------------------------------------------------- the burden formula as a property

agencies = st.sampled_from([f"a{i}" for i in range(6)])
assignment = st.tuples(st.integers(0, 7), st.sampled_from(ROLES), agencies)
weights = st.floats(0, 5, allow_nan=False)


def expected_burden(rows, w: dict[str, float], shared: set[str]) -> dict[str, float]:
    """The README formula, written independently of kg.analysis.burden."""
    per_task_role: dict[tuple[int, str], set[str]] = defaultdict(set)
    for task, role, agency in rows:
        per_task_role[(task, role)].add(agency)
    total: dict[str, float] = defaultdict(float)
    for (task, role), units in per_task_role.items():
        for unit in units:
            total[unit] += w[role] / (len(units) if role in shared else 1)
    return total


def as_data(rows) -> GraphData:
    tasks = tuple(TaskRow("d", f"t{t}", str(t), "", "action", t, True, ()) for t in range(8))
    assignments = tuple(AssignmentRow("d", f"t{t}", role, a, a, a, "f", False, True, False) for t, role, a in rows)
    return GraphData((), tasks, assignments)


@settings(max_examples=200, deadline=None)
@given(st.lists(assignment, min_size=1, max_size=40), weights, weights, weights)
def test_burden_follows_the_formula(rows, lead, support, responsible):
    w = Weights(lead, support, responsible)
    got = {r.agency: r.burden for r in burden_table(as_data(rows), w)}
    want = expected_burden(rows, {"lead": lead, "support": support, "responsible": responsible},
                           {"lead", "responsible"})
    assert set(got) == {a for _, _, a in rows}
    for agency, value in got.items():
        assert value == pytest.approx(want[agency], abs=1e-5)


@settings(max_examples=100, deadline=None)
@given(st.lists(assignment, min_size=1, max_size=40), weights, weights)
def test_burden_is_linear_in_the_weights(rows, x, y):
    data = as_data(rows)
    a = {r.agency: r.burden for r in burden_table(data, Weights(x, 0, 0))}
    b = {r.agency: r.burden for r in burden_table(data, Weights(0, y, 0))}
    both = {r.agency: r.burden for r in burden_table(data, Weights(x, y, 0))}
    for agency in both:
        assert both[agency] == pytest.approx(a.get(agency, 0) + b.get(agency, 0), abs=1e-5)
