"""Task tables in every text rendering, through the real CLI: paths, roles, and what never counts
(person, deadline, progress and remark columns). Tables are written from how task-division tables
are laid out; the expected rows are worked out by hand from each table."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner
from hypothesis import given, settings, strategies as st

from kg.cli import cli
from kg.extract.pipeline import extract_source
from kg.extract.read import make_source


def extract(tmp_path: Path, text: str, fmt: str = "csv", name: str = "plan.txt") -> list[dict]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(path), "--format", fmt])
    assert result.exit_code == 0, result.output
    if fmt == "json":
        return json.loads(result.stdout)
    return list(csv.DictReader(io.StringIO(result.stdout)))


def triples(rows: list[dict]) -> list[tuple[str, str, str]]:
    return [(r["path"], r["role"], r["mention"]) for r in rows]


def test_one_cell_per_paragraph_with_a_progress_column(tmp_path):
    text = ("县政府重点工作进展情况表\n\n序号\n\n重点工作\n\n进展情况\n\n责任单位\n\n"
            "1\n\n加快建设物流园区。\n\n已完成选址,正在开展前期工作。\n\n县商务局\n\n"
            "2\n\n推进农村电商发展。\n\n已培训电商人员200人。\n\n县商务局、县农业农村局\n")
    assert triples(extract(tmp_path, text)) == [
        ("1", "responsible", "县商务局"), ("2", "responsible", "县商务局"), ("2", "responsible", "县农业农村局")]


def test_one_cell_per_line_with_trailing_pipes_person_deadline_and_remark(tmp_path):
    header = ["序号", "重点任务", "责任领导", "牵头单位", "配合单位", "完成时限", "备注"]
    rows = [["1", "建设智慧城市平台", "王明", "市大数据局", "市财政局、市发展改革委", "2022年12月底", "续建"],
            ["2", "实施城市更新行动", "李华", "市住建局", "市自然资源局", "长期", "新建"]]
    text = "".join(f"{cell} |\n" for cell in header + rows[0] + rows[1])
    got = extract(tmp_path, text)
    assert triples(got) == [("1", "lead", "市大数据局"), ("1", "support", "市财政局"), ("1", "support", "市发展改革委"),
                            ("2", "lead", "市住建局"), ("2", "support", "市自然资源局")]
    assert {r["title"] for r in got} == {"建设智慧城市平台", "实施城市更新行动"}


def test_merged_cell_leaves_a_task_without_clause(tmp_path):
    text = ("序号\n工作任务\n牵头单位\n完成时限\n"
            "1\n开展质量提升行动\n市市场监管局\n2021年底\n"
            "2\n推进品牌建设\n2022年6月\n"
            "3\n加强标准化建设\n市市场监管局\n长期\n")
    assert triples(extract(tmp_path, text)) == [("1", "lead", "市市场监管局"), ("3", "lead", "市市场监管局")]
    doc = extract(tmp_path, text, "json")[0]
    row_two = next(t for t in doc["tasks"] if t["path"] == "2")
    assert row_two["title"] == "推进品牌建设" and row_two["clauses"] == [] and row_two["section"] == "action"


def test_unnumbered_rows_take_the_heading_path_and_their_ordinal(tmp_path):
    text = ("目标\n任务\n主要内容\n责任单位\n"
            "一、提升公共服务水平\n(一)优化政务服务\n推行一窗受理,压缩办理时限。\n市政务服务中心牵头落实\n"
            "建设网上办事大厅,实现全程网办。\n市大数据局、市政务服务中心分别牵头落实\n"
            "(二)完善社会保障\n扩大养老保险覆盖面。\n市人社局负责\n")
    assert triples(extract(tmp_path, text)) == [
        ("1.1.1", "lead", "市政务服务中心"), ("1.1.2", "lead", "市大数据局"), ("1.1.2", "lead", "市政务服务中心"),
        ("1.2.1", "responsible", "市人社局")]


def test_spaced_rows_from_a_pdf_text_layer(tmp_path):
    text = ("附件\n重点任务分工表\n"
            "序号  工作任务  牵头单位  配合单位  完成时限\n"
            "1  推进老旧小区改造  市住建局  市财政局、市自然资源局  2021年底\n"
            "2  新建 5G 基站 2000 个  市工信局  2021年12月\n")
    assert triples(extract(tmp_path, text)) == [
        ("1", "lead", "市住建局"), ("1", "support", "市财政局"), ("1", "support", "市自然资源局"),
        ("2", "lead", "市工信局")]


def test_letter_spaced_header_and_single_spaces(tmp_path):
    text = "序号 工 作 任 务 牵头负责部门\n1 城镇新增就业100万人以上 人力资源社会保障部\n2 安排专项债券300亿元 财政部\n"
    assert triples(extract(tmp_path, text)) == [("1", "lead", "人力资源社会保障部"), ("2", "lead", "财政部")]


def test_person_column_in_a_pipe_table_is_never_an_agency(tmp_path):
    text = ("序号 | 重点工作 | 市政府分管领导 | 牵头单位 | 配合单位\n"
            "1 | 优化营商环境 | 李强 | 市发展改革委 | 市市场监管局\n")
    assert triples(extract(tmp_path, text)) == [("1", "lead", "市发展改革委"), ("1", "support", "市市场监管局")]


def test_numbering_restarted_per_section_row_is_prefixed(tmp_path):
    text = ("序号 | 重点任务 | 责任单位\n一 | 稳定经济增长 |\n1 | 扩大有效投资 | 市发展改革委\n2 | 促进消费 | 市商务局\n"
            "二 | 改善民生 |\n1 | 稳定就业 | 市人社局\n")
    assert triples(extract(tmp_path, text)) == [
        ("1.1", "responsible", "市发展改革委"), ("1.2", "responsible", "市商务局"), ("2.1", "responsible", "市人社局")]


def test_a_cell_cut_by_the_end_of_the_text_loses_only_its_cut_name(tmp_path):
    text = "序号\t工作任务\t牵头单位\n1\t推进清洁取暖\t市住建局\n2\t治理扬尘污染\t市生态环境局、市城管"
    assert triples(extract(tmp_path, text)) == [("1", "lead", "市住建局"), ("2", "lead", "市生态环境局")]


def test_label_lines_are_not_a_one_cell_table(tmp_path):
    text = "一、任务\n1.加强监管。\n牵头单位:市商务局\n配合单位:市财政局\n"
    assert triples(extract(tmp_path, text)) == [("1.1", "lead", "市商务局"), ("1.1", "support", "市财政局")]


AGENCIES = ["市发展改革委", "市财政局", "市商务局", "市住建局", "市教育局", "市卫生健康委"]
TASKS = ["推进重点项目建设", "加强市场监管执法", "优化营商环境", "发展数字经济", "完善养老服务体系"]
DEADLINES = ["2021年底", "长期坚持", "2022年6月底前"]


def render(rows: list[tuple[str, list[str], list[str], str]], style: str) -> str:
    header = ["序号", "重点任务", "牵头单位", "配合单位", "完成时限"]
    cells = [[str(k + 1), task, "、".join(lead), "、".join(support), deadline]
             for k, (task, lead, support, deadline) in enumerate(rows)]
    if style in ("pipe", "tab"):
        sep = " | " if style == "pipe" else "\t"
        return "\n".join(sep.join(r) for r in [header] + cells) + "\n"
    if style == "spaced":
        return "\n".join("  ".join(c for c in r if c) for r in [header] + cells) + "\n"
    end = {"lines": "\n", "paragraphs": "\n\n", "trailing-pipe": " |\n"}[style]
    return "".join(c + end for r in [header] + cells for c in r if c)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(TASKS), st.lists(st.sampled_from(AGENCIES), min_size=1, max_size=2, unique=True),
                          st.lists(st.sampled_from(AGENCIES), max_size=2, unique=True), st.sampled_from(DEADLINES)),
                min_size=1, max_size=6),
       st.sampled_from(["pipe", "tab", "spaced", "lines", "paragraphs", "trailing-pipe"]),
       st.sampled_from(["", "一、重点任务分工\n", "附件\n"]))
def test_every_rendering_gives_the_rows_and_offsets_round_trip(rows, style, before):
    source = make_source("t.txt", before + render(rows, style))
    doc = extract_source(source)
    tasks = {t.key: t for t in doc.tasks}
    got = [(tasks[a.task].path, a.mention.role.value, a.mention.text) for a in doc.assignments]
    expected = [(str(k + 1), role, unit) for k, (_, lead, support, _) in enumerate(rows)
                for role, units in (("lead", lead), ("support", support)) for unit in units]
    assert got == expected
    for clause in doc.clauses:
        assert source.text[clause.start:clause.end] == clause.text
        for m in clause.mentions:
            assert source.text[m.start:m.end] == m.text and clause.start <= m.start < m.end <= clause.end
