"""Function keys as people read them: the body that holds a function today (by the lineage
table) and a function's name without a place. Burden by function or successor and the
comparison both name their rows this way.
"""
from __future__ import annotations

from kg.reference import Reference

__all__ = ["heir_key", "function_name"]


def heir_key(function: str, reference: Reference) -> str:
    """The function key that holds ``function`` today; a merged body's parts rolled up each.

    >>> from kg.reference import load_reference
    >>> r = load_reference()
    >>> heir_key("quality_technical_supervision", r), heir_key("industry_commerce_administration+quality_technical_supervision", r)
    ('market_regulation', 'market_regulation')
    >>> heir_key("collective:townships", r)
    'collective:townships'
    """
    if ":" in function:
        return function
    heirs = sorted({reference.heir(part) for part in function.split("+")})
    return "+".join(heirs)


def function_name(function: str, reference: Reference) -> str:
    """A function's readable name (城市 form, no place): 市场监督管理局, 各乡镇, 工商…+质监….

    >>> from kg.reference import load_reference
    >>> r = load_reference()
    >>> function_name("market_regulation", r), function_name("collective:townships", r)
    ('市场监督管理局', '各乡镇')
    """
    if function.startswith("collective:"):
        found = [c.label_zh for c in reference.collectives if f"collective:{c.key}" == function]
        return found[0] if found else function
    parts = [reference.functions[p].label_zh.replace("{level}", "市") if p in reference.functions
             else p.split(":", 1)[-1] for p in function.split("+")]
    return "、".join(parts)
