"""Whole-text shortcuts of extraction find what the plain scans they stand in for find.

Each shortcut is run beside the plain algorithm it skips (kept in the code for the texts the
shortcut does not apply to, or written here as it was), on generated texts made of the
characters the rules look at: heading candidates found by two whole-text passes against the
line-by-line scan, the one-pass section test against the test per kind, the table tests that
skip a text (no line could open a table; no line is a bare column name) against the line tests,
the role-note pattern rewritten for the engine's fast scan, the 文号 search without ``^``, the
role words as a tree of prefixes against their longest-first alternation; records made by the
quick ``__init__`` against the dataclass's own contract; the numpy test for stray glyphs against
their character class.
"""
from __future__ import annotations

import dataclasses
import inspect
import pickle
import re

import pytest
from hypothesis import given, settings, strategies as st

from kg import model
from kg.extract import cell_lines, codepoints, grammar, metadata, notes, read, segment, tables
from kg.reference import load_reference

REFERENCE = load_reference()

HEADING_TEXT = st.text(alphabet="\n \u200b#*>。;:!?一二十(1)2第、.是甲乙部分\u3000①⑴", max_size=80)


@settings(max_examples=300, deadline=None)
@given(HEADING_TEXT)
def test_heading_candidates_are_those_of_the_line_by_line_scan(text):
    assert segment._candidates(text) == list(segment._candidates_by_line(text))


def test_heading_candidates_skip_table_rows_line_by_line():
    text = "一、任务\n| 1 | 加强监管 |\n(一)质量"
    assert segment._candidates(text) == [(0, True), (text.index("(一)"), True)]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="工作目标要求进度安排指导思想基本原则附则其他事项实施步骤甲乙", max_size=30))
def test_section_is_the_first_kind_whose_words_a_title_holds(title):
    plain = next((name for name, pattern in segment._SECTION_WORDS if pattern.search(title[:20])), None)
    assert segment._section(title) == plain


TABLE_TEXT = st.text(alphabet="\n \t|序号编牵头单位责任单位工作任务完成时限甲乙。、", max_size=80)


@settings(max_examples=300, deadline=None)
@given(TABLE_TEXT)
def test_no_grid_is_looked_for_only_where_no_line_could_open_one(text):
    if not tables.may_hold_grid(text):
        assert not any(tables._is_delimited(text, a, b) or tables._NUMBER_FIRST.match(text, a, b)
                       for a, b in tables.lines(text))
        assert tables.find_grids(text, REFERENCE) == []


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["序号", "牵头单位", "责任单位", "工作任务", " ", "\u3000", "|", "\n", "甲", "、"]),
                max_size=12))
def test_header_line_test_is_the_multiline_search(parts):
    text = "".join(parts)
    assert cell_lines.has_header_line(text, REFERENCE) == (tables.header_line_of(REFERENCE).search(text) is not None)


PLAIN_FIRST_IS_LEAD = re.compile(  # the note pattern as first written, one group for the first character
    r"(?:列|排|居|位)(?:在)?(?:第一|首|第1)(?:位|个)?的?(?:单位|部门)?(?:为|是)牵头"
    r"|第一(?:责任)?(?:单位|部门)(?:为|是)牵头"
    r"|排名第一的?(?:单位|部门)?(?:为|是)牵头"
    r"|首位的?(?:单位|部门)?(?:为|是)牵头"
    r"|第一个(?:单位|部门)?(?:为|是)牵头"
    r"|牵头(?:单位|部门)(?:列|排|放|居)(?:在)?(?:第一|首|第1)"
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["列", "排", "居", "位", "在", "第一", "首", "第1", "个", "的", "单位", "部门", "为", "是",
                                 "牵头", "名", "责任", "放", "甲"]), max_size=20))
def test_first_is_lead_finds_what_the_plain_pattern_finds(parts):
    text = "".join(parts)
    assert [m.span() for m in notes.FIRST_IS_LEAD.finditer(text)] == \
        [m.span() for m in PLAIN_FIRST_IS_LEAD.finditer(text)]


def plain_doc_number(view):
    """metadata._doc_number as first written: multiline ^…$ search, then any 文号 not cited."""
    field = re.search(r"文号\s*:\s*", view)
    if field and (m := metadata.DOC_NUMBER.match(view, field.end())):
        return m
    for m in re.finditer(r"^\s*(" + metadata.DOC_NUMBER.pattern + r")\s*$", view, re.M):
        return metadata._trimmed(view, m.start(1), m.end(1))
    for m in metadata.DOC_NUMBER.finditer(view):
        if not view[max(0, m.start() - 1):m.start()] in ("(", "《"):
            return metadata._trimmed(view, m.start(), m.end())
    return None


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["甲府发", "以", "乙办", "〔", "[", "(", "2017", "1999", "〕", "]", ")", "第", "24",
                                 "号", "\n", " ", "《", "文号:", "印发", "。"]), max_size=16))
def test_doc_number_is_the_plain_search(parts):
    text = "".join(parts)
    found, plain = metadata._doc_number(text), plain_doc_number(text)
    assert (found.span() if found else None) == (plain.span() if plain else None)


RECORDS = [model.Task, model.Mention, model.Clause, model.Agency, model.Assignment, model.DomainEvidence,
           grammar.RawClause]


def test_fast_records_keep_the_dataclass_signature_and_stay_frozen():
    for record in RECORDS:
        params = inspect.signature(record).parameters
        assert [(p.name, p.default) for p in params.values()] == \
            [(f.name, f.default if f.default is not dataclasses.MISSING else inspect.Parameter.empty)
             for f in dataclasses.fields(record)]
    mention = model.Mention("市财政局", 3, 7, model.Role.LEAD)
    assert mention == model.Mention(text="市财政局", start=3, end=7, role=model.Role.LEAD, elided_prefix="")
    assert hash(mention) == hash(dataclasses.replace(mention)) and pickle.loads(pickle.dumps(mention)) == mention
    assert dataclasses.replace(mention, inferred=True).inferred and not mention.inferred
    with pytest.raises(dataclasses.FrozenInstanceError):
        mention.start = 4  # type: ignore[misc]


TERMS = grammar.grammar(REFERENCE)
ROLE_TERMS = sorted(set(TERMS.labels) | set(TERMS.verbs) | set(TERMS.joints), key=len, reverse=True)
PLAIN_TOKEN = re.compile("|".join("(?:\u200b)*".join(map(re.escape, t)) for t in ROLE_TERMS))  # as first written


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(ROLE_TERMS), st.sampled_from(sorted(set("".join(ROLE_TERMS)))),
                          st.sampled_from(["\u200b", ",", "。", "甲局", "\n"])), max_size=12))
def test_role_word_tree_matches_the_longest_first_alternation(parts):
    text = "".join(parts)
    assert [m.span() for m in TERMS.token.finditer(text)] == [m.span() for m in PLAIN_TOKEN.finditer(text)]
    assert bool(TERMS.token.fullmatch(text)) == bool(PLAIN_TOKEN.fullmatch(text))
    plain_tail = re.compile(TERMS.tail.pattern.replace(TERMS.token.pattern, PLAIN_TOKEN.pattern))
    assert [m.groups() for m in TERMS.tail.finditer(text)] == [m.groups() for m in plain_tail.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(ROLE_TERMS[:12] + ["负责", "配合", "牵头", ":", ",", "。", "甲局", "(", ")"]), max_size=14),
       st.lists(st.tuples(st.integers(0, 60), st.integers(0, 12)), max_size=5))
def test_role_words_outside_skipped_spans_are_those_inside_does_not_reject(parts, cuts):
    text = "".join(parts)
    skip = sorted((a, a + n) for a, n in cuts)
    words = grammar.tokens(text, 0, len(text), TERMS)
    assert grammar.tokens(text, 0, len(text), TERMS, skip=skip) == \
        [w for w in words if not grammar.inside(w.start, skip)]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="一、任务。\u00b6\u00b5\u00b7\u0400\u03ff\u04ff\u0500\u052f\u0530\u058f\u0590ARz 1\n𠀋", max_size=40),
       st.integers(0, 3))
def test_stray_glyph_test_is_the_character_class(text, repeat):
    text = "加强质量监管。" * (400 * repeat) + text  # past the short-text cut-off from repeat 1 on
    assert codepoints.any_within(text, read._STRAY_RANGES) == (read._STRAY.search(text) is not None)
    found: dict[str, bool] = {}
    for m in read._STRAY.finditer(text):  # stray_separators without the shortcut
        i = m.start()
        before, after = text[i - 1:i], text[i + 1:i + 2]
        found[m.group()] = found.get(m.group(), True) and not read._LETTER.match(before) and \
            not read._LETTER.match(after) and any("\u3000" <= x <= "\u9fff" or "\uff00" <= x <= "\uffef"
                                                  for x in (before, after))
    assert read.stray_separators(text) == {c for c, alone in found.items() if alone}


def plain_find_grids(view):
    """tables.find_grids as first written: every line tested in turn."""
    grids, all_lines, i = [], tables.lines(view), 0
    while i < len(all_lines):
        a, b = all_lines[i]
        if tables._is_delimited(view, a, b):
            cells = tables.delimited_cells(view, a, b)
            kinds = [tables.column_kind(view[s:e], REFERENCE) for s, e in cells]
            if tables.is_header(kinds):
                i, grid = tables._read_delimited(view, all_lines, i + 1, kinds, (a, b))
                grids.append(grid)
                continue
        elif tables._NUMBER_FIRST.match(view, a, b) and \
                (spaced := tables._spaced_header(view, a, b, REFERENCE)) is not None:
            i, grid = tables._read_spaced(view, all_lines, i + 1, spaced, (a, b))
            if grid.rows:
                grids.append(grid)
            continue
        i += 1
    return grids


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["序号", "工作任务", "牵头单位", "责任单位", "完成时限", "|", "\t", " ", "\n", "\n\n", "1", "2",
                                 "加强监管", "市财政局", "市发改委、市商务局", "2024年底", "一、", "编号"]), max_size=40))
def test_grids_are_found_by_jumping_to_the_lines_that_may_open_them(parts):
    text = "".join(parts)
    assert tables.find_grids(text, REFERENCE) == plain_find_grids(text)


def test_grids_are_found_past_lines_that_cannot_open_them():
    text = "一、任务\n加强监管\n\n序号 工作任务 牵头单位\n1 加强监管 市财政局\n| 序号 | 工作任务 | 牵头单位 |\n| 1 | 抽查 | 市商务局 |\n"
    assert len(tables.find_grids(text, REFERENCE)) == 2 and tables.find_grids(text, REFERENCE) == plain_find_grids(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=" \t\u200b甲|\n", max_size=12), st.integers(0, 12), st.integers(0, 12))
def test_cell_trim_is_the_character_loop(text, a, b):
    a, b = sorted((min(a, len(text)), min(b, len(text))))
    plain_a, plain_b = a, b
    while plain_a < plain_b and text[plain_a] in " \t\u200b":
        plain_a += 1
    while plain_b > plain_a and text[plain_b - 1] in " \t\u200b":
        plain_b -= 1
    assert tables._trim(text, a, b) == (plain_a, plain_b)


def test_csv_rows_written_as_lists_are_those_of_the_dict_writer():
    import csv
    import io

    from kg.cells import spreadsheet_safe
    from kg.extract import serialize
    from kg.extract.pipeline import extract_source
    from kg.extract.read import make_source

    text = "一、任务\n(一)加强抽查。(=市质监局牵头,市公安局、-市财政局配合,下同)\n(二)\"推进\",认证。(@市商务局负责)\n"
    docs = [extract_source(make_source("a,b.txt", text), REFERENCE)]
    out = io.StringIO()
    writer = csv.DictWriter(out, serialize.CSV_COLUMNS, lineterminator="\n")  # the writer as first used
    writer.writeheader()
    for doc in docs:
        writer.writerows({k: spreadsheet_safe(v) for k, v in row.items()} for row in serialize.assignment_rows(doc))
    assert serialize.to_csv(docs) == out.getvalue() and out.getvalue().count("\n") >= 4
