"""The fast paths of this round's extraction work give what the plain algorithms give.

Each is checked against a plain version written here, on generated inputs: brackets found by one
regex pass against a per-character scan; one regex for every heading style against trying each
style in turn; the role-word pass that skips clauses already found against filtering a full pass;
unit lists read once per text against reading them in place with the memo emptied every time; and
the single core → function lookup order that the lexicon and the resolver share.
"""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from kg.extract import memo, segment
from kg.extract.clauses import bracket_spans
from kg.extract.grammar import grammar, inside, parse_content, tokens
from kg.extract.lexicon import Lexicon
from kg.extract.resolve import Resolver
from kg.model import Metadata
from kg.reference import load_reference

REFERENCE = load_reference()
GRAMMAR = grammar(REFERENCE)
OPEN, CLOSE = "(〔【[", ")〕】]"


def plain_brackets(view: str, wrap: int = 120) -> list[tuple[int, int]]:
    """Outermost bracket pairs by looking at every character (the rule as first written)."""
    spans, stack = [], []
    for i, ch in enumerate(view):
        if ch in OPEN:
            stack.append((i, CLOSE[OPEN.index(ch)]))
        elif ch in CLOSE and stack:
            while stack and stack[-1][1] != ch:
                stack.pop()
            if stack:
                start, _ = stack.pop()
                if not stack:
                    spans.append((start, i + 1))
        elif ch == "\n" and stack and i - stack[0][0] > wrap:
            stack.clear()
    return spans


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="(〔【[)〕】]\n甲,。", max_size=400))
def test_brackets_by_one_regex_pass_are_the_per_character_scan(view):
    assert bracket_spans(view) == plain_brackets(view)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(list("(〔【[)〕】]甲\n") + ["甲" * 60]), max_size=30))
def test_brackets_across_long_lines_are_the_per_character_scan(parts):  # lines past the wrap limit
    text = "".join(parts)
    assert bracket_spans(text) == plain_brackets(text)


def plain_marker(view: str, pos: int):  # type: ignore[no-untyped-def]
    """The first heading style whose own pattern matches at ``pos`` with text after it on its line."""
    for rank, pattern in segment._MARKERS:
        m = pattern.match(view, pos)
        if m and m.end() < len(view) and view[m.end()] not in "\n|\t":
            return rank, segment.ordinal(next(g for g in m.groups() if g)), m.span()
    return None


markers = st.text(alphabet=list("第一二三十百〇0123456789()、.是,部分章 \n|\t甲%") + ["\u2460", "\u2474", "\u2488", "⑵"],
                  max_size=14)


@settings(max_examples=300, deadline=None)
@given(markers)
def test_one_regex_for_every_heading_style_is_each_style_in_turn(view):
    found = segment._match_marker(view, 0)
    assert (found and (found[0], found[1], found[2].span())) == plain_marker(view, 0)


clause_text = st.lists(st.sampled_from(["市财政局", "区发改局", "、", ",", "牵头", "配合", "负责", "责任单位:", "(", ")",
                                        "\n", "各县(市、区)政府", "加强监管", "。", "下同"]), max_size=30).map("".join)


@settings(max_examples=100, deadline=None)
@given(clause_text, st.lists(st.tuples(st.integers(0, 120), st.integers(1, 30)), max_size=4))
def test_role_words_outside_found_clauses_are_those_of_a_full_pass(view, cuts):
    spans = sorted({(a, a + n) for a, n in cuts if a < len(view)})
    spans = [s for k, s in enumerate(spans) if k == 0 or s[0] >= spans[k - 1][1]]  # clauses never overlap
    full = [t for t in tokens(view, 0, len(view), GRAMMAR) if not inside(t.start, spans)]
    assert tokens(view, 0, len(view), GRAMMAR, skip=spans) == full


@settings(max_examples=80, deadline=None)
@given(clause_text, clause_text, clause_text)
def test_a_unit_list_reads_the_same_remembered_or_not_and_wherever_it_stands(before, body, after):
    lexicon = Lexicon(REFERENCE)
    view = before + body + "。" + after  # what follows a list never starts with 下同 or 等
    start, end = len(before), len(before) + len(body)
    warm = parse_content(view, start, end, GRAMMAR, lexicon)
    alone = parse_content(body, 0, len(body), GRAMMAR, lexicon)
    assert [(r, a - start, b - start) for r, a, b in warm[0]] == alone[0] and warm[1] == alone[1]
    saved, memo.MEMO_LIMIT = memo.MEMO_LIMIT, 1  # every answer is made afresh
    try:
        assert parse_content(view, start, end, GRAMMAR, lexicon) == warm
    finally:
        memo.MEMO_LIMIT = saved


def test_the_lexicon_and_the_resolver_share_one_lookup_order():
    resolver, lexicon = Resolver(REFERENCE, Metadata()), Lexicon(REFERENCE)
    cores = ["发改局", "工信和商务局", "工商局(质监局)", "甲乙税务局", "推进甲乙税务局", "人民银行甲乙中心支行", "无名局"]
    assert [resolver.function_of(c) for c in cores] == [lexicon.function_of(c, loose=True) for c in cores]
    assert resolver.function_of("工商局(质监局)")[1] == ("industry_commerce_administration",
                                                       "quality_technical_supervision")
    # before a known ending, a clause item may not hold a verb; a resolved mention may
    assert lexicon.function_of("推进甲乙税务局")[0] is None
    assert resolver.function_of("推进甲乙税务局")[0] == "taxation"
