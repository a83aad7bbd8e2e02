"""The graph page an analyst reads: agency network first, click through to the source text,
search by any written form, filters that match the server, exports, and hostile text kept inert.

Browser tests run headless Chromium with the network off. Screenshots of the default view, a
selected agency and the source view are written to tests/artifacts/ (ignored by git)."""
from __future__ import annotations

import base64
import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.analysis.evidence import read_evidence, source_texts
from kg.analysis.rows import read_graph
from kg.cli import cli
from kg.graph.store import close_dataset, open_dataset
from kg.present.graph_page import render_html
from kg.errors import ReferenceDataError
from kg.reference import load_reference

REF = load_reference()  # the bundled tables; the CLI hands the page the ones in use

HOSTILE = Path(__file__).resolve().parent / "data" / "bad" / "<img src=x onerror=window.kgPwned=9>.txt"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CITY_DOC = "000_4f8aafbd3b2270d0.txt"
QUALITY = "https://w3id.org/cgr/id/agency/大同市/quality_technical_supervision"


@pytest.fixture(scope="module")
def built(built_with_hostile) -> tuple[Path, Path]:
    return built_with_hostile


@pytest.fixture(scope="module")
def graph(built):
    docs, out = built
    dataset = open_dataset(out, "memory")
    try:
        data, evidence = read_graph(dataset), read_evidence(dataset)
    finally:
        close_dataset(dataset)
    texts = source_texts(evidence, {p.name: p for p in docs.iterdir()})
    return data, evidence, texts


def page(graph, tmp_path: Path, name: str = "graph.html", **filters):
    data, evidence, texts = graph
    rendered = render_html(data, reference=REF, evidence=evidence, texts=texts, **filters)
    path = tmp_path / name
    path.write_text(rendered.html, encoding="utf-8")
    return rendered, path


def open_page(offline_page, path: Path):
    offline_page.goto(path.as_uri())
    offline_page.wait_for_function("window.kgStabilized === true", timeout=30_000)
    return offline_page


def shot(browser_page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / name
    browser_page.screenshot(path=str(target))
    print(f"screenshot: {target}")
    return target


def click_node(browser_page, node_id: str) -> None:
    """A real mouse click on the node's drawn position."""
    point = browser_page.evaluate("id => network.canvasToDOM(network.getPositions([id])[id])", node_id)
    box = browser_page.locator("#mynetwork").bounding_box()
    browser_page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])


def panel_rows(browser_page) -> list[dict[str, str]]:
    text = browser_page.evaluate("kgPanelCsv()")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


# ---------- Python side ----------

def test_the_page_is_deterministic_and_offline(graph, tmp_path):
    first, _ = page(graph, tmp_path)
    second, _ = page(graph, tmp_path, "again.html")
    assert first.html == second.html
    assert "https://" not in first.html.split('<script type="application/json"')[0].split("vis-network")[0]
    assert first.kind == "agencies" and "<!DOCTYPE html>" in first.html


def test_page_data_escapes_script_endings(graph, tmp_path):
    rendered, _ = page(graph, tmp_path, document=HOSTILE.name)
    data_block = rendered.html.split('id="kg-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data_block  # every < of the text is \\u003c inside the JSON element
    assert json.loads(data_block)["documents"][0]["file"] == HOSTILE.name


def test_beyond_max_nodes_the_page_aggregates_and_says_so(graph, tmp_path):
    agencies = len({a.agency for a in graph[0].assignments})
    functions = len({a.function for a in graph[0].assignments})
    assert functions < 60 < agencies
    rendered, _ = page(graph, tmp_path, max_nodes=60)
    assert rendered.kind == "functions" and rendered.nodes == functions
    assert f"{agencies} agencies exceed --max-nodes 60" in rendered.note and rendered.note in rendered.html
    rendered, _ = page(graph, tmp_path, max_nodes=5)
    assert rendered.kind == "families" and rendered.nodes <= 13  # twelve families and "other" at most


def test_family_table_errors_name_file_and_line(tmp_path):
    from kg import paths
    from kg.present.families import load_families

    folder = tmp_path / "data"
    shutil.copytree(paths.DATA, folder, ignore=shutil.ignore_patterns("documents"))
    with (folder / "families.csv").open("a", encoding="utf-8") as handle:
        handle.write("extra,额外,extra,blue\n")
    with pytest.raises(ReferenceDataError, match=r"families.csv:14: colour 'blue'"):
        load_families(folder)


# ---------- in the browser ----------

@pytest.mark.browser
def test_default_view_is_the_agency_network_drawn_still(graph, tmp_path, offline_page):
    rendered, path = page(graph, tmp_path)
    data = graph[0]
    agencies = {a.agency for a in data.assignments}
    open_page(offline_page, path)
    counts = offline_page.evaluate("kgCounts()")
    assert counts["drawnNodes"] == rendered.nodes == len(agencies)  # agencies only, no tasks or documents
    assert counts["drawnEdges"] == rendered.edges
    assert offline_page.evaluate("network.physics.options.enabled") is False
    legend = offline_page.inner_text("#kg-legend")
    assert "市场监管与质量" in legend and "其他" in legend
    labelled = offline_page.evaluate("nodes.get({filter: n => n.label}).map(n => n.id)")
    assert QUALITY in labelled and 0 < len(labelled) < len(agencies)  # the heaviest first, not all at once
    assert offline_page.kg_errors == []
    assert [u for u in offline_page.kg_requests if not u.startswith("file:")] == []
    shot(offline_page, "default-view.png")


@pytest.mark.browser
def test_clicking_an_agency_lists_exactly_the_reports_tasks(built, graph, tmp_path, offline_page):
    _, out = built
    result = CliRunner().invoke(cli, ["report", "agency", "大同市质量技术监督局", "--format", "json", "--out", str(out)])
    assert result.exit_code == 0, result.output
    expected = sorted((r["document"], r["path"], r["role"], r["written_as"])
                      for r in json.loads(result.output)["assignments"])
    assert len(expected) == 15  # README: lead 8, support 5, responsible 2
    _, path = page(graph, tmp_path)
    open_page(offline_page, path)
    click_node(offline_page, QUALITY)
    offline_page.wait_for_selector("#kg-panel h2")
    assert offline_page.inner_text("#kg-panel h2") == "大同市质量技术监督局"
    rows = panel_rows(offline_page)
    assert sorted((r["document"], r["path"], r["role"], r["written_as"]) for r in rows) == expected
    titles = offline_page.eval_on_selector_all("#kg-panel h3", "els => els.map(e => e.textContent)")
    assert titles == ["关于印发大同市贯彻落实《质量发展纲要》2017 年行动计划的通知(2017)"]
    marks = offline_page.eval_on_selector_all("#kg-panel .kg-clause mark", "els => els.map(e => e.textContent)")
    assert len(marks) == 15 and set(marks) <= {"市质监局", "质监局", "大同市质量技术监督局"}
    shot(offline_page, "selected-agency.png")


@pytest.mark.browser
def test_source_view_marks_the_clause_at_its_offsets(built, graph, tmp_path, offline_page):
    docs, out = built
    extraction = json.loads((out / "extractions" / f"{CITY_DOC}.json").read_text(encoding="utf-8"))
    text = (docs / CITY_DOC).read_text(encoding="utf-8")
    first = next(a for a in extraction["assignments"] if a["mention"] == "市质监局")
    _, path = page(graph, tmp_path)
    open_page(offline_page, path)
    click_node(offline_page, QUALITY)
    offline_page.click("#kg-panel .kg-source-link >> nth=0")
    marked = offline_page.inner_text("#kg-source-mark")
    assert marked == text[first["clause_start"]:first["clause_end"]] == "(市质监局牵头,市发改委、市公安局、市工商局、市商务局配合)"
    context = offline_page.inner_text("#kg-source .kg-source-text")
    assert "突出重点行业、重点领域产品质量监督抽查" in context and len(context) < 1000  # a window, not the document
    shot(offline_page, "source-view.png")
    offline_page.click("#kg-source .kg-back")
    assert offline_page.is_visible("#kg-panel")


@pytest.mark.browser
def test_search_takes_any_written_form(graph, tmp_path, offline_page):
    _, path = page(graph, tmp_path)
    open_page(offline_page, path)
    forms = offline_page.eval_on_selector_all("#kg-forms option", "els => els.map(e => e.value)")
    assert "市质监局" in forms and "质监" in forms  # written in the document; the alias table's form
    offline_page.fill("#kg-search", "市质监局")
    offline_page.press("#kg-search", "Enter")
    # two documents write 市质监局: the city's plan and the hostile file, whose issuer names no city
    assert sorted(offline_page.evaluate("network.getSelectedNodes()")) == [
        "https://w3id.org/cgr/id/agency/大同市/quality_technical_supervision",
        "https://w3id.org/cgr/id/agency/市/quality_technical_supervision"]
    offline_page.select_option("#kg-document", CITY_DOC)
    offline_page.press("#kg-search", "Enter")
    assert offline_page.evaluate("network.getSelectedNodes()") == [QUALITY]
    assert offline_page.inner_text("#kg-panel h2") == "大同市质量技术监督局"
    offline_page.select_option("#kg-document", "")
    offline_page.fill("#kg-search", "质量技术监督局")  # the function: every jurisdiction's bureau
    offline_page.click("#kg-search-button")
    selected = offline_page.evaluate("network.getSelectedNodes()")
    assert QUALITY in selected and any("山东省" in s for s in selected)


@pytest.mark.browser
def test_filters_draw_the_server_side_counts(graph, tmp_path, offline_page):
    data = graph[0]
    _, path = page(graph, tmp_path)
    open_page(offline_page, path)
    offline_page.select_option("#kg-document", CITY_DOC)
    city = render_html(data, reference=REF, document=CITY_DOC)
    counts = offline_page.evaluate("kgCounts()")
    assert (counts["nodes"], counts["edges"]) == (city.nodes, city.edges)
    assert counts["nodes"] == len({a.agency for a in data.assignments if a.document == CITY_DOC})
    offline_page.uncheck("input[data-role=support]")
    no_support = render_html(data, reference=REF, document=CITY_DOC, roles=("lead", "responsible"))
    counts = offline_page.evaluate("kgCounts()")
    assert (counts["nodes"], counts["edges"]) == (no_support.nodes, no_support.edges) and no_support.nodes < city.nodes
    offline_page.check("input[data-role=support]")
    offline_page.select_option("#kg-document", "")
    domain = sorted({d for t in data.tasks for d in t.domains})[0]
    offline_page.select_option("#kg-domain", domain)
    in_domain = render_html(data, reference=REF, domain=domain)
    counts = offline_page.evaluate("kgCounts()")
    assert (counts["nodes"], counts["edges"]) == (in_domain.nodes, in_domain.edges)
    colours = offline_page.evaluate(f"nodes.get('{QUALITY}').color.background")
    assert colours == offline_page.evaluate("kg.data.families.find(f => f[0] === 'market')[3]")  # colours kept


@pytest.mark.browser
def test_task_view_is_the_focus_view(graph, tmp_path, offline_page):
    data = graph[0]
    _, path = page(graph, tmp_path)
    open_page(offline_page, path)
    click_node(offline_page, QUALITY)
    offline_page.click("#kg-task-view")
    focus = render_html(data, reference=REF, focus="大同市质量技术监督局")
    counts = offline_page.evaluate("kgCounts()")
    assert counts["mode"] == "tasks" and (counts["nodes"], counts["edges"]) == (focus.nodes, focus.edges)
    assert focus.nodes == 15 + len({a.agency for a in data.assignments
                                    if a.task in {b.task for b in data.assignments if b.agency == QUALITY}})
    offline_page.click("#kg-agency-view")
    assert offline_page.evaluate("kgCounts()")["nodes"] == len({a.agency for a in data.assignments})
    assert offline_page.kg_errors == []


@pytest.mark.browser
def test_exports_png_and_formula_safe_csv(graph, tmp_path, offline_page):
    _, path = page(graph, tmp_path)
    open_page(offline_page, path)
    png = offline_page.evaluate("kgPng()")
    assert png.startswith("data:image/png;base64,")
    assert len(base64.b64decode(png.split(",", 1)[1])) > 10_000
    cells = offline_page.evaluate("['=1+1', '+1', '-1', '@SUM(A1)', 'a,b', '质监'].map(kgCsvCell)")
    assert cells == ["'=1+1", "'+1", "'-1", "'@SUM(A1)", '"a,b"', "质监"]
    click_node(offline_page, QUALITY)
    with offline_page.expect_download() as download:
        offline_page.click("#kg-csv")
    saved = Path(download.value.path()).read_bytes()
    assert saved.startswith("\ufeff".encode("utf-8")) and "市质监局".encode("utf-8") in saved


@pytest.mark.browser
def test_hostile_text_is_inert_in_panel_and_source_view(graph, tmp_path, offline_page):
    rendered, path = page(graph, tmp_path, "hostile.html", document=HOSTILE.name)
    assert "<script>window.kgPwned" not in rendered.html
    open_page(offline_page, path)
    ids = offline_page.evaluate("nodes.getIds()")
    assert ids
    shown = []
    for node in ids:
        click_node(offline_page, node)
        offline_page.wait_for_selector("#kg-panel h2")
        shown.append(offline_page.inner_text("#kg-panel"))
        for link in range(offline_page.locator("#kg-panel .kg-source-link").count()):
            offline_page.click(f"#kg-panel .kg-source-link >> nth={link}")
            shown.append(offline_page.inner_text("#kg-source"))
            offline_page.click("#kg-source .kg-back")
    text = "\n".join(shown)
    for fragment in ("<script>window.kgPwned=4</script>", "<svg/onload=window.kgPwned=6>",  # shown as text
                     '"><img src=x onerror="window.kgPwned=2">'):
        assert fragment in text
    title = offline_page.evaluate("document.querySelectorAll('#kg-document option')[1].textContent")
    assert "<script>window.kgPwned=1</script>" in title  # the document title, shown as text
    assert offline_page.evaluate("document.querySelectorAll('img, svg image, iframe, a[href^=javascript]').length") == 0
    assert offline_page.evaluate("typeof window.kgPwned") == "undefined"
    assert offline_page.kg_errors == []


@pytest.mark.browser
def test_clicking_a_link_lists_the_shared_tasks(graph, tmp_path, offline_page):
    data = graph[0]
    commerce = "https://w3id.org/cgr/id/agency/大同市/industry_commerce_administration"
    both = {a.task for a in data.assignments if a.agency == QUALITY and not a.inferred} & \
        {a.task for a in data.assignments if a.agency == commerce and not a.inferred}
    assert len(both) == 10  # README: 市质监局's strongest partner, 大同市工商行政管理局(10)
    _, path = page(graph, tmp_path)
    open_page(offline_page, path)
    edge = offline_page.evaluate(f"edges.get({{filter: e => [e.from, e.to].sort().join() === "
                                 f"['{QUALITY}', '{commerce}'].sort().join()}})[0]")
    assert edge["value"] == 10
    offline_page.evaluate(f"kgClick({{nodes: [], edges: ['{edge['id']}']}})")  # the click handler itself
    assert offline_page.inner_text("#kg-panel .kg-sub") == "10 项共同任务 shared tasks"
    rows = panel_rows(offline_page)
    assert {(r["path"], r["agency"]) for r in rows} >= {(r["path"], "大同市质量技术监督局") for r in rows}
    paths = {t.path for t in data.tasks if t.task in both}
    assert {r["path"] for r in rows} == paths and {r["agency"] for r in rows} == {"大同市质量技术监督局",
                                                                                  "大同市工商行政管理局"}
