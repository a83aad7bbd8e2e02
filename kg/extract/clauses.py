"""Find responsibility clauses in a document and parse them with the role grammar.

Clauses are found in three places, in this order, each outside the spans already taken:

* brackets: ``(…)`` ``〔…〕`` ``【…】`` ``[…]`` whose content parses to at least one unit;
* label runs outside brackets: ``牵头单位:A`` lines, consecutive label lines merged;
* prose: ``由A牵头,B配合`` / ``由A负责`` / ``A牵头落实`` with strictly agency-like units.

Nothing here names a place or a document.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import replace

from kg.extract.grammar import Grammar, RawClause, Token, Units, grammar, parse_content, tokens
from kg.extract.lexicon import Lexicon
from kg.extract.notes import note_sentences, note_units
from kg.extract.read import ZERO_WIDTH
from kg.extract.units import CLOSE, NAME_END, OPEN, split_units
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
    while True:  # only these characters matter: skip the rest in C (outside brackets, openings only)
        m = (_BRACKET_OR_NEWLINE if stack else _OPENING).search(view, pos)
        if m is None:
            return spans
        i, ch = m.start(), m.group()
        pos = i + 1
        if ch in OPEN:
            stack.append((i, CLOSE[OPEN.index(ch)]))
        elif ch in CLOSE:
            while stack and stack[-1][1] != ch:
                stack.pop()
            if stack:
                start, _ = stack.pop()
                if not stack:
                    spans.append((start, i + 1))
        elif ch == "\n" and i - stack[0][0] > _WRAP:
            stack.clear()


_WRAP = 120
_BRACKET_OR_NEWLINE = re.compile("[" + re.escape(OPEN + CLOSE) + "\n]")
_OPENING = re.compile("[" + re.escape(OPEN) + "]")


def find_clauses(view: str, reference: Reference, taken: list[tuple[int, int]] | None = None) -> list[RawClause]:
    """Every responsibility clause of a document outside ``taken`` spans (table rows)."""
    g, lexicon = grammar(reference), Lexicon(reference)
    taken = sorted(taken or [])
    found = _bracketed(view, g, lexicon, taken)
    taken = sorted(taken + [(c.start, c.end) for c in found])
    words = tokens(view, 0, len(view), g)  # the role words of the whole text, found once for both finders
    labelled = _labelled(view, g, lexicon, taken, words)
    taken = sorted(taken + [(c.start, c.end) for c in labelled])
    inline = _inline(view, g, lexicon, taken, words)
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


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    """Whether ``pos`` falls in one of ``spans`` (non-overlapping; kept sorted by the callers).

    >>> _inside(5, [(0, 3), (4, 9)]), _inside(3, [(0, 3), (4, 9)])
    (True, False)
    """
    i = bisect.bisect_right(spans, (pos, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


def _bracketed(view: str, g: Grammar, lexicon: Lexicon, taken: list[tuple[int, int]]) -> list[RawClause]:
    clauses = []
    for a, b in bracket_spans(view):
        if _inside(a, taken):
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


_SENTENCE_WINDOW = 400
_LABEL_START = re.compile(r"[【\[〔(]?\s*")


def _labelled(view: str, g: Grammar, lexicon: Lexicon, taken: list[tuple[int, int]],
              words: list[Token]) -> list[RawClause]:
    clauses: list[RawClause] = []
    for tok in words:
        if tok.form != "label" or _inside(tok.start, taken):
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


def _inline(view: str, g: Grammar, lexicon: Lexicon, taken: list[tuple[int, int]],
            words: list[Token]) -> list[RawClause]:
    clauses: list[RawClause] = []
    for tok in words:
        if tok.form == "label" or _inside(tok.start, taken) or (clauses and tok.start < clauses[-1].end) \
                or view[tok.start:tok.end].replace(ZERO_WIDTH, "") not in g.prose_verbs:
            continue
        clause = _inline_at(view, tok, g, lexicon)
        if clause and clauses and clause.start < clauses[-1].end:
            clauses[-1] = clause  # "由A牵头,会同B…": the later role word extends the same clause
        elif clause:
            clauses.append(clause)
    return clauses


def _inline_at(view: str, tok: Token, g: Grammar, lexicon: Lexicon) -> RawClause | None:
    window = max(0, tok.start - _SENTENCE_WINDOW)  # sentences are short; never scan back to the start
    sentence_start = max(window - 1, *(view.rfind(c, window, tok.start) for c in "。;!?\n")) + 1
    by = view.rfind("由", sentence_start, tok.start)
    phrase = max(max(view.rfind(c, sentence_start, tok.start) for c in ",:") + 1, sentence_start)
    end = _inline_end(view, tok, g) if tok.form != "joint" else _joint_end(view, tok, g, lexicon)
    if by != -1:
        starts = [by]
    elif tok.role is Role.RESPONSIBLE and tok.form == "verb":
        if not re.match(r"[。;\n]|$", view[end:end + 1]):
            return None  # "A负责" / "…,A、B等负责" / "A负责,B配合" only where it ends the sentence
        starts = [sentence_start, phrase]
    else:
        starts = [phrase]
    for start in dict.fromkeys(starts):
        units, residue = parse_content(view, start, end, g, lexicon, strict=True)
        if units and not residue.strip() and any(a < tok.start for _, a, _ in units):
            return RawClause(start, end, "inline", tuple(units), residue)
    return None  # in prose, everything before the verb must be units


def _inline_end(view: str, tok: Token, g: Grammar) -> int:
    """Extend ``A牵头`` over following ``,B配合`` groups of the same sentence."""
    end = tok.end
    while True:
        m = g.tail.match(view, end)
        if not m or m.group(2).replace(ZERO_WIDTH, "") not in g.verbs:
            return end
        end = m.end()


_PHRASE_END = re.compile(r"[,。;!?:\n]")


def _joint_end(view: str, tok: Token, g: Grammar, lexicon: Lexicon) -> int:
    """End of ``由A会同B…``: the role word that closes B's list in the same phrase
    ("由A会同B负责"), else the end of B's units where the action begins ("由A会同B制定细则").

    >>> from kg.reference import load_reference
    >>> ref = load_reference()
    >>> v = "由市商务局会同市财政局、有关部门制定细则。"
    >>> t = tokens(v, 0, len(v), grammar(ref))[0]
    >>> v[:_joint_end(v, t, grammar(ref), Lexicon(ref))]
    '由市商务局会同市财政局、有关部门'
    >>> v = "由市商务局会同市财政局等部门制定细则。"
    >>> v[:_joint_end(v, tokens(v, 0, len(v), grammar(ref))[0], grammar(ref), Lexicon(ref))]
    '由市商务局会同市财政局等部门'
    """
    stop = _PHRASE_END.search(view, tok.end, tok.end + 80)
    limit = stop.start() if stop else min(len(view), tok.end + 80)
    closing = next((t for t in tokens(view, tok.end, limit, g) if t.form == "verb"), None)
    if closing is not None:
        return _inline_end(view, closing, g)
    end = tok.end
    for a, b in split_units(view, tok.end, limit):
        if lexicon.unit_like(view[a:b], strict=True):
            end = b
            continue
        return _unit_prefix_end(view, a, b, lexicon) or end
    return end


def _unit_prefix_end(view: str, a: int, b: int, lexicon: Lexicon) -> int | None:
    """End of the longest agency name that starts an item running into prose ("有关部门制定…")."""
    for cut in range(min(b, a + 24), a + 1, -1):
        items = split_units(view, a, cut)  # trimmed: "市财政局等部门" is the unit 市财政局
        if NAME_END.search(view[a:cut]) and len(items) == 1 and lexicon.unit_like(view[slice(*items[0])], strict=True):
            return cut
    return None
