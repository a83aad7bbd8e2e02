"""Responsibility clauses in running text: ``由A牵头,B配合`` / ``由A负责`` / ``A牵头落实`` / ``由A会同B…``.

In prose a role word is a clause only where everything before it in its phrase or sentence is a
list of strictly agency-like units; a 负责 without 由 counts only where it ends the sentence.
Nothing here names a place or a document.
"""
from __future__ import annotations

import re

from kg.extract.grammar import Grammar, RawClause, Token, inside, parse_content, tokens
from kg.extract.lexicon import Lexicon
from kg.extract.read import ZERO_WIDTH
from kg.extract.units import NAME_END, split_units
from kg.model import Role

__all__ = ["find_prose_clauses"]

_SENTENCE_WINDOW = 400


def find_prose_clauses(view: str, g: Grammar, lexicon: Lexicon, taken: list[tuple[int, int]],
                       words: list[Token]) -> list[RawClause]:
    """Prose clauses at the role words ``words`` (found once for the whole text) outside ``taken``."""
    clauses: list[RawClause] = []
    for tok in words:
        if tok.form == "label" or inside(tok.start, taken) or (clauses and tok.start < clauses[-1].end) \
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

    >>> from kg.extract.grammar import grammar
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
