"""The interactive graph page and the HTML report: offline, faithful to the graph, inert with
hostile text. Browser tests run in headless Chromium with the network disabled."""
from __future__ import annotations

import copy
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.analysis.rows import read_graph
from kg.present.graph_page import remote_references, render_html
from kg.graph.store import close_dataset, open_dataset
from kg.reference import load_reference

REF = load_reference()  # the bundled tables; the CLI hands the pages the ones in use
HOSTILE = Path(__file__).resolve().parent / "data" / "bad" / "<img src=x onerror=window.kgPwned=9>.txt"


@pytest.fixture(scope="module")
def built(built_with_hostile) -> Path:
    return built_with_hostile[1]


@pytest.fixture(scope="module")
def data(built):
    dataset = open_dataset(built, "memory")
    try:
        return read_graph(dataset)
    finally:
        close_dataset(dataset)


def render(built: Path, out_file: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["render", "-o", str(out_file), "--out", str(built), *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_page_has_no_remote_resources_and_writes_no_lib_folder(built, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    render(built, tmp_path / "g.html")
    html = (tmp_path / "g.html").read_text(encoding="utf-8")
    assert remote_references(html) == []
    assert "<script src=" not in html and "<link " not in html
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.html"]


def test_rendering_does_not_change_the_data(data):
    before = copy.deepcopy(data)
    render_html(data, reference=REF)
    render_html(data, reference=REF, focus="市质监局", depth=2)
    assert data == before


def test_filters_select_subgraphs(data):
    everything = render_html(data, reference=REF)
    one = render_html(data, reference=REF, document="000_4f8aafbd3b2270d0.txt")
    focus = render_html(data, reference=REF, focus="市质监局")
    assert one.nodes < everything.nodes and focus.nodes < everything.nodes
    assert "000_4f8aafbd3b2270d0.txt" in one.html and "002_73ddd48312034934.txt" not in one.html
    deeper = render_html(data, reference=REF, focus="市质监局", depth=2)
    assert deeper.nodes >= focus.nodes


def test_fallback_to_an_aggregated_view_is_announced(built, tmp_path, data):
    output = render(built, tmp_path / "a.html", "--max-nodes", "50")
    assert "exceed --max-nodes 50" in output and "families view" in output
    page = render_html(data, reference=REF, max_nodes=50)
    assert page.kind == "families" and page.nodes <= 13


def test_unknown_focus_is_a_clear_error(built, tmp_path):
    result = CliRunner().invoke(cli, ["render", "--focus", "不存在的局", "-o", str(tmp_path / "x.html"),
                                      "--out", str(built)])
    assert result.exit_code == 1 and "no agency written or named '不存在的局'" in result.output


@pytest.mark.browser
def test_page_draws_the_graph_offline(built, tmp_path, data, offline_page):
    page = render_html(data, reference=REF)
    path = tmp_path / "graph.html"
    path.write_text(page.html, encoding="utf-8")
    offline_page.goto(path.as_uri())
    offline_page.wait_for_function("window.kgStabilized === true", timeout=120_000)
    counts = offline_page.evaluate("kgCounts()")
    assert (counts["drawnNodes"], counts["drawnEdges"]) == (page.nodes, page.edges)
    assert offline_page.evaluate("network.physics.options.enabled") is False  # stopped after stabilising
    assert offline_page.kg_errors == []
    assert [u for u in offline_page.kg_requests if not u.startswith("file:")] == []
    offline_page.screenshot(path=str(tmp_path / "graph.png"))
    assert (tmp_path / "graph.png").stat().st_size > 20_000


@pytest.mark.browser
def test_filters_and_search_work_in_the_page(built, tmp_path, data, offline_page):
    path = tmp_path / "graph.html"
    path.write_text(render_html(data, reference=REF).html, encoding="utf-8")
    offline_page.goto(path.as_uri())
    offline_page.wait_for_function("window.kgStabilized === true", timeout=120_000)
    full = offline_page.evaluate("kgCounts()")
    offline_page.select_option("#kg-document", "000_4f8aafbd3b2270d0.txt")
    one = offline_page.evaluate("kgCounts()")
    expected = render_html(data, reference=REF, document="000_4f8aafbd3b2270d0.txt")
    assert one["nodes"] < full["nodes"]
    assert (one["nodes"], one["edges"]) == (expected.nodes, expected.edges)  # page filter = server-side filter
    offline_page.uncheck("input[data-role=support]")
    assert offline_page.evaluate("kgCounts()")["edges"] < one["edges"]
    offline_page.fill("#kg-search", "大同市质量技术监督局")
    offline_page.click("#kg-search-button")
    assert offline_page.evaluate("network.getSelectedNodes()") == [
        "https://w3id.org/cgr/id/agency/大同市/quality_technical_supervision"]


# Hostile text in the graph page's panel and source view: tests/test_graph_page.py


@pytest.mark.browser
def test_report_page_is_legible_and_inert(built, tmp_path, offline_page):
    offline_page.goto((built / "report.html").as_uri())
    text = offline_page.inner_text("body")
    assert "大同市质量技术监督局" in text and "机构 × 政策领域" in text and "问责缺口" in text
    assert offline_page.evaluate("document.querySelectorAll('img, script').length") == 0
    assert remote_references((built / "report.html").read_text(encoding="utf-8")) == []
    glyphs = offline_page.evaluate("document.fonts.check('16px \"Noto Sans CJK SC\"', '质量')")
    offline_page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    assert glyphs and (tmp_path / "report.png").stat().st_size > 50_000
