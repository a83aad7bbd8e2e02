"""Reading real files in every encoding and format the reader claims."""
from __future__ import annotations

import pytest

from kg.errors import DocumentError
from kg.extract.read import read_document

TEXT = "一、主要任务\n(一)加强监管。(市质监局牵头,市发改委配合)\n"
TRAD = "一、主要任務\n(一)加強監管。(市質監局牽頭,市發改委配合)\n"


@pytest.mark.parametrize("encoding,text", [
    ("utf-8", TEXT), ("utf-8-sig", TEXT), ("gb18030", TEXT), ("gbk", TEXT), ("utf-16", TEXT), ("big5", TRAD),
])
def test_encodings_are_detected(tmp_path, encoding, text):
    path = tmp_path / "doc.txt"
    path.write_bytes(text.encode(encoding))
    source = read_document(path)
    assert source.text.lstrip("\ufeff") == text
    assert "(市质监局牵头,市发改委配合)" in source.view


def test_crlf_and_fullwidth_punctuation(tmp_path):
    path = tmp_path / "doc.txt"
    path.write_bytes("一、任务\r\n（一）加强监管。（市质监局牵头，市发改委配合）\r\n".encode("utf-8"))
    source = read_document(path)
    assert "\r" not in source.text and len(source.view) == len(source.text)
    assert "(市质监局牵头,市发改委配合)" in source.view
    assert "（市质监局牵头，市发改委配合）" in source.text  # offsets stay in the original


def test_odd_spaces_are_folded_in_the_view_only(tmp_path):
    path = tmp_path / "doc.txt"
    path.write_text("(市质监局\u200d牵头,\u00a0市发改委配合)", encoding="utf-8")
    source = read_document(path)
    # NBSP becomes a space; a zero-width character the one placeholder (ZERO WIDTH SPACE) that splits no word
    assert source.view == "(市质监局\u200b牵头, 市发改委配合)"
    assert "\u200d" in source.text and len(source.view) == len(source.text)


def test_traditional_script_is_detected(tmp_path):
    path = tmp_path / "doc.txt"
    path.write_text(TRAD, encoding="utf-8")
    source = read_document(path)
    assert source.script == "traditional" and "市质监局牵头" in source.view and "市質監局牽頭" in source.text


def test_html_page_without_chrome(tmp_path):
    path = tmp_path / "page.html"
    path.write_text("<html><head><title>x</title><script>var a='牵头';</script></head><body>"
                    "<nav>首页 &gt; 政务公开</nav><div class='content'><p>一、任务</p>"
                    "<p>(一)加强监管。(市质监局牵头)</p></div><footer>版权所有</footer></body></html>",
                    encoding="utf-8")
    text = read_document(path).text
    assert text == "一、任务\n(一)加强监管。(市质监局牵头)"


@pytest.mark.parametrize("content,problem", [
    (b"", "empty file"), (b"   \n", "empty file"), (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary file"),
])
def test_bad_files_raise_document_error(tmp_path, content, problem):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(DocumentError, match=problem) as info:
        read_document(path)
    assert str(path) in str(info.value)


def test_unsupported_suffix(tmp_path):
    path = tmp_path / "a.xyz"
    path.write_bytes(b"x")
    with pytest.raises(DocumentError, match="unsupported file type"):
        read_document(path)
