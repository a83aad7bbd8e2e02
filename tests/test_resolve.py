"""Agency resolution: one function key per function, one agency per jurisdiction."""
from __future__ import annotations

import pytest

from kg.model import Metadata, Mention, Role
from kg.reference import load_reference
from kg.extract.resolve import Resolver

CITY = Metadata(jurisdiction="榆林市", level="city", places=("陕西省", "榆林市"))
DISTRICT = Metadata(jurisdiction="榆阳区", level="district", places=("榆林市", "榆阳区"))
PROVINCE = Metadata(jurisdiction="河南省", level="province", places=("河南省",))


def resolve(text: str, meta: Metadata = CITY, elided: str = ""):
    return Resolver(load_reference(), meta).resolve(Mention(text, 0, len(text), Role.LEAD, elided), text)


@pytest.mark.parametrize("spellings,key", [
    (["发展改革", "发展和改革", "市发改委", "区发改局", "发展改革委", "市发展和改革委员会"], "development_reform"),
    (["质监", "市质监局", "质量技监局", "质量技术监督局", "省质监局"], "quality_technical_supervision"),
    (["市场监管局", "市场监督管理分局", "区市场监督管理分局", "市市场监督管理局"], "market_regulation"),
    (["经济和信息化", "市经信委", "工信局", "工业和信息化厅"], "industry_information"),
    (["人力资源社会保障", "市人社局", "人力资源和社会保障局"], "human_resources_social_security"),
    (["出入境检验检疫", "检验检疫局", "山西出入境检验检疫局"], "entry_exit_inspection_quarantine"),
])
def test_spellings_share_a_function_key(spellings, key):
    assert {resolve(s).function for s in spellings} == {key}


def test_traditional_spelling_resolves_like_the_simplified_one():
    # the pipeline resolves on the folded (simplified) view; the mention keeps its original script
    from kg.extract.pipeline import extract_source
    from kg.extract.read import make_source

    doc = extract_source(make_source("a.txt", "一、主要任务\n(一)加強抽查。(市質監局牽頭,市發改委配合)\n"))
    got = [(a.mention.text, a.mention.role.value, a.agency.function) for a in doc.assignments]
    assert got == [("市質監局", "lead", resolve("市质监局").function),
                   ("市發改委", "support", resolve("市发改委").function)]


def test_jurisdictions_are_never_merged():
    city = resolve("市发改委", DISTRICT)
    district = resolve("区发改局", DISTRICT)
    assert city.function == district.function
    assert city.name == "榆林市发展和改革委员会" and district.name == "榆阳区发展和改革委员会"


def test_elided_prefix_scopes_like_a_written_one():
    assert resolve("科技局", DISTRICT, elided="区").name == resolve("区科技局", DISTRICT).name


def test_collectives_get_collective_keys():
    assert resolve("各乡镇").function == "collective:townships"
    assert resolve("各县(市、区)政府").function == "collective:subordinate_governments"
    assert resolve("领导小组各成员单位").function == "collective:member_units"
    assert resolve("市直有关部门").function == "collective:relevant_departments"


def test_merged_body_is_recognised():
    agency = resolve("工信和商务局", DISTRICT)
    assert agency.merged == ("commerce", "industry_information") and agency.resolved


def test_unknown_mention_is_kept_unresolved():
    agency = resolve("市蜂业发展中心")
    assert not agency.resolved and agency.name == "榆林市蜂业发展中心"
    assert agency.function == "unresolved:蜂业发展"


def test_province_level_function_only_mention():
    assert resolve("质监", PROVINCE).name == "河南省质量技术监督局"
