"""extract(path): read → metadata → tables → segment → clauses → groups → resolve → domains.

The order is the whole of this module; each step lives in the module of its name.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from kg.extract.assign import build_clauses
from kg.extract.clauses import find_clauses, grammar
from kg.extract.domains import classify
from kg.extract.lexicon import Lexicon
from kg.extract.memo import memo, remember
from kg.extract.groups import find_groups
from kg.extract.metadata import extract_metadata
from kg.model import Agency, Assignment, DocumentExtraction, Group, Mention, Metadata, SourceText
from kg.extract.read import read_document
from kg.reference import Reference, load_reference
from kg.extract.resolve import Resolver
from kg.extract.segment import segment
from kg.extract.table_rows import find_table_rows, place_rows

__all__ = ["extract", "extract_source", "CachingResolver"]


class CachingResolver(Resolver):
    """A document's resolver that resolves each written form once. The same unit is named in
    dozens of clauses and in most documents of a corpus, and the answer depends only on the text,
    the elided prefix, the reference tables and the document's place chain, jurisdiction and
    level; answers are kept per set of tables under all of these (so documents of other places
    never share one), in bounded memo tables. (Function look-ups are remembered by the lexicon.)"""

    def __init__(self, reference: Reference, metadata: Metadata) -> None:
        super().__init__(reference, metadata)
        self._seen: dict[tuple[str, str, tuple[str, ...], str | None, str | None], Agency] = \
            memo(reference, "resolution")
        self._where = (metadata.places, metadata.jurisdiction, metadata.level)
        self._own: dict[tuple[str, str], Agency] = {}  # this document's answers, asked first

    def resolve(self, mention: Mention, view_text: str) -> Agency:
        found = self._own.get((view_text, mention.elided_prefix))
        if found is None:
            key = (view_text, mention.elided_prefix, *self._where)
            found = self._seen.get(key)
            if found is None:
                found = remember(self._seen, key, super().resolve(mention, view_text))
            self._own[view_text, mention.elided_prefix] = found
        return found


def extract(path: str | Path, reference: Reference | None = None) -> DocumentExtraction:
    """Extract one document file (raises :class:`kg.errors.DocumentError` on bad input)."""
    return extract_source(read_document(path), reference)


def extract_source(source: SourceText, reference: Reference | None = None) -> DocumentExtraction:
    """Extract an already read document.

    >>> from kg.extract.read import make_source
    >>> doc = make_source("a.txt", "一、主要任务\\n(一)加强抽查。(市质监局牵头,市公安局配合)\\n")
    >>> [(a.mention.text, a.mention.role.value, a.agency.function) for a in extract_source(doc).assignments]
    [('市质监局', 'lead', 'quality_technical_supervision'), ('市公安局', 'support', 'public_security')]
    """
    reference = reference or load_reference()
    metadata = extract_metadata(source)
    lexicon = Lexicon(reference)
    rows, taken = find_table_rows(source, reference, grammar(reference), lexicon)
    tasks, row_keys = place_rows(segment(source), rows)
    raws = find_clauses(source.view, reference, taken=taken)
    raws += [replace(row.clause, owner=key) for row, key in zip(rows, row_keys) if row.clause]
    raws.sort(key=lambda c: (c.start, c.end))
    clauses = build_clauses(source, metadata, tasks, raws, lexicon)
    resolver = CachingResolver(reference, metadata)  # every written form is resolved once, after clauses
    view, resolve = source.view, resolver.resolve
    assignments = tuple(
        Assignment(c.task if c.task is not None else -1, c, m, resolve(m, view[m.start:m.end] + m.elided_suffix))
        for c in clauses for m in c.mentions
    )
    domains, evidence = classify(source, tasks, reference, tuple(clauses), assignments, metadata.title)
    traditional = source.script == "traditional"
    return DocumentExtraction(source, metadata, tuple(tasks), tuple(clauses), assignments,
                              _resolved_groups(find_groups(source), resolver, traditional), domains, evidence,
                              resolver.resolve_name(metadata.issuer, traditional) if metadata.issuer else None)


def _resolved_groups(groups: list[Group], resolver: Resolver, traditional: bool) -> tuple[Group, ...]:
    """Groups with their members and office host resolved once, here, like any mention."""
    return tuple(replace(g, member_agencies=tuple(resolver.resolve_name(m, traditional) for m in g.members),
                         host_agency=resolver.resolve_name(g.office_host, traditional) if g.office_host else None)
                 for g in groups)
