"""The graph page written in pieces says what one ``tojson`` call would have said."""
from __future__ import annotations

import json

from hypothesis import given, settings, strategies as st
from jinja2.utils import htmlsafe_json_dumps

from kg.present.graph_page import _html_safe, json_pieces
from kg.made_rows import MadeRows

_SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
_JSON = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=9) | st.tuples(inner, inner)
                     | st.dictionaries(st.text(), inner, max_size=6), max_leaves=60)


@settings(max_examples=300, deadline=None)
@given(value=_JSON, chunk=st.integers(min_value=1, max_value=5))
def test_pieces_join_to_what_json_dumps_writes(value: object, chunk: int) -> None:
    assert "".join(json_pieces(value, chunk)) == json.dumps(value, sort_keys=True, ensure_ascii=False)


@settings(max_examples=200, deadline=None)
@given(value=_JSON, chunk=st.integers(min_value=1, max_value=5))
def test_pieces_made_safe_are_what_tojson_writes(value: object, chunk: int) -> None:
    safe = "".join(_html_safe(piece) for piece in json_pieces(value, chunk))
    assert safe == str(htmlsafe_json_dumps(value, sort_keys=True, ensure_ascii=False))


def test_a_script_closing_tag_in_the_data_cannot_end_the_data_block() -> None:
    text = "".join(_html_safe(p) for p in json_pieces({"rows": ["</script><script>alert(1)</script>'&"] * 5}, 2))
    assert "<" not in text and ">" not in text and "'" not in text and "&" not in text
    assert json.loads(text) == {"rows": ["</script><script>alert(1)</script>'&"] * 5}


@given(size=st.integers(min_value=0, max_value=30), chunk=st.integers(min_value=1, max_value=7))
def test_rows_made_when_read_are_written_like_a_list(size: int, chunk: int) -> None:
    made: list[int] = []

    def row(k: int) -> list[object]:
        made.append(k)
        return [k, f"第{k}项", [k, -k]]

    rows = MadeRows(row, size)
    expected = [[k, f"第{k}项", [k, -k]] for k in range(size)]
    assert "".join(json_pieces({"rows": rows}, chunk)) == json.dumps({"rows": expected}, ensure_ascii=False)
    assert sorted(made) == list(range(size))  # each row made once per writing, none kept
    assert list(rows) == expected and (size == 0 or rows[-1] == expected[-1])
