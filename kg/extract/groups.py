"""Coordinating bodies (领导小组, 领导组, 委员会, 联席会议 …): their names, member units when the
text lists them (成员由A、B…组成 / 成员单位:A、B), and the unit hosting their office
(办公室设在A / 办公室(A))."""
from __future__ import annotations

import re
from typing import Iterator

from kg.extract.units import split_units
from kg.model import Group, SourceText

__all__ = ["find_groups", "GROUP_NAME"]

_KINDS = r"(?:工作领导小组|领导小组|领导组|工作委员会|委员会|联席会议|指挥部|工作专班|推进组)"
GROUP_NAME = re.compile(rf"[\u4e00-\u9fff()、]{{2,30}}?{_KINDS}")
_CUT = re.compile(r".*(?:成立|设立|组建|建立|调整|召开|依托|发挥|加强|强化|通过|报|由|向|经|对|以|为|在|是|将|请|各|均|、|\)|"
                  r"印发|关于|完善|健全)")
_MEMBERS = re.compile(r"成员(?:单位)?(?:由|包括|为|:)\s*([^。;]{2,600}?)(?:等(?:部门|单位)?)?(?:组成|构成|。|;)")
_OFFICE = re.compile(r"办公室(?:设在|设于)\s*([\u4e00-\u9fff]{2,20}?(?:局|委|厅|办|部|中心|院))"
                     r"|办公室\((?!简称|下称|即)(?:设在|设于)?([\u4e00-\u9fff]{2,20}?(?:局|委|厅|办|部))\)")


def _name(view: str, m: re.Match[str]) -> str | None:
    raw = m.group()
    cut = _CUT.match(raw)
    name = raw[cut.end():] if cut else raw
    name = name.lstrip("()、")
    if len(name) < 4 or name in ("领导小组", "委员会", "领导组") or "成员" in name:
        return None
    return name


def _in_title(view: str, pos: int) -> bool:
    """Whether ``pos`` lies inside a 《…》 document title."""
    opened = view.rfind("《", max(0, pos - 80), pos)
    return opened != -1 and view.find("》", opened, pos) == -1


def _sentence(view: str, pos: int) -> tuple[int, int]:
    a = max(view.rfind(c, 0, pos) for c in "。\n") + 1
    ends = [i for i in (view.find(c, pos) for c in "。\n") if i != -1]
    return a, min(ends) if ends else len(view)


_KIND = re.compile(_KINDS)
_RUN = re.compile(r"[\u4e00-\u9fff()、]+")


def _group_names(view: str) -> Iterator[re.Match[str]]:
    """``GROUP_NAME.finditer(view)``, but only run where it can match: a name and its kind word
    sit in one run of Chinese characters, parentheses and 、, so the unanchored lazy pattern runs
    on the few runs that contain a kind word instead of at every position of the text.

    >>> [m.group() for m in _group_names("成立质量强市工作领导小组,办公室设在市局。召开联席会议。")]
    ['成立质量强市工作领导小组', '召开联席会议']
    """
    end = 0
    for kind in _KIND.finditer(view):
        if kind.start() < end:
            continue
        run = _RUN.match(view, _run_start(view, kind.start()))
        end = run.end() if run else kind.end()
        yield from GROUP_NAME.finditer(view, run.start() if run else kind.start(), end)


def _run_start(view: str, pos: int) -> int:
    start = pos
    while start > 0 and _RUN.match(view[start - 1]):
        start -= 1
    return start


def find_groups(source: SourceText) -> list[Group]:
    """Every coordinating body the text names, once each, first mention as evidence."""
    view, text = source.view, source.text
    groups: dict[str, Group] = {}
    for m in _group_names(view):
        name = _name(view, m)
        if not name or _in_title(view, m.start()):
            continue  # a group named only in the title of a cited document is not one this text sets up
        start, end = _sentence(view, m.start())
        key = re.sub(r"^(省|市|区|县)", "", name)
        members, host = _members(view, text, start, end), _host(view, text, start, end)
        old = groups.get(key)
        if old and (old.members or not members) and (old.office_host or not host):
            continue
        name_start = m.end() - len(name)
        groups[key] = Group(text[name_start:m.end()], members or (old.members if old else ()),
                            host or (old.office_host if old else None), text[start:end], start, end)
    return list(groups.values())


def _members(view: str, text: str, start: int, end: int) -> tuple[str, ...]:
    m = _MEMBERS.search(view, start, end)
    if not m:
        return ()
    return tuple(text[a:b] for a, b in split_units(view, m.start(1), m.end(1)))


def _host(view: str, text: str, start: int, end: int) -> str | None:
    m = _OFFICE.search(view, start, end)
    if not m:
        return None
    g = 1 if m.group(1) else 2
    return text[m.start(g):m.end(g)]
