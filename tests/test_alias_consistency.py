"""The alias table is consistent: spellings of one stem (文化广电旅游 / 文化广电和旅游, 国家税务局 /
国家税务总局) name one function, and the table covers the standing bodies of every level."""
from __future__ import annotations

import re
from collections import defaultdict

import pytest

from kg.model import Metadata, Mention, Role
from kg.reference import Reference, load_reference
from kg.extract.resolve import Resolver

_CONNECTORS = re.compile(r"[和与及、]")
# Rank words that do not change which body is meant (发改委 = 发改局, 税务总局 ~ 税务局). 办/办公室 do:
# 政府办 is the government's office, not the government; 所/院/中心 are institutions.
_RANKS = ("委员会", "总局", "总署", "管理局", "局", "委", "厅", "部", "署")
# One stem, two bodies by law: the 2018 reform replaced 监察局 by a new 监察委员会.
_DISTINCT_BY_RANK = {"监察": {"administrative_supervision", "supervision_commission"}}


def stem(alias: str) -> str:
    """An alias without connectors and without its rank word.

    >>> stem("文化广电和旅游局"), stem("国家税务总局"), stem("政府办")
    ('文化广电旅游', '国家税务', '政府办')
    """
    bare = _CONNECTORS.sub("", alias)
    for rank in _RANKS:
        if bare.endswith(rank) and len(bare) - len(rank) >= 2:
            return bare[: -len(rank)]
    return bare


def conflicts(reference: Reference) -> dict[str, set[str]]:
    by_stem: dict[str, set[str]] = defaultdict(set)
    for alias, function in reference.aliases.items():
        by_stem[stem(alias)].add(function)
    return {s: fs for s, fs in by_stem.items() if len(fs) > 1 and _DISTINCT_BY_RANK.get(s) != fs}


def test_two_aliases_of_one_stem_never_name_two_functions():
    assert conflicts(load_reference()) == {}


def test_the_check_catches_a_conflict(tmp_path):
    from dataclasses import replace

    reference = load_reference()
    broken = replace(reference, aliases={**reference.aliases, "文化广电和旅游": "culture", "文化广电旅游": "culture_tourism"})
    assert conflicts(broken) == {"文化广电旅游": {"culture", "culture_tourism"}}


def _function(text: str, meta: Metadata) -> str:
    return Resolver(load_reference(), meta).resolve(Mention(text, 0, len(text), Role.LEAD), text).function


NATIONAL = Metadata(jurisdiction="全国", level="national", places=())
PROVINCE = Metadata(jurisdiction="湖南省", level="province", places=("湖南省",))
COUNTY = Metadata(jurisdiction="浏阳县", level="county", places=("长沙市", "浏阳县"))


@pytest.mark.parametrize("written,key", [
    # State Council departments and bodies directly under it
    ("国家发展改革委", "development_reform"), ("教育部", "education"), ("科技部", "science_technology"),
    ("工业和信息化部", "industry_information"), ("国家民委", "ethnic_religious"), ("公安部", "public_security"),
    ("民政部", "civil_affairs"), ("司法部", "justice"), ("财政部", "finance"), ("人力资源社会保障部", "human_resources_social_security"),
    ("自然资源部", "natural_resources"), ("生态环境部", "ecology_environment"), ("住房城乡建设部", "housing_urban_rural_development"),
    ("交通运输部", "transport"), ("水利部", "water_resources"), ("农业农村部", "agriculture_rural_affairs"),
    ("商务部", "commerce"), ("文化和旅游部", "culture_tourism"), ("国家卫生健康委", "health"),
    ("退役军人事务部", "veterans_affairs"), ("应急管理部", "emergency_management"), ("人民银行", "peoples_bank"),
    ("审计署", "audit"), ("国务院国资委", "state_assets"), ("海关总署", "customs"), ("税务总局", "taxation"),
    ("市场监管总局", "market_regulation"), ("广电总局", "radio_television"), ("体育总局", "sports"),
    ("国家统计局", "statistics"), ("国家医保局", "healthcare_security"), ("国家信访局", "petitions"),
    ("国家知识产权局", "intellectual_property"), ("国家能源局", "energy_administration"), ("国家林草局", "forestry"),
    ("国家中医药局", "traditional_medicine"), ("国家外汇局", "foreign_exchange"), ("国务院办公厅", "government_office"),
])
def test_national_bodies(written, key):
    assert _function(written, NATIONAL) == key


@pytest.mark.parametrize("written,key", [
    ("省发展改革委", "development_reform"), ("省教育厅", "education"), ("省科技厅", "science_technology"),
    ("省工业和信息化厅", "industry_information"), ("省民宗委", "ethnic_religious"), ("省公安厅", "public_security"),
    ("省人力资源社会保障厅", "human_resources_social_security"), ("省自然资源厅", "natural_resources"),
    ("省住房城乡建设厅", "housing_urban_rural_development"), ("省交通运输厅", "transport"),
    ("省农业农村厅", "agriculture_rural_affairs"), ("省文化和旅游厅", "culture_tourism"),
    ("省文化广电旅游厅", "culture_tourism"), ("省卫生健康委", "health"), ("省审计厅", "audit"),
    ("省政府办公厅", "government_office"), ("省外办", "foreign_affairs"), ("省地方金融监管局", "financial_affairs"),
    # pre-2018 provincial bodies keep their own keys
    ("省质监局", "quality_technical_supervision"), ("省工商局", "industry_commerce_administration"),
    ("省食药监局", "food_drug_administration"), ("省环保厅", "environmental_protection"),
    ("省经贸委", "economic_trade_commission"), ("省外经贸厅", "foreign_trade_economic_cooperation"),
    ("省国土资源厅", "land_resources"), ("省安监局", "work_safety"), ("省卫生计生委", "health_family_planning"),
])
def test_provincial_bodies(written, key):
    assert _function(written, PROVINCE) == key


@pytest.mark.parametrize("written,key", [
    ("县发改局", "development_reform"), ("县发改局(粮食局)", "development_reform+grain"), ("县交委", "transport"),
    ("县市场局", "market_regulation"), ("县文广旅体局", "culture_tourism"), ("县文广新局", "culture_press_radio_tv"),
    ("县卫健局", "health"), ("县人社局", "human_resources_social_security"), ("县住建局", "housing_urban_rural_development"),
    ("县自然资源和规划局", "natural_resources"), ("县农业农村局", "agriculture_rural_affairs"), ("县应急局", "emergency_management"),
    ("县医保局", "healthcare_security"), ("县退役军人局", "veterans_affairs"), ("县城管局", "urban_management"),
    ("县行政审批局", "administrative_approval"), ("县政务服务中心", "government_services"), ("县信访局", "petitions"),
    ("县统计局", "statistics"), ("县审计局", "audit"), ("县民政局", "civil_affairs"), ("县司法局", "justice"),
    ("县林业局", "forestry"), ("县水务局", "water_resources"), ("县人防办", "civil_air_defense"),
    ("县政府办", "government_office"), ("县委宣传部", "publicity"), ("县委组织部", "organization"),
    ("县总工会", "trade_union"), ("团县委", "youth_league"), ("县妇联", "womens_federation"), ("县残联", "disabled_federation"),
    ("县科协", "science_association"), ("县供销社", "supply_marketing"), ("县税务局", "taxation"),
    ("县国税局", "national_tax"), ("县地税局", "local_tax"), ("县工商局", "industry_commerce_administration"),
    ("县食药监局", "food_drug_administration"), ("县环保局", "environmental_protection"),
    ("县外经贸局", "foreign_trade_economic_cooperation"), ("县经贸委", "economic_trade_commission"),
    ("县质监局", "quality_technical_supervision"), ("县公安局", "public_security"), ("县财政局", "finance"),
])
def test_county_bodies(written, key):
    assert _function(written, COUNTY) == key
