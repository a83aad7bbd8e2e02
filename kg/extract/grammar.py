"""The role grammar of a clause body: role words as labels and verbs, and the units they tag.

One small grammar covers every form: a *label* (牵头单位: / 责任单位: …) gives its role to the
units after it; a *verb* (…牵头 / …配合 / …按职责分工负责) gives its role to the units before it,
and wins over a label it follows ("责任单位:A牵头,B配合"). Role words come from
``data/role_terms.csv``; whether a list item is an agency is the lexicon's question.
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field
from typing import NamedTuple

from kg.extract.lexicon import Lexicon, is_junk
from kg.extract.memo import memo, remember
from kg.extract.read import ZERO_WIDTH
from kg.extract.units import CLOSE, OPEN, elided_suffix, split_units
from kg.model import Role, fast_init
from kg.reference import Reference

__all__ = ["Grammar", "grammar", "Token", "RawClause", "tokens", "parse_content", "inside"]

_BOUNDARY = set(",;。、)〕】]:!?\n \t") | {""}


@dataclass(frozen=True)
class Grammar:
    token: re.Pattern[str]
    labels: dict[str, Role]
    verbs: dict[str, Role]
    prose_verbs: frozenset[str]  # verbs (and joints) that are role words in running text too
    joints: dict[str, Role] = field(default_factory=dict)  # A会同B: A takes the role, B supports
    tail: re.Pattern[str] = re.compile("$^")  # ",B配合" continuing an inline clause


def grammar(reference: Reference) -> Grammar:
    """Compile the role terms into one longest-first alternation (kept with the tables: hashing
    the terms on every call costs more than a short document's clauses)."""
    held = memo(reference, "grammar")
    if not held:
        held["grammar"] = _compile(reference.role_terms)
    return held["grammar"]  # type: ignore[no-any-return]


@functools.lru_cache(maxsize=8)
def _compile(role_terms: tuple) -> Grammar:  # type: ignore[type-arg]
    labels = {t.term: t.role for t in role_terms if t.form == "label"}
    verbs = {t.term: t.role for t in role_terms if t.form == "verb"}
    joints = {t.term: t.role for t in role_terms if t.form == "joint"}
    terms = sorted(set(labels) | set(verbs) | set(joints), key=len, reverse=True)
    prose = frozenset(t.term for t in role_terms if t.form != "label" and t.in_prose)
    between = "(?:" + ZERO_WIDTH + ")*"  # a role word still matches with zero-width characters inside
    token = _trie(terms, between)
    tail = re.compile(r",([^,。;\n]{1,60}?)(" + token + r")(?=[,。;\n]|$)")
    return Grammar(re.compile(token), labels, verbs, prose, joints, tail)


def _trie(terms: list[str], between: str) -> str:
    """A pattern that matches what the alternation of ``terms``, longest first, matches (each with
    ``between`` between its characters), written as a tree of shared prefixes: at a position the
    engine follows the one branch of the text's next character, where the alternation tries
    every term, and a longer term still wins (an ending is optional, tried before stopping).

    >>> _trie(["牵头单位", "牵头", "牵制", "配合"], "~")
    '牵~(?:制|头(?:~单~位)?)|配~合'
    """
    tree: dict[str, dict] = {}  # type: ignore[type-arg]
    for term in terms:
        node = tree
        for ch in term:
            node = node.setdefault(ch, {})
        node[""] = {}  # a term ends here

    def branches(node: dict) -> str:  # type: ignore[type-arg]
        alternatives = [re.escape(ch) + branches(node[ch]) for ch in sorted(node) if ch]
        if not alternatives or node is tree:
            return "|".join(alternatives)
        body = between + (alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")")
        return "(?:" + body + ")?" if "" in node else body
    return branches(tree)


class Token(NamedTuple):
    """A role word acting in a clause (a tuple: one is made for every role word of a text)."""

    start: int
    end: int
    role: Role
    form: str  # label | verb | joint


@fast_init
@dataclass(frozen=True)
class RawClause:
    start: int
    end: int
    kind: str
    units: tuple[tuple[Role, int, int], ...]  # (role, start, end) in document offsets
    residue: str  # text of the clause that is neither units nor role words
    truncated: bool = False  # cut off by the end of the text
    carried: tuple[tuple[Role, int, int], ...] | None = None  # units a note sentence names for later tasks
    owner: int | None = None  # Task.key when the finder knows the task (a table row's cells)


def inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    """Whether ``pos`` falls in one of ``spans`` (non-overlapping; kept sorted by the callers).

    >>> inside(5, [(0, 3), (4, 9)]), inside(3, [(0, 3), (4, 9)])
    (True, False)
    """
    i = bisect.bisect_right(spans, (pos, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


_COLON_AFTER = re.compile(r"[\s\u200b]*(?:[:】\]〕]|[为是](?!牵头|配合|责任))")  # 责任单位: / 】 / 为
_LABEL_TAIL = re.compile(r"[\s\u200b]*[】\]〕]?[\s\u200b]*(?::|[为是](?!牵头|配合|责任))?")


def tokens(view: str, start: int, end: int, g: Grammar, skip: list[tuple[int, int]] | None = None) -> list[Token]:
    """Role words in ``view[start:end]`` that act as labels (followed by a colon) or verbs
    (followed by a boundary). Matches use pos/endpos, never slices: this runs over whole texts.
    Words that start :func:`inside` a ``skip`` span (clauses already found) are not looked at."""
    found: list[Token] = []
    labels, verbs, joints, token = g.labels, g.verbs, g.joints, g.token
    skip = skip or []
    passed = 0  # skip spans that start at or before the current word (words come in text order)
    for m in token.finditer(view, start, end):
        term, (at, nxt) = m.group(), m.span()
        while passed < len(skip) and skip[passed][0] <= at:
            passed += 1
        if passed and at < skip[passed - 1][1]:
            continue  # inside(at, skip), walked instead of bisected
        word_end = nxt
        if ZERO_WIDTH in term:
            term = term.replace(ZERO_WIDTH, "")
        while nxt < end and view[nxt] == ZERO_WIDTH:
            nxt += 1
        after = view[nxt] if nxt < end else ""
        if term in labels and (_COLON_AFTER.match(view, word_end, end) is not None
                               or (after in (" ", "\t") and term.endswith(("单位", "部门")))):
            tail = _LABEL_TAIL.match(view, word_end, end)
            found.append(Token(at, tail.end() if tail else word_end, labels[term], "label"))
        elif term in verbs and (after in _BOUNDARY or token.match(view, word_end, end)
                                or view.startswith(("下同", "等"), word_end)):
            found.append(Token(at, word_end, verbs[term], "verb"))
        elif term in joints and at > start and after not in _BOUNDARY:
            found.append(Token(at, word_end, joints[term], "joint"))
    return found


Units = list[tuple[Role, int, int]]


def parse_content(view: str, start: int, end: int, g: Grammar, lexicon: Lexicon, default: Role | None = None,
                  strict: bool = False, skip: tuple[tuple[int, int], ...] = ()) -> tuple[Units, str]:
    """Role-tagged unit spans of a clause body, and the residue text that is not units; ``skip``
    spans (note sentences) are left out, the text on each side parsed on its own.

    >>> from kg.reference import load_reference
    >>> ref = load_reference(); x = Lexicon(ref)
    >>> v = "市质监局、甲乙检验检疫局牵头,市发改委配合"
    >>> [(role.value, v[a:b]) for role, a, b in parse_content(v, 0, len(v), grammar(ref), x)[0]]
    [('lead', '市质监局'), ('lead', '甲乙检验检疫局'), ('support', '市发改委')]
    >>> v = "牵头单位:市商务局;配合单位:市财政局、市统计局"
    >>> [(role.value, v[a:b]) for role, a, b in parse_content(v, 0, len(v), grammar(ref), x)[0]]
    [('lead', '市商务局'), ('support', '市财政局'), ('support', '市统计局')]
    >>> v = "市商务局会同市财政局、市统计局负责"
    >>> [(role.value, v[a:b]) for role, a, b in parse_content(v, 0, len(v), grammar(ref), x)[0]]
    [('lead', '市商务局'), ('support', '市财政局'), ('support', '市统计局')]
    """
    units: list[tuple[Role, int, int]] = []
    residue: list[str] = []
    pos = start
    for a, b in sorted(skip) + [(end, end)]:
        _parse_range(view, pos, a, g, lexicon, default, strict, units, residue)
        pos = b
    return units, "".join(residue)


def _parse_range(view: str, start: int, end: int, g: Grammar, lexicon: Lexicon, default: Role | None,
                 strict: bool, units: list[tuple[Role, int, int]], residue: list[str]) -> None:
    if end <= start:
        return
    found = [t for t in tokens(view, start, end, g)  # a verb in a nested bracket annotates its unit;
             if t.form == "label" or not _nested(view, start, t.start)]  # 【牵头单位】 is still a label
    if not found and default is None and any(_annotation_role(view, s, e, g) for s, e in split_units(view, start, end)):
        default = Role.RESPONSIBLE  # "(A(牵头),B,C)": the unmarked units form an undifferentiated list
    label: Role | None = default
    pos, joined = start, False
    for tok in found:
        if tok.form == "joint":  # "A会同B…": A takes the joint's role, B (up to the next role word) supports
            _collect(view, pos, tok.start, tok.role, units, residue, lexicon, strict, g)
            label, joined = Role.SUPPORT, True
        elif tok.form == "verb":
            cut = _last_separator(view, pos, tok.start) if label is not None and label != default else None
            if cut is not None:
                _collect(view, pos, cut, label, units, residue, lexicon, strict, g)
                pos = cut + 1
            role = Role.SUPPORT if joined and tok.role is Role.RESPONSIBLE else tok.role
            _collect(view, pos, tok.start, role, units, residue, lexicon, strict, g)
            label, joined = default, False
        else:
            _collect(view, pos, tok.start, label, units, residue, lexicon, strict, g)
            label = tok.role
        pos = tok.end
    _collect(view, pos, end, label, units, residue, lexicon, strict, g)


def _nested(view: str, start: int, pos: int) -> bool:
    """Whether ``pos`` lies inside a bracket opened after ``start`` (a unit's own annotation)."""
    depth = 0
    for m in _BRACKET.finditer(view, max(start, pos - 200), pos):  # only brackets matter: the rest is skipped in C
        depth = depth + 1 if m.group() in OPEN else max(0, depth - 1)
    return depth > 0


_BRACKET = re.compile("[" + re.escape(OPEN + CLOSE) + "]")
_BRACKET_OR_SEPARATOR = re.compile("[" + re.escape(OPEN + CLOSE) + ",;]")


_ANNOTATION = re.compile(r"\s*\(([^()]{1,8})\)$")  # "市公安局(牵头)": a role word of the grammar in brackets


def _last_separator(view: str, a: int, b: int) -> int | None:
    depth, found = 0, None
    for m in _BRACKET_OR_SEPARATOR.finditer(view, a, b):
        ch = m.group()
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0:
            found = m.start()
    return found


def _collect(view: str, a: int, b: int, role: Role | None, units: list[tuple[Role, int, int]],
             residue: list[str], lexicon: Lexicon, strict: bool, g: Grammar) -> None:
    """The units (with ``role``, or the role their bracketed annotation names) and the residue of
    the list ``view[a:b]``. Nothing outside the list is read, so the answer is a function of its
    text and the tables: the same unit lists recur in clause after clause and document after
    document, and each is read once (remembered with the tables, offsets relative to the list)."""
    table = lexicon.lists
    key = (view[a:b], role, strict)
    found = table.get(key)
    if found is None:
        found = remember(table, key, _collect_list(key[0], role, lexicon, strict, g))
    units.extend([(unit_role, a + s, a + e) for unit_role, s, e in found[0]])
    residue.extend(found[1])


def _collect_list(view: str, role: Role | None, lexicon: Lexicon, strict: bool,
                  g: Grammar) -> tuple[tuple[tuple[Role, int, int], ...], tuple[str, ...]]:
    units, residue = [], []
    items = [_without_note(view, s, e, g) for s, e in split_units(view, 0, len(view))]
    for k, (s, e) in enumerate(items):
        note = _annotation_role(view, s, e, g)
        unit_role, e = note if note else (role, e)
        if unit_role is not None and (lexicon.unit_like(view[s:e], strict)
                                      or elided_suffix(view, items, k, lexicon)):
            units.append((unit_role, s, e))
        elif not is_junk(view[s:e]):  # deadlines and notes are expected; anything else is residue
            residue.append(view[s:e])
    return tuple(units), tuple(residue)


_NOTE_WORDS = re.compile(r"[,;:。\"“”]|下同|除|以下|上述")


def _without_note(view: str, s: int, e: int, g: Grammar) -> tuple[int, int]:
    """An item without the note glued to it in brackets: "市财政局(第一单位为牵头单位,下同)"
    is the unit 市财政局 and a note. A bracket that is part of the name (工商局(质监局),
    各县(市、区)) has no role word, punctuation or note word inside.

    >>> from kg.reference import load_reference
    >>> g = grammar(load_reference())
    >>> [v[slice(*_without_note(v, 0, len(v), g))] for v in ("甲局(列第一位的为牵头单位,下同)", "甲局(乙局)")]
    ['甲局', '甲局(乙局)']
    """
    if e - s < 4 or view[e - 1] not in CLOSE:
        return s, e
    depth, i = 0, e - 1
    while i > s:
        depth += (view[i] in CLOSE) - (view[i] in OPEN)
        if depth == 0:
            break
        i -= 1
    content = view[i + 1:e - 1]
    if i <= s or depth != 0 or not (_NOTE_WORDS.search(content) or g.token.search(content) or is_junk(content)):
        return s, e
    if g.token.fullmatch(content.strip()):
        return s, e  # "市公安局(牵头)": a role annotation, read by _annotation_role
    return s, i


def _annotation_role(view: str, s: int, e: int, g: Grammar) -> tuple[Role, int] | None:
    """(role, end of the unit) when an item ends with a bracketed role word: 市公安局(牵头)."""
    if e <= s or view[e - 1] not in ")\n":
        return None  # the pattern ends with a closing bracket (before a final line break)
    m = _ANNOTATION.search(view, s, e)
    if not m or m.start() == s:
        return None
    word = m.group(1).replace(ZERO_WIDTH, "").strip()
    role = g.verbs.get(word) or g.labels.get(word)
    return (role, m.start()) if role else None
