"""The fast paths of extraction give what the plain algorithms they replaced give.

Each fast path is checked against a plain reference written here (the algorithm as it was before
the speed work), on generated inputs: keyword matching by an automaton (per task span), the numpy
fold against ``str.translate``, the heap sweep that finds each table row's heading against a scan
of every heading.
"""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from kg.extract import domain_keywords, read
from kg.extract.table_rows import _Coverage, _innermost_each
from kg.model import Task
from kg.reference import load_reference

SCHEME = domain_keywords.scheme_of(load_reference())
WORDS = sorted(SCHEME.words)[::40]  # a spread of real keywords, overlapping ones included


def plain_keywords(text: str) -> list[tuple[int, str]]:
    """Left to right, never overlapping, the longest keyword at a position (the dict loop)."""
    found, i = [], 0
    longest = max(map(len, SCHEME.words))
    while i < len(text):
        for k in range(min(longest, len(text) - i), 0, -1):
            if text[i:i + k] in SCHEME.owners:
                found.append((i, text[i:i + k]))
                i += k
                break
        else:
            i += 1
    return found


pieces = st.lists(st.one_of(st.sampled_from(WORDS), st.sampled_from(["农村", "公路", "农村公路", "。", "加强", " ", "𠀋"]),
                            st.text(alphabet="农村公路建设质量安全", max_size=4)), max_size=40)


@settings(max_examples=150, deadline=None)
@given(pieces, st.integers(0, 200), st.integers(0, 200))
def test_keyword_spans_match_a_plain_scan_of_the_span(parts, a, b):
    text = "".join(parts)
    start, end = sorted((min(a, len(text)), min(b, len(text))))
    assert [(s, SCHEME.words[k]) for k, s, _ in SCHEME.automaton.find_matches_as_indexes(text)] == plain_keywords(text)
    matches = SCHEME.automaton.find_matches_as_indexes(text[start:end])  # what classify does per task
    assert [(s, SCHEME.words[k]) for k, s, _ in matches] == plain_keywords(text[start:end])


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="，（）：；　\u200b\u00a0ＡＢ１２３甲乙丙。、\n\u3000𠀋", max_size=3000), st.booleans())
def test_numpy_fold_is_str_translate(text, stray):
    text = text * 3 + ("\u0420" if stray else "")  # past the short-text cut-off; a stray separator sometimes
    table = str.maketrans(read._char_map(text, False)) if read.stray_separators(text) else read._base_table()
    assert read.fold(text) == text.translate(table)


def test_long_traditional_text_folds_like_str_translate():
    text = "質量監督管理局牽頭，財政局配合。𠀋\n" * 400
    assert read.fold(text, traditional=True) == text.translate(str.maketrans(read._char_map(text, True)))


def _tasks(spans: list[tuple[int, int, int]]) -> list[Task]:
    return [Task(k, None, "", "", a, a + n, depth, None, "action") for k, (a, n, depth) in enumerate(spans)]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 60), st.integers(0, 30), st.integers(1, 4)), max_size=25),
       st.lists(st.integers(0, 100), max_size=25))
def test_each_position_gets_the_heading_a_full_scan_gets(spans, positions):
    tasks = _tasks(spans)

    def plain(pos: int) -> Task | None:
        inside = [t for t in tasks if t.start <= pos < t.end]
        return max(inside, key=lambda t: (t.depth, t.start)) if inside else None

    assert _innermost_each(tasks, positions) == [plain(p) for p in positions]
    cover = _Coverage([(t.start, t.end) for t in tasks])
    assert [cover.covers(p) for p in positions] == [any(t.start <= p < t.end for t in tasks) for p in positions]
