"""Find responsibility clauses and split them into role-tagged mentions.

One small grammar covers every form: a *label* (牵头单位: / 责任单位: …) gives its role to the
units after it; a *verb* (…牵头 / …配合 / …按职责分工负责) gives its role to the units before it,
and wins over a label it follows ("责任单位:A牵头,B配合"). Clauses are found in three places,
in this order, each outside the spans already taken:

* brackets: ``(…)`` ``〔…〕`` ``【…】`` ``[…]`` whose content parses to at least one unit;
* label runs outside brackets: ``牵头单位:A`` lines, consecutive label lines merged;
* prose: ``由A牵头,B配合`` / ``由A负责`` / ``A牵头落实`` with strictly agency-like units.

Role words come from ``data/role_terms.csv``; nothing here names a place or a document.
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

from kg.model import Metadata, Role
from kg.extract.read import ZERO_WIDTH
from kg.reference import Reference
from kg.extract.resolve import Resolver
from kg.extract.units import CLOSE, OPEN, is_junk, split_units, unit_like

__all__ = ["Grammar", "grammar", "RawClause", "parse_content", "find_clauses", "bracket_spans"]

_BOUNDARY = set(",;。、)〕】]:!?\n \t") | {""}


@dataclass(frozen=True)
class Grammar:
    token: re.Pattern[str]
    labels: dict[str, Role]
    verbs: dict[str, Role]
    prose_verbs: frozenset[str]  # verbs that are role words in running text too


def grammar(reference: Reference) -> Grammar:
    """Compile the role terms into one longest-first alternation."""
    return _compile(reference.role_terms)


@functools.lru_cache(maxsize=8)
def _compile(role_terms: tuple) -> Grammar:  # type: ignore[type-arg]
    labels = {t.term: t.role for t in role_terms if t.form == "label"}
    verbs = {t.term: t.role for t in role_terms if t.form == "verb"}
    terms = sorted(set(labels) | set(verbs), key=len, reverse=True)
    prose = frozenset(t.term for t in role_terms if t.form == "verb" and t.in_prose)
    between = "(?:" + ZERO_WIDTH + ")*"  # a role word still matches with zero-width characters inside
    spelled = (between.join(map(re.escape, term)) for term in terms)
    return Grammar(re.compile("|".join(spelled)), labels, verbs, prose)


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    role: Role
    form: str  # label | verb


@dataclass(frozen=True)
class RawClause:
    start: int
    end: int
    kind: str
    units: tuple[tuple[Role, int, int], ...]  # (role, start, end) in document offsets
    residue: str  # text of the clause that is neither units nor role words
    owner: int | None = None  # Task.key when the finder knows the task (a table row's cells)


def bracket_spans(view: str) -> list[tuple[int, int]]:
    r"""Outermost bracket pairs, nesting-aware; unbalanced brackets are skipped. A bracket may
    run over a line break (hard-wrapped text) when it closes within ``_WRAP`` characters.

    >>> v = "加强监管(各县(市、区)政府负责)。(2017年\n下一行"
    >>> [v[a:b] for a, b in bracket_spans(v)]
    ['(各县(市、区)政府负责)']
    >>> w = "(省商务\n厅配合)"
    >>> [w[a:b] for a, b in bracket_spans(w)]
    ['(省商务\n厅配合)']
    """
    spans: list[tuple[int, int]] = []
    stack: list[tuple[int, str]] = []
    for i, ch in enumerate(view):
        if ch in OPEN:
            stack.append((i, CLOSE[OPEN.index(ch)]))
        elif ch in CLOSE:
            while stack and stack[-1][1] != ch:
                stack.pop()
            if stack:
                start, _ = stack.pop()
                if not stack:
                    spans.append((start, i + 1))
        elif ch == "\n" and stack and i - stack[0][0] > _WRAP:
            stack.clear()
    return spans


_WRAP = 120
_COLON_AFTER = re.compile(r"[\s\ue000]*(?:[:】\]〕]|[为是](?!牵头|配合|责任))")  # 责任单位: / 】 / 为
_LABEL_TAIL = re.compile(r"[\s\ue000]*[】\]〕]?[\s\ue000]*(?::|[为是](?!牵头|配合|责任))?")


def _tokens(view: str, start: int, end: int, g: Grammar) -> list[Token]:
    """Role words in ``view[start:end]`` that act as labels (followed by a colon) or verbs
    (followed by a boundary). Matches use pos/endpos, never slices: this runs over whole texts."""
    tokens = []
    for m in g.token.finditer(view, start, end):
        term, nxt = m.group().replace(ZERO_WIDTH, ""), m.end()
        while nxt < end and view[nxt] == ZERO_WIDTH:
            nxt += 1
        after = view[nxt] if nxt < end else ""
        colon = _COLON_AFTER.match(view, m.end(), end) is not None
        if term in g.labels and (colon or (term.endswith(("单位", "部门")) and after in (" ", "\t"))):
            tail = _LABEL_TAIL.match(view, m.end(), end)
            tokens.append(Token(m.start(), tail.end() if tail else m.end(), g.labels[term], "label"))
        elif term in g.verbs and (after in _BOUNDARY or g.token.match(view, m.end(), end)
                                  or view.startswith(("下同", "等"), m.end())):
            tokens.append(Token(m.start(), m.end(), g.verbs[term], "verb"))
    return tokens


def parse_content(view: str, start: int, end: int, g: Grammar, resolver: Resolver,
                  default: Role | None = None, strict: bool = False) -> tuple[list[tuple[Role, int, int]], str]:
    """Role-tagged unit spans of a clause body, and the residue text that is not units.

    >>> from kg.reference import load_reference
    >>> ref = load_reference(); r = Resolver(ref, Metadata())
    >>> v = "市质监局、榆林检验检疫局牵头,市发改委配合"
    >>> [(role.value, v[a:b]) for role, a, b in parse_content(v, 0, len(v), grammar(ref), r)[0]]
    [('lead', '市质监局'), ('lead', '榆林检验检疫局'), ('support', '市发改委')]
    >>> v = "牵头单位:市商务局;配合单位:市财政局、市统计局"
    >>> [(role.value, v[a:b]) for role, a, b in parse_content(v, 0, len(v), grammar(ref), r)[0]]
    [('lead', '市商务局'), ('support', '市财政局'), ('support', '市统计局')]
    """
    units: list[tuple[Role, int, int]] = []
    residue: list[str] = []
    tokens = [t for t in _tokens(view, start, end, g)  # a verb in a nested bracket annotates its unit;
              if t.form == "label" or not _nested(view, start, t.start)]  # 【牵头单位】 is still a label
    if not tokens and default is None and any(_annotation_role(view, s, e, g) for s, e in split_units(view, start, end)):
        default = Role.RESPONSIBLE  # "(A(牵头),B,C)": the unmarked units form an undifferentiated list
    label: Role | None = default
    pos = start
    for tok in tokens:
        if tok.form == "verb":
            cut = _last_separator(view, pos, tok.start) if label is not None and label != default else None
            if cut is not None:
                _collect(view, pos, cut, label, units, residue, resolver, strict, g)
                pos = cut + 1
            _collect(view, pos, tok.start, tok.role, units, residue, resolver, strict, g)
            label = default
        else:
            _collect(view, pos, tok.start, label, units, residue, resolver, strict, g)
            label = tok.role
        pos = tok.end
    _collect(view, pos, end, label, units, residue, resolver, strict, g)
    return units, "".join(residue)


def _nested(view: str, start: int, pos: int) -> bool:
    """Whether ``pos`` lies inside a bracket opened after ``start`` (a unit's own annotation)."""
    depth = 0
    for ch in view[max(start, pos - 200):pos] if pos - start > 200 else view[start:pos]:
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE:
            depth = max(0, depth - 1)
    return depth > 0


_ANNOTATION = re.compile(r"\s*\(([^()]{1,8})\)$")  # "市公安局(牵头)": a role word of the grammar in brackets


def _last_separator(view: str, a: int, b: int) -> int | None:
    depth, found = 0, None
    for i in range(a, b):
        if view[i] in OPEN:
            depth += 1
        elif view[i] in CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and view[i] in ",;":
            found = i
    return found


def _collect(view: str, a: int, b: int, role: Role | None, units: list[tuple[Role, int, int]],
             residue: list[str], resolver: Resolver, strict: bool, g: Grammar) -> None:
    for s, e in split_units(view, a, b):
        note = _annotation_role(view, s, e, g)
        unit_role, e = note if note else (role, e)
        if unit_role is not None and unit_like(view[s:e], resolver, strict):
            units.append((unit_role, s, e))
        elif not is_junk(view[s:e]):  # deadlines and notes are expected; anything else is residue
            residue.append(view[s:e])


def _annotation_role(view: str, s: int, e: int, g: Grammar) -> tuple[Role, int] | None:
    """(role, end of the unit) when an item ends with a bracketed role word: 市公安局(牵头)."""
    m = _ANNOTATION.search(view, s, e)
    if not m or m.start() == s:
        return None
    word = m.group(1).replace(ZERO_WIDTH, "").strip()
    role = g.verbs.get(word) or g.labels.get(word)
    return (role, m.start()) if role else None


def find_clauses(view: str, reference: Reference, metadata: Metadata = Metadata(),
                 taken: list[tuple[int, int]] | None = None) -> list[RawClause]:
    """Every responsibility clause of a document outside ``taken`` spans (table rows)."""
    g, resolver = grammar(reference), Resolver(reference, metadata)
    taken = sorted(taken or [])
    found = _bracketed(view, g, resolver, taken)
    taken = sorted(taken + [(c.start, c.end) for c in found])
    labelled = _labelled(view, g, resolver, taken)
    taken = sorted(taken + [(c.start, c.end) for c in labelled])
    inline = _inline(view, g, resolver, taken)
    return sorted(found + labelled + inline, key=lambda c: c.start)


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    """Whether ``pos`` falls in one of ``spans`` (non-overlapping; kept sorted by the callers).

    >>> _inside(5, [(0, 3), (4, 9)]), _inside(3, [(0, 3), (4, 9)])
    (True, False)
    """
    i = bisect.bisect_right(spans, (pos, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


def _bracketed(view: str, g: Grammar, resolver: Resolver, taken: list[tuple[int, int]]) -> list[RawClause]:
    clauses = []
    for a, b in bracket_spans(view):
        if _inside(a, taken):
            continue
        if g.token.search(view, a, b):
            units, residue = parse_content(view, a + 1, b - 1, g, resolver)
        elif _bare_list_position(view, a, b):
            units, residue = parse_content(view, a + 1, b - 1, g, resolver, Role.RESPONSIBLE, strict=True)
            if residue.strip():
                continue
        else:
            continue
        if units:
            clauses.append(RawClause(a, b, "paren", tuple(units), residue))
    return clauses


def _bare_list_position(view: str, a: int, b: int) -> bool:
    """A bracket without role words is a clause only as a paragraph's closing unit list:
    after a sentence end ("…供给。(市发改委、市财政局)"), not after a name ("办公室(省质监局)")."""
    before = view[max(0, a - 3):a].rstrip(" ")
    after = view[b:b + 3].lstrip(" 。;")
    return before.endswith(("。", ";", "!", "?")) and (after == "" or after.startswith("\n"))


_SENTENCE_WINDOW = 400
_LABEL_START = re.compile(r"[【\[〔(]?\s*")


def _labelled(view: str, g: Grammar, resolver: Resolver, taken: list[tuple[int, int]]) -> list[RawClause]:
    clauses: list[RawClause] = []
    for tok in _tokens(view, 0, len(view), g):
        if tok.form != "label" or _inside(tok.start, taken):
            continue
        if clauses and clauses[-1].start <= tok.start < clauses[-1].end:
            continue
        start = tok.start - 1 if tok.start and view[tok.start - 1] in "【[〔" else tok.start
        end = _label_run_end(view, tok.start, g)
        units, residue = parse_content(view, start, end, g, resolver)
        if units:
            clauses.append(RawClause(start, end, "label", tuple(units), residue))
    return clauses


def _label_run_end(view: str, start: int, g: Grammar) -> int:
    """End of a label run: the line (up to 。), continued while the next line starts with a label
    or only continues the list (units one per line, or a label at the end of its line)."""
    end = start
    while True:
        stops = [i for i in (view.find("\n", end), view.find("。", end)) if i != -1]
        end = min(stops) if stops else len(view)
        if end >= len(view) or view[end] != "\n":
            return end
        nxt = end + 1
        line_end = view.find("\n", nxt)
        line = view[nxt:line_end if line_end != -1 else len(view)]
        m = _LABEL_START.match(view, nxt)
        tok = g.token.match(view, m.end()) if m else None
        if tok and tok.group().replace(ZERO_WIDTH, "") in g.labels and \
                re.match(r"\s*[】\]〕]?\s*:", view[tok.end():tok.end() + 4]):
            end = nxt
            continue
        if _continues_list(line):
            end = nxt
            continue
        return end


_HEADING_START = re.compile(r"\s*(?:[(（]?[一二三四五六七八九十\d]{1,3}[)）、.]|第[一二三四五六七八九十]|[一二三四五六七八九十]是)")


def _continues_list(line: str) -> bool:
    """A short line of names: no sentence end, no colon, no heading marker ("市财政局、市统计局")."""
    text = line.strip()
    return 0 < len(text) <= 40 and not re.search(r"[。:;!?|\t]", text) and not _HEADING_START.match(text)


def _inline(view: str, g: Grammar, resolver: Resolver, taken: list[tuple[int, int]]) -> list[RawClause]:
    clauses: list[RawClause] = []
    for tok in _tokens(view, 0, len(view), g):
        if tok.form != "verb" or _inside(tok.start, taken) or (clauses and tok.start < clauses[-1].end) \
                or view[tok.start:tok.end].replace(ZERO_WIDTH, "") not in g.prose_verbs:
            continue
        clause = _inline_at(view, tok, g, resolver)
        if clause:
            clauses.append(clause)
    return clauses


def _inline_at(view: str, tok: Token, g: Grammar, resolver: Resolver) -> RawClause | None:
    window = max(0, tok.start - _SENTENCE_WINDOW)  # sentences are short; never scan back to the start
    sentence_start = max(window - 1, *(view.rfind(c, window, tok.start) for c in "。;!?\n")) + 1
    head = view[sentence_start:tok.start]
    by = head.rfind("由")
    if by != -1:
        start = sentence_start + by
    elif tok.role is Role.RESPONSIBLE:
        start = sentence_start  # "A负责。" / "A负责,B配合。" only as a whole sentence
        if not re.match(r"[。;\n]|$", view[_inline_end(view, tok, g):][:1]):
            return None
    else:
        start = max(view.rfind(c, sentence_start, tok.start) for c in ",:") + 1
        start = max(start, sentence_start)
    end = _inline_end(view, tok, g)
    units, residue = parse_content(view, start, end, g, resolver, strict=True)
    if not units or residue.strip() or not any(a < tok.start for _, a, _ in units):
        return None  # in prose, everything before the verb must be units
    return RawClause(start, end, "inline", tuple(units), residue)


def _inline_end(view: str, tok: Token, g: Grammar) -> int:
    """Extend ``A牵头`` over following ``,B配合`` groups of the same sentence."""
    end = tok.end
    while True:
        m = re.match(r",([^,。;\n]{1,60}?)(" + g.token.pattern + r")(?=[,。;\n]|$)", view[end:])
        if not m or m.group(2) not in g.verbs:
            return end
        end += m.end()
