"""Numbered headings → a task tree with dotted paths ("三、>(一)>1、" = "3.1.1") and spans.

Heading styles have a canonical rank (第一部分 > 一、 > (一) > 1、 > (1) > ① > 一是); a heading
hangs under the nearest open heading of a smaller rank, so documents that skip a level
still get the right parent. A marker at the start of a line is a heading; a marker inside
a line (after 。;:) is one only when it continues a sequence (the next sibling, or the
first child), which keeps "按照(一)…" and dates out.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator

from kg.model import SourceText, Task

__all__ = ["segment", "ordinal", "find_headings", "Heading"]

_CN = "一二三四五六七八九十百零〇○"
_MARKERS: list[tuple[int, re.Pattern[str]]] = [
    (0, re.compile(rf"第([{_CN}\d]{{1,4}})(?:部分|章|篇)\s*")),
    (1, re.compile(rf"([{_CN}]{{1,3}})\s*[、.](?!\d)\s*")),
    (2, re.compile(rf"\(\s*([{_CN}]{{1,3}})\s*\)\s*[、.]?\s*")),
    (3, re.compile(r"(\d{1,2})\s*[、.](?![\d%])\s*|([\u2488-\u249b])\s*")),
    (4, re.compile(r"\(\s*(\d{1,2})\s*\)\s*[、.]?\s*|(\d{1,2})\)\s*|([\u2474-\u2487])\s*")),
    (5, re.compile(r"([\u2460-\u2473\u2776-\u277f])\s*")),
    (6, re.compile(rf"([{_CN}]{{1,2}})是\s*|第([{_CN}]{{1,2}})[,、]\s*")),
]
_ANY_MARKER = re.compile("|".join(rf"(?P<r{rank}>(?>{p.pattern}))(?=[^\n|\t])" for rank, p in _MARKERS))
# style group name → (rank, the group numbers of that style's own number groups)
_NUMBER_GROUPS = {name: (int(name[1:]), range(index + 1, index + 1 + _MARKERS[int(name[1:])][1].groups))
                  for name, index in _ANY_MARKER.groupindex.items()}
_INLINE_BEFORE = re.compile(r"[。;:!?]\s*$")
_SECTION_WORDS = [
    ("schedule", re.compile(r"实施步骤|进度安排|时间安排|工作步骤|阶段安排|时间节点|实施进度|工作进度")),
    ("requirement", re.compile(r"工作要求|相关要求|有关要求|其他事项|附则")),
    ("goal", re.compile(r"目标|预期成效")),
    ("principle", re.compile(r"指导思想|基本原则|总体要求|总体思路|工作原则|指导原则|编制依据|重要意义|总体考虑")),
]


_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "○": 0}


def ordinal(token: str) -> int:
    """Value of a heading number written in Chinese, Arabic or circled digits.

    >>> [ordinal(t) for t in ("三", "十二", "二十", "7", "③", "一百", "⑵", "⒊")]
    [3, 12, 20, 7, 3, 100, 2, 3]
    """
    if len(token) == 1 and ("\u2474" <= token <= "\u2487"):
        return ord(token) - 0x2474 + 1
    if len(token) == 1 and ("\u2488" <= token <= "\u249b"):
        return ord(token) - 0x2488 + 1
    if len(token) == 1 and ("\u2460" <= token <= "\u2473"):
        return ord(token) - 0x2460 + 1
    if len(token) == 1 and ("\u2776" <= token <= "\u277f"):
        return ord(token) - 0x2776 + 1
    if token.isdecimal():
        return int(token)
    digits = _DIGITS
    if token == "百" or token == "一百":
        return 100
    if "十" in token:
        tens, _, ones = token.partition("十")
        return digits.get(tens, 1) * 10 + digits.get(ones, 0)
    return digits.get(token[-1], 0) if token else 0


@dataclass
class Heading:
    rank: int
    number: int
    marker: str
    start: int  # marker start
    text_start: int  # after the marker
    line_start: bool
    parent: "Heading | None" = None
    children: list["Heading"] = field(default_factory=list)
    end: int = 0
    title: str = ""


def _match_marker(view: str, pos: int) -> tuple[int, int, re.Match[str]] | None:
    """(rank, number, match) of the first style whose marker stands at ``pos`` with text after it
    on its line (one regex for all styles: each style is an atomic group named by its rank, so it
    matches exactly as its own pattern would, and the text test is a lookahead)."""
    m = _ANY_MARKER.match(view, pos)
    if m is None or m.lastgroup is None:
        return None
    rank, numbers = _NUMBER_GROUPS[m.lastgroup]
    for i in numbers:  # the style's one number group that took part
        token = m.group(i)
        if token:
            break
    number = _ORDINALS.get(token)
    if number is None:
        number = ordinal(token)
        if len(_ORDINALS) < 4096:  # heading numbers as written are a few hundred strings
            _ORDINALS[token] = number
    return rank, number, m


_ORDINALS: dict[str, int] = {}  # heading number as written → its value


# The characters a marker of any style can begin with (第, a numeral, a bracket, a digit, a
# circled or parenthesised number); a superset, so the styles themselves still decide.
_STARTS = rf"[第{_CN}(\d\u2460-\u249b\u2776-\u277f]"
_MARKER_START = re.compile(_STARTS)
_LINE = re.compile(r"[^\n]+")
_INLINE_START = re.compile(r"[。;:!?]\s*(?=" + _STARTS + ")")
# the same candidates found over a whole text: a line's start after its padding and markup (after a
# line break; the text's start apart), a sentence start within a line (whitespace but a line break)
_PADDING = re.compile(r"[ \t\u200b#*>]*+")
_LINE_START = re.compile(r"\n" + _PADDING.pattern + "(?=" + _STARTS + ")")
_SENTENCE_START = re.compile(r"[。;:!?][^\S\n]*(?=" + _STARTS + ")")


def _candidates(view: str) -> list[tuple[int, bool]]:
    """(position, at_line_start) of places where a heading marker may begin, in text order: line
    starts and sentence starts within a line, where the first character can begin a marker.
    Without a table row to leave out, two whole-text passes find what the line by line scan finds.

    >>> _candidates("一、任务。(一)质量\\n  1、抽查")
    [(0, True), (5, False), (13, True)]
    """
    if "|" in view or "\t" in view:
        return list(_candidates_by_line(view))
    found = [(m.end(), True) for m in _LINE_START.finditer(view)]
    found += [(m.end(), False) for m in _SENTENCE_START.finditer(view)]
    first = _PADDING.match(view)
    if first and _MARKER_START.match(view, first.end()):
        found.append((first.end(), True))
    return sorted(found)


def _candidates_by_line(view: str) -> Iterator[tuple[int, bool]]:
    """:func:`_candidates` line by line, leaving out table rows (handled by the table reader)."""
    for line in _LINE.finditer(view):
        text = line.group()
        if "|" in text or "\t" in text.strip():
            continue  # table rows are handled by the table reader
        # leading spaces, zero-width placeholders (\u200b) and Markdown markup (## 一、 / **(一)** / > 1.)
        start = line.start() + len(text) - len(text.lstrip(" \t\u200b#*>"))
        if _MARKER_START.match(view, start):
            yield start, True
        for m in _INLINE_START.finditer(view, line.start(), line.end()):
            yield m.end(), False


def find_headings(view: str) -> list[Heading]:
    """All accepted headings, linked to their parents, in document order.

    >>> hs = find_headings("一、任务\\n(一)质量\\n1、抽查。2、品牌\\n二、要求")
    >>> [(h.marker, h.rank, h.number, h.parent.marker if h.parent else None) for h in hs]
    [('一、', 1, 1, None), ('(一)', 2, 1, '一、'), ('1、', 3, 1, '(一)'), ('2、', 3, 2, '(一)'), ('二、', 1, 2, None)]
    """
    stack: list[Heading] = []
    last_child: dict[int | None, dict[int, Heading]] = {}
    headings: list[Heading] = []
    for pos, line_start in _candidates(view):
        found = _match_marker(view, pos)
        if not found:
            continue
        rank, number, m = found
        if rank == 6 and line_start and number != 1 and not stack:
            continue
        while stack and stack[-1].rank >= rank:
            stack.pop()
        parent = stack[-1] if stack else None
        siblings = last_child.setdefault(id(parent), {})
        previous = siblings.get(rank)
        expected = previous.number + 1 if previous else 1
        if not line_start or rank == 6:
            if number != expected:
                continue
        heading = Heading(rank, number, view[m.start():m.end()].strip(), m.start(), m.end(), line_start, parent)
        siblings[rank] = heading
        if parent:
            parent.children.append(heading)
        stack.append(heading)
        headings.append(heading)
    _close(headings, len(view))
    return headings


def _close(headings: list[Heading], length: int) -> None:
    """Each heading ends where the next heading that is not its descendant starts."""
    open_: list[Heading] = []
    for h in headings:
        while open_ and open_[-1] is not h.parent:
            open_.pop().end = h.start
        open_.append(h)
    for h in open_:
        h.end = length


def heading_title(view: str, start: int, end: int, text: str | None = None) -> str:
    """A task's title: its heading up to 。 (or its first clause up to ,), at most 40 characters.
    Cut on the view, returned from ``text`` (the original script) when given.

    >>> heading_title("工业。积极贯彻", 0, 7)
    '工业'
    >>> heading_title("突出重点行业产品质量监督抽查,严格抽查后处理", 0, 22)
    '突出重点行业产品质量监督抽查'
    >>> heading_title("简化审批;二是", 0, 7, "简化审批；二是")
    '简化审批'
    """
    offset, length = _title_span(view, start, end)
    return (text if text is not None else view)[offset:offset + length][:40]


def _title_span(view: str, start: int, end: int) -> tuple[int, int]:
    """(offset, length) of the title in the view; only the heading's first line is read (a
    top-level heading's span can be most of the document)."""
    newline = view.find("\n", start, end)
    line = view[start:newline if newline != -1 else end]
    stop = _TITLE_STOP.search(line)
    line = line[:stop.start()] if stop else line
    if line.rstrip().endswith(")"):  # the only lines the pattern can change
        line = _ROLE_BRACKET_END.sub("", line)
    if len(line) > 40 or "," in line:
        first = line.split(",", 1)[0]
        line = first if first else line
    stripped = line.strip()
    return (start + line.index(stripped) if stripped else start), len(stripped)


_TITLE_STOP = re.compile(r"[。;!?]")
_ROLE_BRACKET_END = re.compile(r"\([^()]*(牵头|负责|配合|责任单位)[^()]*\)\s*$")


def _section(title: str) -> str | None:
    """The section a title names: the first kind, in the order of ``_SECTION_WORDS``, whose words it holds."""
    head = title[:20]
    if not _ANY_SECTION_WORD.search(head):  # most titles: one pass instead of one per kind
        return None
    for name, pattern in _SECTION_WORDS:
        if pattern.search(head):
            return name
    return None


_ANY_SECTION_WORD = re.compile("|".join(pattern.pattern for _, pattern in _SECTION_WORDS))


def segment(source: SourceText) -> list[Task]:
    """The numbered items of a document as :class:`Task` records (table rows excluded). A heading's
    path, depth and section extend its parent's, which comes before it: no chain is walked twice."""
    view = source.view
    headings = find_headings(view)
    top_rank = min((h.rank for h in headings), default=0)
    visible = _top_visible(view, headings, top_rank)
    index = {id(h): i for i, h in enumerate(headings)}
    # per heading: (dotted path, depth, section of the nearest ancestor-or-self that names one, root's rank)
    known: dict[int, tuple[str, int, str | None, int]] = {}
    tasks: list[Task] = []
    for i, h in enumerate(headings):
        offset, length = _title_span(view, h.text_start, h.end)
        h.title = source.text[offset:offset + length][:40]
        own = _section(view[offset:offset + length][:40])
        if h.parent is None:
            path, depth, named, root = str(h.number), 1, own, h.rank
        else:
            up_path, up_depth, up_named, root = known[id(h.parent)]
            path, depth, named = f"{up_path}.{h.number}", up_depth + 1, up_named or own
        known[id(h)] = (path, depth, named, root)
        tasks.append(Task(
            key=i, path=path if visible and root == top_rank else None, marker=h.marker, title=h.title,
            start=h.start, end=h.end, depth=depth, parent=index[id(h.parent)] if h.parent else None,
            section=named or "action", is_leaf=not h.children, text_start=h.text_start, inline=not h.line_start,
        ))
    return tasks


def _top_visible(view: str, headings: list[Heading], top_rank: int) -> bool:
    r"""Whether the numbering starts in the text, so that paths can be counted from it. An excerpt
    shows it does not: its top-level sequence starts past 1 ("三、" first), or the text opens on a
    sub-level heading ("(一)" with no sentence before it) under a heading it does not show.

    >>> [_top_visible(v, find_headings(v), 1 if "、" in v[:2] else 2) for v in ("三、甲\n四、乙", "(一)甲\n(二)乙")]
    [False, False]
    >>> v = "为做好工作,制定本方案。\n(一)甲\n(二)乙"
    >>> _top_visible(v, find_headings(v), 2)
    True
    """
    first_top = next((h for h in headings if h.rank == top_rank), None)
    if first_top is None or first_top.number != 1:
        return False
    first = headings[0]
    return first.rank <= 1 or "。" in view[:first.start]
