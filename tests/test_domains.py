"""Policy domains: the two-level 主题分类 scheme, the evidence that classifies a task, and the
levels reports show. Sentences are written for these tests, one per policy field; the expected
subjects are read off the scheme by hand."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import opencc
import pytest
from click.testing import CliRunner
from rdflib import Literal

from kg import paths
from kg.cli import cli
from kg.extract.pipeline import extract_source
from kg.extract.read import make_source
from kg.graph.rdf import document_graph
from kg.graph.vocab import CGR, DCTERMS, DOM
from kg.errors import ReferenceDataError
from kg.reference import load_reference

S2T = opencc.OpenCC("s2t").convert

FIELDS = [
    ("实施高校毕业生就业促进计划,扩大就业见习规模,落实失业保险稳岗返还政策", "labour_personnel_supervision",
     "employment"),
    ("深入开展重污染天气应对,加强工地扬尘管控和柴油货车尾气治理", "urban_rural_environment", "air_pollution"),
    ("做好政府信息主动公开,加强政策解读和回应社会关切", "general_affairs", "open_government"),
    ("持续优化营商环境,全面实施市场准入负面清单制度,切实减轻企业负担", "economic_management",
     "business_environment"),
    ("稳定粮食播种面积,加快高标准农田建设,培育家庭农场和农民专业合作社", "agriculture_forestry_water",
     "agriculture"),
    ("修订完善突发事件应急预案,定期开展应急演练,加强应急物资储备", "general_affairs", "emergency_management"),
    ("开展危险化学品安全生产专项整治,全面排查整治安全隐患", "market_regulation_safety", "work_safety"),
    ("巩固拓展脱贫攻坚成果,健全防止返贫动态监测和帮扶机制", "civil_affairs_poverty_relief",
     "poverty_alleviation"),
    ("扩大普惠性学前教育资源,推进义务教育优质均衡发展", "science_education", "education"),
    ("提升基层医疗卫生服务能力,推进家庭医生签约服务", "health_sports", "health"),
]


def _one_task(sentence: str, clause: str = "", title: str = "", script: str = "simplified"):
    text = (f"{title}\n" if title else "") + f"一、主要任务\n(一){sentence}。{clause}\n"
    doc = extract_source(make_source("t.txt", S2T(text) if script == "traditional" else text))
    task = next(t for t in doc.tasks if t.marker.startswith("(一)") or t.path == "1.1")
    return doc, task


@pytest.mark.parametrize("script", ["simplified", "traditional"])
@pytest.mark.parametrize("sentence,top,finer", FIELDS)
def test_task_words_decide_the_subject_in_both_scripts(sentence, top, finer, script):
    doc, task = _one_task(sentence, "(市政府办公室牵头)", script=script)
    assert doc.source.script == script
    assert doc.domains[task.key][0] == top
    assert finer in doc.domains[task.key][1:]
    assert doc.domain_evidence[task.key].basis == "text"


def test_lead_agency_decides_when_the_words_do_not():
    # nothing in "完善工作机制" names a subject; the lead is the environment bureau; the clause's own
    # words (教育局) must not count as task text, so the lead decides, not the supporting 教育局
    doc, task = _one_task("完善工作机制,细化工作措施", "(市生态环境局牵头,市教育局配合)")
    assert doc.domains[task.key][0] == "urban_rural_environment"
    assert doc.domain_evidence[task.key].basis == "agency"
    assert doc.domain_evidence[task.key].cues == ("ecology_environment",)


def test_words_across_word_boundaries_do_not_count():
    # 细化工作 is not 化工 (chemicals), 提高中小企业 not 高中 (high school), 人民政府 not 民政,
    # 全市政府 not 市政 (municipal works): only 中小企业 names a subject here
    doc, task = _one_task("细化工作措施,提高中小企业服务水平,各级人民政府和全市政府部门抓好落实")
    assert doc.domains[task.key] == ("economic_management", "business_environment")
    assert doc.domain_evidence[task.key].cues == ("中小企业",)


def test_heading_then_title_then_unclassified():
    text = "一、加强大气污染防治\n(一)完善工作机制。\n二、其他工作\n(一)完善工作机制。\n"
    doc = extract_source(make_source("t.txt", text))
    by_path = {t.path: t.key for t in doc.tasks}
    assert doc.domains[by_path["1.1"]][:2] == ("urban_rural_environment", "air_pollution")
    assert doc.domain_evidence[by_path["1.1"]] .basis == "heading"
    assert doc.domains[by_path["2.1"]] == ("unclassified",)
    assert doc.domain_evidence[by_path["2.1"]].basis == "none"
    titled = extract_source(make_source("t.txt", "某市促进就业工作方案\n\n一、其他工作\n(一)完善工作机制。\n"))
    task = next(t for t in titled.tasks if t.path == "1.1")  # a text opening on 二、 would have no paths
    assert titled.metadata.title and titled.domains[task.key][0] == "labour_personnel_supervision"
    assert titled.domain_evidence[task.key].basis == "title"


def test_a_parent_is_not_classified_by_its_sub_tasks_words():
    doc = extract_source(make_source("t.txt", "一、统筹推进重点工作\n(一)加强大气污染防治。\n"))
    parent = next(t for t in doc.tasks if t.path == "1")
    assert doc.domains[parent.key] == ("unclassified",)


def test_evidence_is_in_the_json_and_the_graph():
    from kg.extract.serialize import extraction_dict

    doc, task = _one_task("落实失业保险稳岗返还政策")
    row = next(t for t in extraction_dict(doc)["tasks"] if t["key"] == task.key)
    assert row["domains"][0] == "labour_personnel_supervision"
    assert row["domain_basis"] == "text" and "失业保险" in row["domain_cues"]
    graph = _as_graph(doc)
    subjects = set(graph.objects(None, DCTERMS.subject))
    assert {DOM["labour_personnel_supervision"], DOM["social_security"]} <= subjects
    assert Literal("text") in set(graph.objects(None, CGR.domainBasis))


def _as_graph(doc):
    """The document's graph as rdflib reads its N-Triples (so the text is valid N-Triples too)."""
    from rdflib import Graph

    lines, _ = document_graph(doc, load_reference(), "x")
    return Graph().parse(data=lines.ntriples().decode("utf-8"), format="nt")


def test_the_scheme_has_two_levels_under_the_catalogue_subjects():
    domains = load_reference().domains
    tops = [d.key for d in domains if not d.broader]
    assert {"general_affairs", "labour_personnel_supervision", "urban_rural_environment", "other"} <= set(tops)
    assert len(tops) >= 21
    assert all(d.broader in tops for d in domains if d.broader)
    assert {"metrology", "product_quality", "air_pollution", "employment"} <= {d.key for d in domains if d.broader}


@pytest.mark.parametrize("table,line,problem", [
    ("domains.csv", "x,甲,x,metrology,a\n", "top-level"),
    ("domains.csv", "unclassified,甲,x,,a\n", "reserved"),
    ("function_domains.csv", "no_such_function,general_affairs\n", "unknown function"),
    ("function_domains.csv", "sports,no_such_domain\n", "unknown domain"),
])
def test_bad_domain_rows_name_file_and_line(tmp_path: Path, table, line, problem):
    folder = tmp_path / "data"
    shutil.copytree(paths.DATA, folder, ignore=shutil.ignore_patterns("documents"))
    path = folder / table
    if table == "function_domains.csv":
        path.write_text(path.read_text(encoding="utf-8").replace("sports,sports\n", ""), encoding="utf-8")
    text = path.read_text(encoding="utf-8") + line
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ReferenceDataError, match=problem) as err:
        load_reference(folder)
    assert f"{table}:{text.count(chr(10))}" in str(err.value)


@pytest.fixture(scope="module")
def fields_store(tmp_path_factory) -> Path:
    """A store of one plan with a task per field, one agency-classified task and two unclassified ones
    (one of them with a responsible unit whose function says nothing of the subject)."""
    folder = tmp_path_factory.mktemp("fields")
    lines = [f"({'一二三四五六七八九十'[n]}){s}。(市政府办公室牵头)" for n, (s, _, _) in enumerate(FIELDS)]
    text = "一、主要任务\n" + "\n".join(lines) + "\n二、保障措施\n(一)完善工作机制。(市人力资源社会保障局牵头)\n" \
        "(二)细化工作措施。\n(三)抓好督促落实。(市政府办公室负责)\n"
    (folder / "plan.txt").write_text(text, encoding="utf-8")
    out = folder / "out"
    result = CliRunner().invoke(cli, ["build", str(folder / "plan.txt"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _csv_counts(text: str) -> dict[str, str]:
    return {line.split(",")[0]: line.split(",")[2] for line in text.splitlines()[1:] if line}


def test_domains_report_by_level(fields_store):
    top = CliRunner().invoke(cli, ["report", "domains", "--format", "csv", "--out", str(fields_store)])
    rows = _csv_counts(top.output)
    # 15 tasks. 一、主要任务 and 二、保障措施 have no subject word and no lead: unclassified, and so are
    # (二)细化工作措施 and (三)抓好督促落实 (政府办公室 has no usual domain) under them; open government and emergency management share 综合政务; the
    # employment sentence and the task led by 人力资源社会保障局 share 劳动、人事、监察
    assert rows["general_affairs"] == "2" and rows["labour_personnel_supervision"] == "2"
    assert rows["unclassified"] == "4"
    assert "air_pollution" not in rows
    fine = CliRunner().invoke(cli, ["report", "domains", "--level", "2", "--format", "csv", "--out", str(fields_store)])
    fine_rows = _csv_counts(fine.output)
    assert fine_rows["air_pollution"] == "1" and fine_rows["open_government"] == "1"
    assert fine_rows["labour_personnel_supervision"] == "1"  # the agency-classified task has no finer concept
    table = CliRunner().invoke(cli, ["report", "domains", "--out", str(fields_store)]).output
    assert "15 tasks, 4 unclassified (26.7%)" in table


def test_render_domain_filter_takes_either_level_and_rejects_typos(fields_store, tmp_path):
    out = tmp_path / "g.html"
    result = CliRunner().invoke(cli, ["render", "--domain", "air_pollution", "-o", str(out), "--out", str(fields_store)])
    assert result.exit_code == 0 and '"air_pollution"' in out.read_text(encoding="utf-8")
    result = CliRunner().invoke(cli, ["render", "--domain", "air_polution", "-o", str(out), "--out", str(fields_store)])
    assert result.exit_code != 0 and "no policy domain 'air_polution'" in result.output


def test_heat_map_uses_subjects_and_counts_the_unclassified(fields_store):
    html = (fields_store / "report.html").read_text(encoding="utf-8")
    assert "国民经济管理、国有资产监管" in html and "大气污染防治" not in html
    assert "4 of 15 tasks unclassified" in html


def test_shapes_require_a_domain_and_its_basis():
    from kg.graph.rdf import reference_graph
    from kg.graph.validate import validate_graph

    doc, _ = _one_task("完善工作机制")  # unclassified: still a subject (dom:unclassified) and a basis
    graph = _as_graph(doc)
    graph += reference_graph(load_reference())
    assert not [f for f in validate_graph(graph) if f.severity == "Violation"]
    graph.remove((None, CGR.domainBasis, None))
    assert {f.path for f in validate_graph(graph) if f.severity == "Violation"} == {"cgr:domainBasis"}


def test_unclassified_is_the_last_heat_map_column_and_no_hub_domain(fields_store):
    html = (fields_store / "report.html").read_text(encoding="utf-8")
    heads = re.findall(r'<th class="rot"><div>(.*?)</div>', html)
    assert heads[-1] == "未分类" and len(heads) == 10  # nine subjects of 市人民政府办公室's tasks, then 未分类
    result = CliRunner().invoke(cli, ["report", "coordination", "--format", "json", "--out", str(fields_store)])
    hubs = {h["name"]: h for h in json.loads(result.output)["domain-bridging_hubs"]}
    assert hubs["市人民政府办公室"]["domains"] == 9 and "unclassified" not in hubs["市人民政府办公室"]["domain_list"]
