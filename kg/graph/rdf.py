"""Extractions → RDF: one named graph per document, plus the shared reference graph.

The graph uses no blank nodes, so two builds of the same inputs serialise byte-identically.
Text spans are IRIs with an RFC 5147 fragment (``…/text#char=12,30``) typed as Web Annotation
``oa:SpecificResource`` with a position selector (and a quote selector for clauses). Documents
are written straight to N-Triples lines (kg.graph.ntriples): no RDF library in a build's inner loop.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from kg.graph.loads import ROLES, document_loads, domain_combination
from kg.graph.ntriples import XSD_NS, Lines, integer, iri, lang_text, literal, text, typed
from kg.graph.shared_nodes import Shared, agency_node, area_node, reform_events, shared_graph, shared_graph_iri
from kg.graph.vocab import (CGR, DCTERMS, DOM, ELI, OA, ORG, OWL, PPLAN, PROV, RDF, ROLE, SKOS,
                            doc_iri, group_iri, iri_part)
from kg.model import Agency, Assignment, DocumentExtraction, Role
from kg.reference import Reference

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = ["document_graph", "reference_graph", "shared_graph_iri", "Shared"]

A = iri(RDF.type)
_LEVELS = {"national": CGR.NationalLevel, "province": CGR.ProvinceLevel, "city": CGR.CityLevel,
           "district": CGR.DistrictLevel, "county": CGR.CountyLevel}
_COUNT = {"lead": iri(CGR.leadTasks), "support": iri(CGR.supportTasks), "responsible": iri(CGR.responsibleTasks)}
_SHARE = {"lead": iri(CGR.leadShare), "support": iri(CGR.supportShare), "responsible": iri(CGR.responsibleShare)}
_SHORTCUT = {Role.LEAD: iri(CGR.ledBy), Role.SUPPORT: iri(CGR.supportedBy), Role.RESPONSIBLE: iri(CGR.responsibleAgency)}
_SPAN = (A, iri(OA.SpecificResource)), iri(OA.hasSource), iri(OA.hasSelector)
_POSITION = iri(OA.TextPositionSelector), iri(OA.start), iri(OA.end)
_QUOTE = iri(OA.TextQuoteSelector), iri(OA.exact)
_ASSIGNMENT = (iri(CGR.Assignment), iri(CGR.task), iri(CGR.agent), iri(CGR.role), iri(CGR.mentionText),
               iri(CGR.order), iri(PROV.wasDerivedFrom), iri(CGR.inferred))
_ROLE = {role: iri(ROLE[role.value]) for role in Role}


def reference_graph(reference: Reference) -> Graph:
    """Ontology and schemes: the data every document graph refers to (made once a build, with rdflib)."""
    from rdflib import Graph

    from kg import paths
    from kg.graph.schemes import scheme_graph
    from kg.graph.vocab import PREFIXES

    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    g.parse(paths.ONTOLOGY_DIR / "kg.ttl", format="turtle")
    g += scheme_graph(reference)
    return g


class _Builder:
    def __init__(self, doc: DocumentExtraction, reference: Reference, fingerprint: str) -> None:
        self.doc, self.reference, self.fingerprint = doc, reference, fingerprint
        self.g = Lines()
        self.shared: Shared = {}
        self.agents: dict[Agency, str] = {}  # agencies already described in their shared graphs
        self.doc_node = str(doc_iri(doc.source.name))
        self.text_node = f"{self.doc_node}/text"
        self.task_nodes = self._task_iris()
        self.counted: list[tuple[str, str, str]] = []  # (task, role, agency) of the assignments burden counts
        self.task_domains: dict[str, tuple[str, ...]] = {}

    def _task_iris(self) -> dict[int, str]:
        seen: dict[str, int] = {}
        for t in self.doc.tasks:
            if t.path:
                seen[t.path] = seen.get(t.path, 0) + 1
        return {t.key: f"{self.doc_node}/task/{t.path}" if t.path and seen[t.path] == 1
                else f"{self.doc_node}/task/n{t.key + 1}" for t in self.doc.tasks}

    def add(self, s: str, p: str, o: str | int | bool) -> None:
        """Add a triple whose object is a written term (str) or a plain value made a literal."""
        self.g.add(s, iri(p), o if isinstance(o, str) else literal(o))

    def span(self, start: int, end: int, quote: str | None = None) -> str:
        node = f"{self.text_node}#char={start},{end}"
        pos = f"{node}/position"
        add = self.g.add
        (a, resource), source, selector = _SPAN
        add(node, a, resource)
        add(node, source, iri(self.text_node))
        add(node, selector, iri(pos))
        add(pos, a, _POSITION[0])
        add(pos, _POSITION[1], integer(start))
        add(pos, _POSITION[2], integer(end))
        if quote is not None:
            q = f"{node}/quote"
            add(node, selector, iri(q))
            add(q, a, _QUOTE[0])
            add(q, _QUOTE[1], text(quote))
        return node

    def document(self) -> None:
        doc, meta, src = self.doc_node, self.doc.metadata, self.doc.source
        lang = "zh-Hant" if src.script == "traditional" else "zh-Hans"
        for cls in (CGR.PolicyDocument, ELI.LegalResource, PROV.Plan, PPLAN.Plan):
            self.add(doc, RDF.type, iri(cls))
        self.add(doc, DCTERMS.title, lang_text(meta.title or src.name, lang))
        self.add(doc, CGR.fileName, text(src.name))
        self.add(doc, CGR.fingerprint, text(self.fingerprint))
        self.add(doc, DCTERMS.language, text(lang))
        self.add(doc, CGR.text, iri(self.text_node))
        if meta.doc_number:
            self.add(doc, ELI.id_local, text(meta.doc_number))
        if meta.date:
            self.add(doc, ELI.date_document, typed(meta.date, XSD_NS + "date"))
        if meta.jurisdiction:
            self.add(doc, ELI.jurisdiction, iri(area_node(self.shared, meta.jurisdiction)))
        if meta.level:
            self.add(doc, CGR.adminLevel, iri(_LEVELS[meta.level]))
        if meta.issuer:
            self.add(doc, CGR.issuerName, text(meta.issuer))
        if meta.issuer and self.doc.issuer_agency:
            self.add(doc, ELI.passed_by, iri(self.agent(self.doc.issuer_agency, meta.issuer)))
        for p, o in ((RDF.type, iri(CGR.SourceText)), (CGR.sha256, text(src.sha256)),
                     (CGR.encoding, text(src.encoding)), (CGR.script, text(src.script)),
                     (CGR.length, integer(len(src.text)))):
            self.add(self.text_node, p, o)

    def tasks(self) -> None:
        for order, t in enumerate(self.doc.tasks, 1):
            node = self.task_nodes[t.key]
            self.add(node, RDF.type, iri(CGR.Task))
            self.add(node, RDF.type, iri(PPLAN.Step))
            self.add(node, PPLAN.isStepOfPlan, iri(self.doc_node))
            self.add(node, DCTERMS.title, lang_text(t.title or t.marker))
            self.add(node, CGR.marker, text(t.marker))
            self.add(node, CGR.section, text(t.section))
            self.add(node, CGR.order, integer(order))
            self.add(node, CGR.span, iri(self.span(t.start, t.end)))
            if t.path:
                self.add(node, CGR.path, text(t.path))
            if t.parent is not None:
                self.add(node, DCTERMS.isPartOf, iri(self.task_nodes[t.parent]))
            self._domains(node, t.key)

    def _domains(self, node: str, key: int) -> None:
        domains = tuple(self.doc.domains.get(key, ()))
        self.task_domains[node] = domains
        for d in domains:
            self.add(node, DCTERMS.subject, iri(DOM[d]))
        evidence = self.doc.domain_evidence.get(key)
        if evidence is not None:
            self.add(node, CGR.domainBasis, text(evidence.basis))
            for cue in evidence.cues:
                self.add(node, CGR.domainCue, text(cue))

    def assignments(self) -> None:
        counters: dict[int, int] = {}
        for a in self.doc.assignments:
            task = self.task_nodes.get(a.task)
            if task is None:
                continue
            counters[a.task] = counters.get(a.task, 0) + 1
            self._assignment(a, task, counters[a.task])

    def _assignment(self, a: Assignment, task: str, n: int) -> None:
        node = f"{task}/assignment/{n}"
        clause = self.span(a.clause.start, a.clause.end, a.clause.text)
        self.add(clause, CGR.clauseKind, text(a.clause.kind))
        self.add(task, CGR.clause, iri(clause))
        agent = self.agent(a.agency, a.mention.text)
        kind, on_task, by, role, written, order, derived, inferred = _ASSIGNMENT
        for p, o in ((A, kind), (on_task, iri(task)), (by, iri(agent)), (role, _ROLE[a.mention.role]),
                     (written, text(a.mention.text)), (order, integer(n)), (derived, iri(clause)),
                     (inferred, literal(a.mention.inferred))):
            self.g.add(node, p, o)
        if not a.mention.inferred:
            self.add(node, CGR.mention, iri(self.span(a.mention.start, a.mention.end)))
            self.counted.append((task, a.mention.role.value, agent))
        if a.mention.elided_prefix:
            self.add(node, CGR.elidedPrefix, text(a.mention.elided_prefix))
        self.add(task, CGR.hasAssignment, iri(node))
        self.g.add(task, _SHORTCUT[a.mention.role], iri(agent))

    def agent(self, agency: Agency, written: str) -> str:
        """The agency's IRI; its description goes to its own shared graph (once per document), the
        form written here (an altLabel) stays in the document's graph."""
        node = self.agents.get(agency)
        if node is None:
            node = self.agents[agency] = agency_node(self.shared, agency)
            reform_events(self.shared, self.reference, agency, node)
        if written != agency.name:
            self.add(node, SKOS.altLabel, lang_text(written))
        return node

    def loads(self) -> None:
        """Burden aggregates of this document (kg.graph.loads): one cgr:AgencyLoad per agency, and
        on the document the number of tasks that carry an assignment."""
        loads, assigned = document_loads(self.counted, self.task_domains)
        self.add(self.doc_node, CGR.assignedTasks, integer(assigned))
        for load in loads:
            node = f"{self.doc_node}/load/{load.agency.rsplit('/id/agency/', 1)[-1]}"
            for p, o in ((RDF.type, iri(CGR.AgencyLoad)), (CGR.loadOf, iri(self.doc_node)),
                         (CGR.loadAgent, iri(load.agency)), (CGR.taskCount, integer(load.tasks)),
                         (CGR.burden, typed(load.credit, XSD_NS + "decimal"))):
                self.add(node, p, o)
            for role in ROLES:
                self.g.add(node, _COUNT[role], integer(load.counts[role]))
                self.g.add(node, _SHARE[role], typed(str(load.shares[role]), str(OWL.rational)))
            for combination, count in load.domains.items():
                self.add(node, CGR.domainTasks, text(domain_combination(combination, count)))

    def groups(self) -> None:
        """A group's type and name are shared; what this document says of it (members, office
        host, evidence) stays in the document's graph, memberships named per document."""
        jurisdiction = self.doc.metadata.jurisdiction or ""
        for group in self.doc.groups:
            node = str(group_iri(jurisdiction, group.name))
            shared = shared_graph(self.shared, node)
            for p, o in ((RDF.type, iri(CGR.CoordinatingGroup)), (RDF.type, iri(ORG.OrganizationalCollaboration)),
                         (SKOS.prefLabel, lang_text(group.name))):
                shared.add(node, iri(p), o)
            self.add(node, PROV.wasDerivedFrom, iri(self.span(group.start, group.end)))
            for k, (member, agency) in enumerate(zip(group.members, group.member_agencies), 1):
                membership = f"{self.doc_node}/membership/{iri_part(group.name)}/{k}"
                self.add(membership, RDF.type, iri(ORG.Membership))
                self.add(membership, ORG.member, iri(self.agent(agency, member)))
                self.add(membership, ORG.organization, iri(node))
            if group.office_host and group.host_agency:
                self.add(node, CGR.hostedBy, iri(self.agent(group.host_agency, group.office_host)))


def document_graph(doc: DocumentExtraction, reference: Reference, fingerprint: str) -> tuple[Lines, Shared]:
    """The document's own triples, and the shared graphs (agencies, areas) it refers to."""
    builder = _Builder(doc, reference, fingerprint)
    builder.document()
    builder.tasks()
    builder.assignments()
    builder.groups()
    builder.loads()
    return builder.g, builder.shared
