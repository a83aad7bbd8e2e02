"""Extractions → RDF: one named graph per document, plus the shared reference graph.

The graph uses no blank nodes, so two builds of the same inputs serialise byte-identically.
Text spans are IRIs with an RFC 5147 fragment (``…/text#char=12,30``) typed as Web Annotation
``oa:SpecificResource`` with a position selector (and a quote selector for clauses).
"""
from __future__ import annotations

from rdflib import Graph, Literal, URIRef

from kg import paths
from kg.model import Assignment, DocumentExtraction, Role
from kg.reference import Reference
from kg.graph.schemes import function_iri, scheme_graph
from kg.extract.labels import canonical_agency, level_of
from kg.graph.loads import ROLES, document_loads, domain_combination
from kg.graph.vocab import (CGR, DCTERMS, DOM, ELI, OA, ORG, OWL, PPLAN, PREFIXES, PROV, RDF, ROLE, SKOS, XSD,
                      agency_iri, area_iri, doc_iri, event_iri, group_iri, iri_part)

__all__ = ["document_graph", "reference_graph", "new_graph", "agency_node", "area_node", "shared_graph_iri"]

_LEVELS = {"national": CGR.NationalLevel, "province": CGR.ProvinceLevel, "city": CGR.CityLevel,
           "district": CGR.DistrictLevel, "county": CGR.CountyLevel}
_COUNT = {"lead": CGR.leadTasks, "support": CGR.supportTasks, "responsible": CGR.responsibleTasks}
_SHARE = {"lead": CGR.leadShare, "support": CGR.supportShare, "responsible": CGR.responsibleShare}
_SHORTCUT = {Role.LEAD: CGR.ledBy, Role.SUPPORT: CGR.supportedBy, Role.RESPONSIBLE: CGR.responsibleAgency}


def new_graph(identifier: URIRef | None = None) -> Graph:
    g = Graph(identifier=identifier)
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    return g


def reference_graph(reference: Reference) -> Graph:
    """Ontology and schemes: the data every document graph refers to."""
    g = new_graph()
    g.parse(paths.ONTOLOGY_DIR / "kg.ttl", format="turtle")
    g += scheme_graph(reference)
    return g


class _Builder:
    def __init__(self, doc: DocumentExtraction, reference: Reference, fingerprint: str) -> None:
        self.doc, self.reference, self.fingerprint = doc, reference, fingerprint
        self.g = new_graph()
        self.shared: dict[URIRef, Graph] = {}
        self.doc_node = doc_iri(doc.source.name)
        self.text_node = URIRef(f"{self.doc_node}/text")
        self.task_nodes = self._task_iris()
        self.counted: list[tuple[str, str, str]] = []  # (task, role, agency) of the assignments burden counts
        self.task_domains: dict[str, tuple[str, ...]] = {}

    def _task_iris(self) -> dict[int, URIRef]:
        seen: dict[str, int] = {}
        for t in self.doc.tasks:
            if t.path:
                seen[t.path] = seen.get(t.path, 0) + 1
        return {t.key: URIRef(f"{self.doc_node}/task/{t.path}" if t.path and seen[t.path] == 1
                              else f"{self.doc_node}/task/n{t.key + 1}") for t in self.doc.tasks}

    def add(self, s: URIRef, p: URIRef, o: object) -> None:
        self.g.add((s, p, o if isinstance(o, (URIRef, Literal)) else Literal(o)))

    def span(self, start: int, end: int, quote: str | None = None) -> URIRef:
        node = URIRef(f"{self.text_node}#char={start},{end}")
        pos = URIRef(f"{node}/position")
        self.add(node, RDF.type, OA.SpecificResource)
        self.add(node, OA.hasSource, self.text_node)
        self.add(node, OA.hasSelector, pos)
        self.add(pos, RDF.type, OA.TextPositionSelector)
        self.add(pos, OA.start, Literal(start))
        self.add(pos, OA.end, Literal(end))
        if quote is not None:
            q = URIRef(f"{node}/quote")
            self.add(node, OA.hasSelector, q)
            self.add(q, RDF.type, OA.TextQuoteSelector)
            self.add(q, OA.exact, Literal(quote))
        return node

    def document(self) -> None:
        doc, meta, src = self.doc_node, self.doc.metadata, self.doc.source
        lang = "zh-Hant" if src.script == "traditional" else "zh-Hans"
        for cls in (CGR.PolicyDocument, ELI.LegalResource, PROV.Plan, PPLAN.Plan):
            self.add(doc, RDF.type, cls)
        self.add(doc, DCTERMS.title, Literal(meta.title or src.name, lang=lang))
        self.add(doc, CGR.fileName, src.name)
        self.add(doc, CGR.fingerprint, self.fingerprint)
        self.add(doc, DCTERMS.language, lang)
        self.add(doc, CGR.text, self.text_node)
        if meta.doc_number:
            self.add(doc, ELI.id_local, meta.doc_number)
        if meta.date:
            self.add(doc, ELI.date_document, Literal(meta.date, datatype=XSD.date))
        if meta.jurisdiction:
            self.add(doc, ELI.jurisdiction, area_node(self.shared, meta.jurisdiction))
        if meta.level:
            self.add(doc, CGR.adminLevel, _LEVELS[meta.level])
        if meta.issuer:
            self.add(doc, CGR.issuerName, meta.issuer)
        if meta.issuer and self.doc.issuer_agency:
            self.add(doc, ELI.passed_by, self.agent(self.doc.issuer_agency, meta.issuer))
        for p, o in ((RDF.type, CGR.SourceText), (CGR.sha256, src.sha256), (CGR.encoding, src.encoding),
                     (CGR.script, src.script), (CGR.length, Literal(len(src.text)))):
            self.add(self.text_node, p, o)

    def tasks(self) -> None:
        for order, t in enumerate(self.doc.tasks, 1):
            node = self.task_nodes[t.key]
            self.add(node, RDF.type, CGR.Task)
            self.add(node, RDF.type, PPLAN.Step)
            self.add(node, PPLAN.isStepOfPlan, self.doc_node)
            self.add(node, DCTERMS.title, Literal(t.title or t.marker, lang="zh-Hans"))
            self.add(node, CGR.marker, t.marker)
            self.add(node, CGR.section, t.section)
            self.add(node, CGR.order, Literal(order))
            self.add(node, CGR.span, self.span(t.start, t.end))
            if t.path:
                self.add(node, CGR.path, t.path)
            if t.parent is not None:
                self.add(node, DCTERMS.isPartOf, self.task_nodes[t.parent])
            self.task_domains[str(node)] = tuple(self.doc.domains.get(t.key, ()))
            for d in self.doc.domains.get(t.key, ()):
                self.add(node, DCTERMS.subject, DOM[d])
            evidence = self.doc.domain_evidence.get(t.key)
            if evidence is not None:
                self.add(node, CGR.domainBasis, evidence.basis)
                for cue in evidence.cues:
                    self.add(node, CGR.domainCue, cue)

    def assignments(self) -> None:
        counters: dict[int, int] = {}
        for a in self.doc.assignments:
            task = self.task_nodes.get(a.task)
            if task is None:
                continue
            counters[a.task] = counters.get(a.task, 0) + 1
            self._assignment(a, task, counters[a.task])

    def _assignment(self, a: Assignment, task: URIRef, n: int) -> None:
        node = URIRef(f"{task}/assignment/{n}")
        clause = self.span(a.clause.start, a.clause.end, a.clause.text)
        self.add(clause, CGR.clauseKind, a.clause.kind)
        self.add(task, CGR.clause, clause)
        agent = self.agent(a.agency, a.mention.text)
        for p, o in ((RDF.type, CGR.Assignment), (CGR.task, task), (CGR.agent, agent), (CGR.role, ROLE[a.mention.role.value]),
                     (CGR.mentionText, a.mention.text), (CGR.order, Literal(n)), (PROV.wasDerivedFrom, clause),
                     (CGR.inferred, Literal(a.mention.inferred))):
            self.add(node, p, o)
        if not a.mention.inferred:
            self.add(node, CGR.mention, self.span(a.mention.start, a.mention.end))
            self.counted.append((str(task), a.mention.role.value, str(agent)))
        if a.mention.elided_prefix:
            self.add(node, CGR.elidedPrefix, a.mention.elided_prefix)
        self.add(task, CGR.hasAssignment, node)
        self.add(task, _SHORTCUT[a.mention.role], agent)

    def agent(self, agency, written: str) -> URIRef:  # type: ignore[no-untyped-def]
        """The agency's IRI; its description goes to its own shared graph, the form written here
        (an altLabel) stays in the document's graph."""
        node = agency_node(self.shared, agency)
        reform_events(self.shared, self.reference, agency, node)
        if written != agency.name:
            self.add(node, SKOS.altLabel, Literal(written, lang="zh-Hans"))
        return node

    def loads(self) -> None:
        """Burden aggregates of this document (kg.graph.loads): one cgr:AgencyLoad per agency, and
        on the document the number of tasks that carry an assignment."""
        loads, assigned = document_loads(self.counted, self.task_domains)
        self.add(self.doc_node, CGR.assignedTasks, Literal(assigned))
        for load in loads:
            node = URIRef(f"{self.doc_node}/load/{load.agency.rsplit('/id/agency/', 1)[-1]}")
            for p, o in ((RDF.type, CGR.AgencyLoad), (CGR.loadOf, self.doc_node), (CGR.loadAgent, URIRef(load.agency)),
                         (CGR.taskCount, Literal(load.tasks)), (CGR.burden, Literal(load.credit, datatype=XSD.decimal))):
                self.add(node, p, o)
            for role in ROLES:
                self.add(node, _COUNT[role], Literal(load.counts[role]))
                self.add(node, _SHARE[role], Literal(str(load.shares[role]), datatype=OWL.rational))
            for combination, count in load.domains.items():
                self.add(node, CGR.domainTasks, domain_combination(combination, count))

    def groups(self) -> None:
        """A group's type and name are shared; what this document says of it (members, office
        host, evidence) stays in the document's graph, memberships named per document."""
        jurisdiction = self.doc.metadata.jurisdiction or ""
        for group in self.doc.groups:
            node = group_iri(jurisdiction, group.name)
            shared = shared_graph(self.shared, node)
            for p, o in ((RDF.type, CGR.CoordinatingGroup), (RDF.type, ORG.OrganizationalCollaboration),
                         (SKOS.prefLabel, Literal(group.name, lang="zh-Hans"))):
                shared.add((node, p, o))
            self.add(node, PROV.wasDerivedFrom, self.span(group.start, group.end))
            for k, (member, agency) in enumerate(zip(group.members, group.member_agencies), 1):
                membership = URIRef(f"{self.doc_node}/membership/{iri_part(group.name)}/{k}")
                self.add(membership, RDF.type, ORG.Membership)
                self.add(membership, ORG.member, self.agent(agency, member))
                self.add(membership, ORG.organization, node)
            if group.office_host and group.host_agency:
                self.add(node, CGR.hostedBy, self.agent(group.host_agency, group.office_host))


def shared_graph_iri(node: URIRef) -> URIRef:
    """Agencies and areas are described once, each in a named graph of its own: a triple stored
    in several document graphs would be counted once per graph by a union default graph."""
    return URIRef(str(node).replace("/cgr/id/", "/cgr/graph/", 1))


def shared_graph(shared: dict[URIRef, Graph], node: URIRef) -> Graph:
    """The shared graph describing ``node``, made on first use only (a graph made for every
    mention was most of a build's time), without prefixes: shared graphs go to the store as
    N-Triples, and binding them costs more than filling the graph."""
    key = shared_graph_iri(node)
    found = shared.get(key)
    if found is None:
        found = shared[key] = Graph(bind_namespaces="none")
    return found


def area_node(shared: dict[URIRef, Graph], place: str) -> URIRef:
    node = area_iri(place)
    g = shared_graph(shared, node)
    g.add((node, RDF.type, DCTERMS.Location))
    g.add((node, SKOS.prefLabel, Literal(place, lang="zh-Hans")))
    return node


def agency_node(shared: dict[URIRef, Graph], agency) -> URIRef:  # type: ignore[no-untyped-def]
    """Describe an agency (or collective) in its shared graph and return its IRI.

    A resolved agency is identified by jurisdiction + function; a collective, a merged body, a
    body known by its own name (a development zone) or an unresolved name also by its name, so
    one IRI never carries two preferred labels.
    """
    name = agency.name if agency.collective or agency.merged or agency.named or not agency.resolved else ""
    node = agency_iri(agency.jurisdiction, agency.function, name)
    g = shared_graph(shared, node)
    kinds = (CGR.CollectiveAgent, PROV.Agent) if agency.collective else (CGR.Agency, ORG.Organization)
    for cls in kinds:
        g.add((node, RDF.type, cls))
    g.add((node, SKOS.prefLabel, Literal(agency.name, lang="zh-Hans")))
    g.add((node, CGR.functionKey, Literal(agency.function)))
    g.add((node, CGR.resolved, Literal(agency.resolved)))
    if agency.jurisdiction:
        g.add((node, DCTERMS.spatial, area_node(shared, agency.jurisdiction)))
    if agency.collective:
        g.add((node, CGR.collectiveKind, function_iri(agency.function)))
    elif agency.resolved:
        for key in agency.merged or (agency.function,):
            g.add((node, ORG.purpose, function_iri(key)))
    return node


def reform_events(shared: dict[URIRef, Graph], reference: Reference, agency, node: URIRef) -> None:  # type: ignore[no-untyped-def]
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
    event = event_iri(place, row.successors[0], year)
    own, described = shared[shared_graph_iri(node)], shared_graph(shared, event)
    for p, o in ((RDF.type, ORG.ChangeEvent), (RDF.type, CGR.ReformEvent), (SKOS.prefLabel, Literal(
            f"{place}机构改革 ({year or '年份不详'})", lang="zh-Hans"))):
        described.add((event, p, o))
    if year:
        described.add((event, DCTERMS.date, Literal(str(year), datatype=XSD.gYear)))
    own.add((node, ORG.changedBy, event))
    own.add((event, ORG.originalOrganization, node))
    for key in row.successors:
        heir = canonical_agency(reference.functions, place, key)
        heir_node = agency_node(shared, heir)
        described.add((event, ORG.resultingOrganization, heir_node))
        described.add((heir_node, ORG.resultedFrom, event))
        own.add((node, CGR.successorAgency, heir_node))
        reform_events(shared, reference, heir, heir_node)


def document_graph(doc: DocumentExtraction, reference: Reference,
                   fingerprint: str) -> tuple[Graph, dict[URIRef, Graph]]:
    """The document's own triples, and the shared graphs (agencies, areas) it refers to."""
    builder = _Builder(doc, reference, fingerprint)
    builder.document()
    builder.tasks()
    builder.assignments()
    builder.groups()
    builder.loads()
    return builder.g, builder.shared
