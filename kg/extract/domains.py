"""Classify tasks into the two-level policy-domain scheme of ``data/domains.csv``.

The top level is the subject classification (主题分类) of government information disclosure
catalogues; finer concepts sit below it. Evidence is weighed as a reader would, strongest first:

1. ``text``: keywords in the task's own words (its heading counts 3, the rest 1), with the
   responsibility clauses blanked out so that agency names do not count as subject words;
2. ``agency``: the functions of the agencies that lead it (``data/function_domains.csv``);
   without a lead, those of the responsible, then the supporting units;
3. ``heading``: the domain of the enclosing task;
4. ``title``: keywords in the document title;

otherwise the task is explicitly ``unclassified``. Only a task's own text (up to its first
sub-task) is scanned, once, so the work is linear in the length of the document.
"""
from __future__ import annotations

from kg.extract.domain_keywords import Scheme, Tally, build_scheme, scan, scheme_of, tally_matches
from kg.model import Assignment, Clause, DomainEvidence, Role, SourceText, Task
from kg.reference import UNCLASSIFIED, Domain, Reference

__all__ = ["classify", "domain_scores", "classify_text", "UNCLASSIFIED"]

_MAX_OWN_TEXT = 4000  # a task's own words beyond this are boilerplate, not subject


def domain_scores(title: str, body: str, domains: tuple[Domain, ...]) -> dict[str, int]:
    """Keyword score per concept, top-level and finer: 3 per hit in the title, 1 per hit in the body.

    >>> from kg.reference import load_reference
    >>> s = domain_scores("加强计量监管", "完善计量器具检定", load_reference().domains)
    >>> s["metrology"], s["market_regulation_safety"]
    (5, 5)
    """
    scheme = build_scheme(domains, ())
    tally = scan(title + "\n" + body, len(title), scheme)
    return {**tally.tops, **tally.fine}


def classify_text(text: str, reference: Reference) -> tuple[str, ...]:
    """(top, finer…) of a piece of text by its words alone; ``("unclassified",)`` without a cue.

    >>> from kg.reference import load_reference
    >>> classify_text("开展大气污染防治,加强扬尘治理", load_reference())
    ('urban_rural_environment', 'air_pollution')
    """
    found = scan(text, 0, scheme_of(reference)).best(scheme_of(reference))
    return found[0] if found else (UNCLASSIFIED,)


def _own_spans(tasks: list[Task]) -> dict[int, tuple[int, int]]:
    """Each task's own text: from after its marker to its first sub-task (or its end)."""
    first_child: dict[int, int] = {}
    for t in tasks:
        if t.parent is not None:
            first_child[t.parent] = min(first_child.get(t.parent, t.start), t.start)
    spans = {}
    for t in tasks:
        start = max(t.start, t.text_start)
        end = min(t.end, first_child.get(t.key, t.end), start + _MAX_OWN_TEXT)
        spans[t.key] = (start, max(start, end))
    return spans


def _masked(view: str, clauses: tuple[Clause, ...] | list[Clause]) -> str:
    """The view with responsibility clauses blanked (same length): agency names are not subject words."""
    parts, pos = [], 0
    for c in sorted(clauses, key=lambda c: (c.start, c.end)):
        start, end = max(pos, c.start), max(pos, c.end)
        parts.append(view[pos:start])
        parts.append(" " * (end - start))
        pos = end
    parts.append(view[pos:])
    return "".join(parts)


def _by_agency(assignments: list[Assignment], scheme: Scheme) -> Tally | None:
    """The leads' functions decide; without a lead, the responsible units', then the supporting ones'."""
    for role in (Role.LEAD, Role.RESPONSIBLE, Role.SUPPORT):
        tally = Tally()
        for n, a in enumerate(a for a in assignments if a.mention.role is role):
            concept = scheme.by_function.get(a.agency.function)
            if concept:
                tally.add(scheme, (concept,), a.agency.function, 1, n)
        if tally.tops:
            return tally
    return None


def classify(source: SourceText, tasks: list[Task], reference: Reference, clauses: tuple[Clause, ...] = (),
             assignments: tuple[Assignment, ...] = (), title: str | None = None,
             ) -> tuple[dict[int, tuple[str, ...]], dict[int, DomainEvidence]]:
    """Domains (top-level first) and the evidence that decided them, keyed by ``Task.key``."""
    scheme, view = scheme_of(reference), _masked(source.view, clauses)
    spans = _own_spans(tasks)
    assigned: dict[int, list[Assignment]] = {}
    for a in assignments:
        assigned.setdefault(a.task, []).append(a)
    from_title = scan(_fold(title or "", source), 0, scheme).best(scheme)
    domains: dict[int, tuple[str, ...]] = {}
    evidence: dict[int, DomainEvidence] = {}
    by_key = {t.key: t for t in tasks}
    find = scheme.automaton.find_matches_as_indexes
    for task in sorted(tasks, key=lambda t: (t.start, -t.end, t.key)):
        start, end = spans[task.key]  # own spans hardly overlap: scanning each is linear and cheapest
        hits = find(view[start:end]) if end > start else None
        found = tally_matches(hits, 0, len(task.title), scheme).best(scheme) if hits else None
        basis = "text"
        if found is None:
            tally, basis = _by_agency(assigned.get(task.key, []), scheme), "agency"
            found = tally.best(scheme) if tally else None
        parent = by_key.get(task.parent) if task.parent is not None else None
        if found is None and parent is not None and evidence.get(parent.key, _NONE).basis not in ("none", "title"):
            found, basis = (domains[parent.key], (parent.path or parent.marker,)), "heading"
        if found is None and from_title is not None:
            found, basis = from_title, "title"
        domains[task.key] = found[0] if found else (UNCLASSIFIED,)
        evidence[task.key] = DomainEvidence(basis, found[1]) if found else _NONE
    return domains, evidence


_NONE = DomainEvidence("none")


def _fold(text: str, source: SourceText) -> str:
    from kg.extract.read import fold

    return fold(text, source.script == "traditional")
