"""Find responsibility clauses in a document and parse them with the role grammar.

Clauses are found in three places, in this order, each outside the spans already taken:

* brackets: ``(…)`` ``〔…〕`` ``【…】`` ``[…]`` whose content parses to at least one unit;
* label runs outside brackets: ``牵头单位:A`` lines, consecutive label lines merged;
* prose (:mod:`kg.extract.prose_clauses`): ``由A牵头,B配合`` / ``由A负责`` / ``A牵头落实``.

Nothing here names a place or a document.
"""
from __future__ import annotations

import re
from dataclasses import replace

from kg.extract.grammar import Grammar, RawClause, Token, Units, grammar, inside, parse_content, tokens
from kg.extract.lexicon import Lexicon
from kg.extract.notes import note_sentences, note_units
from kg.extract.prose_clauses import find_prose_clauses
from kg.extract.read import ZERO_WIDTH
from kg.extract.units import CLOSE, NAME_END, OPEN
from kg.model import Role
from kg.reference import Reference

__all__ = ["Grammar", "grammar", "RawClause", "parse_content", "find_clauses", "bracket_spans"]


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
    pos = 0
    for m in _BRACKET.finditer(view):  # only brackets matter: the rest is skipped in C
        i, ch = m.start(), m.group()
        if stack:
            far = stack[0][0] + _WRAP + 1
            if view.find("\n", pos if pos > far else far, i) != -1:
                stack.clear()  # a line break this far from the opening: it never closes
        pos = i + 1
        closer = _CLOSER.get(ch)
        if closer is not None:
            stack.append((i, closer))
            continue
        while stack and stack[-1][1] != ch:
            stack.pop()
        if stack:
            start, _ = stack.pop()
            if not stack:
                spans.append((start, i + 1))
    return spans


_WRAP = 120
_CLOSER = dict(zip(OPEN, CLOSE))  # opening bracket → its closing one
_BRACKET = re.compile("[" + re.escape(OPEN + CLOSE) + "]")


def find_clauses(view: str, reference: Reference, taken: list[tuple[int, int]] | None = None) -> list[RawClause]:
    """Every responsibility clause of a document outside ``taken`` spans (table rows)."""
    g, lexicon = grammar(reference), Lexicon(reference)
    taken = sorted(taken or [])
    found = _bracketed(view, g, lexicon, taken)
    taken = sorted(taken + [(c.start, c.end) for c in found])
    # the role words of the whole text outside those spans, found once for both finders (the
    # same matches a whole-text pass gives: the spans only spare reading the words inside them)
    words = tokens(view, 0, len(view), g, skip=taken)
    labelled = _labelled(view, g, lexicon, taken, words)
    taken = sorted(taken + [(c.start, c.end) for c in labelled])
    inline = find_prose_clauses(view, g, lexicon, taken, words)
    clauses = sorted(found + labelled + inline, key=lambda c: c.start)
    if clauses and not view[clauses[-1].end:].strip(_BLANK):
        clauses[-1] = _truncated(view, clauses[-1], lexicon)
    return [c for c in clauses if c.units]


_BLANK = " \t\n" + ZERO_WIDTH
_CLOSED = "。;!?)〕】]"


def _truncated(view: str, clause: RawClause, lexicon: Lexicon) -> RawClause:
    """A clause that runs into the end of the text without closing punctuation was cut off there
    (an excerpt, a page limit): it is marked truncated and its last unit is dropped unless it
    ends like a complete agency name ("责任单位:甲局、乙" keeps 甲局 only).

    >>> from kg.reference import load_reference
    >>> x = Lexicon(load_reference())
    >>> v = "责任单位:市财政局、市商"
    >>> c = _truncated(v, RawClause(0, len(v), "label", ((Role.RESPONSIBLE, 5, 9), (Role.RESPONSIBLE, 10, 12)), ""), x)
    >>> c.truncated, [v[a:b] for _, a, b in c.units]
    (True, ['市财政局'])
    """
    if view[clause.end - 1] in _CLOSED:
        return clause
    units = clause.units
    if units and units[-1][2] >= len(view.rstrip(_BLANK)):
        last = view[units[-1][1]:units[-1][2]].replace(ZERO_WIDTH, "")
        if not (lexicon.has_agency_ending(last) or NAME_END.search(last)) or len(last) < 3:
            units = units[:-1]
    return replace(clause, units=units, truncated=True)


def _parse(view: str, start: int, end: int, g: Grammar, lexicon: Lexicon, kind: str,
           default: Role | None = None, strict: bool = False, span: tuple[int, int] | None = None) -> RawClause:
    """A clause parsed with its note sentences set apart: their units are added once (not again
    when the list names them) and, for a note that looks forward, recorded as carried. The
    clause spans ``span`` when given (a bracket with its brackets), else what was parsed.

    >>> from kg.reference import load_reference
    >>> ref = load_reference()
    >>> v = "责任单位:甲局、各区政府。以下措施均需各区政府、园区管委会落实"
    >>> c = _parse(v, 0, len(v), grammar(ref), Lexicon(ref), "label")
    >>> [v[a:b] for _, a, b in c.units], [v[a:b] for _, a, b in c.carried or ()]
    (['甲局', '各区政府', '园区管委会'], ['各区政府', '园区管委会'])
    """
    notes = note_sentences(view, start, end)
    skip = tuple((n.start, n.end) for n in notes)
    units, residue = parse_content(view, start, end, g, lexicon, default, strict, skip)
    start, end = span or (start, end)
    if not notes:
        return RawClause(start, end, kind, tuple(units), residue)
    carried: Units = []
    for note in notes:
        for role, a, b in note_units(view, note, g, lexicon):
            same = next((u for u in units if _same_name(view[u[1]:u[2]], view[a:b])), None)
            if same is None:
                same = (role, a, b)
                units.append(same)
            if note.forward and same not in carried:
                carried.append(same)
    return RawClause(start, end, kind, tuple(sorted(units, key=lambda u: u[1])), residue, carried=tuple(carried))


def _same_name(a: str, b: str) -> bool:
    """Two spellings of one unit in a clause and its note ("各区政府" / "各区人民政府").

    >>> _same_name("各区人民政府", "各区政府"), _same_name("各区政府", "各县政府")
    (True, False)
    """
    def key(name: str) -> str:
        return re.sub(r"[\s\u200b]|人民(?=政府)", "", name)
    return key(a) == key(b)


def _bracketed(view: str, g: Grammar, lexicon: Lexicon, taken: list[tuple[int, int]]) -> list[RawClause]:
    clauses = []
    for a, b in bracket_spans(view):
        if inside(a, taken):
            continue
        if g.token.search(view, a, b):
            clause = _parse(view, a + 1, b - 1, g, lexicon, "paren", span=(a, b))
        elif _bare_list_position(view, a, b):
            clause = _parse(view, a + 1, b - 1, g, lexicon, "paren", Role.RESPONSIBLE, strict=True, span=(a, b))
            if clause.residue.strip():
                continue
        else:
            continue
        if clause.units:
            clauses.append(clause)
    return clauses


def _bare_list_position(view: str, a: int, b: int) -> bool:
    """A bracket without role words is a clause only as a paragraph's closing unit list:
    after a sentence end ("…供给。(市发改委、市财政局)"), not after a name ("办公室(省质监局)")."""
    before = view[max(0, a - 3):a].rstrip(" ")
    after = view[b:b + 3].lstrip(" 。;")
    return before.endswith(("。", ";", "!", "?")) and (after == "" or after.startswith("\n"))


_LABEL_START = re.compile(r"[【\[〔(]?\s*")


def _labelled(view: str, g: Grammar, lexicon: Lexicon, taken: list[tuple[int, int]],
              words: list[Token]) -> list[RawClause]:
    clauses: list[RawClause] = []
    for tok in words:
        if tok.form != "label" or inside(tok.start, taken):
            continue
        if clauses and clauses[-1].start <= tok.start < clauses[-1].end:
            continue
        start = tok.start - 1 if tok.start and view[tok.start - 1] in "【[〔" else tok.start
        end = _label_run_end(view, tok.start, g)
        clause = _parse(view, start, end, g, lexicon, "label")
        if clause.units:
            clauses.append(clause)
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
