"""Answers remembered for speed never carry one document's context into another's.

Resolution is remembered per written form, but "市财政局" is the finance bureau of whichever city
issued the document: the same words in documents of two cities must give two agencies, in any
order and again after the memo tables were emptied. Other reference tables must not see answers
remembered for the bundled ones.
"""
from __future__ import annotations

from dataclasses import replace

from kg.extract import memo
from kg.extract.lexicon import Lexicon
from kg.extract.pipeline import extract_source
from kg.extract.read import make_source
from kg.reference import load_reference


def _plan(city: str) -> str:
    return (f"{city}人民政府关于印发质量提升行动计划的通知\n一、主要任务\n"
            f"(一)加强抽查。(市财政局牵头,区发改委配合)\n{city}人民政府\n2020年1月2日\n")


def _agencies(city: str) -> list[tuple[str, str, str]]:
    doc = extract_source(make_source(f"{city}.txt", _plan(city)))
    return [(a.mention.text, a.agency.name, a.agency.jurisdiction) for a in doc.assignments]


def test_same_words_in_two_cities_resolve_to_each_citys_agency():
    first, second = _agencies("青阳市"), _agencies("安平市")
    assert first[0] == ("市财政局", "青阳市财政局", "青阳市")
    assert second[0] == ("市财政局", "安平市财政局", "安平市")
    # the district unit names no district of either city: it stays at the level word in both
    assert first[1][2] == second[1][2] == "区"
    assert _agencies("青阳市") == first  # asked again after the other city: still its own


def test_answers_survive_the_memo_tables_being_emptied(monkeypatch):
    before = _agencies("青阳市")
    monkeypatch.setattr(memo, "MEMO_LIMIT", 1)  # every new answer empties its table first
    assert _agencies("安平市")[0][1] == "安平市财政局"
    assert _agencies("青阳市") == before


def test_other_reference_tables_get_their_own_answers():
    bundled = load_reference()
    assert Lexicon(bundled).function_of("财政局")[0] == "finance"
    renamed = replace(bundled, aliases={k: ("treasury" if v == "finance" else v) for k, v in bundled.aliases.items()})
    assert Lexicon(renamed).function_of("财政局")[0] == "treasury"
    assert Lexicon(bundled).function_of("财政局")[0] == "finance"
