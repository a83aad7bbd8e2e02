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

import array
import bisect
import functools
from dataclasses import dataclass, field, replace
from typing import Iterator

import ahocorasick_rs

from kg.extract.memo import memo
from kg.model import Assignment, Clause, DomainEvidence, Role, SourceText, Task
from kg.reference import UNCLASSIFIED, Domain, Reference

__all__ = ["classify", "domain_scores", "classify_text", "UNCLASSIFIED"]

_MAX_OWN_TEXT = 4000  # a task's own words beyond this are boilerplate, not subject
_MAX_FINER = 2


@dataclass(frozen=True)
class _Scheme:
    words: tuple[str, ...]  # every keyword, once
    automaton: ahocorasick_rs.AhoCorasick  # finds them, leftmost-longest, in one pass
    owners: dict[str, tuple[str, ...]]  # keyword → concept keys
    top: dict[str, str]  # concept → its top-level concept
    order: dict[str, int]  # concept → row order in domains.csv (the last tie-breaker)
    by_function: dict[str, str]  # function key → concept
    split: dict[tuple[str, ...], tuple[tuple[str, ...], tuple[str, ...]]]  # concepts → (tops, finer)
    effects: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = ()  # per word: (word, tops, finer)

    def tops_and_finer(self, concepts: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The distinct top-level concepts of ``concepts`` (first seen first) and the finer ones."""
        found = self.split.get(concepts)
        if found is None:
            found = self.split[concepts] = (tuple(dict.fromkeys(self.top[c] for c in concepts)),
                                            tuple(c for c in concepts if self.top[c] != c))
        return found


@functools.lru_cache(maxsize=4)
def _build(domains: tuple[Domain, ...], by_function: tuple[tuple[str, str], ...]) -> _Scheme:
    owners: dict[str, list[str]] = {}
    for d in domains:
        for k in d.keywords:
            owners.setdefault(k, []).append(d.key)
    words = tuple(owners)
    automaton = ahocorasick_rs.AhoCorasick(words, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
    scheme = _Scheme(words, automaton, {k: tuple(v) for k, v in owners.items()}, {d.key: d.top for d in domains},
                     {d.key: n for n, d in enumerate(domains)}, dict(by_function), {})
    return replace(scheme, effects=tuple((w, *scheme.tops_and_finer(scheme.owners[w])) for w in words))


def _scheme(reference: Reference) -> _Scheme:
    held = memo(reference, "domains")  # hashing the tables on every call costs more than classifying
    if not held:
        held["scheme"] = _build(reference.domains, tuple(sorted(reference.function_domains.items())))
    return held["scheme"]  # type: ignore[no-any-return]


@dataclass
class _Tally:
    """Scores per top-level and finer concept, where each top was first seen, and the cues."""

    tops: dict[str, int] = field(default_factory=dict)
    fine: dict[str, int] = field(default_factory=dict)
    first: dict[str, int] = field(default_factory=dict)
    cues: dict[str, list[str]] = field(default_factory=dict)

    def add(self, scheme: _Scheme, concepts: tuple[str, ...], cue: str, weight: int, pos: int) -> None:
        tops, finer = scheme.tops_and_finer(concepts)
        for top in tops:
            self.tops[top] = self.tops.get(top, 0) + weight
            self.first.setdefault(top, pos)
            cues = self.cues.setdefault(top, [])
            if cue not in cues:
                cues.append(cue)
        for c in finer:
            self.fine[c] = self.fine.get(c, 0) + weight
            self.first.setdefault(c, pos)

    def best(self, scheme: _Scheme) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
        """(top, finer…) and the cues of the winner: highest score, then first named, then row order."""
        if not self.tops:
            return None
        top = min(self.tops, key=lambda k: (-self.tops[k], self.first[k], scheme.order[k]))
        finer = sorted((c for c in self.fine if scheme.top[c] == top),
                       key=lambda c: (-self.fine[c], self.first[c], scheme.order[c]))
        return (top, *finer[:_MAX_FINER]), tuple(self.cues[top])


def _keywords(text: str, scheme: _Scheme) -> Iterator[tuple[int, str]]:
    """Keywords in ``text``, left to right, never overlapping; at one position the longest wins
    (农村公路 is transport, not 农村). One pass of an Aho-Corasick automaton (leftmost-longest).

    >>> from kg.reference import load_reference
    >>> list(_keywords("加强农村公路建设", _scheme(load_reference())))
    [(2, '农村公路')]
    """
    words = scheme.words
    for index, start, _ in scheme.automaton.find_matches_as_indexes(text):
        yield start, words[index]


Match = tuple[int, int, int]  # (keyword index, start, end) as the automaton gives them


def _scan(text: str, heading_end: int, scheme: _Scheme) -> _Tally:
    return _tally(scheme.automaton.find_matches_as_indexes(text), 0, heading_end, scheme)


def _tally(matches: list[Match], offset: int, heading_end: int, scheme: _Scheme) -> _Tally:
    """The tally of keyword matches found at ``offset``. Each distinct word is added once, with
    the sum of its weights at its first position: the totals, first positions and cue order are
    those of adding every hit in turn, for a fraction of the work (this runs for every task)."""
    weights: dict[int, list[int]] = {}  # word index → [first position, summed weight], first seen first
    for index, pos, _ in matches:
        pos -= offset
        held = weights.get(index)
        if held is None:
            weights[index] = [pos, 3 if pos < heading_end else 1]
        else:
            held[1] += 3 if pos < heading_end else 1
    tally = _Tally()
    tops, fine, first, cues = tally.tops, tally.fine, tally.first, tally.cues
    for index, (pos, weight) in weights.items():
        word, word_tops, word_finer = scheme.effects[index]
        for top in word_tops:
            if top in tops:
                tops[top] += weight
                cues[top].append(word)  # distinct words: never a cue twice
            else:
                tops[top], first[top], cues[top] = weight, pos, [word]
        for c in word_finer:
            if c in fine:
                fine[c] += weight
            else:
                fine[c], first[c] = weight, pos
    return tally


class _Matches:
    """The keyword matches of a whole text, found in one pass, kept compactly (three integer
    arrays) and cut into task spans on demand."""

    def __init__(self, text: str, scheme: _Scheme) -> None:
        self.text, self.scheme = text, scheme
        self.indexes, self.starts, self.ends = array.array("q"), array.array("q"), array.array("q")
        for index, start, end in _all_matches(text, scheme):
            self.indexes.append(index)
            self.starts.append(start)
            self.ends.append(end)

    def within(self, start: int, end: int) -> tuple[list[Match], int]:
        """(matches, offset): what scanning ``text[start:end]`` alone finds. Leftmost-longest
        matching restarted at ``start`` finds the whole-text matches inside the span unless one
        of them crosses either edge; then the span is scanned on its own.

        >>> from kg.reference import load_reference
        >>> m = _Matches("加强农村公路建设。推进公路养护", _scheme(load_reference()))
        >>> def words(found): return [(m.scheme.words[k], a, b) for k, a, b in found[0]], found[1]
        >>> words(m.within(9, 15)), words(m.within(3, 8))  # whole-text matches; the span on its own
        (([('公路', 11, 13)], 9), ([('公路', 1, 3)], 0))
        """
        i, j = bisect.bisect_left(self.starts, start), bisect.bisect_left(self.starts, end)
        if (i > 0 and self.ends[i - 1] > start) or (j > i and self.ends[j - 1] > end):
            return self.scheme.automaton.find_matches_as_indexes(self.text[start:end]), 0
        return list(zip(self.indexes[i:j], self.starts[i:j], self.ends[i:j])), start


def _all_matches(text: str, scheme: _Scheme, chunk: int = 1 << 20) -> Iterator[Match]:
    """The leftmost-longest matches of the whole text, scanned a piece at a time (a long text's
    matches are never all held as tuples). A match starting more than the longest keyword
    before a piece's end is one the whole-text scan finds too; the next piece starts after it.

    >>> from kg.reference import load_reference
    >>> scheme, text = _scheme(load_reference()), "加强农村公路建设,推进公路养护," * 5
    >>> list(_all_matches(text, scheme, chunk=20)) == scheme.automaton.find_matches_as_indexes(text)
    True
    """
    pos, longest = 0, max(map(len, scheme.words), default=1)
    while pos < len(text):
        end = min(len(text), pos + max(chunk, 2 * longest))
        found = scheme.automaton.find_matches_as_indexes(text[pos:end])
        if end == len(text):
            yield from ((k, pos + a, pos + b) for k, a, b in found)
            return
        safe, last = end - longest, pos
        for k, a, b in found:
            if pos + a >= safe:
                break
            yield k, pos + a, pos + b
            last = pos + b
        pos = max(last, safe)


def domain_scores(title: str, body: str, domains: tuple[Domain, ...]) -> dict[str, int]:
    """Keyword score per concept, top-level and finer: 3 per hit in the title, 1 per hit in the body.

    >>> from kg.reference import load_reference
    >>> s = domain_scores("加强计量监管", "完善计量器具检定", load_reference().domains)
    >>> s["metrology"], s["market_regulation_safety"]
    (5, 5)
    """
    scheme = _build(domains, ())
    tally = _scan(title + "\n" + body, len(title), scheme)
    return {**tally.tops, **tally.fine}


def classify_text(text: str, reference: Reference) -> tuple[str, ...]:
    """(top, finer…) of a piece of text by its words alone; ``("unclassified",)`` without a cue.

    >>> from kg.reference import load_reference
    >>> classify_text("开展大气污染防治,加强扬尘治理", load_reference())
    ('urban_rural_environment', 'air_pollution')
    """
    found = _scan(text, 0, _scheme(reference)).best(_scheme(reference))
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


def _by_agency(assignments: list[Assignment], scheme: _Scheme) -> _Tally | None:
    """The leads' functions decide; without a lead, the responsible units', then the supporting ones'."""
    for role in (Role.LEAD, Role.RESPONSIBLE, Role.SUPPORT):
        tally = _Tally()
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
    scheme, view = _scheme(reference), _masked(source.view, clauses)
    spans = _own_spans(tasks)
    assigned: dict[int, list[Assignment]] = {}
    for a in assignments:
        assigned.setdefault(a.task, []).append(a)
    from_title = _scan(_fold(title or "", source), 0, scheme).best(scheme)
    domains: dict[int, tuple[str, ...]] = {}
    evidence: dict[int, DomainEvidence] = {}
    by_key = {t.key: t for t in tasks}
    matches = _Matches(view, scheme)
    for task in sorted(tasks, key=lambda t: (t.start, -t.end, t.key)):
        found = _tally(*matches.within(*spans[task.key]), len(task.title), scheme).best(scheme)
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
