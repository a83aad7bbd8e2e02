"""SKOS concept schemes built from the reference tables: agency functions (with collectives and
the 2018-reform lineage) and policy domains, labelled in zh-Hans, zh-Hant and English.

``data/`` is the source people edit; ``ontology/schemes.ttl`` is this graph written out
(``kg schemes`` refreshes it, and a test checks the two agree).
"""
from __future__ import annotations

import functools
from typing import Callable

from rdflib import Graph, Literal, URIRef

from kg.reference import UNCLASSIFIED, Domain, Reference
from kg.graph.vocab import CGR, DOM, FN, PREFIXES, RDF, SKOS, XSD, iri_part

__all__ = ["scheme_graph", "function_iri", "to_traditional"]


@functools.lru_cache(maxsize=1)
def _s2t() -> Callable[[str], str]:
    import opencc

    return opencc.OpenCC("s2t").convert


def to_traditional(text: str) -> str:
    """Simplified → traditional script.

    >>> to_traditional("质量技术监督局")
    '質量技術監督局'
    """
    return str(_s2t()(text))


def function_iri(key: str) -> URIRef:
    """Concept IRI of a function key (collectives and unresolved keys included).

    >>> str(function_iri("collective:townships"))
    'https://w3id.org/cgr/id/fn/collective:townships'
    """
    return FN[iri_part(key)]


def _labels(g: Graph, node: URIRef, zh: str, en: str) -> None:
    g.add((node, SKOS.prefLabel, Literal(zh, lang="zh-Hans")))
    g.add((node, SKOS.prefLabel, Literal(to_traditional(zh), lang="zh-Hant")))
    g.add((node, SKOS.prefLabel, Literal(en, lang="en")))


def _concept(g: Graph, node: URIRef, scheme: URIRef, notation: str) -> None:
    g.add((node, RDF.type, SKOS.Concept))
    g.add((node, SKOS.inScheme, scheme))
    g.add((node, SKOS.notation, Literal(notation)))


def scheme_graph(reference: Reference) -> Graph:
    """The function and domain schemes as one graph."""
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    fn_scheme = FN["scheme"]
    g.add((fn_scheme, RDF.type, SKOS.ConceptScheme))
    _labels(g, fn_scheme, "机构职能", "Agency functions")
    aliases: dict[str, list[str]] = {}
    for alias, key in reference.aliases.items():
        aliases.setdefault(key, []).append(alias)
    for key, f in reference.functions.items():
        node = function_iri(key)
        _concept(g, node, fn_scheme, key)
        _labels(g, node, f.label_zh, f.label_en)
        for alias in sorted(aliases.get(key, [])):
            g.add((node, SKOS.hiddenLabel, Literal(alias, lang="zh-Hans")))
    for c in reference.collectives:
        node = function_iri(f"collective:{c.key}")
        _concept(g, node, fn_scheme, f"collective:{c.key}")
        _labels(g, node, c.label_zh, c.label_en)
    _lineage(g, reference)
    _domains(g, reference)
    return g


def _domains(g: Graph, reference: Reference) -> None:
    """Two levels: the 主题分类 subjects as top concepts, finer concepts below them, the explicit
    "unclassified" concept, keywords in both scripts, and each function's usual domain."""
    dom_scheme = DOM["scheme"]
    g.add((dom_scheme, RDF.type, SKOS.ConceptScheme))
    _labels(g, dom_scheme, "政策领域", "Policy domains")
    rows = [*reference.domains, Domain(UNCLASSIFIED, "未分类", "unclassified", "", ())]
    for d in rows:
        node = DOM[d.key]
        _concept(g, node, dom_scheme, d.key)
        _labels(g, node, d.label_zh, d.label_en)
        if d.broader:
            g.add((node, SKOS.broader, DOM[d.broader]))
            g.add((DOM[d.broader], SKOS.narrower, node))
        else:
            g.add((node, SKOS.topConceptOf, dom_scheme))
            g.add((dom_scheme, SKOS.hasTopConcept, node))
        for k in d.keywords:
            g.add((node, CGR.keyword, Literal(k, lang="zh-Hans")))
            g.add((node, CGR.keyword, Literal(to_traditional(k), lang="zh-Hant")))
    for key, domain in reference.function_domains.items():
        g.add((function_iri(key), CGR.domainFunction, DOM[domain]))


def _lineage(g: Graph, reference: Reference) -> None:
    """cgr:successor between function concepts, from the lineage table (agency_lineage.csv)."""
    for row in reference.lineage:
        for target in row.successors:
            g.add((function_iri(row.function), CGR.successor, function_iri(target)))
        if row.successors:
            g.add((function_iri(row.function), CGR.heir, function_iri(reference.heir(row.function))))
        year = row.year_province or row.year_city
        if row.successors and year:
            g.add((function_iri(row.function), CGR.reformYear, Literal(str(year), datatype=XSD.gYear)))
