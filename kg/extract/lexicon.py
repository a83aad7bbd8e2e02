"""What an agency name looks like, from the reference tables alone (no document context).

Clause finding asks "is this list item an agency?" before any task or clause exists, and the
resolver later asks "which government function does this name denote?". Both questions are
about names, not about a document, so they live here, below clauses, tables and resolution:
the pipeline finds clauses with a :class:`Lexicon`, then resolves every mention once.

A name is split into a jurisdiction prefix (榆林市, 省, 区委 …) and a core (质监局); the core
is looked up in the one order of :mod:`kg.extract.agency_lookup`, which the resolver shares.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

from kg.extract.agency_lookup import FunctionMatch, function_of
from kg.extract.memo import memo, remember
from kg.extract.read import ZERO_WIDTH
from kg.reference import Reference

__all__ = ["Lexicon", "split_prefix", "stem", "LEVEL", "place_like", "loosely_place_like"]

LEVEL = re.compile(r"(?:中共)?(?:自治区|省|市|区|县|州|镇|乡)委?")
# Words that start with a level character but are not a jurisdiction (市场监管局 keeps its 市).
_NOT_LEVEL = ("市场", "市政", "区域", "县域", "省级", "市级", "乡村", "乡镇企业")
_NOT_PLACE = re.compile(r"[和与及、,的之局厅办部会所站队处室]|中心")
# 各X / 区直各X (every unit of a kind in a jurisdiction), 有关/相关 … 政府 (the relevant ones), 成员单位 (a group's members)
_COLLECTIVE = re.compile(r"^各|^(?:全|本)?(?:自治区|省|市|区|县|州)[^各]{0,10}各[\u4e00-\u9fff]{1,4}$"
                         r"|成员单位|成员部门|(有关|相关)(部门|单位)|各(有关|相关)"
                         r"|^(?:有关|相关).{0,10}(?:政府|委员会|管委会|部门|单位|机构)$")
_JUNK = re.compile(r"\d{4}|\d+月|年底|月底|年内|前完成|长期|持续|时限|时间|下同|为牵头|列第|排名|首位|"
                   r"第一|阶段|以下|同上|完成|常态|牵头单位|配合单位|责任单位")
_VERBS = re.compile(r"要|应|须|将|把|对|在|加强|做好|开展|推进|建立|完善|提高|确保|进行|按照|根据|通过|"
                    r"围绕|密切|积极|认真|切实|结合|制定|细化|组织|同志|以上|的")
_PROSE = re.compile(_VERBS.pattern + r"|工作|活动|制度|体系|机制|标准|质量")
_NON_AGENTS = {"企业", "社会", "群众", "公众", "消费者", "市民", "个人", "全社会", "各方", "社会各界",
               "广大群众", "相关企业", "重点企业", "各类企业", "生产企业", "经营者", "市场主体"}


@functools.lru_cache(maxsize=1 << 16)
def split_prefix(text: str, places: tuple[str, ...] = ()) -> tuple[str, str]:
    """Split a name into its jurisdiction prefix and its core (remembered: it runs for every unit
    of every clause).

    Known places of the document are stripped first (榆林市, 榆林), then level words.
    A level word is only a prefix when something agency-like remains (市场监管局 keeps 市).

    >>> split_prefix("市质监局")
    ('市', '质监局')
    >>> split_prefix("甲乙检验检疫局", ("甲乙市",))
    ('甲乙', '检验检疫局')
    >>> split_prefix("区委宣传部")
    ('区委', '宣传部')
    >>> split_prefix("市场监督管理分局")
    ('', '市场监督管理分局')
    """
    prefix, rest = "", text
    for place in _place_forms(places):
        if len(place) >= 2 and rest.startswith(place) and len(rest) > len(place) + 1:
            prefix, rest = prefix + place, rest[len(place):]
            break
    m = LEVEL.match(rest)
    if m and len(rest) > m.end() + 1 and not rest.startswith(_NOT_LEVEL):
        prefix, rest = prefix + m.group(), rest[m.end():]
    return prefix, rest


@functools.lru_cache(maxsize=64)
def _place_forms(places: tuple[str, ...]) -> list[str]:
    """The places of a document and their stems, longest first (split_prefix runs per mention)."""
    return sorted({p for pl in places for p in (pl, stem(pl))}, key=len, reverse=True)


@functools.lru_cache(maxsize=1 << 12)
def stem(place: str) -> str:
    """A place name without its level word, two characters kept at least (remembered: the
    resolver asks it for each place of the document at every name it resolves).

    >>> stem("甲乙市"), stem("甲乙回族自治区"), stem("甲市")
    ('甲乙', '甲乙回族', '甲市')
    """
    for suffix in ("特别行政区", "自治区", "自治州", "自治县", "地区", "省", "市", "州", "盟", "区", "县", "旗"):
        if place.endswith(suffix) and len(place) - len(suffix) >= 2:
            return place[: -len(suffix)]
    return place


@dataclass(frozen=True)
class Lexicon:
    """The agency vocabulary of one set of reference tables. Its answers depend on the text asked
    about and the tables only, so they are remembered with the tables (:mod:`kg.extract.memo`)."""

    reference: Reference
    _functions: dict[str, FunctionMatch] = field(init=False, repr=False, compare=False)
    _loose: dict[str, FunctionMatch] = field(init=False, repr=False, compare=False)
    _units: dict[tuple[str, bool], bool] = field(init=False, repr=False, compare=False)
    _endings: dict[str, bool] = field(init=False, repr=False, compare=False)
    lists: dict[Any, Any] = field(init=False, repr=False, compare=False)  # unit lists the grammar has parsed

    def __post_init__(self) -> None:
        for name in ("_functions", "_loose", "_units", "_endings"):
            object.__setattr__(self, name, memo(self.reference, "lexicon" + name))
        object.__setattr__(self, "lists", memo(self.reference, "collect"))  # found once, not per list

    def function_of(self, core: str, loose: bool = False) -> FunctionMatch:
        """(function key, merged keys, place left in front) for a core without prefix, in the one
        lookup order (remembered). Before a known ending, a place may hold no verb unless
        ``loose`` (the resolver's question, about a mention already known to name a unit).

        >>> from kg.reference import load_reference
        >>> x = Lexicon(load_reference())
        >>> x.function_of("发改局")[0], x.function_of("工信和商务局")[:2]
        ('development_reform', ('commerce+industry_information', ('commerce', 'industry_information')))
        >>> x.function_of("推进甲乙税务局"), x.function_of("推进甲乙税务局", loose=True)[0]
        ((None, (), ''), 'taxation')
        """
        table = self._loose if loose else self._functions
        found = table.get(core)
        if found is None:
            found = remember(table, core, function_of(core, self.reference, loosely_place_like if loose else place_like,
                                                      _core_of))
        return found

    def has_agency_ending(self, name: str) -> bool:
        """Whether a name ends like an agency (局, 委员会, 政府 …) or is a known function.

        >>> from kg.reference import load_reference
        >>> x = Lexicon(load_reference())
        >>> x.has_agency_ending("市财政局"), x.has_agency_ending("发改"), x.has_agency_ending("各县")
        (True, True, False)
        """
        found = self._endings.get(name)
        if found is None:
            found = remember(self._endings, name, name.endswith(self.reference.suffixes)
                             or self.function_of(split_prefix(name)[1])[0] is not None)
        return found

    def jurisdiction_and_core(self, name: str) -> tuple[str, str]:
        """A name split into the place it belongs to and a known agency core, or ("", "").

        >>> from kg.reference import load_reference
        >>> x = Lexicon(load_reference())
        >>> x.jurisdiction_and_core("区政府"), x.jurisdiction_and_core("甲乙市人民政府")
        (('区', '政府'), ('甲乙市', '人民政府'))
        >>> x.jurisdiction_and_core("财政局")
        ('', '')
        """
        prefix, core = split_prefix(name)
        if prefix and self.function_of(core)[0] is not None:
            return prefix, core
        function, _, place = self.function_of(core)
        if function is None or not place:
            return "", ""
        return prefix + place, core[len(place):]

    def collective(self, text: str) -> str | None:
        """The collective key of a name that stands for several units (各乡镇, 有关部门, …成员单位).

        >>> from kg.reference import load_reference
        >>> x = Lexicon(load_reference())
        >>> [bool(x.collective(t)) for t in ("各乡镇", "市财政局", "区直各部门", "相关县政府")]
        [True, False, True, True]

        (Clause finding only asks whether a name is a collective; the resolver types it by its
        head noun.)
        """
        if not _COLLECTIVE.search(text) or _VERBS.search(text.split("各")[0]):
            return None
        for collective in self.reference.collectives:
            if any(k in text for k in collective.keywords):
                return collective.key
        return "relevant_departments"

    def unit_like(self, text: str, strict: bool) -> bool:
        """Whether a list item names an agency (strict: provably so, for prose).

        >>> from kg.reference import load_reference
        >>> x = Lexicon(load_reference())
        >>> [x.unit_like(t, True) for t in ("市质监局", "各乡镇", "做到密切", "企业")]
        [True, True, False, False]
        >>> x.unit_like("经济和信息化", False), x.unit_like("2017年底前", False)
        (True, False)
        """
        found = self._units.get((text, strict))
        if found is None:
            found = remember(self._units, (text, strict), self._unit_like(text.replace(ZERO_WIDTH, ""), strict))
        return found

    def _unit_like(self, text: str, strict: bool) -> bool:
        if len(text) < 2 or len(text) > 30 or text in _NON_AGENTS or _JUNK.search(text):
            return False
        if self.collective(text):
            return not _VERBS.search(text)
        _, core = split_prefix(text)
        if self.function_of(core)[0] is not None:
            return not _PROSE.search(core.replace("质量", "")) or len(core) <= 12
        if _PROSE.search(text):
            return False
        if text.endswith(self.reference.suffixes):
            return True
        return not strict and len(text) <= 10 and _HAN_NAME.fullmatch(text) is not None


_HAN_NAME = re.compile(r"[\u4e00-\u9fff()]+")


def is_junk(text: str) -> bool:
    """Items a clause may carry besides units: deadlines and notes ("2017年底前完成", "下同").

    >>> is_junk("2017年底前完成"), is_junk("市质监局")
    (True, False)
    """
    return bool(_JUNK.search(text))


# Verbs of two characters or more never occur in a place name (single ones do: 将乐县, 应县).
_DEED = re.compile("|".join(v for v in _VERBS.pattern.split("|") if len(v) >= 2))


def place_like(head: str) -> bool:
    """Whether the text before a known agency ending can be a place ("甲乙", not "推进重点项目").

    >>> place_like("甲乙"), place_like("推进重点项目"), place_like("质监局")
    (True, False, False)
    """
    return loosely_place_like(head) and not _DEED.search(head)


def loosely_place_like(head: str) -> bool:
    """:func:`place_like` without the verb guard: for a mention already known to name a unit.

    >>> loosely_place_like("推进重点项目"), loosely_place_like("甲乙和丙")
    (True, False)
    """
    return len(head) <= 8 and not _NOT_PLACE.search(head)


def _core_of(name: str) -> str:
    """A name without its jurisdiction prefix (the inner name of 工商局(市质监局))."""
    return split_prefix(name)[1]
