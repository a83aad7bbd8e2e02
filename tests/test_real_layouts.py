"""Issue 10, capabilities 3-6, on sentences written from the grammar of Chinese plans (not copied from
any document): role words in all their forms, lists, notes, fragments and truncation, paragraph
separators. Expected values are worked out by hand from each input."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from kg.extract.pipeline import extract_source
from kg.extract.read import make_source
from kg.model import DocumentExtraction


def extract(text: str) -> DocumentExtraction:
    return extract_source(make_source("t.txt", text))


def written(doc: DocumentExtraction) -> list[list[tuple[str, str]]]:
    """Per clause, the (mention, role) pairs written in it (inferred ones left out)."""
    return [[(m.text, m.role.value) for m in c.mentions if not m.inferred] for c in doc.clauses]


def paths(doc: DocumentExtraction) -> dict[str | None, list[tuple[str, str, bool]]]:
    tasks = {t.key: t.path for t in doc.tasks}
    out: dict[str | None, list[tuple[str, str, bool]]] = {}
    for a in doc.assignments:
        out.setdefault(tasks.get(a.task), []).append((a.mention.text, a.mention.role.value, a.mention.inferred))
    return out


# Capability 3: role words in all their forms

def test_label_lines_of_every_role():
    doc = extract("一、重点任务\n(一)改造老旧小区。\n牵头负责部门:市住建局\n主要责任单位:市城管局、市交通局\n"
                  "(二)整治河道。\n责任主体:各镇人民政府\n")
    assert written(doc) == [[("市住建局", "lead"), ("市城管局", "responsible"), ("市交通局", "responsible")],
                            [("各镇人民政府", "responsible")]]
    assert [c.text for c in doc.clauses][0] == "牵头负责部门:市住建局\n主要责任单位:市城管局、市交通局"


def test_host_and_co_host_words():
    doc = extract("一、任务\n(一)举办文化节。(市文旅局主办,市体育局、市教育局协办)\n"
                  "(二)办理来信。(承办单位:市信访局;协办单位:市公安局、市司法局)\n")
    assert written(doc) == [
        [("市文旅局", "lead"), ("市体育局", "support"), ("市教育局", "support")],
        [("市信访局", "responsible"), ("市公安局", "support"), ("市司法局", "support")],
    ]


@pytest.mark.parametrize("sentence, clause, expected", [
    ("由市水利局会同市农业农村局、市生态环境局负责。", "由市水利局会同市农业农村局、市生态环境局负责",
     [("市水利局", "lead"), ("市农业农村局", "support"), ("市生态环境局", "support")]),
    ("保障供水。(市民政局会同市卫健委、市医保局组织实施)", "(市民政局会同市卫健委、市医保局组织实施)",
     [("市民政局", "lead"), ("市卫健委", "support"), ("市医保局", "support")]),
    ("由市科技局会同有关部门制定具体办法。", "由市科技局会同有关部门", [("市科技局", "lead"), ("有关部门", "support")]),
    ("由市金融办牵头,会同市财政局等部门防范风险。", "由市金融办牵头,会同市财政局等部门",
     [("市金融办", "lead"), ("市财政局", "support")]),
])
def test_joint_lead_with_partners(sentence, clause, expected):
    doc = extract("一、任务\n(一)" + sentence + "\n")
    assert [c.text for c in doc.clauses] == [clause]
    assert written(doc) == [expected]


def test_a_list_ended_by_deng_before_the_verb_keeps_every_unit():
    doc = extract("一、任务\n(一)稳定就业。(市人社局、市总工会等负责)\n(二)扩大消费,市商务局、市市场监管局等负责。\n")
    assert written(doc) == [[("市人社局", "responsible"), ("市总工会", "responsible")],
                            [("市商务局", "responsible"), ("市市场监管局", "responsible")]]


# Capability 4: lists

def test_the_last_unit_of_a_list_is_never_dropped():
    doc = extract("一、任务\n(一)防控疫情。(责任单位:市卫健委、市疾控中心、市医保局)\n"
                  "(二)完善救助。\n责任单位:市民政局、市残联\n")
    assert written(doc) == [[("市卫健委", "responsible"), ("市疾控中心", "responsible"), ("市医保局", "responsible")],
                            [("市民政局", "responsible"), ("市残联", "responsible")]]


def test_a_note_glued_to_the_last_unit_is_a_note_that_holds_from_its_clause():
    doc = extract("一、任务\n(一)畅通道路。\n责任单位:市交通局、市公安局(列第一位的为牵头单位,下同)\n"
                  "(二)治理停车。\n责任单位:市城管局、市住建局\n(三)管理出租车。\n责任单位:市交通局\n")
    assert written(doc) == [
        [("市交通局", "lead"), ("市公安局", "responsible")],
        [("市城管局", "lead"), ("市住建局", "responsible")],
        [("市交通局", "responsible")],  # a single unit stays responsible
    ]


def test_a_bracket_that_is_part_of_the_name_stays():
    doc = extract("一、任务\n(一)规范市场。(责任单位:市场监管局(知识产权局)、各县(市、区)政府)\n")
    assert written(doc) == [[("市场监管局(知识产权局)", "responsible"), ("各县(市、区)政府", "responsible")]]


def test_an_elided_shared_suffix_gives_one_mention_per_item_resolved_with_the_suffix():
    doc = extract("一、任务\n(一)修缮校舍。(市教育局牵头,东山、西山、南山县人民政府配合)\n"
                  "(二)疏浚河道。(各县、市、区政府负责)\n")
    assert written(doc) == [
        [("市教育局", "lead"), ("东山", "support"), ("西山", "support"), ("南山县人民政府", "support")],
        [("各县", "responsible"), ("市", "responsible"), ("区政府", "responsible")],
    ]
    by_text = {(a.clause.start, a.mention.text): a for a in doc.assignments}
    first = doc.clauses[0].start
    assert [by_text[(first, n)].mention.elided_suffix for n in ("东山", "西山", "南山县人民政府")] == \
        ["县人民政府", "县人民政府", ""]
    assert {by_text[(first, n)].agency.function for n in ("东山", "西山", "南山县人民政府")} == {"government"}
    assert by_text[(first, "东山")].agency.jurisdiction == "东山县"
    second = doc.clauses[1].start
    assert [by_text[(second, n)].mention.elided_suffix for n in ("各县", "市", "区政府")] == ["政府", "政府", ""]
    assert by_text[(second, "市")].agency.function == "government"


def test_a_bare_level_word_is_a_unit_only_with_a_suffix_to_share():
    doc = extract("一、任务\n(一)推进合作。(市发改委、县负责)\n(二)推进交流。(省、市、县发改委负责)\n")
    assert written(doc) == [[("市发改委", "responsible")],
                            [("省", "responsible"), ("市", "responsible"), ("县发改委", "responsible")]]
    assert [m.elided_suffix for m in doc.clauses[1].mentions] == ["发改委", "发改委", ""]
    assert {a.agency.function for a in doc.assignments} == {"development_reform"}


# Capability 5: notes

NOTE_DOC = ("一、任务\n(一)盘活存量。(责任单位:市国资委)\n"
            "(二)降低成本。(责任单位:市发改委、市财政局,各县(市、区)政府。以下各项措施均需各县(市、区)政府、"
            "开发区管委会落实,不再单独列出)\n"
            "(三)减免租金。(责任单位:市国资委)\n"
            "(四)缓缴社保。(责任单位:市人社局、开发区管委会)\n")


def test_a_note_sentence_names_its_units_once_where_written():
    doc = extract(NOTE_DOC)
    assert written(doc)[1] == [("市发改委", "responsible"), ("市财政局", "responsible"),
                               ("各县(市、区)政府", "responsible"), ("开发区管委会", "responsible")]
    assert not any("以下" in m for clause in written(doc) for m, _ in clause)
    assert "carries-units" in doc.clauses[1].notes


def test_a_note_sentence_carries_its_units_to_the_tasks_below_only():
    found = paths(extract(NOTE_DOC))
    assert found["1.1"] == [("市国资委", "responsible", False)]  # above the note: nothing carried
    assert found["1.3"] == [("市国资委", "responsible", False), ("各县(市、区)政府", "responsible", True),
                            ("开发区管委会", "responsible", True)]
    assert found["1.4"] == [("市人社局", "responsible", False), ("开发区管委会", "responsible", False),
                            ("各县(市、区)政府", "responsible", True)]  # written units are not repeated


def test_a_note_sentence_that_does_not_look_forward_is_not_carried():
    doc = extract("一、任务\n(一)整治环境。(责任单位:市生态环境局。具体任务均涉及各乡镇人民政府)\n"
                  "(二)建设公园。(责任单位:市园林局)\n")
    assert written(doc) == [[("市生态环境局", "responsible"), ("各乡镇人民政府", "responsible")],
                            [("市园林局", "responsible")]]
    assert not any(m.inferred for c in doc.clauses for m in c.mentions)


def test_ditto_in_a_note_sentence_carries_only_the_note_units():
    doc = extract("一、任务\n(一)改善营商环境。〔责任单位:省发展改革委、省商务厅按职责分工负责。具体任务均涉及相关市人民政府,"
                  "不再做分工,下同。〕\n(二)优化准入。〔责任单位:省市场监管局〕\n")
    assert paths(doc)["1.2"] == [("省市场监管局", "responsible", False), ("相关市人民政府", "responsible", True)]


# Capability 6: fragments, truncation, separators

@pytest.mark.parametrize("text", [
    "(三)加强监管。(市市场监管局负责)\n(四)优化服务。(市政务服务中心负责)\n",  # the numbering does not start
    "三、保障措施\n(一)加强领导。(市委办负责)\n",  # the top level does not start
    "(一)加强监管。(市市场监管局负责)\n(二)优化服务。(市政务服务中心负责)\n",  # opens on a sub-level heading
])
def test_paths_of_a_fragment_are_unknown(text):
    doc = extract(text)
    assert doc.assignments and all(t.path is None for t in doc.tasks)


def test_paths_are_counted_when_the_numbering_starts_after_a_preamble():
    doc = extract("为推进工作,制定如下措施。\n(一)加强监管。(市市场监管局负责)\n(二)优化服务。(市政务服务中心负责)\n")
    assert sorted(paths(doc)) == ["1", "2"]


def test_a_clause_cut_off_by_the_end_of_the_text_is_truncated():
    doc = extract("一、任务\n(一)扩大投资。\n牵头单位:市发改委\n责任单位:市财政局、市自然资")
    assert written(doc) == [[("市发改委", "lead"), ("市财政局", "responsible")]]
    assert "truncated" in doc.clauses[0].notes


def test_a_complete_clause_is_not_truncated():
    doc = extract("一、任务\n(一)扩大投资。(责任单位:市发改委、市财政局)")
    assert doc.clauses[0].notes == () and len(doc.clauses[0].mentions) == 2


@pytest.mark.parametrize("separator", ["\u2029", "\u2028", "\f", "\u0420", "\u00b6"])
def test_paragraph_separators_break_lines_and_offsets_index_the_text(separator):
    text = separator.join(["一、任务", "(一)加强监管。", "责任单位:市市场监管局", "(二)优化服务。",
                           "责任单位:市政务服务中心"])
    doc = extract(text)
    assert paths(doc) == {"1.1": [("市市场监管局", "responsible", False)],
                          "1.2": [("市政务服务中心", "responsible", False)]}
    for clause in doc.clauses:
        assert text[clause.start:clause.end] == clause.text
        assert all(text[m.start:m.end] == m.text for m in clause.mentions)


def test_a_letter_inside_a_foreign_word_is_not_a_separator():
    from kg.extract.read import stray_separators

    assert stray_separators("按照Россия标准") == set()
    assert stray_separators("完成。\u0420(二)推进") == {"\u0420"}


# Issue 9: what looks like an agency is known below clauses and tables; resolution runs after them

def test_clause_finding_does_not_import_the_resolver():
    package = Path(__file__).resolve().parents[1] / "kg" / "extract"
    for name in ("lexicon", "units", "grammar", "notes", "clauses", "tables", "assign"):
        tree = ast.parse((package / f"{name}.py").read_text(encoding="utf-8"))
        imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert "kg.extract.resolve" not in imported, name
