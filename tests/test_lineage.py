"""The alias table and the agency lineage table agree on every short form's function key."""
from __future__ import annotations

from kg.model import Metadata
from kg.reference import load_reference
from kg.extract.resolve import Resolver, split_prefix


def test_every_lineage_short_form_resolves_to_its_function_key():
    reference = load_reference()
    resolver = Resolver(reference, Metadata())
    wrong = {row["short_form"]: (row["function_key"], resolver.function_of(split_prefix(row["short_form"])[1])[0])
             for row in reference.lineage}
    assert {k: v for k, v in wrong.items() if v[0] != v[1]} == {}
    assert len(wrong) >= 70
