"""Mention as written → an agency scoped to a jurisdiction, with a function key shared by every
spelling of one government function (市发改委, 区发改局, 发展和改革 → ``development_reform``).

A mention is split into a jurisdiction prefix (榆林市, 省, 区委 …) and a core (质监局); the core
is looked up in the alias table as written, then without its type suffix (局, 委员会 …), then
as a merged body (工信和商务局 = industry_information + commerce), then by its longest known
ending. Two jurisdictions never share an agency: the prefix decides whose agency it is.
A core that matches nothing stays its own agency, flagged unresolved, never dropped.

Collectives (各乡镇, 区直各部门, …成员单位) are typed by their head noun; 工商局(质监局), one body
written with its second name in brackets, is a merged body. The canonical name fits the
jurisdiction's level (:mod:`kg.extract.labels`). Old bodies (质监局, 经贸委) keep their own function
keys: joining them to their successors is the lineage table's job, never resolution's.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extract.labels import NATIONAL, agency_label
from kg.extract.agency_lookup import FunctionMatch, lookup
from kg.extract.lexicon import LEVEL, Lexicon, split_prefix, stem
from kg.extract.memo import memo, remember
from kg.model import Agency, Metadata, Mention
from kg.reference import Collective, Reference

__all__ = ["Resolver", "LEVEL_CHARS"]

LEVEL_CHARS = {"province": "省", "city": "市", "district": "区", "county": "县"}
_PLACE = re.compile(r"[\u4e00-\u9fff]{1,8}?(?:特别行政区|自治区|自治州|自治县|地区|省|市|州|盟|区|县|旗)")
_PARENS = re.compile(r"\([^()]*\)|\[[^\]]*\]|〔[^〕]*〕")
_NATIONAL_PREFIX = re.compile(r"^(?:中共中央|国务院|国家|中央)")
_GOVERNMENT = re.compile(r"(?:人民)?政府$")
_BARE_LEVEL = re.compile(r"^(?:省|市|县|区|州|盟|旗|乡|镇|县区|县市区|市县|市州)$")
_COLLECTIVE = re.compile(r"各|成员单位|成员部门|(?:有关|相关)(?:部门|单位|机构)|^(?:有关|相关)(?:省|市|县|区|州|乡|镇)")
_OFFICE = re.compile(r"(?:领导小组|领导组|指挥部|委员会|联席会议|工作组|专班)办公室$|(?:领导小组|领导组|指挥部)办$")
_BODY = re.compile(r"(?:领导小组|领导组|指挥部|联席会议|工作专班)$")
_BLANKS = re.compile(r"[\s\u200b]+")
_DENG_END = re.compile(r"(?:等)$")


@dataclass
class Resolver:
    """Resolves mentions of one document (its jurisdiction chain scopes them)."""

    reference: Reference
    metadata: Metadata

    def __post_init__(self) -> None:
        self.lexicon = Lexicon(self.reference)

    def resolve(self, mention: Mention, view_text: str) -> Agency:
        """``view_text`` is the mention in the matching view (simplified, folded)."""
        text = _BLANKS.sub("", view_text)  # spaces and zero-width placeholders
        collective = self._collective(text)
        prefix, core = split_prefix(text, self.metadata.places)
        if collective:
            jurisdiction = self._jurisdiction("" if _BARE_LEVEL.match(text) else prefix or mention.elided_prefix)
            name = text if text.startswith(jurisdiction) else jurisdiction + core
            return Agency(name, f"collective:{collective}", jurisdiction, True, collective=True)
        national = _NATIONAL_PREFIX.match(core)
        if national and not lookup(core, self.reference) and len(core) > national.end() + 1:
            prefix, core = NATIONAL, core[national.end():]
        own = self._jurisdiction(prefix or mention.elided_prefix)
        function, merged, place = self.function_of(core)
        jurisdiction = self._jurisdiction(place) if place else own
        written = text if prefix and not LEVEL.fullmatch(prefix) else core  # 滁州经开区: the place is the name
        if function is None:
            return self._unknown(written, own)
        if merged:
            return Agency(_named(own, written), function, own, True, merged=merged)
        if self.reference.functions[function].kind in ("zone", "body"):
            return Agency(_named(own, written), function, own, True, named=True)
        return Agency(agency_label(self.reference.functions[function], jurisdiction), function, jurisdiction, True)

    def resolve_name(self, written: str, traditional: bool = False) -> Agency:
        """A name found outside a clause (issuer, group member, office host), resolved like a mention."""
        from kg.extract.read import fold
        from kg.model import Role

        return self.resolve(Mention(written, 0, len(written), Role.RESPONSIBLE), fold(written, traditional))

    def _unknown(self, core: str, jurisdiction: str) -> Agency:
        """A core no alias knows: the office of a coordinating body, such a body, or unresolved."""
        stem = _PARENS.sub("", core) or core
        for pattern, key in ((_OFFICE, "coordination_office"), (_BODY, "coordinating_body")):
            if pattern.search(stem) and key in self.reference.functions:
                return Agency(_named(jurisdiction, core), key, jurisdiction, True, named=True)
        return Agency(_named(jurisdiction, core), _unresolved_key(core, self.reference), jurisdiction, False)

    def function_of(self, core: str) -> FunctionMatch:
        """(function key, merged keys, place left in front) for a core without prefix: the
        lexicon's lookup order, with a loose place test (the mention is known to name a unit).

        >>> from kg.reference import load_reference
        >>> Resolver(load_reference(), Metadata()).function_of("工商局(质监局)")[0]
        'industry_commerce_administration+quality_technical_supervision'
        """
        return self.lexicon.function_of(core, loose=True)

    def _collective(self, text: str) -> str | None:
        """The collective type of a phrase naming many units, by its head noun, or None.

        >>> from kg.reference import load_reference
        >>> r = Resolver(load_reference(), Metadata())
        >>> r._collective("各县(市、区)政府(管委会)"), r._collective("区直各部门"), r._collective("各街道")
        ('subordinate_governments', 'relevant_departments', 'subdistricts')
        >>> r._collective("市质量强市领导组成员单位"), r._collective("市发改委")
        ('group_member_units', None)
        """
        if not (_COLLECTIVE.search(text) or _BARE_LEVEL.match(text)):
            return None
        known = memo(self.reference, "collective")  # a function of the text and the tables alone
        if text not in known:
            remember(known, text, self._collective_type(text))
        return known[text]  # type: ignore[no-any-return]

    def _collective_type(self, text: str) -> str:
        phrase = _DENG_END.sub("", _PARENS.sub("", text)) or text
        found = _by_head(phrase, self.reference.collectives)
        if found is None and _GOVERNMENT.search(phrase):
            found = _by_head(_GOVERNMENT.sub("", phrase), self.reference.collectives) or "subordinate_governments"
        return found or "relevant_departments"

    def _jurisdiction(self, prefix: str) -> str:
        """The jurisdiction a prefix points at, given the document's own place chain."""
        meta, prefix = self.metadata, prefix.removeprefix("中共").rstrip("委")
        places = meta.places
        if not prefix:
            return meta.jurisdiction or ""
        for place in places:
            if prefix in (place, stem(place)):
                return place
        level_char = prefix[-1] if len(prefix) == 1 or prefix in ("自治区",) else ""
        if level_char:
            if meta.level and LEVEL_CHARS.get(meta.level) == level_char and meta.jurisdiction:
                return meta.jurisdiction
            for place in reversed(places):
                if place.endswith(level_char) or (level_char == "省" and place.endswith("自治区")):
                    return place
            return level_char
        return prefix


def _named(jurisdiction: str, written: str) -> str:
    """The name of a body known by its own name: as written, in its jurisdiction."""
    own = jurisdiction == NATIONAL or written.startswith((jurisdiction, stem(jurisdiction))) and bool(jurisdiction)
    return written if own else jurisdiction + written


def _by_head(phrase: str, collectives: tuple[Collective, ...]) -> str | None:
    """The collective whose head noun ends ``phrase`` (longest head; qualified types first)."""
    best: tuple[int, int, str] | None = None
    for c in collectives:
        if c.qualifiers and not any(q in phrase for q in c.qualifiers):
            continue
        for head in c.keywords:
            if phrase.endswith(head):
                rank = (len(head), len(c.qualifiers) > 0, c.key)
                best = rank if best is None or rank[:2] > best[:2] else best
    return best[2] if best else None


def _unresolved_key(core: str, reference: Reference) -> str:
    """A stable key for a core no alias knows: the core without its type suffix."""
    core = _PARENS.sub("", core) or core
    for suffix in reference.suffixes:
        if core.endswith(suffix) and len(core) > len(suffix) + 1:
            return "unresolved:" + core[: -len(suffix)]
    return "unresolved:" + core
