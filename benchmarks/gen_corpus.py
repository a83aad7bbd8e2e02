"""Generate a realistic synthetic corpus of Chinese policy documents for scale benchmarks.

    python benchmarks/gen_corpus.py OUT_DIR --docs N [--seed S] [--size-mb X] [--truth FILE]

Five sample documents say nothing about how ``kg`` behaves on ten thousand, so this writes
as many as asked, shaped like the real ones: national / provincial / city / county / district
issuers (jurisdiction names built from syllables, not only real places), years 2005-2024 with
agency names that follow the 2018 institutional reform, level-appropriate suffixes (厅 / 局 /
部 / 委 / 总局), five document types, a header with 文号 and date, preambles, goal sections
without clauses, numbered tasks (一、 (一) 1. 1、 (1)) and responsibility clauses in the
layouts real documents use (parenthetical, bracketed, label lines, prose, pipe and tab
tables, function-only lists). Agencies follow a Zipf-like load. A few percent of the files are
GBK-encoded or in traditional script. Each document has its own ``random.Random`` seeded by
``(seed, index)``, so a corpus is reproducible and any prefix of it is the smaller corpus.

``--truth FILE`` writes one JSON line per document with the (role, mention) pairs the
generator put into its clauses, so a harness can measure how many the extractor finds.
"""
from __future__ import annotations

import argparse
import bisect
import multiprocessing
import os
import itertools
import json
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Optional, Sequence, TypeVar

# --------------------------------------------------------------------------- jurisdictions

PROVINCES: list[tuple[str, str, str]] = [  # (name, 文号 abbreviation, kind)
    ("河北省", "冀", "province"), ("山西省", "晋", "province"), ("辽宁省", "辽", "province"),
    ("吉林省", "吉", "province"), ("黑龙江省", "黑", "province"), ("江苏省", "苏", "province"),
    ("浙江省", "浙", "province"), ("安徽省", "皖", "province"), ("福建省", "闽", "province"),
    ("江西省", "赣", "province"), ("山东省", "鲁", "province"), ("河南省", "豫", "province"),
    ("湖北省", "鄂", "province"), ("湖南省", "湘", "province"), ("广东省", "粤", "province"),
    ("海南省", "琼", "province"), ("四川省", "川", "province"), ("贵州省", "黔", "province"),
    ("云南省", "云", "province"), ("陕西省", "陕", "province"), ("甘肃省", "甘", "province"),
    ("青海省", "青", "province"), ("内蒙古自治区", "内", "region"),
    ("广西壮族自治区", "桂", "region"), ("宁夏回族自治区", "宁", "region"),
    ("新疆维吾尔自治区", "新", "region"), ("北京市", "京", "municipality"),
    ("天津市", "津", "municipality"), ("上海市", "沪", "municipality"), ("重庆市", "渝", "municipality"),
]
REAL_CITIES = ["大同", "丽水", "滁州", "许昌", "淮安", "潍坊", "咸宁", "中卫", "鞍山", "厦门",
               "绍兴", "江门", "东莞", "济南", "株洲", "遵义", "宜宾", "赣州", "包头", "柳州"]
SYL1 = list("青安宁平江阳华临泰永东西南北长新广德兴昌嘉丰金云龙凤清白通荣常宜海山河桂汉石鹤瑞梅松盘")
SYL2 = list("阳州安平宁江城山川原门林源丰兴德昌化都水溪陵泉沙湖口坪岗阴")


@dataclass(frozen=True)
class Jurisdiction:
    """Who issues a document and how its agencies are prefixed (省 / 市 / 县 / 区 / none)."""

    name: str          # full name: 四川省, 青阳市, 安平县, 国务院 (national)
    bare: str          # name without the administrative suffix: 四川, 青阳
    level: str         # national | province | city | county | district
    prefix: str        # agency prefix: 省, 市, 县, 区, 自治区, or "" for national
    abbr: str          # 文号 abbreviation: 川, 青, 安
    parent: str = ""   # the city a district or county belongs to


def _syllable_name(rng: random.Random) -> str:
    """A two-character place name that looks real without being one."""
    return rng.choice(SYL1) + rng.choice(SYL2)


def _province(rng: random.Random) -> Jurisdiction:
    """A provincial-level jurisdiction; municipalities prefix their agencies with 市."""
    name, abbr, kind = rng.choice(PROVINCES)
    bare = name.rstrip("省市").replace("自治区", "").replace("维吾尔", "").replace("回族", "").replace("壮族", "")
    prefix = {"province": "省", "region": "自治区", "municipality": "市"}[kind]
    return Jurisdiction(name, bare, "province", prefix, abbr)


def _city(rng: random.Random) -> Jurisdiction:
    """A prefecture-level city, a fifth of them real names."""
    bare = rng.choice(REAL_CITIES) if rng.random() < 0.2 else _syllable_name(rng)
    return Jurisdiction(bare + "市", bare, "city", "市", bare[0])


def _county(rng: random.Random, district: bool) -> Jurisdiction:
    """A county or a city district; its 文号 abbreviation combines parent and own name."""
    parent = _city(rng)
    bare = _syllable_name(rng)
    level, suffix = ("district", "区") if district else ("county", "县")
    return Jurisdiction(bare + suffix, bare, level, suffix, parent.bare[0] + bare[0], parent.name)


NATIONAL = Jurisdiction("国务院", "国务院", "national", "", "国")


def jurisdiction_pool(seed: int) -> list[Jurisdiction]:
    """A fixed pool per seed so that one jurisdiction issues several documents over the years."""
    rng = random.Random(f"pool:{seed}")
    pool = [NATIONAL] * 40 + [_province(rng) for _ in range(90)]
    pool += [_city(rng) for _ in range(420)]
    pool += [_county(rng, district=False) for _ in range(300)]
    pool += [_county(rng, district=True) for _ in range(220)]
    return pool


# --------------------------------------------------------------------------- agencies

@dataclass(frozen=True)
class Variant:
    """One name of a department, valid in years [start, end] (per the 2018 reform)."""

    forms: dict[str, tuple[str, str]]  # level -> (full name, short name); "{p}" marks the prefix slot
    start: int = 1990
    end: int = 2100
    func: str = ""                     # function-only form for "发展改革、质监等部门按职责分工负责"


@dataclass
class Slot:
    """A standing department whose variants replace each other through the reform."""

    variants: list[Variant] = field(default_factory=list)


def V(nat: str, prov: str, city: str, county: str = "", start: int = 1990, end: int = 2100,
      func: str = "") -> Variant:
    """Compact variant: each level given as 'full/short' ('' = the level has no such body)."""
    def pair(spec: str) -> tuple[str, str]:
        """'full/short' → (full, short); a name without '/' is its own short form."""
        full, _, short = spec.partition("/")
        return (full, short or full)
    levels = {"national": nat, "province": prov, "city": city, "county": county or city}
    return Variant({k: pair(v) for k, v in levels.items() if v}, start, end, func)


PRE, POST = 2018, 2019  # last year of old names at local level, first of new ones (national: 2017/2018)

# Ordered by typical load: the list position drives the Zipf weight.
SLOTS: list[list[Variant]] = [
    [V("国家发展和改革委员会/国家发展改革委", "发展和改革委员会/发展改革委", "发展和改革委员会/发改委",
       "发展和改革局/发改局", func="发展改革")],
    [V("财政部", "财政厅", "财政局", func="财政")],
    [V("工业和信息化部/工业和信息化部", "经济和信息化委员会/经信委", "经济和信息化委员会/经信委",
       "经济和信息化局/经信局", end=PRE, func="经济和信息化"),
     V("工业和信息化部/工业和信息化部", "工业和信息化厅/工业和信息化厅", "工业和信息化局/工信局",
       start=POST, func="工业和信息化")],
    [V("国家质量监督检验检疫总局/质检总局", "质量技术监督局/质监局", "质量技术监督局/质监局",
       end=PRE, func="质监"),
     V("国家工商行政管理总局/工商总局", "工商行政管理局/工商局", "工商行政管理局/工商局",
       end=PRE, func="工商"),
     V("国家食品药品监督管理总局/食品药品监管总局", "食品药品监督管理局/食品药品监管局",
       "食品药品监督管理局/食药监局", end=PRE, func="食品药品监管"),
     V("国家市场监督管理总局/市场监管总局", "市场监督管理局/市场监管局", "市场监督管理局/市场监管局",
       start=POST, func="市场监管")],
    [V("人力资源和社会保障部/人力资源社会保障部", "人力资源和社会保障厅/人力资源社会保障厅",
       "人力资源和社会保障局/人社局", func="人力资源社会保障")],
    [V("住房和城乡建设部/住房城乡建设部", "住房和城乡建设厅/住房城乡建设厅", "住房和城乡建设局/住建局",
       func="住房城乡建设")],
    [V("国土资源部", "国土资源厅", "国土资源局/国土局", end=PRE, func="国土资源"),
     V("自然资源部", "自然资源厅", "自然资源局/自然资源局", "自然资源和规划局/自然资源规划局",
       start=POST, func="自然资源")],
    [V("商务部", "商务厅", "商务局", func="商务")],
    [V("环境保护部/环境保护部", "环境保护厅/环保厅", "环境保护局/环保局", end=PRE, func="环境保护"),
     V("生态环境部", "生态环境厅", "生态环境局", start=POST, func="生态环境")],
    [V("农业部", "农业厅", "农业委员会/农委", "农业局", end=PRE, func="农业"),
     V("农业农村部", "农业农村厅", "农业农村局", start=POST, func="农业农村")],
    [V("交通运输部", "交通运输厅", "交通运输局/交通局", func="交通运输")],
    [V("科学技术部/科技部", "科学技术厅/科技厅", "科学技术局/科技局", func="科技")],
    [V("教育部", "教育厅", "教育局", "教育和体育局/教体局", func="教育")],
    [V("国家卫生和计划生育委员会/国家卫生计生委", "卫生和计划生育委员会/卫生计生委",
       "卫生和计划生育委员会/卫计委", "卫生和计划生育局/卫计局", end=PRE, func="卫生计生"),
     V("国家卫生健康委员会/国家卫生健康委", "卫生健康委员会/卫生健康委", "卫生健康委员会/卫健委",
       "卫生健康局/卫健局", start=POST, func="卫生健康")],
    [V("公安部", "公安厅", "公安局", func="公安")],
    [V("国家安全生产监督管理总局/安全监管总局", "安全生产监督管理局/安全监管局",
       "安全生产监督管理局/安监局", end=PRE, func="安全监管"),
     V("应急管理部", "应急管理厅", "应急管理局/应急局", start=POST, func="应急管理")],
    [V("文化部", "文化厅", "文化局", "文化广电新闻出版局/文广新局", end=PRE, func="文化"),
     V("国家旅游局", "旅游发展委员会/旅发委", "旅游局", end=PRE, func="旅游"),
     V("文化和旅游部", "文化和旅游厅", "文化和旅游局/文旅局", "文化广电和旅游局/文广旅局",
       start=POST, func="文化和旅游")],
    [V("民政部", "民政厅", "民政局", func="民政")],
    [V("水利部", "水利厅", "水利局", "水务局", func="水利")],
    [V("国家统计局", "统计局", "统计局", func="统计")],
    [V("国家医疗保障局/国家医保局", "医疗保障局/医保局", "医疗保障局/医保局", start=POST, func="医保")],
    [V("司法部", "司法厅", "司法局", func="司法")],
    [V("国务院国有资产监督管理委员会/国务院国资委", "人民政府国有资产监督管理委员会/国资委",
       "人民政府国有资产监督管理委员会/国资委", "国有资产管理局/国资局", func="国资")],
    [V("审计署", "审计厅", "审计局", func="审计")],
    [V("", "国家税务局/国税局", "国家税务局/国税局", end=PRE, func="国税"),
     V("", "地方税务局/地税局", "地方税务局/地税局", end=PRE, func="地税"),
     V("国家税务总局/税务总局", "税务局", "税务局", start=POST, func="税务")],
    [V("", "人民政府办公厅/政府办公厅", "人民政府办公室/政府办", "人民政府办公室/政府办")],
    [V("", "", "行政审批服务局/行政审批局", "行政审批服务局/审批局", start=2016)],
    [V("国家林业局", "林业厅", "林业局", end=PRE, func="林业"),
     V("国家林业和草原局/国家林草局", "林业和草原局/林草局", "林业局", start=POST, func="林业")],
    [V("", "金融工作办公室/金融办", "金融工作办公室/金融办", end=PRE, func="金融"),
     V("", "地方金融监督管理局/地方金融监管局", "地方金融监督管理局/金融局", start=POST, func="金融")],
    [V("中国人民银行/人民银行", "中国人民银行{j}中心支行/人民银行{j}中心支行",
       "中国人民银行{j}市中心支行/人民银行{j}中心支行", "中国人民银行{j}支行/人民银行{j}支行")],
    [V("国家知识产权局", "知识产权局", "知识产权局", func="知识产权")],
    [V("国家体育总局/体育总局", "体育局", "体育局", func="体育")],
    [V("", "", "城市管理局/城管局", "城市管理综合行政执法局/城管执法局", func="城管")],
    [V("国家粮食局", "粮食局", "粮食局", end=PRE, func="粮食"),
     V("国家粮食和物资储备局/国家粮食和储备局", "粮食和物资储备局/粮食和储备局",
       "粮食和物资储备局/粮储局", start=POST, func="粮食和储备")],
    [V("中国银行业监督管理委员会/银监会", "{j}银监局", "{j}银监分局", end=PRE),
     V("中国银行保险监督管理委员会/银保监会", "{j}银保监局", "{j}银保监分局", start=POST, end=2022),
     V("国家金融监督管理总局/金融监管总局", "国家金融监督管理总局{j}监管局/{j}金融监管局",
       "国家金融监督管理总局{j}监管分局/{j}金融监管分局", start=2023)],
    [V("", "", "大数据管理局/大数据局", start=POST, func="大数据")],
    [V("退役军人事务部", "退役军人事务厅", "退役军人事务局/退役军人局", start=POST)],
    [V("", "委宣传部/{p}委宣传部", "委宣传部/{p}委宣传部")],
    [V("海关总署", "{j}海关", "{j}海关", "")],
    [V("国务院扶贫开发领导小组办公室/国务院扶贫办", "扶贫开发办公室/扶贫办", "扶贫开发办公室/扶贫办",
       end=2020, func="扶贫"),
     V("国家乡村振兴局", "乡村振兴局", "乡村振兴局", start=2021, end=2023)],
    [V("中国气象局", "气象局", "气象局", func="气象")],
    [V("国家邮政局", "邮政管理局", "邮政管理局", "")],
    [V("", "通信管理局", "", "")],
    [V("国家电网有限公司/国家电网", "国网{j}省电力有限公司/国网{j}电力", "国网{j}供电公司/{j}供电公司")],
    [V("", "委网信办/{p}委网信办", "委网信办/{p}委网信办", start=2014)],
    [V("", "委编办/{p}委编办", "委编办/{p}委编办")],
    [V("", "总工会", "总工会")],
    [V("", "团{p}委/团{p}委", "团{p}委/团{p}委")],
    [V("", "妇联", "妇联")],
    [V("", "工商联", "工商联")],
    [V("", "科协", "科协")],
    [V("", "残联", "残联")],
    [V("国家信访局", "信访局", "信访局")],
    [V("", "人民防空办公室/人防办", "人民防空办公室/人防办")],
    [V("国家机关事务管理局/国管局", "机关事务管理局/机关事务局", "机关事务管理局/机关事务局")],
    [V("中国地震局", "地震局", "地震局")],
    [V("国家档案局", "档案局", "档案局")],
    [V("", "物价局", "物价局", end=2016, func="物价")],
    [V("", "", "住房公积金管理中心/公积金中心", "")],
    [V("", "外事办公室/外办", "外事办公室/外办", "")],
    [V("中华全国供销合作总社/供销总社", "供销合作社联合社/供销社", "供销合作社联合社/供销社")],
    [V("", "公安消防总队/消防总队", "公安消防支队/消防支队", "公安消防大队/消防大队", end=PRE),
     V("应急管理部消防救援局", "消防救援总队", "消防救援支队", "消防救援大队", start=POST)],
    [V("", "", "投资促进局/投促局", "")],
    [V("", "民族宗教事务委员会/民宗委", "民族宗教事务局/民宗局")],
]

# Themes: (topic for titles, object phrases, slots that carry extra load in it)
THEMES: list[tuple[str, list[str], list[int]]] = [
    ("质量强{u}建设", ["产品质量监督抽查", "标准化体系", "计量基础能力", "认证认可工作", "品牌培育",
                   "检验检测公共服务平台", "质量信用体系", "企业首席质量官制度", "特种设备安全监管",
                   "重点消费品质量提升", "质量基础设施一站式服务"], [3, 0, 2, 9, 5, 30]),
    ("优化营商环境", ["政务服务“一网通办”", "企业开办便利化", "工程建设项目审批制度改革",
                  "涉企收费清单制度", "“双随机、一公开”监管", "社会信用体系", "知识产权保护",
                  "中小企业融资服务", "不动产登记便利化", "惠企政策兑现"], [25, 26, 0, 3, 21, 24]),
    ("稳就业促创业", ["高校毕业生就业服务", "农民工返乡创业", "职业技能提升行动", "创业担保贷款",
                  "公益性岗位开发", "就业困难人员援助", "零工市场建设", "劳务品牌培育"], [4, 1, 12, 29]),
    ("乡村振兴", ["高标准农田建设", "农村人居环境整治", "农产品质量安全追溯", "新型农业经营主体培育",
              "农村集体产权制度改革", "特色农业产业园", "农村公路建设", "农村饮水安全"], [9, 6, 18, 39]),
    ("污染防治攻坚", ["大气污染联防联控", "重点流域水环境治理", "土壤污染风险管控", "工业固体废物处置",
                  "机动车尾气治理", "城镇污水处理设施", "扬尘污染防治", "生态保护红线管控"], [8, 5, 18, 10]),
    ("促进消费", ["商贸流通体系", "县域商业体系", "夜间经济", "汽车消费", "家政服务提质扩容",
              "文化旅游消费", "农村电商", "消费者权益保护"], [7, 0, 16, 3]),
    ("数字经济发展", ["5G网络建设", "工业互联网平台", "数据资源共享开放", "智慧城市建设",
                  "数字政府建设", "企业上云用数赋智", "软件和信息技术服务业"], [2, 35, 0, 11, 42]),
    ("安全生产专项整治", ["危险化学品安全", "道路交通安全", "建筑施工安全", "消防安全隐患排查",
                    "矿山安全监管", "城镇燃气安全", "特种设备隐患治理"], [15, 14, 5, 10, 61]),
    ("科技创新", ["高新技术企业培育", "科技成果转化", "研发费用加计扣除", "创新平台建设",
              "科技金融服务", "人才引进", "产学研协同创新"], [11, 2, 0, 1, 12, 4]),
    ("健康{u}建设", ["分级诊疗制度", "公共卫生服务体系", "医疗保障制度", "全民健身", "食品安全",
                 "药品供应保障", "中医药传承创新"], [13, 20, 31, 3, 1]),
]

DOC_TYPES = ["行动计划", "实施方案", "工作方案", "任务分工", "政府工作报告重点工作分工"]


def _rank_weights(n: int, s: float = 1.05) -> list[float]:
    """Zipf weights: a few departments carry most tasks, as in real plans."""
    return [1.0 / (k + 1) ** s for k in range(n)]


BASE_WEIGHTS = _rank_weights(len(SLOTS))


@dataclass(frozen=True)
class Agency:
    """A department as one document names it."""

    full: str
    short: str
    func: str
    bare: str  # name without the jurisdiction prefix, for elided lists (市发改委、经信委)


def _render(form: str, j: Jurisdiction) -> tuple[str, str]:
    """The name with the jurisdiction prefix put where the form says ({p}, {j}) or in front."""
    if "{j}" in form:
        bare = j.bare if j.level != "district" else j.parent.rstrip("市")
        text = form.replace("{j}", bare)
        return text, text
    if "{p}" in form:
        text = form.replace("{p}", j.prefix)
        return text, text
    return j.prefix + form, form


def agencies_for(slot: int, j: Jurisdiction, year: int) -> list[Agency]:
    """The department(s) of ``slot`` as named at ``j``'s level in ``year`` (empty: none existed).

    Before the reform one slot can hold several bodies (质监局, 工商局, 食药监局 → 市场监管局)."""
    level = "county" if j.level == "district" else j.level
    if j.level == "province" and j.prefix == "市":
        level = "city"  # municipalities: 北京市财政局, not 财政厅
    reform = 2018 if level == "national" else POST
    out = []
    for v in SLOTS[slot]:
        if level in v.forms and _valid(v, year, reform):
            full, short = v.forms[level]
            short_r, bare_short = _render(short, j)
            out.append(Agency(_render(full, j)[0], short_r, v.func, bare_short))
    return out


def _valid(v: Variant, year: int, reform: int) -> bool:
    """Shift the reform boundary: national names changed in 2018, local ones in 2019."""
    start = reform if v.start == POST else v.start
    end = reform - 1 if v.end == PRE else v.end
    return start <= year <= end


# --------------------------------------------------------------------------- text fragments

VERBS = ["加快", "推进", "深化", "加强", "完善", "健全", "实施", "开展", "强化", "落实", "推动", "提升",
         "规范", "优化", "拓展", "创新", "夯实", "扩大", "探索", "统筹"]
ADVERBS = ["大力", "积极", "全面", "持续", "深入", "稳步", "切实", "进一步", "扎实", "有序"]
GOAL_NOUNS = ["覆盖率", "合格率", "满意度", "达标率", "增长率", "完成率", "普及率", "知晓率"]
CONNECT = ["围绕", "聚焦", "针对", "依托", "结合", "按照"]
CONTEXTS = ["重点行业和关键领域", "全{u}经济社会发展大局", "群众反映强烈的突出问题", "企业和群众需求",
            "上级部署要求", "产业转型升级需要", "“十四五”规划目标", "城乡融合发展要求"]
ACTORS = ["重点企业", "龙头企业", "中小微企业", "行业协会", "科研院所", "社会资本", "各类市场主体",
          "基层单位", "示范项目", "高校"]
MEASURES = ["建立健全长效工作机制", "制定出台配套政策措施", "开展专项督查检查", "建立工作台账,实行销号管理",
            "加大财政资金支持力度", "完善考核评价办法", "组织开展试点示范", "加强宣传培训和政策解读",
            "建立定期调度和通报制度", "推动数据共享和业务协同", "强化部门联动和执法协作",
            "引导社会力量广泛参与", "及时总结推广典型经验"]
PRINCIPLES = ["坚持政府引导、市场主导", "坚持问题导向、精准施策", "坚持统筹兼顾、协调推进",
              "坚持改革创新、示范引领", "坚持依法行政、规范管理", "坚持以人民为中心"]
GUARANTEES = [("加强组织领导", "各地各部门要高度重视,成立工作专班,主要负责同志亲自抓,分管负责同志具体抓,形成一级抓一级、层层抓落实的工作格局。"),
              ("强化协调配合", "各牵头单位要切实履行牵头职责,主动协调配合单位;各配合单位要积极支持,形成工作合力。"),
              ("加大投入保障", "{u}财政要统筹安排相关资金,加大对重点项目、重点工作的支持力度,引导社会资本投入。"),
              ("严格督查考核", "将重点任务落实情况纳入年度绩效考核,定期通报工作进展,对工作不力的予以约谈问责。"),
              ("加强宣传引导", "充分利用报刊、广播电视、网站和新媒体,广泛宣传政策措施和经验做法,营造良好社会氛围。")]
COLLECTIVES = {"province": ["各市(州)人民政府", "各市、县(区)人民政府"],
               "city": ["各县(市、区)人民政府", "各县区政府", "各开发区管委会"],
               "county": ["各乡镇人民政府", "各乡镇(街道)", "县直各有关部门"],
               "district": ["各街道办事处", "各街道(功能区)"],
               "national": ["各省级人民政府", "有关地方人民政府"]}


T = TypeVar("T")


def ch(rng: random.Random, seq: Sequence[T]) -> T:
    """rng.choice without its rejection sampling: 3× faster, still deterministic per seed."""
    return seq[int(rng.random() * len(seq))]


def cn_num(n: int) -> str:
    """Chinese numeral for heading markers (一 … 九十九)."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def cn_date(y: int, m: int, d: int) -> str:
    """Dates as signed on paper: 二○一九年三月十二日."""
    yy = "".join("○一二三四五六七八九"[int(c)] for c in str(y))
    return f"{yy}年{cn_num(m)}月{cn_num(d)}日"


# --------------------------------------------------------------------------- document state

@dataclass
class Style:
    """Per-document choices: punctuation width, numbering, clause layout."""

    full_width: bool
    clause: str           # main clause layout, see CLAUSE_LAYOUTS
    level2: str           # "（{}）" or "({})"
    level3: str           # "{}." "{}、" "{}．"
    level4: str           # "（{}）" "({})"
    depth: int            # where tasks sit: 2 = (一), 3 = 1., 4 = (1)
    elide: float          # chance to drop the prefix of later units in a list
    full_names: float     # chance to write a full name instead of the short form
    note_first_lead: bool  # "列第一位的为牵头单位" note on 责任单位 lists


@dataclass
class Doc:
    """Everything one document needs while it is being written."""

    rng: random.Random
    j: Jurisdiction
    year: int
    theme: tuple[str, list[str], list[int]]
    doc_type: str
    style: Style
    weights: list[float]  # cumulative Zipf weights per slot, searched with bisect
    parts: list[str] = field(default_factory=list)
    size: int = 0
    tasks: int = 0
    noted: bool = False
    cache: dict[int, list[Agency]] = field(default_factory=dict)
    bank: list[str] = field(default_factory=list)
    truth: list[tuple[str, str, str]] = field(default_factory=list)  # (role, mention, layout)
    layout: str = ""

    def add(self, text: str) -> None:
        """Append a line; estimate the UTF-8 size (3 bytes a character, cheaper than encoding)
        so the document stops near its target."""
        self.parts.append(text)
        self.size += 3 * len(text) + 1

    def p(self, a: str) -> str:
        """Punctuation in the document's width: 半角 ( , : ; or 全角 （ ， ： ；."""
        if self.style.full_width:
            return a
        return a.translate(HALF)

    @property
    def u(self) -> str:
        """The unit word in 全市 / 全省 / 全县 / 全区 / 全国."""
        return {"national": "国", "province": "省"}.get(self.j.level, self.j.prefix or "市")


HALF = str.maketrans({"（": "(", "）": ")", "，": ",", "：": ":", "；": ";"})


def _pick_agencies(doc: Doc, k: int, avoid: Sequence[Agency] = ()) -> list[Agency]:
    """k distinct agencies (none of ``avoid``), Zipf-weighted, existing at this level and year."""
    out: list[Agency] = []
    seen: set[str] = {a.full for a in avoid}
    for _ in range(k * 6):
        slot = bisect.bisect(doc.weights, doc.rng.random() * doc.weights[-1])
        if slot not in doc.cache:
            doc.cache[slot] = agencies_for(slot, doc.j, doc.year)
        options = doc.cache[slot]
        a = ch(doc.rng, options) if options else None
        if a and a.full not in seen:
            seen.add(a.full)
            out.append(a)
            if len(out) == k:
                break
    return out


def _mention(doc: Doc, a: Agency, first: bool) -> str:
    """How a unit is written in a list: 市发改委, 市发展和改革委员会, or elided 经信委."""
    r = doc.rng.random()
    if not first and doc.j.level != "national" and r < doc.style.elide and a.bare != a.short:
        return a.bare
    if doc.rng.random() < doc.style.full_names:
        return a.full
    return a.short


def _names(doc: Doc, units: list[Agency], role: str, first: bool = True) -> list[str]:
    """Mentions of ``units`` for ``role``, recorded in the document's truth."""
    names = [_mention(doc, a, first and i == 0) for i, a in enumerate(units)]
    doc.truth.extend((role, n, doc.layout) for n in names)
    return names


def _collective(doc: Doc, role: str) -> list[str]:
    """Sometimes a collective (各县(市、区)人民政府) joins the list, as in real plans."""
    if doc.rng.random() > 0.12:
        return []
    c = doc.rng.choice(COLLECTIVES[doc.j.level])
    doc.truth.append((role, c, doc.layout))
    return [c]


def _assignment(doc: Doc) -> tuple[str, int, int]:
    """Shape of one task's assignment: ('ls'|'r'|'l'|'none', leads, others)."""
    r = doc.rng.random()
    if r < 0.14:
        return ("none", 0, 0)
    if r < 0.20:
        return ("l", 1, 0)
    if r < 0.64 and doc.style.clause not in ("func",):
        return ("ls", 1 if doc.rng.random() < 0.85 else 2, doc.rng.choice([0, 1, 1, 2, 2, 3, 4, 5]))
    return ("r", 0, doc.rng.choice([1, 1, 2, 2, 3, 3, 4, 5, 6]))


def _join(doc: Doc, names: list[str]) -> str:
    """Units joined by 、, sometimes closed with 等 / 等部门 (not part of a mention)."""
    text = "、".join(names)
    if len(names) > 2 and doc.rng.random() < 0.15:
        text += doc.rng.choice(["等", "等部门", "等单位"])
    return text


# --------------------------------------------------------------------------- clause layouts

def clause_paren(doc: Doc, kind: str, nl: int, no: int) -> str:
    """(市质监局牵头,市发改委、市公安局配合) / (市发改委、市财政局负责) / (A牵头,B负责落实)."""
    if kind == "r":
        units = _join(doc, _names(doc, _pick_agencies(doc, no), "responsible") + _collective(doc, "responsible"))
        tail = doc.rng.choice(["负责", "按职责分工负责", "负责落实", "分别负责"])
        return doc.p(f"（{units}{tail}）")
    lead_units = _pick_agencies(doc, nl)
    leads = "、".join(_names(doc, lead_units, "lead"))
    if kind == "l" or no == 0:
        return doc.p(f"（{leads}牵头{doc.rng.choice(['', '负责', '落实'])}）")
    role, word = doc.rng.choice([("support", "配合"), ("support", "参与"), ("support", "协同配合"),
                                 ("responsible", "负责落实")])
    others = _join(doc, _names(doc, _pick_agencies(doc, no, lead_units), role, first=False) + _collective(doc, role))
    return doc.p(f"（{leads}牵头，{others}{word}）")


def clause_label(doc: Doc, kind: str, nl: int, no: int, open_: str = "（", close: str = "）") -> str:
    """(牵头单位:A;配合单位:B、C) / (责任单位:区发改局、科技局) and the 〔…〕 variant."""
    if kind == "r":
        units = _join(doc, _names(doc, _pick_agencies(doc, no), "responsible") + _collective(doc, "responsible"))
        return doc.p(f"{open_}责任单位：{units}{close}")
    lead_units = _pick_agencies(doc, nl)
    leads = "、".join(_names(doc, lead_units, "lead"))
    if kind == "l" or no == 0:
        return doc.p(f"{open_}牵头单位：{leads}{close}")
    role, label = doc.rng.choice([("support", "配合单位"), ("support", "配合单位"), ("responsible", "责任单位")])
    others = _join(doc, _names(doc, _pick_agencies(doc, no, lead_units), role, first=False) + _collective(doc, role))
    sep = doc.rng.choice(["；", "；", "，"])
    return doc.p(f"{open_}牵头单位：{leads}{sep}{label}：{others}{close}")


def clause_bracket(doc: Doc, kind: str, nl: int, no: int) -> str:
    """〔牵头单位:…;配合单位:…〕 as in 钢城区 2021."""
    return clause_label(doc, kind, nl, no, "〔", "〕")


def clause_func(doc: Doc, kind: str, nl: int, no: int) -> str:
    """(发展改革、质监等部门按职责分工负责): function-only forms, no jurisdiction prefix."""
    funcs: list[str] = []
    for a in _pick_agencies(doc, max(no, 2) + 2):
        if a.func and a.func not in funcs:
            funcs.append(a.func)
    funcs = funcs[: max(no, 2)]
    if not funcs:
        return clause_paren(doc, "r", 0, max(no, 1))
    doc.truth.extend(("responsible", f, doc.layout) for f in funcs)
    word = doc.rng.choice(["等部门按职责分工负责", "等部门负责", "部门按职责分工负责"])
    return doc.p(f"（{'、'.join(funcs)}{word}）")


def clause_lines(doc: Doc, kind: str, nl: int, no: int) -> str:
    """Separate label lines after the task, with a deadline line real plans often add."""
    lab = doc.rng.choice([("牵头单位", "配合单位", "责任单位"), ("牵头责任单位", "协同责任单位", "责任单位")])
    lines: list[str] = []
    if kind == "r":
        start = len(doc.truth)
        units = _names(doc, _pick_agencies(doc, no), "responsible") + _collective(doc, "responsible")
        lines.append(f"{lab[2]}：{_join(doc, units)}{_first_lead_note(doc, start, len(units))}")
    else:
        lead_units = _pick_agencies(doc, nl)
        lines.append(f"{lab[0]}：{'、'.join(_names(doc, lead_units, 'lead'))}")
        if kind == "ls" and no:
            units = _names(doc, _pick_agencies(doc, no, lead_units), "support", first=False) + _collective(doc, "support")
            lines.append(f"{lab[1]}：{_join(doc, units)}")
    if doc.rng.random() < 0.4:
        lines.append(f"完成时限：{doc.year}年{doc.rng.randint(3, 12)}月底前")
    return "\n" + "\n".join(doc.p(x) for x in lines)


def _first_lead_note(doc: Doc, start: int, n: int) -> str:
    """列第一位的为牵头单位,下同: written once, it makes the first of every later list the lead."""
    if not doc.style.note_first_lead or n < 2:
        return ""
    doc.truth[start] = ("lead", doc.truth[start][1], "lines+note")
    if doc.noted:
        return ""
    doc.noted = True
    return doc.p("（列第一位的为牵头单位，下同）")


def clause_prose(doc: Doc, kind: str, nl: int, no: int) -> str:
    """由A牵头,B、C配合 written into the task's last sentence."""
    if kind == "r":
        units = _join(doc, _names(doc, _pick_agencies(doc, no), "responsible"))
        return doc.p(f"由{units}负责，{doc.rng.choice(MEASURES)}。")
    lead_units = _pick_agencies(doc, nl)
    leads = "、".join(_names(doc, lead_units, "lead"))
    if kind == "l" or no == 0:
        return doc.p(f"由{leads}牵头，{doc.rng.choice(MEASURES)}。")
    others = _join(doc, _names(doc, _pick_agencies(doc, no, lead_units), "support", first=False))
    return doc.p(f"由{leads}牵头，{others}配合，{doc.rng.choice(MEASURES)}。")


ClauseFn = Callable[[Doc, str, int, int], str]
CLAUSE_LAYOUTS: dict[str, ClauseFn] = {
    "paren": clause_paren, "label": clause_label, "bracket": clause_bracket,
    "func": clause_func, "lines": clause_lines, "prose": clause_prose,
}
LAYOUT_WEIGHTS = {"paren": 26, "label": 18, "bracket": 8, "func": 6, "lines": 14, "prose": 6,
                  "pipe": 12, "tab": 6}
SECONDARY = {"paren": "label", "label": "paren", "bracket": "label", "func": "paren",
             "lines": "lines", "prose": "paren", "pipe": "paren", "tab": "label"}


def task_clause(doc: Doc) -> str:
    """The clause of one task in the document's layout (15 % in a related second layout)."""
    kind, nl, no = _assignment(doc)
    if kind == "none":
        return ""
    layout = doc.style.clause
    if layout in ("pipe", "tab") or doc.rng.random() < 0.15:
        layout = SECONDARY[layout]
    if doc.style.note_first_lead:
        layout = "lines"  # the note is only written on 责任单位 lines
    doc.layout = layout
    return CLAUSE_LAYOUTS[layout](doc, kind, nl, no)


# --------------------------------------------------------------------------- prose

def _bank_sentence(r: random.Random, objs: Sequence[str]) -> str:
    """One year-free body sentence from fragment lists (for the per-theme bank)."""
    pick = r.randrange(9)
    if pick == 0:
        return f"{ch(r, CONNECT)}{ch(r, CONTEXTS)}，{ch(r, ADVERBS)}{ch(r, VERBS)}{ch(r, objs)}，{ch(r, MEASURES)}。"
    if pick == 1:
        return f"支持{ch(r, ACTORS)}{ch(r, VERBS)}{ch(r, objs)}，对符合条件的给予最高{r.randint(5, 500)}万元奖励。"
    if pick == 2:
        return f"每年{ch(r, VERBS)}{r.randint(2, 50)}个以上{ch(r, objs)}示范项目，{ch(r, MEASURES)}。"
    if pick == 3:
        return f"{ch(r, VERBS)}{ch(r, objs)}与{ch(r, objs)}协同发展，{ch(r, ADVERBS)}{ch(r, VERBS)}{ch(r, ACTORS)}参与机制。"
    if pick == 4:
        return f"严格落实{ch(r, objs)}主体责任，对发现的问题限期整改（原则上不超过{r.randint(7, 90)}个工作日）。"
    if pick == 5:
        return f"贯彻落实《{ch(r, objs)}管理办法（试行）》，完善{ch(r, objs)}标准体系，制定修订地方标准{r.randint(2, 40)}项以上。"
    if pick == 6:
        return f"将{ch(r, objs)}纳入全{{u}}年度目标考核，{ch(r, MEASURES)}。"
    if pick == 7:
        return f"鼓励有条件的地方先行先试，{ch(r, ADVERBS)}{ch(r, VERBS)}{ch(r, objs)}，形成可复制可推广的经验。"
    return f"{ch(r, MEASURES)}，{ch(r, ADVERBS)}{ch(r, VERBS)}{ch(r, objs)}，确保各项工作落到实处。"


def _bank(theme: int, n: int = 1500) -> tuple[list[str], list[str]]:
    """Pre-rendered sentences per theme (full- and half-width): most of a document's bytes
    are prose, and drawing whole sentences keeps 10,000 documents well under a minute."""
    r = random.Random(f"bank:{theme}")
    full = [_bank_sentence(r, THEMES[theme][1]) for _ in range(n)]
    return full, [x.translate(HALF) for x in full]


BANKS = [_bank(t) for t in range(len(THEMES))]


def sentence(doc: Doc) -> str:
    """One body sentence: a goal with the document's own years, or one from the theme bank."""
    r = doc.rng
    if r.random() < 0.15:
        return doc.p(f"到{doc.year + r.randint(1, 3)}年，全{{u}}{ch(r, doc.theme[1])}{ch(r, GOAL_NOUNS)}达到{r.randint(60, 99)}%以上。")
    return ch(r, doc.bank)


def paragraph(doc: Doc, lo: int, hi: int) -> str:
    """A paragraph of ``lo``–``hi`` sentences, in the document's punctuation width."""
    text = "".join([sentence(doc) for _ in range(lo + int(doc.rng.random() * (hi - lo + 1)))])
    return text.replace("{u}", doc.u)


def task_title(doc: Doc) -> str:
    """A task's lead phrase: 加快推进标准化体系建设。"""
    r = doc.rng
    return f"{ch(r, ADVERBS)}{ch(r, VERBS)}{ch(r, doc.theme[1])}{ch(r, ['', '建设', '工作', '改革', '行动'])}。"


# --------------------------------------------------------------------------- header

def doc_title(doc: Doc) -> str:
    """Title such as 青阳市质量强市建设三年行动计划(2019—2021年)."""
    topic = doc.theme[0].replace("{u}", doc.u)
    name = doc.j.name if doc.j.level != "national" else ""
    if doc.doc_type == "政府工作报告重点工作分工":
        return f"{name}{doc.year}年《政府工作报告》重点工作任务分工方案"
    if doc.doc_type == "行动计划" and doc.rng.random() < 0.5:
        return doc.p(f"{name}{topic}三年行动计划（{doc.year}—{doc.year + 2}年）")
    if doc.doc_type == "任务分工":
        return f"{name}{doc.year}年{topic}重点任务分工"
    return f"{name}{doc.year}年{topic}{doc.doc_type}"


def issuer(doc: Doc) -> str:
    """The issuing office at the document's level."""
    if doc.j.level == "national":
        return "国务院办公厅"
    office = "办公厅" if doc.j.level == "province" else "办公室"
    return f"{doc.j.name}人民政府{office}"


def doc_number(doc: Doc) -> str:
    """文号: 青政办发〔2019〕12号, 国办发〔2019〕12号, with the bracket forms seen online."""
    r = doc.rng
    kind = r.choice(["政办发", "政办发", "政发", "政办", "政办函"])
    if doc.j.level == "national":
        kind = r.choice(["办发", "发", "办函"])
    lb, rb = r.choice([("〔", "〕")] * 6 + [("[", "]"), ("(", ")"), ("【", "】")])
    return f"{doc.j.abbr}{kind}{lb}{doc.year}{rb}{r.randint(1, 180)}号"


def header(doc: Doc, title: str) -> None:
    """An official header (文件 / 文号 / 通知 / addressees / signature) or a web page's one."""
    r = doc.rng
    m, d = r.randint(1, 12), r.randint(1, 28)
    if r.random() < 0.35:
        doc.add("当前位置：首页 > 政务公开 > 政府文件" if doc.style.full_width else "您现在的位置: 首页 > 政务公开 > 文件")
        doc.add(doc.p(f"来源：{issuer(doc)}　　发布时间：{doc.year}-{m:02d}-{d:02d}"))
        doc.add(doc.p(f"索引号：{r.randint(10**8, 10**9)}/{doc.year}-{r.randint(1, 999):05d}　文号：{doc_number(doc)}"))
        doc.add("")
    else:
        doc.add(f"{doc.j.name if doc.j.level != 'national' else '国务院办公厅'}文件" if r.random() < 0.5 else "")
        doc.add(doc_number(doc))
    doc.add(f"{issuer(doc)}关于印发{title}的通知")
    gov = "国务院" if doc.j.level == "national" else f"{doc.u}政府"
    to = "各省、自治区、直辖市人民政府，国务院各部委" if doc.j.level == "national" else \
        f"{r.choice(COLLECTIVES[doc.j.level])}，{gov}各部门"
    doc.add(doc.p(f"{to}、各直属机构："))
    doc.add(doc.p(f"《{title}》已经{gov}同意，现印发给你们，请结合实际，认真贯彻落实。"))
    doc.add(issuer(doc))
    doc.add(cn_date(doc.year, m, d) if r.random() < 0.3 else f"{doc.year}年{m}月{d}日")
    doc.add(doc.p("（此件公开发布）") if r.random() < 0.5 else "")
    doc.add(title)


def preamble_and_goals(doc: Doc, section: int) -> int:
    """Preamble, then 总体要求 with 指导思想 / 基本原则 / 主要目标: text without clauses."""
    doc.add(doc.p(f"为深入贯彻落实党中央、国务院决策部署，{doc.rng.choice(MEASURES)}，结合{'工作' if doc.j.level == 'national' else '我' + doc.u}实际，制定本{'计划' if doc.doc_type == '行动计划' else '方案'}。"))
    if doc.rng.random() < 0.7:
        doc.add(paragraph(doc, 1, 3))
    doc.add(f"{cn_num(section)}、{doc.rng.choice(['总体要求', '总体思路', '指导思想和工作目标'])}")
    for i, head in enumerate(["指导思想", "基本原则", "主要目标"][: doc.rng.randint(1, 3)], 1):
        doc.add(doc.style.level2.format(cn_num(i)) + head)
        doc.add(doc.p("；".join(doc.rng.sample(PRINCIPLES, 3)) + "。") if head == "基本原则" else paragraph(doc, 2, 4))
    return section + 1


# --------------------------------------------------------------------------- bodies

def numbered_tasks(doc: Doc, section: int, target: int) -> int:
    """Sections of numbered tasks with clauses until the document reaches ``target`` bytes."""
    while doc.size < target or doc.tasks < 3:
        doc.add(f"{cn_num(section)}、{doc.rng.choice(['', '重点', '主要'])}{doc.rng.choice(['任务', '工作措施'])}"
                if section == 2 else f"{cn_num(section)}、{task_title(doc).rstrip('。')}")
        for sub in range(1, doc.rng.randint(2, 7)):
            if doc.size >= target and doc.tasks >= 3:
                break
            _sub_block(doc, sub)
        section += 1
    return section


def _sub_block(doc: Doc, sub: int) -> None:
    """One (一) block: a task itself (depth 2) or a heading over 1. / (1) tasks."""
    if doc.style.depth == 2:
        doc.add(doc.style.level2.format(cn_num(sub)) + _task_text(doc))
        return
    doc.add(doc.style.level2.format(cn_num(sub)) + task_title(doc))
    for k in range(1, doc.rng.randint(2, 7)):
        if doc.style.depth == 4 and doc.rng.random() < 0.4:
            doc.add(doc.style.level3.format(k) + task_title(doc))
            for q in range(1, doc.rng.randint(2, 4)):
                doc.add(doc.style.level4.format(q) + _task_text(doc))
        else:
            doc.add(doc.style.level3.format(k) + _task_text(doc))


def _task_text(doc: Doc) -> str:
    """Task title, one to four sentences, and its clause (prose clauses sit inside the text)."""
    doc.tasks += 1
    return task_title(doc) + paragraph(doc, 1, 6) + task_clause(doc)


def table_tasks(doc: Doc, section: int, target: int) -> int:
    """附件 task table as pipe rows or tab rows, one row per task (序号 | 重点任务 | 牵头 | 配合 | 时限)."""
    doc.add(f"{cn_num(section)}、{doc.rng.choice(['重点任务', '任务分工'])}")
    doc.add(paragraph(doc, 1, 2))
    doc.add("附件")
    doc.add(f"{doc.j.name if doc.j.level != 'national' else ''}{doc.theme[0].replace('{u}', doc.u)}重点任务分工表")
    sep = " | " if doc.style.clause == "pipe" else "\t"
    doc.layout = doc.style.clause
    cols = ["序号", "重点任务", "牵头单位", "配合单位", "完成时限"]
    head = sep.join(cols) + (" |" if sep == " | " else "")
    doc.add(head)
    merged = doc.rng.random() < 0.5
    n, group = 1, 1
    while doc.size < target or n <= 3:
        if doc.rng.random() < 0.12:
            _group_row(doc, group, sep, head, merged)
            group += 1
        doc.add(_table_row(doc, n, sep))
        n += 1
    return section + 1


def _group_row(doc: Doc, group: int, sep: str, head: str, merged: bool) -> None:
    """A section of the table: a merged row (一、… | | | | |), or a heading over a new table."""
    title = f"{cn_num(group)}、{task_title(doc).rstrip('。')}"
    if merged:
        doc.add(title + (" |" * 5 if sep == " | " else "\t" * 4))
    else:
        doc.add(title)
        doc.add(head)


def _table_row(doc: Doc, n: int, sep: str) -> str:
    """One row; empty 配合 cells and multi-lead cells occur as in real tables."""
    lead_units = _pick_agencies(doc, 1 if doc.rng.random() < 0.85 else 2)
    leads = _names(doc, lead_units, "lead")
    k = doc.rng.choice([0, 1, 2, 2, 3, 4])
    supports = _names(doc, _pick_agencies(doc, k, lead_units), "support", first=False) if k else []
    supports += _collective(doc, "support")
    when = doc.rng.choice([f"{doc.year}年底前", f"{doc.year}年{doc.rng.randint(3, 11)}月", "长期坚持", "持续推进"])
    cells = [str(n), task_title(doc) + paragraph(doc, 0, 2), "、".join(leads), "、".join(supports), when]
    return sep.join(cells) + (" |" if sep == " | " else "")


def guarantees(doc: Doc, section: int) -> None:
    """保障措施: clause-free closing section; 各地各部门 is a collective, not a task."""
    doc.add(f"{cn_num(section)}、{doc.rng.choice(['保障措施', '组织实施', '工作要求'])}")
    for i, (head, text) in enumerate(doc.rng.sample(GUARANTEES, doc.rng.randint(2, 4)), 1):
        doc.add(doc.style.level2.format(cn_num(i)) + head + "。" + doc.p(text.replace("{u}", doc.u)))


# --------------------------------------------------------------------------- assembly

def make_style(rng: random.Random, doc_type: str) -> Style:
    """Per-document layout; 政府工作报告 divisions favour label lines and (牵头单位:…) forms."""
    layouts = list(LAYOUT_WEIGHTS)
    weights = [LAYOUT_WEIGHTS[k] * (3 if doc_type.startswith("政府工作报告") and k in ("lines", "label") else 1)
               for k in layouts]
    clause = rng.choices(layouts, weights)[0]
    return Style(
        full_width=rng.random() < 0.6, clause=clause,
        level2=rng.choice(["（{}）", "({})"]), level3=rng.choice(["{}.", "{}、", "{}．"]),
        level4=rng.choice(["（{}）", "({})"]), depth=rng.choice([2, 3, 3, 3, 4]),
        elide=rng.choice([0.0, 0.0, 0.3, 0.6]), full_names=rng.choice([0.0, 0.05, 0.2]),
        note_first_lead=clause == "lines" and rng.random() < 0.1,
    )


def target_size(rng: random.Random) -> int:
    """Document size in bytes: 2–40 KB, mean about 20 KB (like real plans)."""
    return int(min(40_000, max(2_000, rng.gauss(22_000, 9_500))))


def theme_weights(theme: tuple[str, list[str], list[int]]) -> list[float]:
    """Cumulative Zipf weights with the theme's core departments boosted."""
    w = list(BASE_WEIGHTS)
    for k, slot in enumerate(theme[2]):
        w[slot] += 0.6 / (k + 1)
    return list(itertools.accumulate(w))


def new_doc(rng: random.Random, pool: Sequence[Jurisdiction]) -> Doc:
    """Draw jurisdiction, year, theme, type and layout for one document."""
    j = rng.choice(pool)
    theme = rng.choice(THEMES)
    doc_type = rng.choice(DOC_TYPES)
    doc = Doc(rng, j, rng.randint(2005, 2024), theme, doc_type, make_style(rng, doc_type), theme_weights(theme))
    doc.bank = BANKS[THEMES.index(theme)][0 if doc.style.full_width else 1]
    return doc


def write_body(doc: Doc) -> str:
    """The whole text of one document."""
    target = target_size(doc.rng)
    title = doc_title(doc)
    header(doc, title)
    section = preamble_and_goals(doc, 1) if doc.rng.random() < 0.85 and target > 6_000 else 1
    closing = 1_500
    if doc.style.clause in ("pipe", "tab"):
        section = table_tasks(doc, max(section, 2), target - closing)
    else:
        section = numbered_tasks(doc, max(section, 2), target - closing)
    guarantees(doc, section)
    return "\n".join(doc.parts) + "\n"


@dataclass
class Written:
    """What was written for one document (for the truth file and the summary)."""

    name: str
    size: int
    encoding: str
    script: str
    truth: list[tuple[str, str, str]]


_S2T: Optional[Callable[[str], str]] = None


def s2t(text: str) -> str:
    """OpenCC simplified → traditional, loaded once (it costs ~50 ms to build)."""
    global _S2T
    if _S2T is None:
        import opencc  # imported lazily: most documents never need it
        _S2T = opencc.OpenCC("s2t").convert
    return _S2T(text)


def encode(text: str, rng: random.Random) -> tuple[bytes, str, str, Callable[[str], str]]:
    """3 % traditional script, 3 % GBK (GB18030 if GBK cannot hold a character), 1 % UTF-8 BOM."""
    r = rng.random()
    if r < 0.03:
        return s2t(text).encode("utf-8"), "utf-8", "traditional", s2t
    if r < 0.06:
        try:
            return text.encode("gbk"), "gbk", "simplified", str
        except UnicodeEncodeError:
            return text.encode("gb18030"), "gb18030", "simplified", str
    if r < 0.07:
        return b"\xef\xbb\xbf" + text.encode("utf-8"), "utf-8-sig", "simplified", str
    return text.encode("utf-8"), "utf-8", "simplified", str


_POOL: list[Jurisdiction] = []


def generate_one(index: int, seed: int) -> tuple[Written, bytes]:
    """Document ``index`` as bytes; its content depends only on (seed, index)."""
    if not _POOL:
        _POOL.extend(jurisdiction_pool(seed))
    rng = random.Random(f"{seed}:{index}")
    doc = new_doc(rng, _POOL)
    data, enc, script, conv = encode(write_body(doc), rng)
    name = f"{index:05d}_{doc.j.level}_{doc.year}.txt"
    truth = [(role, conv(m), layout) for role, m, layout in doc.truth]
    return Written(name, len(data), enc, script, truth), data


def _one(args: tuple[int, int]) -> tuple[Written, bytes]:
    """Pool entry point (workers build their own jurisdiction pool from the seed)."""
    return generate_one(*args)


def _documents(docs: int, seed: int, jobs: int) -> Iterator[tuple[Written, bytes]]:
    """Documents in index order, made by ``jobs`` processes; the parent writes, so a
    ``--size-mb`` stop leaves exactly the same prefix whatever ``jobs`` is."""
    tasks = ((i, seed) for i in range(docs))
    if jobs <= 1:
        yield from map(_one, tasks)
        return
    with multiprocessing.Pool(jobs) as pool:
        yield from pool.imap(_one, tasks, chunksize=16)
        pool.terminate()


def generate(out: Path, docs: int, seed: int, size_mb: Optional[float] = None,
             jobs: int = 1) -> Iterator[Written]:
    """Write documents 0..docs-1, stopping early once ``size_mb`` megabytes are written."""
    out.mkdir(parents=True, exist_ok=True)
    total = 0
    for w, data in _documents(docs, seed, jobs):
        (out / w.name).write_bytes(data)
        total += w.size
        yield w
        if size_mb is not None and total >= size_mb * 1_000_000:
            return


def parse_args(argv: Optional[list[str]] = None) -> argparse.Namespace:
    """Command line: OUT_DIR --docs N --seed S [--size-mb X] [--truth FILE]."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path, help="folder to write the .txt files into")
    ap.add_argument("--docs", type=int, default=1000, help="number of documents (upper bound with --size-mb)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--size-mb", type=float, default=None, help="stop once this many MB are written")
    ap.add_argument("--truth", type=Path, default=None, help="JSONL of generated (role, mention) per document")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes (output is identical)")
    args = ap.parse_args(argv)
    if args.size_mb is not None and "--docs" not in (argv if argv is not None else sys.argv):
        args.docs = 10**9  # --size-mb alone: as many documents as it takes
    return args


def main(argv: Optional[list[str]] = None) -> int:
    """Generate, optionally write the truth file, print a one-line summary."""
    args = parse_args(argv)
    t0 = time.perf_counter()
    truth = args.truth.open("w", encoding="utf-8") if args.truth else None
    n = size = 0
    for w in generate(args.out, args.docs, args.seed, args.size_mb, args.jobs):
        n, size = n + 1, size + w.size
        if truth:
            truth.write(json.dumps({"file": w.name, "encoding": w.encoding, "script": w.script,
                                    "assignments": w.truth}, ensure_ascii=False) + "\n")
    if truth:
        truth.close()
    dt = time.perf_counter() - t0
    print(f"{n} documents, {size / 1e6:.1f} MB, mean {size / max(n, 1) / 1e3:.1f} KB, "
          f"{dt:.1f} s → {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
