"""Properties that must hold for any text: no exception, offsets valid, mentions inside clauses."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

from kg.extract.pipeline import extract_source
from kg.extract.read import make_source

PIECES = ["一、", "(一)", "（二）", "1.", "2、", "(1)", "①", "一是", "二是", "牵头", "配合", "负责", "责任单位:",
          "牵头单位:", "市质监局", "区发改局", "各乡镇", "各县(市、区)政府", "、", ",", "，", ";", "。", "(", ")",
          "（", "）", "〔", "〕", "【", "】", "\n", " ", "\t", "|", "等部门按职责分工负责", "下同",
          "列第一位的为牵头单位", "由", "序号", "質監局", "牽頭", "2017年", "\u200b", "\ufeff"]
texts = st.lists(st.sampled_from(PIECES) | st.text(max_size=5), max_size=60).map("".join)


def check(text: str) -> None:
    source = make_source("f.txt", text)
    doc = extract_source(source)
    t = source.text
    for task in doc.tasks:
        assert 0 <= task.start <= task.end <= len(t)
    for clause in doc.clauses:
        assert 0 <= clause.start < clause.end <= len(t)
        assert t[clause.start:clause.end] == clause.text
        for m in clause.mentions:
            assert m.text and m.text in clause.text
            assert clause.start <= m.start < m.end <= clause.end and t[m.start:m.end] == m.text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_any_text_extracts_with_valid_offsets(text):
    check(text)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x9fff), max_size=300))
def test_random_unicode(text):
    check(text)


def test_bundled_documents_mentions_are_substrings_of_clauses(corpus_docs):
    for path in corpus_docs:
        check(path.read_text(encoding="utf-8"))


def test_truncated_documents(corpus_docs):
    text = corpus_docs[0].read_text(encoding="utf-8")
    for cut in range(0, len(text), 997):
        check(text[:cut])
