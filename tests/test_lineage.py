"""The alias table and the agency lineage table agree on every short form's function key, and
every successor short form resolves to the successor function the table names."""
from __future__ import annotations

from kg.model import Metadata
from kg.reference import load_reference
from kg.extract.lexicon import split_prefix
from kg.extract.resolve import Resolver


def _function(resolver: Resolver, short_form: str) -> str | None:
    return resolver.function_of(split_prefix(short_form)[1])[0]


def test_every_lineage_short_form_resolves_to_its_function_key():
    reference = load_reference()
    resolver = Resolver(reference, Metadata())
    wrong = {row.short_form: (row.function, _function(resolver, row.short_form)) for row in reference.lineage}
    assert {k: v for k, v in wrong.items() if v[0] != v[1]} == {}
    assert len(wrong) >= 70


def test_every_successor_short_form_resolves_to_its_successor_function():
    reference = load_reference()
    resolver = Resolver(reference, Metadata())
    wrong = [(row.line, form, key, _function(resolver, form)) for row in reference.lineage
             for form, key in zip(row.successor_short_forms, row.successors) if _function(resolver, form) != key]
    assert wrong == []
