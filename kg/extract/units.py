"""List items of a clause → unit spans, and whether an item names an agency.

Lists split on 、,; spaces and line breaks, never inside brackets (各县(市、区)政府 stays one
unit); joining words (会同, 及, 和) split only where the left part is a whole agency name, so
发展和改革委员会 and 工信和商务局 stay whole. 等部门 tails and 由 heads are trimmed.
"""
from __future__ import annotations

import re

from kg.extract.read import ZERO_WIDTH
from kg.extract.resolve import Resolver, split_prefix

__all__ = ["split_units", "unit_like", "is_junk", "OPEN", "CLOSE"]

OPEN, CLOSE = "(〔【[", ")〕】]"
_SEPARATORS = "、,;\n \t/"
_NAME_END = re.compile(r"(?:局|委|办|厅|部|会|府|室|心|院|所|队|站|处|镇|乡|道|司|行|关|组|位|门|署|社|馆|区|县|市|省|\))$")
_TAIL = re.compile(r"(等|及其他|和其他|以及)?(有关|相关|其他|职能|成员)?(部门|单位|机构)?(和单位|和部门)?$")
_HEAD = re.compile(r"^(?:(?:以上|上述|此项|该项|本项|各项)(?:任务|工作|事项)?(?:均|统一|分别)?)?"
                   r"(分别由|均由|由|以|和|及|与|并|会同|其中|其余|另外)")
_TRAIL_WORDS = re.compile(r"(分别|共同|各自|具体|均|为|按职责分工|按照职责分工|按职责|等)$")
_JUNK = re.compile(r"\d{4}|\d+月|年底|月底|年内|前完成|长期|持续|时限|时间|下同|为牵头|列第|排名|首位|"
                   r"第一|阶段|以下|同上|完成|常态|牵头单位|配合单位|责任单位")
_VERBS = re.compile(r"要|应|须|将|把|对|在|加强|做好|开展|推进|建立|完善|提高|确保|进行|按照|根据|通过|"
                    r"围绕|密切|积极|认真|切实|结合|制定|细化|组织|同志|以上|的")
_PROSE = re.compile(_VERBS.pattern + r"|工作|活动|制度|体系|机制|标准|质量")
_NON_AGENTS = {"企业", "社会", "群众", "公众", "消费者", "市民", "个人", "全社会", "各方", "社会各界",
               "广大群众", "相关企业", "重点企业", "各类企业", "生产企业", "经营者", "市场主体"}


def split_units(view: str, start: int, end: int) -> list[tuple[int, int]]:
    r"""Spans of the list items in ``view[start:end]``, split on 、,; and spaces, never inside
    brackets, with 等部门 tails and 由 heads trimmed.

    >>> v = "区发改局、各县(市、区)政府,出入境检验检疫等部门"
    >>> [v[a:b] for a, b in split_units(v, 0, len(v))]
    ['区发改局', '各县(市、区)政府', '出入境检验检疫']
    >>> v = "省商务\n厅、市发改委\n市财政局"
    >>> [v[a:b] for a, b in split_units(v, 0, len(v))]
    ['省商务\n厅', '市发改委', '市财政局']
    """
    items, depth, piece = [], 0, start
    for i in range(start, end + 1):
        ch = view[i] if i < end else "\n"
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and (ch in _SEPARATORS or ch == "。"):
            if ch == "\n" and not _NAME_END.search(view[max(piece, i - 8):i].rstrip(" \t" + ZERO_WIDTH)):
                continue  # a hard wrap inside a name ("省商务\n厅"), not the end of an item
            items.append(_trim(view, piece, i))
            piece = i + 1
    return [piece for a, b in items if b > a for piece in _split_joined(view, a, b)]


_JOINERS = re.compile(r"会同|以及|及|和|与|并")


def _split_joined(view: str, a: int, b: int) -> list[tuple[int, int]]:
    """Split "市质监局会同市发改委" / "市发改委和市财政局" where the left part is a whole agency name
    (so 发展和改革委员会 and 工信和商务局 stay whole)."""
    for m in _JOINERS.finditer(view, a, b):
        left = view[a:m.start()]
        if len(left) >= 3 and re.search(r"(局|委|厅|办|部|中心|政府|院|会)$", left) and b - m.end() >= 2:
            return [_trim(view, a, m.start())] + _split_joined(view, *_trim(view, m.end(), b))
    return [(a, b)]


def _trim(view: str, a: int, b: int) -> tuple[int, int]:
    while a < b and view[a] in " \t\n:" + ZERO_WIDTH:
        a += 1
    while b > a and view[b - 1] in " \t\n。" + ZERO_WIDTH:
        b -= 1
    for _ in range(3):
        text = view[a:b]
        head = _HEAD.match(text)
        if head and len(text) > head.end() + 1:
            a += head.end()
            text = view[a:b]
        tail = _TAIL.search(text)
        if tail and tail.group() and tail.group(1) and len(text) > len(tail.group()) + 1:
            b -= len(tail.group())
            text = view[a:b]
        trail = _TRAIL_WORDS.search(text)
        if trail and len(text) > len(trail.group()) + 1:
            b -= len(trail.group())
    return a, b


def is_junk(text: str) -> bool:
    """Items a clause may carry besides units: deadlines and notes ("2017年底前完成", "下同").

    >>> is_junk("2017年底前完成"), is_junk("市质监局")
    (True, False)
    """
    return bool(_JUNK.search(text))


def unit_like(text: str, resolver: Resolver, strict: bool) -> bool:
    """Whether a list item names an agency (strict: provably so, for prose).

    >>> from kg.model import Metadata
    >>> from kg.reference import load_reference
    >>> r = Resolver(load_reference(), Metadata())
    >>> [unit_like(t, r, True) for t in ("市质监局", "各乡镇", "做到密切", "企业")]
    [True, True, False, False]
    >>> unit_like("经济和信息化", r, False), unit_like("2017年底前", r, False)
    (True, False)
    """
    text = text.replace(ZERO_WIDTH, "")
    if len(text) < 2 or len(text) > 30 or text in _NON_AGENTS or _JUNK.search(text):
        return False
    if resolver._collective(text):
        return not _VERBS.search(text)
    _, core = split_prefix(text)
    if resolver.function_of(core)[0] is not None:
        return not _PROSE.search(core.replace("质量", "")) or len(core) <= 12
    if _PROSE.search(text):
        return False
    if any(text.endswith(s) for s in resolver.reference.suffixes):
        return True
    return not strict and len(text) <= 10 and re.fullmatch(r"[\u4e00-\u9fff()]+", text) is not None
