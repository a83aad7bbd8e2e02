"""Property: on generated plan text in every clause form of issue 10 (label lines, brackets, prose,
会同, notes, elided suffixes, odd paragraph separators, text cut anywhere), every offset round-trips:
``text[start:end]`` is each clause and each mention, written or inferred."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

from kg.extract.pipeline import extract_source
from kg.extract.read import make_source

UNITS = ["市发改委", "市财政局", "区教育局", "各县(市、区)政府", "各乡镇", "市场监管局(知识产权局)", "东山", "市",
         "县人民政府", "有关部门", "市卫健委(列第一位的为牵头单位,下同)", "开发区管委会", "省商务厅等"]
SEPARATORS = ["、", ",", ";", "、", "、"]
PARAGRAPH = ["\n", "\u2029", "\u2028", "\f", "\u0420", "\u00b6", "\n\n"]
NOTES = ["", "", "。以下各项措施均需各县区政府落实,不再单独列出", "。具体任务均涉及相关市政府,下同", "下同"]

units = st.lists(st.sampled_from(UNITS), min_size=1, max_size=5)


@st.composite
def unit_list(draw) -> str:  # type: ignore[no-untyped-def]
    names = draw(units)
    return "".join(n + (draw(st.sampled_from(SEPARATORS)) if k < len(names) - 1 else "") for k, n in enumerate(names))


@st.composite
def clause(draw) -> str:  # type: ignore[no-untyped-def]
    a, b, note = draw(unit_list()), draw(unit_list()), draw(st.sampled_from(NOTES))
    return draw(st.sampled_from([
        f"(责任单位:{a}{note})", f"〔牵头单位:{a};配合单位:{b}〕", f"牵头负责部门:{a}\n主要责任单位:{b}",
        f"由{a}牵头,{b}配合。", f"由{a}会同{b}负责。", f"({a}会同{b}组织实施)", f"({a}等负责)",
        f"({a}主办,{b}协办)", f"承办单位:{a}{note}", f"责任主体:{b}",
    ]))


@st.composite
def document(draw) -> str:  # type: ignore[no-untyped-def]
    parts = [draw(st.sampled_from(["", "为做好工作,制定本方案。", "三、保障措施"]))]
    for k in range(draw(st.integers(1, 6))):
        marker = draw(st.sampled_from(["一、", "(一)", "1.", "(二)", "三、", "2、"]))
        parts.append(f"{marker}加强工作{k}。" + draw(clause()))
    text = "".join(p + draw(st.sampled_from(PARAGRAPH)) for p in parts)
    cut = draw(st.integers(0, len(text)))
    return text[:cut] if draw(st.booleans()) else text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document())
def test_every_offset_round_trips(text):
    source = make_source("g.txt", text)
    assert len(source.view) == len(source.text) == len(text)
    doc = extract_source(source)
    for task in doc.tasks:
        assert 0 <= task.start <= task.end <= len(text)
    for c in doc.clauses:
        assert text[c.start:c.end] == c.text
        for m in c.mentions:
            assert m.text and text[m.start:m.end] == m.text
            if not m.inferred:
                assert c.start <= m.start < m.end <= c.end
    for a in doc.assignments:
        assert text[a.mention.start:a.mention.end] == a.mention.text
