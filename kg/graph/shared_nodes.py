"""Shared graphs: agencies, areas, coordinating groups and reform events, each described once in
a named graph of its own (``…/cgr/graph/agency/…`` for ``…/cgr/id/agency/…``), as N-Triples lines.

What goes in a shared graph follows from the thing itself (its name, function, place, the reform
that ended it), never from the document that mentions it, so every document that names an agency
writes the same lines and a build stores each shared graph once.
"""
from __future__ import annotations

from kg.extract.labels import canonical_agency, level_of
from kg.graph.ntriples import XSD_NS, Lines, iri, lang_text, literal, text, typed
from kg.graph.schemes import function_iri
from kg.graph.vocab import CGR, DCTERMS, ORG, PROV, RDF, SKOS, agency_iri, area_iri, event_iri
from kg.model import Agency
from kg.reference import Reference

__all__ = ["Shared", "shared_graph_iri", "shared_graph", "area_node", "agency_node", "reform_events"]

Shared = dict[str, Lines]  # shared graph IRI → its lines
A = iri(RDF.type)


def shared_graph_iri(node: str) -> str:
    """Agencies and areas are described once, each in a named graph of its own: a triple stored
    in several document graphs would be counted once per graph by a union default graph.

    >>> shared_graph_iri("https://w3id.org/cgr/id/area/某市")
    'https://w3id.org/cgr/graph/area/某市'
    """
    return node.replace("/cgr/id/", "/cgr/graph/", 1)


def shared_graph(shared: Shared, node: str) -> Lines:
    """The shared graph describing ``node``, made on first use."""
    key = shared_graph_iri(node)
    found = shared.get(key)
    if found is None:
        found = shared[key] = Lines()
    return found


def area_node(shared: Shared, place: str) -> str:
    node = str(area_iri(place))
    g = shared_graph(shared, node)
    g.add(node, A, iri(DCTERMS.Location))
    g.add(node, iri(SKOS.prefLabel), lang_text(place))
    return node


def agency_node(shared: Shared, agency: Agency) -> str:
    """Describe an agency (or collective) in its shared graph and return its IRI.

    A resolved agency is identified by jurisdiction + function; a collective, a merged body, a
    body known by its own name (a development zone) or an unresolved name also by its name, so
    one IRI never carries two preferred labels.
    """
    name = agency.name if agency.collective or agency.merged or agency.named or not agency.resolved else ""
    node = str(agency_iri(agency.jurisdiction, agency.function, name))
    g = shared_graph(shared, node)
    kinds = (CGR.CollectiveAgent, PROV.Agent) if agency.collective else (CGR.Agency, ORG.Organization)
    for cls in kinds:
        g.add(node, A, iri(cls))
    g.add(node, iri(SKOS.prefLabel), lang_text(agency.name))
    g.add(node, iri(CGR.functionKey), text(agency.function))
    g.add(node, iri(CGR.resolved), literal(agency.resolved))
    if agency.jurisdiction:
        g.add(node, iri(DCTERMS.spatial), iri(area_node(shared, agency.jurisdiction)))
    if agency.collective:
        g.add(node, iri(CGR.collectiveKind), iri(function_iri(agency.function)))
    elif agency.resolved:
        for key in agency.merged or (agency.function,):
            g.add(node, iri(ORG.purpose), iri(function_iri(key)))
    return node


def reform_events(shared: Shared, reference: Reference, agency: Agency, node: str) -> None:
    """The reform that ended an old body in its jurisdiction (org:ChangeEvent), with the bodies
    that took over its work, following the lineage table to today's bodies.

    Only what follows from the agency itself goes in its graph (changedBy, its successors), and
    the event's graph holds only what follows from the event: whoever writes them, they read the same.
    """
    row = reference.change_of(agency.function)
    if row is None or agency.collective or agency.merged or agency.named or not agency.resolved:
        return
    place = agency.jurisdiction
    year = row.year_province if level_of(place) in ("province", "national") and row.year_province else row.year_city
    event = str(event_iri(place, row.successors[0], year))
    own, described = shared[shared_graph_iri(node)], shared_graph(shared, event)
    label = lang_text(f"{place}机构改革 ({year or '年份不详'})")
    for p, o in ((RDF.type, iri(ORG.ChangeEvent)), (RDF.type, iri(CGR.ReformEvent)), (SKOS.prefLabel, label)):
        described.add(event, iri(p), o)
    if year:
        described.add(event, iri(DCTERMS.date), typed(str(year), XSD_NS + "gYear"))
    own.add(node, iri(ORG.changedBy), iri(event))
    own.add(event, iri(ORG.originalOrganization), iri(node))
    for key in row.successors:
        heir = canonical_agency(reference.functions, place, key)
        heir_node = agency_node(shared, heir)
        described.add(event, iri(ORG.resultingOrganization), iri(heir_node))
        described.add(heir_node, iri(ORG.resultedFrom), iri(event))
        own.add(node, iri(CGR.successorAgency), iri(heir_node))
        reform_events(shared, reference, heir, heir_node)
