"""Domain keywords: the scheme built from ``data/domains.csv``, found in one automaton pass, tallied.

The automaton (Aho-Corasick, leftmost-longest) finds the keywords of each task's own span in one
pass over it; own spans hardly overlap, so classifying is linear in the document's length.
A tally weighs each distinct word once with the sum of its hits, as :mod:`kg.extract.domains` reads it.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace
from typing import Iterator

import ahocorasick_rs

from kg.extract.memo import memo
from kg.reference import Domain, Reference

__all__ = ["Scheme", "Tally", "Match", "scheme_of", "build_scheme", "keywords", "scan", "tally_matches", "MAX_FINER"]

MAX_FINER = 2  # finer concepts kept per task beside its top-level one


@dataclass(frozen=True)
class Scheme:
    words: tuple[str, ...]  # every keyword, once
    automaton: ahocorasick_rs.AhoCorasick  # finds them, leftmost-longest, in one pass
    owners: dict[str, tuple[str, ...]]  # keyword → concept keys
    top: dict[str, str]  # concept → its top-level concept
    order: dict[str, int]  # concept → row order in domains.csv (the last tie-breaker)
    by_function: dict[str, str]  # function key → concept
    split: dict[tuple[str, ...], tuple[tuple[str, ...], tuple[str, ...]]]  # concepts → (tops, finer)
    effects: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = ()  # per word: (word, tops, finer)
    longest: int = 1  # characters of the longest keyword

    def tops_and_finer(self, concepts: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The distinct top-level concepts of ``concepts`` (first seen first) and the finer ones."""
        found = self.split.get(concepts)
        if found is None:
            found = self.split[concepts] = (tuple(dict.fromkeys(self.top[c] for c in concepts)),
                                            tuple(c for c in concepts if self.top[c] != c))
        return found


@functools.lru_cache(maxsize=4)
def build_scheme(domains: tuple[Domain, ...], by_function: tuple[tuple[str, str], ...]) -> Scheme:
    owners: dict[str, list[str]] = {}
    for d in domains:
        for k in d.keywords:
            owners.setdefault(k, []).append(d.key)
    words = tuple(owners)
    automaton = ahocorasick_rs.AhoCorasick(words, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
    scheme = Scheme(words, automaton, {k: tuple(v) for k, v in owners.items()}, {d.key: d.top for d in domains},
                     {d.key: n for n, d in enumerate(domains)}, dict(by_function), {})
    return replace(scheme, effects=tuple((w, *scheme.tops_and_finer(scheme.owners[w])) for w in words),
                   longest=max(map(len, words), default=1))


def scheme_of(reference: Reference) -> Scheme:
    held = memo(reference, "domains")  # hashing the tables on every call costs more than classifying
    if not held:
        held["scheme"] = build_scheme(reference.domains, tuple(sorted(reference.function_domains.items())))
    return held["scheme"]  # type: ignore[no-any-return]


@dataclass
class Tally:
    """Scores per top-level and finer concept, where each top was first seen, and the cues."""

    tops: dict[str, int] = field(default_factory=dict)
    fine: dict[str, int] = field(default_factory=dict)
    first: dict[str, int] = field(default_factory=dict)
    cues: dict[str, list[str]] = field(default_factory=dict)

    def add(self, scheme: Scheme, concepts: tuple[str, ...], cue: str, weight: int, pos: int) -> None:
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

    def best(self, scheme: Scheme) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
        """(top, finer…) and the cues of the winner: highest score, then first named, then row order."""
        if not self.tops:
            return None
        if len(self.tops) == 1:  # most tasks: one subject, nothing to rank
            top = next(iter(self.tops))
        else:
            top = min(self.tops, key=lambda k: (-self.tops[k], self.first[k], scheme.order[k]))
        finer = [c for c in self.fine if scheme.top[c] == top]
        if len(finer) > 1:
            finer.sort(key=lambda c: (-self.fine[c], self.first[c], scheme.order[c]))
        return (top, *finer[:MAX_FINER]), tuple(self.cues[top])


def keywords(text: str, scheme: Scheme) -> Iterator[tuple[int, str]]:
    """Keywords in ``text``, left to right, never overlapping; at one position the longest wins
    (农村公路 is transport, not 农村). One pass of an Aho-Corasick automaton (leftmost-longest).

    >>> from kg.reference import load_reference
    >>> list(keywords("加强农村公路建设", scheme_of(load_reference())))
    [(2, '农村公路')]
    """
    words = scheme.words
    for index, start, _ in scheme.automaton.find_matches_as_indexes(text):
        yield start, words[index]


Match = tuple[int, int, int]  # (keyword index, start, end) as the automaton gives them


def scan(text: str, heading_end: int, scheme: Scheme) -> Tally:
    return tally_matches(scheme.automaton.find_matches_as_indexes(text), 0, heading_end, scheme)


def tally_matches(matches: list[Match], offset: int, heading_end: int, scheme: Scheme) -> Tally:
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
    tally = Tally()
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

