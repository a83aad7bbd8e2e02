"""Mention as written → an agency scoped to a jurisdiction, with a function key shared by every
spelling of one government function (市发改委, 区发改局, 发展和改革 → ``development_reform``).

A mention is split into a jurisdiction prefix (榆林市, 省, 区委 …) and a core (质监局); the core
is looked up in the alias table as written, then without its type suffix (局, 委员会 …), then
as a merged body (工信和商务局 = industry_information + commerce), then by its longest known
ending. Two jurisdictions never share an agency: the prefix decides whose agency it is.
A core that matches nothing stays its own agency, flagged unresolved, never dropped.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extract.lexicon import PARENS as _PARENS, Lexicon, split_prefix, stem as _stem
from kg.model import Agency, Metadata, Mention
from kg.reference import Reference

__all__ = ["Resolver", "split_prefix", "LEVEL_CHARS"]

LEVEL_CHARS = {"province": "省", "city": "市", "district": "区", "county": "县"}


@dataclass
class Resolver:
    """Resolves mentions of one document (its jurisdiction chain scopes them)."""

    reference: Reference
    metadata: Metadata

    def resolve(self, mention: Mention, view_text: str) -> Agency:
        """``view_text`` is the mention in the matching view (simplified, folded)."""
        text = re.sub(r"[\s\ue000]+", "", view_text)  # spaces and zero-width placeholders
        collective = Lexicon(self.reference).collective(text)
        prefix, core = split_prefix(text, self.metadata.places)
        jurisdiction = self._jurisdiction(prefix or mention.elided_prefix)
        if collective:
            name = text if text.startswith(jurisdiction) else jurisdiction + core
            return Agency(name, f"collective:{collective}", jurisdiction, True, collective=True)
        function, merged, place = self.function_of(core)
        if place:
            jurisdiction = self._jurisdiction(place)
        if function is None:
            return Agency(jurisdiction + core, _unresolved_key(core, self.reference), jurisdiction, False)
        if merged:
            return Agency(jurisdiction + core, function, jurisdiction, True, merged=merged)
        label = self.reference.functions[function].label_zh
        return Agency(jurisdiction + label, function, jurisdiction, True)

    def function_of(self, core: str) -> tuple[str | None, tuple[str, ...], str]:
        """(function key, merged keys, place left in front): see :meth:`Lexicon.function_of`."""
        return Lexicon(self.reference).function_of(core)

    def _jurisdiction(self, prefix: str) -> str:
        """The jurisdiction a prefix points at, given the document's own place chain."""
        meta, prefix = self.metadata, prefix.removeprefix("中共").rstrip("委")
        places = meta.places
        if not prefix:
            return meta.jurisdiction or ""
        for place in places:
            if prefix in (place, _stem(place)):
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


def _unresolved_key(core: str, reference: Reference) -> str:
    """A stable key for a core no alias knows: the core without its type suffix."""
    core = _PARENS.sub("", core) or core
    for suffix in reference.suffixes:
        if core.endswith(suffix) and len(core) > len(suffix) + 1:
            return "unresolved:" + core[: -len(suffix)]
    return "unresolved:" + core
