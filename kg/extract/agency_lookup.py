"""The one lookup order from an agency core (a name without its jurisdiction) to a function key.

Clause finding (is this list item an agency?) and resolution (which function is it?) ask the
same question of the same tables, so they share this order:

1. a body written with its second name in brackets (工商局(质监局)): both keys, merged;
2. the core without brackets, as written;
3. without its type suffix (局, 委员会 …), where the longest known stem wins;
4. as a merged body (工信和商务局), each part a known core;
5. by its longest known ending after something that may be a place (甲乙 + 税务局), or a known
   body, a place and a branch word (人民银行甲乙市中心支行).

What may count as a place in step 5 is the caller's: clause finding is strict (no verbs), the
resolver loose (the mention is already known to name a unit). Answers are remembered per set of
reference tables (:mod:`kg.extract.memo`).
"""
from __future__ import annotations

import re
from typing import Callable

from kg.extract.memo import memo, remember
from kg.reference import Reference

__all__ = ["FunctionMatch", "function_of", "lookup", "by_ending", "PARENS"]

FunctionMatch = tuple[str | None, tuple[str, ...], str]  # (function key, merged keys, place left in front)
PARENS = re.compile(r"\([^()]*\)|\[[^\]]*\]|〔[^〕]*〕")
_OUTER_INNER = re.compile(r"([^()]+)\(([^()]+)\)")
_JOINS = re.compile(r"[和与及]")
_BRANCH = re.compile(r"(中心支行|支行|分行|营业管理部|监管分局|监管局|分局|分公司|支队|大队)$")
_PLACE_END = re.compile(r"(?:省|市|区|县|州|盟|旗|自治区)$")  # "国家税务总局河南省" + 税务局


def function_of(core: str, reference: Reference, place: Callable[[str], bool],
                strip_prefix: Callable[[str], str]) -> FunctionMatch:
    """(function key, merged keys, place left in front) of ``core``; ``place`` says what may
    stand before a known ending, ``strip_prefix`` drops a jurisdiction from a bracketed name.

    >>> from kg.reference import load_reference
    >>> ref, anything, keep = load_reference(), (lambda head: True), (lambda name: name)
    >>> [function_of(c, ref, anything, keep)[0] for c in ("发展和改革委员会", "发改局", "质量技监局")]
    ['development_reform', 'development_reform', 'quality_technical_supervision']
    >>> function_of("工信和商务局", ref, anything, keep)[:2]
    ('commerce+industry_information', ('commerce', 'industry_information'))
    >>> function_of("工商局(质监局)", ref, anything, keep)[1]
    ('industry_commerce_administration', 'quality_technical_supervision')
    >>> function_of("甲乙出入境检验检疫局", ref, anything, keep)
    ('entry_exit_inspection_quarantine', (), '甲乙')
    """
    bracketed = _bracketed(core, reference, strip_prefix)
    if bracketed:
        return "+".join(bracketed), bracketed, ""
    core = PARENS.sub("", core) or core
    found = lookup(core, reference)
    if found:
        return found, (), ""
    merged = _merged(core, reference)
    if merged:
        return "+".join(merged), merged, ""
    return by_ending(core, reference, place)


def lookup(core: str, reference: Reference) -> str | None:
    """The function of a core as written, else of its longest known stem (remembered)."""
    aliases = reference.aliases
    if core in aliases:
        return aliases[core]
    known = memo(reference, "stems")  # a function of the core and the tables alone
    if core not in known:
        remember(known, core, _lookup_stem(core, reference))
    return known[core]  # type: ignore[no-any-return]


def _lookup_stem(core: str, reference: Reference) -> str | None:
    aliases = reference.aliases
    for suffix in reversed(reference.suffixes):  # the longest known stem is the most specific
        if core.endswith(suffix) and len(core) > len(suffix):
            stem = core[: -len(suffix)]
            if stem in aliases:
                return aliases[stem]
    return None


def _bracketed(core: str, reference: Reference, strip_prefix: Callable[[str], str]) -> tuple[str, ...]:
    """工商局(质监局): one body under two names → both keys; an office with its host in
    brackets (质强办(市质监局)) stays the office."""
    m = _OUTER_INNER.fullmatch(core)
    if not m:
        return ()
    outer, inner = lookup(m.group(1), reference), lookup(strip_prefix(m.group(2)), reference)
    if not outer or not inner or outer == inner or reference.functions[outer].kind in ("office", "body"):
        return ()
    return tuple(sorted({outer, inner}))


def _merged(core: str, reference: Reference) -> tuple[str, ...]:
    parts = [p for p in _JOINS.split(core) if p]
    if len(parts) < 2:
        return ()
    keys = [lookup(p, reference) for p in parts]
    if all(keys) and len(set(keys)) > 1:
        return tuple(sorted(set(k for k in keys if k)))
    return ()


def by_ending(core: str, reference: Reference, place: Callable[[str], bool]) -> FunctionMatch:
    """A known agency after a place ("甲乙" + 税务局, also before a type suffix), or a known body,
    a place and a branch word ("人民银行甲乙市中心支行"): (function, (), place), or (None, (), "").
    ``place`` says what may count as a place.

    >>> from kg.reference import load_reference
    >>> by_ending("甲乙税务局", load_reference(), lambda head: len(head) <= 8)
    ('taxation', (), '甲乙')
    """
    stems = [core] + [core[: -len(s)] for s in reference.suffixes if core.endswith(s) and len(core) > len(s)]
    for text in stems:
        for cut in range(1, len(text) - 1):
            head, tail = text[:cut], text[cut:]
            if tail in reference.aliases and len(tail) >= 2 and (place(head) or _PLACE_END.search(head)):
                return reference.aliases[tail], (), head
    branch = _BRANCH.search(core)
    body = core[: branch.start()] if branch else ""
    for cut in range(len(body), 1, -1):
        if body[:cut] in reference.aliases and place(body[cut:]):
            return reference.aliases[body[:cut]], (), body[cut:]
    return None, (), ""
