"""Ontology terms as Python names, and the namespaces of the vocabularies we reuse.

``CGR`` mirrors ``ontology/kg.ttl`` and is closed: a misspelt term raises at once
(``tests/test_vocab.py`` keeps the two in step). IRIs of instance data are minted only here.
"""
from __future__ import annotations

import re
from functools import lru_cache

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

__all__ = ["CGR", "ELI", "CV", "OA", "NIF", "PPLAN", "SCHEMA", "ORG", "PROV", "DCTERMS", "SKOS", "RDF",
           "RDFS", "OWL", "XSD", "ID", "ROLE", "FN", "DOM", "PREFIXES", "iri_part", "doc_iri", "agency_iri",
           "area_iri", "group_iri", "event_iri", "graph_iri", "REFERENCE_GRAPH"]


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
    heir: URIRef
    ReformEvent: URIRef
    successorAgency: URIRef
    keyword: URIRef
    domainBasis: URIRef
    domainCue: URIRef
    domainFunction: URIRef
    AgencyLoad: URIRef
    loadOf: URIRef
    loadAgent: URIRef
    taskCount: URIRef
    burden: URIRef
    leadTasks: URIRef
    supportTasks: URIRef
    responsibleTasks: URIRef
    leadShare: URIRef
    supportShare: URIRef
    responsibleShare: URIRef
    domainTasks: URIRef
    assignedTasks: URIRef


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

_UNSAFE = re.compile(r"[\s<>\"{}|\\^`#?%/\[\]~]")
# RFC 3987 ucschar: the non-ASCII characters an IRI path may carry as they are. Bidirectional
# formatting characters are excluded too (RFC 3987 section 4.1), so they never hide in an IRI.
_UCSCHAR = re.compile("[\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef\U00010000-\U0001fffd"
                      "\U00020000-\U0002fffd\U00030000-\U0003fffd\U000e1000-\U000efffd]")
_BIDI = frozenset("\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _escape(char: str) -> str:
    try:  # surrogateescape gives back the raw byte a file name could not decode
        data = char.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a lone surrogate from elsewhere: still one stable escape
        data = char.encode("utf-8", "surrogatepass")
    return "".join(f"%{b:02X}" for b in data)


def _safe(char: str) -> bool:
    if _UNSAFE.match(char):
        return False
    if char < "\x80":
        return "!" <= char <= "~"
    return char not in _BIDI and _UCSCHAR.match(char) is not None


@lru_cache(maxsize=1 << 16)  # the same names come back on every row of a report
def iri_part(text: str) -> str:
    r"""Make any text one valid IRI path segment while keeping Chinese readable.

    Whatever the text holds (controls, private-use glyphs, noncharacters, undecodable bytes of a
    file name), the result is a valid and stable segment: the same text always gives the same one.

    >>> iri_part("榆林市"), iri_part("a b/c#d"), iri_part("x\x00\ue000\ufffe\u202e")
    ('榆林市', 'a%20b%2Fc%23d', 'x%00%EE%80%80%EF%BF%BE%E2%80%AE')
    """
    return "".join(c if _safe(c) else _escape(c) for c in text) or "_"


def doc_iri(file_name: str) -> URIRef:
    """Documents are identified by their full file name; ``.txt``, the plain default, is left out.

    Any other suffix stays, after a ``~`` (which names themselves never carry unescaped), so
    ``plan.txt`` and ``plan.md`` are two documents and an IRI never depends on which files sit
    beside it.

    >>> str(doc_iri("000_abc.txt")), str(doc_iri("plan.md")), str(doc_iri("a~b.txt"))
    ('https://w3id.org/cgr/id/doc/000_abc', 'https://w3id.org/cgr/id/doc/plan~md', 'https://w3id.org/cgr/id/doc/a%7Eb')
    """
    stem, dot, suffix = file_name.rpartition(".")
    if not dot or not stem:
        return ID[f"doc/{iri_part(file_name)}~"]
    tail = "" if suffix == "txt" else "~" + iri_part(suffix)
    return ID[f"doc/{iri_part(stem)}{tail}"]


def graph_iri(file_name: str) -> URIRef:
    """The named graph holding one document's triples."""
    return URIRef(str(doc_iri(file_name)).replace("/id/doc/", "/graph/doc/"))


@lru_cache(maxsize=1 << 16)
def agency_iri(jurisdiction: str, function: str, name: str = "") -> URIRef:
    """Agencies: jurisdiction + function key, so 市发改委 and 区发改局 never merge.

    >>> str(agency_iri("榆林市", "development_reform"))
    'https://w3id.org/cgr/id/agency/榆林市/development_reform'
    """
    tail = f"/{iri_part(name)}" if name else ""
    return ID[f"agency/{iri_part(jurisdiction or '未知')}/{iri_part(function)}{tail}"]


def area_iri(place: str) -> URIRef:
    return ID[f"area/{iri_part(place)}"]


def event_iri(jurisdiction: str, function: str, year: int | None) -> URIRef:
    """A reform in one jurisdiction, named by the function it created and its year.

    >>> str(event_iri("榆林市", "market_regulation", 2019))
    'https://w3id.org/cgr/id/event/榆林市/market_regulation/2019'
    """
    return ID[f"event/{iri_part(jurisdiction or '未知')}/{iri_part(function)}/{year or 'unknown'}"]


def group_iri(jurisdiction: str, name: str) -> URIRef:
    return ID[f"group/{iri_part(jurisdiction or '未知')}/{iri_part(name)}"]
