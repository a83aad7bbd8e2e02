"""List items of a clause → unit spans (whether an item names an agency is the lexicon's question).

Lists split on 、,; spaces and line breaks, never inside brackets (各县(市、区)政府 stays one
unit); joining words (会同, 及, 和) split only where the left part is a whole agency name, so
发展和改革委员会 and 工信和商务局 stay whole. 等部门 tails and 由 heads are trimmed.
"""
from __future__ import annotations

import re

from kg.extract.lexicon import Lexicon
from kg.extract.memo import MEMO_LIMIT
from kg.extract.read import ZERO_WIDTH

__all__ = ["split_units", "elided_suffix", "ends_like_name", "NAME_END", "OPEN", "CLOSE"]

OPEN, CLOSE = "(〔【[", ")〕】]"
_SEPARATORS = "、,;\n \t/"
NAME_END = re.compile(r"(?:局|委|办|厅|部|会|府|室|心|院|所|队|站|处|镇|乡|道|司|行|关|组|位|门|署|社|馆|区|县|市|省|\))$")
_TAIL = re.compile(r"(等|及其他|和其他|以及)?(有关|相关|其他|职能|成员)?(部门|单位|机构)?(和单位|和部门)?$")
_HEAD = re.compile(r"^(?:(?:以上|上述|此项|该项|本项|各项)(?:任务|工作|事项)?(?:均|统一|分别)?)?"
                   r"(分别由|均由|由|以|和|及|与|并|会同|其中|其余|另外)")
_TRAIL_WORDS = re.compile(r"(分别|共同|各自|具体|均|为|按职责分工|按照职责分工|按职责|等)$")


def split_units(view: str, start: int, end: int) -> list[tuple[int, int]]:
    r"""Spans of the list items in ``view[start:end]``, split on 、,; and spaces, never inside
    brackets, with 等部门 tails and 由 heads trimmed.

    >>> v = "区发改局、各县(市、区)政府,出入境检验检疫等部门"
    >>> [v[a:b] for a, b in split_units(v, 0, len(v))]
    ['区发改局', '各县(市、区)政府', '出入境检验检疫']
    >>> v = "甲局、乙厅等负责"
    >>> [v[a:b] for a, b in split_units(v, 0, 5)]
    ['甲局', '乙厅']
    >>> v = "省商务\n厅、市发改委\n市财政局"
    >>> [v[a:b] for a, b in split_units(v, 0, len(v))]
    ['省商务\n厅', '市发改委', '市财政局']
    """
    items, depth, piece = [], 0, start
    for m in _SPECIAL.finditer(view, start, end):  # only brackets and separators matter: skip the rest in C
        i, ch = m.start(), m.group()
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0:
            if ch == "\n" and not NAME_END.search(view[max(piece, i - 8):i].rstrip(" \t" + ZERO_WIDTH)):
                continue  # a hard wrap inside a name ("省商务\n厅"), not the end of an item
            items.append(_trim(view, piece, i))
            piece = i + 1
    items.append(_trim(view, piece, end))  # the end of the list always closes the last item
    return [piece for a, b in items if b > a for piece in _split_joined(view, a, b)]


_SPECIAL = re.compile("[" + re.escape(OPEN + CLOSE + _SEPARATORS) + "。]")
_JOINERS = re.compile(r"会同|以及|及|和|与|并")
_WHOLE_NAME = re.compile(r"(局|委|厅|办|部|中心|政府|院|会)$")


def _split_joined(view: str, a: int, b: int) -> list[tuple[int, int]]:
    """Split "市质监局会同市发改委" / "市发改委和市财政局" where the left part is a whole agency name
    (so 发展和改革委员会 and 工信和商务局 stay whole)."""
    for m in _JOINERS.finditer(view, a, b):
        left = view[a:m.start()]
        if len(left) >= 3 and _WHOLE_NAME.search(left) and b - m.end() >= 2:
            return [_trim(view, a, m.start())] + _split_joined(view, *_trim(view, m.end(), b))
    return [(a, b)]


def _trim(view: str, a: int, b: int) -> tuple[int, int]:
    """``view[a:b]`` without padding, 由 heads and 等部门 tails (remembered per item text: the
    same names recur in every clause of a document)."""
    text = view[a:b]
    cut = _TRIMS.get(text)
    if cut is None:
        if len(_TRIMS) >= MEMO_LIMIT:
            _TRIMS.clear()
        cut = _TRIMS[text] = _trim_text(text)
    return a + cut[0], a + cut[1]


_TRIMS: dict[str, tuple[int, int]] = {}


def _trim_text(text: str) -> tuple[int, int]:
    """(start, end) of the item within ``text``.

    >>> v = " 由市财政局等部门。"
    >>> a, b = _trim_text(v); v[a:b]
    '市财政局'
    """
    a, b = 0, len(text)
    a += len(text) - len(text.lstrip(" \t\n:" + ZERO_WIDTH))
    b = a + len(text[a:].rstrip(" \t\n。" + ZERO_WIDTH))
    for _ in range(3):
        before = a, b
        item = text[a:b]
        head = _HEAD.match(item)
        if head and len(item) > head.end() + 1:
            a += head.end()
            item = text[a:b]
        tail = _TAIL.search(item)
        if tail and tail.group() and tail.group(1) and len(item) > len(tail.group()) + 1:
            b -= len(tail.group())
            item = text[a:b]
        trail = _TRAIL_WORDS.search(item)
        if trail and len(item) > len(trail.group()) + 1:
            b -= len(trail.group())
        if (a, b) == before:
            break  # a round that changed nothing would change nothing again
    return a, b


_LEVEL_END = "省市区县州旗盟"


def elided_suffix(view: str, items: list[tuple[int, int]], k: int, lexicon: Lexicon) -> str:
    """The suffix item ``k`` shares with the next item that has one ("各县、市、区政府": 县 and
    市 share 政府; "甲乙、丙丁、戊己市人民政府": 甲乙 and 丙丁 share 市人民政府), or "".

    An item shares a suffix only when it has no agency ending of its own, and the items up to
    the first one with an ending are joined by 、 alone; that item must split into a jurisdiction
    and an agency core, and the item with the core added must read as an agency.

    >>> from kg.reference import load_reference
    >>> x = Lexicon(load_reference())
    >>> v = "各县、市、区政府"
    >>> [elided_suffix(v, [(0, 2), (3, 4), (5, 8)], k, x) for k in range(3)]
    ['政府', '政府', '']
    >>> v = "甲乙、丙丁、戊己市人民政府、市财政局"
    >>> [elided_suffix(v, [(0, 2), (3, 5), (6, 13), (14, 18)], k, x) for k in range(4)]
    ['市人民政府', '市人民政府', '', '']
    """
    if k + 1 >= len(items) or not _joined(view, items[k][1], items[k + 1][0]):
        return ""  # the cheap test first: this runs for every unit of every clause
    own = view[items[k][0]:items[k][1]].replace(ZERO_WIDTH, "")
    if not own or lexicon.has_agency_ending(own):
        return ""
    nxt = k + 1
    while nxt < len(items) and _joined(view, items[nxt - 1][1], items[nxt][0]):
        name = view[items[nxt][0]:items[nxt][1]].replace(ZERO_WIDTH, "")
        if lexicon.has_agency_ending(name):
            place, core = lexicon.jurisdiction_and_core(name)
            if not place or not core:
                return ""
            suffix = place[-1] + core if place[-1] in _LEVEL_END and own[-1] not in _LEVEL_END else core
            return suffix if lexicon.unit_like(own + suffix, strict=False) else ""
        nxt += 1
    return ""


def _joined(view: str, a: int, b: int) -> bool:
    """Whether two items are joined by 、 alone (the enumeration comma of a shared-suffix list)."""
    return b - a <= 3 and (view[a:b] == "、" or view[a:b].strip(_PADDING) == "、")


_PADDING = " \t" + ZERO_WIDTH


def ends_like_name(text: str) -> bool:
    """Whether a unit ends the way agency names end (局, 委, 政府 …): a name cut off by the end
    of an excerpt ("市发", "发展改革") does not.

    >>> ends_like_name("市财政局"), ends_like_name("各乡镇"), ends_like_name("发展改革")
    (True, True, False)
    """
    return NAME_END.search(text.replace(ZERO_WIDTH, "").rstrip()) is not None
