"""Issue 12 acceptance, on documents written for it (tests/data/agency): level-right labels,
collectives and merged bodies, reform events in the graph, and the comparison across years
rolled up to successors. Expected figures are worked out by hand from the documents."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.extract.pipeline import extract

DOCS = Path(__file__).resolve().parent / "data" / "agency"


def agencies(name: str) -> dict[str, tuple[str, str]]:
    """mention as written → (canonical name, function key)."""
    return {a.mention.text: (a.agency.name, a.agency.function) for a in extract(DOCS / name).assignments}


def test_provincial_document_gets_provincial_names():
    found = agencies("province_2020.txt")
    assert found["省文化广电旅游厅"] == ("湖南省文化和旅游厅", "culture_tourism")
    assert found["省发展改革委"] == ("湖南省发展和改革委员会", "development_reform")
    assert found["省质量强省办"] == ("湖南省质量强省工作领导小组办公室", "quality_strategy_office")
    assert found["省政府办公厅"] == ("湖南省人民政府办公厅", "government_office")


def test_county_document_gets_county_names_collectives_and_merged_bodies():
    found = agencies("county_2016.txt")
    assert found["县市场局"] == ("宁乡县市场监督管理局", "market_regulation")
    assert found["县文广旅体局"] == ("宁乡县文化和旅游局", "culture_tourism")
    assert found["县发改局(粮食局)"][1] == "development_reform+grain"
    assert found["工商局(质监局)"][1] == "industry_commerce_administration+quality_technical_supervision"
    assert found["各乡镇人民政府"][1] == "collective:townships"
    assert found["县直各部门"][1] == "collective:relevant_departments"


def test_issuer_and_group_members_are_resolved_in_the_pipeline():
    doc = extract(DOCS / "province_2020.txt")
    assert doc.issuer_agency is not None
    assert (doc.issuer_agency.name, doc.issuer_agency.function) == ("湖南省人民政府办公厅", "government_office")
    group = next(g for g in doc.groups if g.name.endswith("质量强省工作领导小组"))
    assert [a.name for a in group.member_agencies] == ["湖南省发展和改革委员会", "湖南省市场监督管理局", "湖南省文化和旅游厅"]
    assert group.host_agency is not None and group.host_agency.name == "湖南省市场监督管理局"


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def city(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("city")
    run("build", str(DOCS / "city_2016.txt"), str(DOCS / "city_2020.txt"), "--out", str(out))
    return out


def test_years_compare_by_successor_into_one_market_regulation_row(city):
    result = json.loads(run("compare", "--across", "year", "--successor", "--format", "json", "--out", str(city)))
    assert result["columns"] == ["2016", "2020"]
    rows = {r["key"]: r for r in result["rows"]}
    # 2016: 质监 leads alone (1.0), 工商 and 食药监 support (0.5 each); 2020: 市场监管 leads alone
    assert rows["market_regulation"] | {} == {"key": "market_regulation", "name": "市场监督管理局",
                                              "2016": 2.0, "2020": 1.0, "change": -1.0, "total": 3.0}
    assert rows["development_reform"]["2020"] == 0.5 and rows["development_reform"]["2016"] == 0.0
    assert set(rows) == {"market_regulation", "development_reform"}


def test_without_successor_old_bodies_stay_themselves(city):
    result = json.loads(run("compare", "--across", "year", "--format", "json", "--out", str(city)))
    rows = {r["key"]: r for r in result["rows"]}
    assert rows["quality_technical_supervision"]["2016"] == 1.0
    assert rows["industry_commerce_administration"]["2016"] == 0.5
    assert rows["market_regulation"]["2016"] == 0.0 and rows["market_regulation"]["2020"] == 1.0


def test_agency_comparison_rolls_up_within_the_city(city):
    result = json.loads(run("compare", "--across", "document", "--by", "agency", "--successor", "--format", "json",
                            "--out", str(city)))
    names = [r["name"] for r in result["rows"]]
    assert names[0] == "株洲市市场监督管理局" and names.count("株洲市市场监督管理局") == 1
    assert all(c.endswith(("(2016)", "(2020)")) and not c.endswith(".txt") for c in result["columns"])


def test_reform_event_links_old_bodies_to_the_city_successor(city):
    query = """PREFIX org: <http://www.w3.org/ns/org#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    PREFIX dct: <http://purl.org/dc/terms/>
    SELECT ?old ?new ?year WHERE { ?e a org:ChangeEvent ; org:originalOrganization ?o ; org:resultingOrganization ?n ;
      dct:date ?year . ?o skos:prefLabel ?old . ?n skos:prefLabel ?new } ORDER BY ?old"""
    rows = json.loads(run("sparql", query, "--format", "json", "--out", str(city)))
    assert {(r["old"], r["new"], str(r["year"])) for r in rows} == {
        ("株洲市质量技术监督局", "株洲市市场监督管理局", "2019"),
        ("株洲市工商行政管理局", "株洲市市场监督管理局", "2019"),
        ("株洲市食品药品监督管理局", "株洲市市场监督管理局", "2019"),
    }


def test_report_and_sparql_agree_on_weighted_burden(city):
    report = json.loads(run("report", "burden", "--format", "json", "--out", str(city)))
    sparql = json.loads(run("sparql", "burden", "--format", "json", "--out", str(city)))
    assert [(r["name"], round(r["burden"], 6)) for r in report] == [(r["name"], float(r["burden"])) for r in sparql]
    rolled = json.loads(run("report", "burden", "--by", "successor", "--format", "json", "--out", str(city)))
    by_sparql = json.loads(run("sparql", "burden_by_successor", "--format", "json", "--out", str(city)))
    assert [(r["function"], r["burden"]) for r in rolled] == [(r["function"], float(r["burden"])) for r in by_sparql]
    assert rolled[0]["function"] == "market_regulation" and rolled[0]["burden"] == 3.0


def test_compare_rejects_nothing_silently(city):
    result = CliRunner().invoke(cli, ["compare", "--across", "decade", "--out", str(city)])
    assert result.exit_code != 0 and "decade" in result.output


def test_report_page_compares_by_title_and_year_never_file_name(city):
    html = (city / "report.html").read_text(encoding="utf-8")
    section = html[html.index('<table class="compare">'):]
    section = section[:section.index("</table>")]
    assert "株洲市2016年质量工作要点的通知 (2016)" in section and "(2020)" in section
    row = section[section.index("<th>市场监督管理局</th>"):]
    row = row[:row.index("</tr>")]
    assert re.findall(r'>([-+0-9.]+)</td>', row) == ["2.00", "1.00", "-1.00"]
    assert "city_2016" not in html and "city_2020" not in html
