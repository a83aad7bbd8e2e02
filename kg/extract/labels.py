"""Canonical agency names that fit the jurisdiction's level: a province has 厅 (河南省文化和旅游厅,
河南省人民政府办公厅), a city or county 局/委/办公室 (许昌市文化和旅游局), the State Council
部/委/总局/署 (交通运输部, 海关总署).

The label depends on the jurisdiction's name only, never on the document that mentions the
agency, so one agency IRI always carries one label whoever writes it. The era is in the function
key itself (质监局 and 市场监管局 are two functions joined by the lineage table).
"""
from __future__ import annotations

from kg.model import Agency
from kg.reference import Function

__all__ = ["NATIONAL", "level_of", "agency_label", "canonical_agency"]

NATIONAL = "全国"
_PROVINCE_ENDS = ("省", "自治区")
_COUNTY_ENDS = ("县", "区", "旗", "自治县")


def level_of(jurisdiction: str) -> str:
    """The level a jurisdiction's name shows: national, province, city or county.

    A municipality directly under the State Council (its name ends in 市) reads as a city: its
    departments are 委 and 局, like a city's.

    >>> [level_of(j) for j in ("全国", "河南省", "广西壮族自治区", "许昌市", "榆阳区", "省", "")]
    ['national', 'province', 'province', 'city', 'county', 'province', 'city']
    """
    if jurisdiction in (NATIONAL, "国家", "中央", "国务院"):
        return "national"
    if jurisdiction.endswith(_PROVINCE_ENDS):
        return "province"
    if jurisdiction.endswith(_COUNTY_ENDS):
        return "county"
    return "city"


def _level_char(jurisdiction: str) -> str:
    """The character a 质量强X label takes: 省, 市, 区, 县 … (自治区 → 区)."""
    return jurisdiction[-1] if jurisdiction else "市"


def agency_label(function: Function, jurisdiction: str) -> str:
    """The full canonical name of ``function``'s body in ``jurisdiction``.

    >>> from kg.reference import Function
    >>> f = Function("culture_tourism", "文化和旅游局", "culture and tourism", "agency",
    ...              label_province="文化和旅游厅", label_national="文化和旅游部")
    >>> agency_label(f, "河南省"), agency_label(f, "许昌市"), agency_label(f, "全国")
    ('河南省文化和旅游厅', '许昌市文化和旅游局', '文化和旅游部')
    >>> q = Function("quality_strategy_office", "质量强{level}工作领导小组办公室", "", "office")
    >>> agency_label(q, "河南省"), agency_label(q, "魏都区")
    ('河南省质量强省工作领导小组办公室', '魏都区质量强区工作领导小组办公室')
    """
    level = level_of(jurisdiction)
    if level == "national":
        return function.label_national or "国家" + function.label_zh.replace("{level}", "国")
    label = function.label_province if level == "province" and function.label_province else function.label_zh
    return jurisdiction + label.replace("{level}", _level_char(jurisdiction))


def canonical_agency(functions: dict[str, Function], jurisdiction: str, function: str) -> Agency:
    """The agency holding a known ``function`` in ``jurisdiction`` (e.g. a lineage successor)."""
    return Agency(agency_label(functions[function], jurisdiction), function, jurisdiction, True)
