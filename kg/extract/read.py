"""Open a document: detect its encoding, get its text, and build the matching view.

Offsets everywhere in the project index ``SourceText.text``: the decoded file with universal
newlines (what ``Path.read_text`` gives), so a user can check any span with two lines of
Python. Matching runs on ``SourceText.view``, a same-length copy in which full-width
punctuation, odd spaces and traditional characters are folded one character at a time.
"""
from __future__ import annotations

import codecs
import functools
import hashlib
import re
from pathlib import Path
from typing import Any

from kg.errors import DocumentError
from kg.extract.codepoints import CHUNK, SHORT, any_within, differences, han_sample, lookup_table, translate
from kg.extract.limits import check_length, read_limited
from kg.names import display_name
from kg.model import SourceText

__all__ = ["read_document", "decode", "fold", "make_source", "stray_separators", "SUPPORTED_SUFFIXES", "ZERO_WIDTH"]

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".docx", ".xlsx", ".pdf")
_CANDIDATE_ENCODINGS = ["gb18030", "big5", "big5hkscs", "utf_16", "cp950"]
_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" \
          "\u202f\u205f\u3000"
# What invisible characters become in the view: not a separator, ignored by lookups. It is one of
# them (ZERO WIDTH SPACE), so no visible character of a text, such as the private-use code points
# old GBK documents use for rare glyphs, can be taken for it.
ZERO_WIDTH = "\u200b"
# Zero-width, bidirectional-control and control characters: invisible on screen, so in the view they
# become ZERO_WIDTH and can neither split an agency's name into a phantom one nor hide a role word.
_CONTROLS = "".join(chr(c) for c in [*range(0x00, 0x09), *range(0x0e, 0x1c), 0x1f, *range(0x7f, 0x85),
                                     *range(0x86, 0xa0)])
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad" \
             "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069" + _CONTROLS
_EXTRA_FOLDS = {"﹝": "〔", "﹞": "〕", "︰": ":", "﹕": ":", "∶": ":", "︓": ":", "﹐": ",",
                "﹔": ";", "﹙": "(", "﹚": ")", "﹑": "、", "︑": "、", "\u000b": "\n", "\u000c": "\n",
                "\u0085": "\n", "\u2028": "\n", "\u2029": "\n", "\u001c": "\n", "\u001d": "\n", "\u001e": "\n"}
# Glyphs of alphabets Chinese plans never write single letters of (Cyrillic, Armenian) and the
# pilcrow: document-sharing sites leave them between paragraphs ("…损害。Р责任单位:…").
_STRAY = re.compile(r"[\u00b6\u0400-\u04ff\u0530-\u058f]")
_STRAY_RANGES = ((0xB6, 0xB6), (0x400, 0x4FF), (0x530, 0x58F))  # the same characters, as code points
_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f\u0370-\u058f]")


def decode(data: bytes, name: str = "<bytes>") -> tuple[str, str]:
    """Decode bytes whose encoding is not declared; return (text, encoding).

    UTF-8 is tried strictly first; otherwise the encoding is detected among the ones
    Chinese government sites use. The UTF-8 BOM is kept as U+FEFF, as ``read_text`` does.

    >>> decode("牵头".encode("gb18030"))[1] in ("gb18030", "gbk", "gb2312")
    True
    >>> decode("質監局牽頭,海關配合。".encode("big5"))
    ('質監局牽頭,海關配合。', 'big5')
    """
    if not data.strip():
        raise DocumentError(name, "empty file", "nothing to extract; remove it or add text")
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return data.decode("utf-16", errors="replace"), "utf-16"  # a truncated last unit: U+FFFD
    if b"\x00" in data[:8192]:
        raise DocumentError(name, "binary file, not text", "convert it to .txt, .docx or .pdf")
    try:
        text, encoding = data.decode("utf-8"), "utf-8"
        if not (_has_cjk(text) or text.isascii()):
            text, encoding = _accidental_utf8(data, name, text)
    except UnicodeDecodeError:
        if _mostly_utf8(data):
            text, encoding = data.decode("utf-8", errors="replace"), "utf-8"
        else:
            text, encoding = _detect(data, name)
    if not text.strip(_BLANK):
        raise DocumentError(name, "empty file", "nothing to extract; remove it or add text")
    return text, encoding


_BLANK = " \t\r\n\u3000\u00a0\u200b\u200c\u200d\u2060\ufeff"


def _accidental_utf8(data: bytes, name: str, text: str) -> tuple[str, str]:
    """Valid UTF-8 without a Chinese character may be GB bytes that happen to decode."""
    try:
        detected = _detect(data, name)
    except DocumentError:
        return text, "utf-8"
    return detected if _has_cjk(detected[0]) else (text, "utf-8")


def _mostly_utf8(data: bytes) -> bool:
    """A UTF-8 file cut mid-character, or with a few stray bytes, is still UTF-8: better a
    replacement character than a whole text read in the wrong encoding.

    >>> _mostly_utf8("质量提升行动计划".encode("utf-8")[:-1]), _mostly_utf8("质量".encode("gb18030"))
    (True, False)
    """
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    return bad <= max(1, len(text) // 1000) and len(text) > 2 * bad


_CJK = re.compile("[\u4e00-\u9fff]")
_ASCII = re.compile("[\x00-\x7f]+")


def _has_cjk(text: str) -> bool:
    return _CJK.search(text, 0, 100_000) is not None


def _detect(data: bytes, name: str) -> tuple[str, str]:
    """GB18030 decodes almost any bytes, so plausibility decides: genuine mainland text is nearly
    all GB2312 characters, while Big5 bytes read as GB18030 give private-use and rare ones.
    Then Big5 if it decodes; then statistical detection for anything else."""
    try:
        as_gb = data.decode("gb18030")
        if _gb2312_share(as_gb) >= 0.97:
            return as_gb, "gb18030"
    except UnicodeDecodeError:
        pass
    for encoding in ("big5", "big5hkscs"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=_CANDIDATE_ENCODINGS).best()
    if best is None:
        raise DocumentError(name, "unknown text encoding", "save it as UTF-8")
    return str(best), best.encoding


def _gb2312_share(text: str) -> float:
    """Share of the non-ASCII characters that GB2312 has (each takes two bytes there).

    >>> _gb2312_share("质量 ok"), _gb2312_share("")
    (1.0, 1.0)
    """
    wide = _ASCII.sub("", text[:200_000])[:20_000]
    if not wide:
        return 1.0
    return len(wide.encode("gb2312", errors="ignore")) / 2 / len(wide)


@functools.lru_cache(maxsize=1)
def _t2s():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("t2s").convert


_NOT_WIDE_HAN = re.compile("[^\u3400-\u9fff\uf900-\ufaff]+")


@functools.lru_cache(maxsize=1)
def _base_table() -> dict[int, int | str | None]:
    """The folds every text gets (full-width forms, odd spaces, zero-width characters), made once."""
    table: dict[str, int | str | None] = {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}
    table.update({c: " " for c in _SPACES})
    table.update({c: ZERO_WIDTH for c in _INVISIBLE})
    table.update(_EXTRA_FOLDS)
    return str.maketrans(table)


def _char_map(text: str, traditional: bool) -> dict[str, int | str | None]:
    table: dict[str, int | str | None] = {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}
    table.update({c: " " for c in _SPACES})
    table.update({c: ZERO_WIDTH for c in _INVISIBLE})
    table.update(_EXTRA_FOLDS)
    table.update({c: "\n" for c in stray_separators(text)})
    if traditional:
        han = sorted(set(_NOT_WIDE_HAN.sub("", text)))
        converted = _t2s()("\n".join(han)).split("\n")
        if len(converted) == len(han):
            table.update({a: b for a, b in zip(han, converted) if len(b) == 1 and a != b})
    return table


def stray_separators(text: str) -> set[str]:
    """Glyphs that stand between paragraphs, never inside a word: every occurrence of the glyph
    has no letter of an alphabet on either side and Chinese text on at least one side.

    >>> sorted(stray_separators("一、任务。\u0420(一)加强监管\u0420二、要求")), stray_separators("Россия 市")
    (['\u0420'], set())
    """
    found: dict[str, bool] = {}
    if len(text) >= SHORT and not any_within(text, _STRAY_RANGES):
        return set()  # none of the glyphs: told at once, not by the pattern's test of each character
    for m in _STRAY.finditer(text):
        c, i = m.group(), m.start()
        before, after = text[i - 1:i], text[i + 1:i + 2]
        alone = not _LETTER.match(before) and not _LETTER.match(after) and \
            any("\u3000" <= x <= "\u9fff" or "\uff00" <= x <= "\uffef" for x in (before, after))
        found[c] = found.get(c, True) and alone
    return {c for c, alone in found.items() if alone}


def script_of(text: str) -> str:
    """Say whether a text is written in traditional characters.

    >>> script_of("江西省質量興省活動實施方案,領導小組辦公室設在省質監局")
    'traditional'
    >>> script_of("市质监局牵头,市发改委配合")
    'simplified'
    """
    sample = han_sample(text)
    if not sample:
        return "simplified"
    changed = differences(sample, _t2s()(sample))
    return "traditional" if changed >= 5 and changed / len(sample) > 0.04 else "simplified"


def fold(text: str, traditional: bool = False) -> str:
    """The same-length matching view of ``text``.

    >>> fold("（市质监局牵头，市发改委配合）")
    '(市质监局牵头,市发改委配合)'
    >>> fold("質監局牽頭", traditional=True)
    '质监局牵头'
    """
    if traditional or stray_separators(text):
        view = translate(text, str.maketrans(_char_map(text, traditional)), None)
    else:
        view = translate(text, _base_table(), _base_lookup())
    assert len(view) == len(text)
    return view


@functools.lru_cache(maxsize=1)
def _base_lookup() -> Any:
    return lookup_table(_base_table())


def make_source(name: str, text: str, encoding: str = "utf-8") -> SourceText:
    """Build a :class:`SourceText` from already decoded text (universal newlines applied).

    >>> make_source("a.txt", "x\\r\\ny").text
    'x\\ny'
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    script = script_of(text)
    digest = hashlib.sha256()
    for i in range(0, len(text), CHUNK):  # encoded by pieces: a long text is not copied whole
        digest.update(text[i:i + CHUNK].encode("utf-8"))
    return SourceText(name, text, fold(text, script == "traditional"), encoding, script, digest.hexdigest())


def read_document(path: str | Path) -> SourceText:
    """Read one file of any supported kind into a :class:`SourceText`."""
    from kg.extract import attachments

    path = Path(path)
    suffix = path.suffix.lower()
    if (error := attachments.unreadable(path)) is not None:
        raise error
    if suffix not in SUPPORTED_SUFFIXES:
        raise DocumentError(path, f"unsupported file type '{suffix or 'none'}'",
                            "use " + ", ".join(SUPPORTED_SUFFIXES))
    data = read_limited(path)
    binary = {".docx": attachments.docx_text, ".xlsx": attachments.xlsx_text, ".pdf": attachments.pdf_text}
    if suffix in binary:
        return make_source(display_name(path.name), check_length(path, binary[suffix](data, path)), suffix[1:])
    text, encoding = decode(data, str(path))
    del data  # the bytes are not needed beside the text (a long file is not held twice)
    if suffix in (".html", ".htm"):
        from kg.extract.html_text import html_text

        text = html_text(text)
    return make_source(display_name(path.name), check_length(path, text), encoding)
