"""agency_lineage.csv is typed reference data: a bad row stops the load with file and line."""
from __future__ import annotations

import shutil

import pytest

from kg import paths
from kg.errors import ReferenceDataError
from kg.reference import load_reference

HEADER = ("short_form,full_name,function_key,created_year,abolished_prov,abolished_city_county,successor_full_name,"
          "successor_short_form,successor_function,change_type,notes,confidence,sources\n")


@pytest.mark.parametrize("row,problem", [
    ("物价局,物价局,price_administration,,2018,2019,,价格局,no_such_body,split,,low,\n", "not in functions.csv"),
    ("物价局,物价局,price_administration,,2018,2019,,发改委,development_reform,fused,,low,\n", "change_type 'fused'"),
    ("物价局,物价局,price_administration,,2018,2019年,,发改委,development_reform,split,,low,\n", "four digits"),
    ("物价局,物价局,price_administration,,2018,,,发改委,development_reform,split,,low,\n", "needs abolished_city_county"),
    ("物价局,物价局,price_administration,,2018,2019,,发改委,price_administration,split,,low,\n", "cannot succeed itself"),
    ("物价局,物价局,price_administration,,2018,2019,,发改委;医保局,development_reform,split,,low,\n", "as many bodies"),
])
def test_bad_lineage_rows_are_reported_with_file_and_line(tmp_path, row, problem):
    folder = tmp_path / "data"
    shutil.copytree(paths.DATA, folder, ignore=shutil.ignore_patterns("documents"))
    (folder / "agency_lineage.csv").write_text(HEADER + row, encoding="utf-8")
    with pytest.raises(ReferenceDataError, match=problem) as info:
        load_reference(folder)
    assert "agency_lineage.csv:2" in str(info.value)


def test_succession_cycles_and_disagreeing_rows_are_refused(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(paths.DATA, folder, ignore=shutil.ignore_patterns("documents"))
    lineage = folder / "agency_lineage.csv"
    lineage.write_text(HEADER + "甲局,甲局,culture,,2018,2019,,旅游局,tourism,merger,,low,\n"
                                "乙局,乙局,tourism,,2018,2019,,文化局,culture,merger,,low,\n", encoding="utf-8")
    with pytest.raises(ReferenceDataError, match="cycle"):
        load_reference(folder)
    lineage.write_text(HEADER + "质监局,质监局,quality_technical_supervision,,2018,2019,,市场监管局,market_regulation,merger,,high,\n"
                                "技监局,技监局,quality_technical_supervision,,2018,2019,,海关,customs,merger,,high,\n", encoding="utf-8")
    with pytest.raises(ReferenceDataError, match="agency_lineage.csv:3: successors of 'quality_technical_supervision'"):
        load_reference(folder)


def test_heirs_follow_primary_successors_to_today():
    reference = load_reference()
    assert reference.heir("banking_regulation") == "financial_regulation"  # 银监 → 银保监 → 金融监管
    assert reference.heir("economic_trade_commission") == "industry_information"
    assert reference.heir("foreign_trade_economic_cooperation") == "commerce"
    assert reference.heir("environmental_protection") == "ecology_environment"
    assert reference.heir("market_regulation") == "market_regulation"
