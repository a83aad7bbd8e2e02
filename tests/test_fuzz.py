"""Fuzzing the reader, segmenter and clause parser: no exception but DocumentError escapes, and
every offset stays valid. Bounded: a few hundred examples each, well under a minute in CI."""
from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from kg.errors import DocumentError
from kg.extract.pipeline import extract, extract_source
from kg.extract.read import decode, make_source

BAD = Path(__file__).resolve().parent / "data" / "bad"
HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
PUNCT = st.sampled_from(list("、,，;；:：。()（）〔〕【】[]《》“”\"'|\t\n \u3000\u200b\u00a0-—…·"))
STORM = st.lists(st.one_of(HAN, PUNCT, st.sampled_from(["牵头", "配合", "负责", "责任单位:", "下同", "各乡镇",
                                                         "一、", "(一)", "1.", "①", "一是", "由", "等部门"])),
                 max_size=300).map("".join)
FAST = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def valid(text: str) -> None:
    doc = extract_source(make_source("fuzz.txt", text))
    for clause in doc.clauses:
        assert 0 <= clause.start < clause.end <= len(doc.source.text)
        assert doc.source.text[clause.start:clause.end] == clause.text
        for m in clause.mentions:
            assert m.text in clause.text and doc.source.text[m.start:m.end] == m.text
    for task in doc.tasks:
        assert 0 <= task.start <= task.text_start <= task.end <= len(doc.source.text)


@FAST
@given(st.binary(max_size=2000))
def test_decode_random_bytes(data):
    try:
        text, encoding = decode(data, "fuzz.txt")
    except DocumentError:
        return
    assert isinstance(text, str) and encoding


@FAST
@given(STORM)
def test_punctuation_storms(text):
    valid(text)


@FAST
@given(st.integers(0, 10**6), st.sampled_from(sorted(p.name for p in BAD.glob("*.txt"))))
def test_truncated_nasty_documents(cut, name):
    data = (BAD / name).read_bytes()
    try:
        text, _ = decode(data[: cut % (len(data) + 1)], name)
    except DocumentError:
        return
    valid(text)


@settings(max_examples=60, deadline=None)
@given(st.binary(min_size=1, max_size=3000), st.sampled_from([".txt", ".html", ".docx", ".pdf", ".md"]))
def test_any_file_reads_or_fails_with_a_document_error(tmp_path_factory, data, suffix):
    path = tmp_path_factory.mktemp("fuzz") / f"f{suffix}"
    path.write_bytes(data)
    try:
        extract(path)
    except DocumentError as exc:
        assert str(path) in str(exc)
