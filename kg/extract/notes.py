"""Notes that change roles for the tasks that follow them.

* "列第一位的为牵头单位" / "第一责任单位为牵头单位": in a multi-unit list without a named lead,
  the first unit leads; the others keep their label's role. Written outside a clause (a
  preamble, a table header) or with "下同", it holds from there on; inside a clause without
  "下同", for that clause only.
* "…, 下同" after a group of units: those units are carried into every later clause that does
  not name them, marked *inferred* (the scorer and the gold never count them).
* A note sentence inside a clause that names units for a scope of tasks ("以下…均需各县区政府
  落实", "具体任务均涉及相关市政府,下同"): its units are mentions of that clause, taken once
  (not again when the list already names them), never split with the list; when the note
  looks forward (以下 / 下列 / 后续 / 下同) they are carried to the later clauses as inferred.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from kg.extract.grammar import Grammar, parse_content
from kg.extract.lexicon import Lexicon
from kg.model import Mention, Role

__all__ = ["FIRST_IS_LEAD", "first_lead_scope", "apply_first_lead", "carried_units", "Note", "note_sentences",
           "note_units"]

# Each alternative opens with a literal character, so the engine skips every other position at once
# ("列…|排…|居…|位…" rather than "(?:列|排|居|位)…": the same matches, found faster).
FIRST_IS_LEAD = re.compile(
    "|".join(c + r"(?:在)?(?:第一|首|第1)(?:位|个)?的?(?:单位|部门)?(?:为|是)牵头" for c in "列排居位")
    + r"|第一(?:责任)?(?:单位|部门)(?:为|是)牵头"
    r"|排名第一的?(?:单位|部门)?(?:为|是)牵头"
    r"|首位的?(?:单位|部门)?(?:为|是)牵头"
    r"|第一个(?:单位|部门)?(?:为|是)牵头"
    r"|牵头(?:单位|部门)(?:列|排|放|居)(?:在)?(?:第一|首|第1)"
)


def first_lead_scope(view: str, clause_spans: list[tuple[int, int]]) -> tuple[int | None, set[int]]:
    """(position from which the note holds for all later clauses, indexes of single clauses).

    >>> first_lead_scope("说明:列第一位的为牵头单位。一、A(责任单位:甲局、乙局)", [(18, 30)])
    (3, set())
    >>> first_lead_scope("一、A(责任单位:甲局、乙局;第一责任单位为牵头单位)二、B(责任单位:丙局)", [(4, 31), (35, 44)])
    (None, {0})
    >>> first_lead_scope("一、A(责任单位:甲局、乙局;第一责任单位为牵头单位,下同)", [(4, 34)])
    (4, set())
    """
    from_pos: int | None = None
    single: set[int] = set()
    for m in FIRST_IS_LEAD.finditer(view):
        inside = next((k for k, (a, b) in enumerate(clause_spans) if a <= m.start() < b), None)
        ditto = "下同" in view[m.end():m.end() + 8]
        if inside is None or ditto:  # a 下同 note inside a clause holds from that clause on
            start = m.start() if inside is None else clause_spans[inside][0]
            from_pos = start if from_pos is None else min(from_pos, start)
        else:
            single.add(inside)
    return from_pos, single


def apply_first_lead(mentions: list[Mention]) -> list[Mention]:
    """Make the first unit of an undifferentiated list (two or more responsible units) lead when
    the clause names no lead; "A负责,B配合" is two groups, not a list, and is left alone.

    >>> ms = [Mention("甲局", 0, 2, Role.RESPONSIBLE), Mention("乙局", 3, 5, Role.RESPONSIBLE)]
    >>> [m.role.value for m in apply_first_lead(ms)]
    ['lead', 'responsible']
    >>> [m.role.value for m in apply_first_lead([ms[0], Mention("丙局", 6, 8, Role.SUPPORT)])]
    ['responsible', 'support']
    """
    own = [m for m in mentions if not m.inferred]
    if len(own) < 2 or any(m.role is Role.LEAD for m in own) or own[0].role is not Role.RESPONSIBLE \
            or own[1].role is not Role.RESPONSIBLE:
        return mentions
    first = own[0]
    return [replace(m, role=Role.LEAD) if m is first else m for m in mentions]


def carried_units(view: str, clause: tuple[int, int], mentions: list[Mention]) -> list[Mention]:
    """Units a clause says hold for the tasks below ("…各县区政府负责,下同").

    >>> v = "(市质监局牵头,各县区政府负责,下同)"
    >>> [m.text for m in carried_units(v, (0, len(v)), [Mention("市质监局", 1, 5, Role.LEAD), Mention("各县区政府", 8, 13, Role.RESPONSIBLE)])]
    ['各县区政府']
    """
    ditto = view.find("下同", clause[0], clause[1])
    if ditto == -1 or not mentions or FIRST_IS_LEAD.search(view, max(0, ditto - 20), ditto):
        return []
    before = [m for m in mentions if m.end <= ditto and not m.inferred]
    if not before:
        return []
    last_role = before[-1].role
    group = []
    for m in reversed(before):
        if m.role is not last_role:
            break
        group.append(m)
    return group[::-1]


# A scope word opening a sentence, then 均/都 … : "以下政策措施均需", "具体任务均涉及", "各项工作均由"
_NOTE_SCOPE = re.compile(r"(?:以下|下列|下述|后续|今后|具体|各项|所有)[^。;!?,:]{0,20}?(?:均|都|皆|一律|统一)"
                         r"(?:需要|需|须|要|应|由|涉及|为|请)?")
_FORWARD = re.compile(r"以下|下列|下述|后续|今后|下同")
_SENTENCE_END = re.compile(r"[。;!?]")


@dataclass(frozen=True)
class Note:
    start: int  # the sentence
    end: int
    names_from: int  # where the units it names start (after 均需 / 均涉及 …)
    forward: bool  # it holds for the tasks below


def note_sentences(view: str, start: int, end: int) -> list[Note]:
    """Note sentences in ``view[start:end]``: a sentence that opens on a scope word and says 均/都.

    >>> v = "责任单位:甲局、乙局。以下各项措施均需各区政府落实,不再单独列出"
    >>> [(v[n.start:n.end], v[n.names_from:n.names_from + 4], n.forward) for n in note_sentences(v, 0, len(v))]
    [('以下各项措施均需各区政府落实,不再单独列出', '各区政府', True)]
    >>> note_sentences("甲局牵头,各区均需配合", 0, 11)
    []
    """
    notes = []
    for m in _NOTE_SCOPE.finditer(view, start, end):
        if m.start() > start and view[m.start() - 1] not in "。;!?":
            continue  # only a whole sentence is a note; "A牵头,各区均需配合" is a list
        stop = _SENTENCE_END.search(view, m.end(), end)
        sentence_end = stop.end() if stop else end
        notes.append(Note(m.start(), sentence_end, m.end(), _FORWARD.search(view, m.start(), sentence_end) is not None))
    return notes


def note_units(view: str, note: Note, g: Grammar, lexicon: Lexicon) -> list[tuple[Role, int, int]]:
    """The units a note names: after its 均需 / 均涉及 up to the next comma, strictly agency-like,
    responsible unless a role word says otherwise.

    >>> from kg.extract.grammar import grammar
    >>> from kg.reference import load_reference
    >>> ref = load_reference()
    >>> v = "以下各项措施均需各区政府、园区管委会落实,不再单独列出"
    >>> [(r.value, v[a:b]) for r, a, b in note_units(v, note_sentences(v, 0, len(v))[0], grammar(ref), Lexicon(ref))]
    [('responsible', '各区政府'), ('responsible', '园区管委会')]
    """
    comma = view.find(",", note.names_from, note.end)
    stop = comma if comma != -1 else note.end
    while stop > note.names_from and view[stop - 1] in "。;!?)〕】]":
        stop -= 1
    units, _ = parse_content(view, note.names_from, stop, g, lexicon, Role.RESPONSIBLE, strict=True)
    return units
