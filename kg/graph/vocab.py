"""Ontology terms as Python names, and the namespaces of the vocabularies we reuse.

``CGR`` mirrors ``ontology/kg.ttl`` and is closed: a misspelt term raises at once
(``tests/test_vocab.py`` keeps the two in step). IRIs of instance data are minted only here.
"""
from __future__ import annotations

import re

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

__all__ = ["CGR", "ELI", "CV", "OA", "NIF", "PPLAN", "SCHEMA", "ORG", "PROV", "DCTERMS", "SKOS", "RDF",
           "RDFS", "XSD", "ID", "ROLE", "FN", "DOM", "PREFIXES", "iri_part", "doc_iri", "agency_iri",
           "area_iri", "group_iri", "graph_iri", "REFERENCE_GRAPH"]


class CGR(DefinedNamespace):
    """Own terms of the responsibility ontology (ontology/kg.ttl)."""

    _NS = Namespace("https://w3id.org/cgr/ontology#")
    _fail = True

    PolicyDocument: URIRef
    Task: URIRef
    Assignment: URIRef
    Agency: URIRef
    CollectiveAgent: URIRef
    CoordinatingGroup: URIRef
    SourceText: URIRef
    AdminLevel: URIRef
    NationalLevel: URIRef
    ProvinceLevel: URIRef
    CityLevel: URIRef
    DistrictLevel: URIRef
    CountyLevel: URIRef
    text: URIRef
    fileName: URIRef
    sha256: URIRef
    length: URIRef
    encoding: URIRef
    script: URIRef
    fingerprint: URIRef
    adminLevel: URIRef
    issuerName: URIRef
    path: URIRef
    marker: URIRef
    section: URIRef
    order: URIRef
    span: URIRef
    clause: URIRef
    clauseKind: URIRef
    hasAssignment: URIRef
    task: URIRef
    agent: URIRef
    role: URIRef
    mentionText: URIRef
    mention: URIRef
    inferred: URIRef
    elidedPrefix: URIRef
    ledBy: URIRef
    supportedBy: URIRef
    responsibleAgency: URIRef
    shortcutProperty: URIRef
    functionKey: URIRef
    resolved: URIRef
    collectiveKind: URIRef
    hostedBy: URIRef
    successor: URIRef
    reformYear: URIRef
    keyword: URIRef
    domainBasis: URIRef
    domainCue: URIRef
    domainFunction: URIRef


ELI = Namespace("http://data.europa.eu/eli/ontology#")
CV = Namespace("http://data.europa.eu/m8g/")
OA = Namespace("http://www.w3.org/ns/oa#")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
PPLAN = Namespace("http://purl.org/net/p-plan#")
SCHEMA = Namespace("https://schema.org/")
ID = Namespace("https://w3id.org/cgr/id/")
ROLE = Namespace("https://w3id.org/cgr/id/role/")
FN = Namespace("https://w3id.org/cgr/id/fn/")
DOM = Namespace("https://w3id.org/cgr/id/dom/")
REFERENCE_GRAPH = URIRef("https://w3id.org/cgr/graph/reference")

PREFIXES = {
    "cgr": CGR._NS, "role": ROLE, "fn": FN, "dom": DOM, "id": ID, "org": ORG, "skos": SKOS, "prov": PROV,
    "dct": DCTERMS, "eli": ELI, "cv": CV, "oa": OA, "nif": NIF, "p-plan": PPLAN, "schema": SCHEMA,
    "rdf": RDF, "rdfs": RDFS, "xsd": XSD,
}

_UNSAFE = re.compile(r"[\s<>\"{}|\\^`#?%/\[\]]")


def iri_part(text: str) -> str:
    """Make text safe as one IRI path segment while keeping Chinese readable.

    >>> iri_part("榆林市"), iri_part("a b/c#d")
    ('榆林市', 'a%20b%2Fc%23d')
    """
    return _UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode("utf-8")), text) or "_"


def doc_iri(file_name: str) -> URIRef:
    """Documents are identified by their file name without suffix.

    >>> str(doc_iri("000_abc.txt"))
    'https://w3id.org/cgr/id/doc/000_abc'
    """
    stem = file_name.rsplit(".", 1)[0] if "." in file_name else file_name
    return ID[f"doc/{iri_part(stem)}"]


def graph_iri(file_name: str) -> URIRef:
    """The named graph holding one document's triples."""
    return URIRef(str(doc_iri(file_name)).replace("/id/doc/", "/graph/doc/"))


def agency_iri(jurisdiction: str, function: str, name: str = "") -> URIRef:
    """Agencies: jurisdiction + function key, so 市发改委 and 区发改局 never merge.

    >>> str(agency_iri("榆林市", "development_reform"))
    'https://w3id.org/cgr/id/agency/榆林市/development_reform'
    """
    tail = f"/{iri_part(name)}" if name else ""
    return ID[f"agency/{iri_part(jurisdiction or '未知')}/{iri_part(function)}{tail}"]


def area_iri(place: str) -> URIRef:
    return ID[f"area/{iri_part(place)}"]


def group_iri(jurisdiction: str, name: str) -> URIRef:
    return ID[f"group/{iri_part(jurisdiction or '未知')}/{iri_part(name)}"]
