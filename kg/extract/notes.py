"""Notes that change roles for the tasks that follow them.

* "列第一位的为牵头单位" / "第一责任单位为牵头单位": in a multi-unit list without a named lead,
  the first unit leads; the others keep their label's role. Written outside a clause (a
  preamble, a table header) or with "下同", it holds from there on; inside a clause without
  "下同", for that clause only.
* "…, 下同" after a group of units: those units are carried into every later clause that does
  not name them, marked *inferred* (the scorer and the gold never count them).
"""
from __future__ import annotations

import re
from dataclasses import replace

from kg.model import Mention, Role

__all__ = ["FIRST_IS_LEAD", "first_lead_scope", "apply_first_lead", "carried_units"]

FIRST_IS_LEAD = re.compile(
    r"(?:列|排|居|位)(?:在)?(?:第一|首|第1)(?:位|个)?的?(?:单位|部门)?(?:为|是)牵头"
    r"|第一(?:责任)?(?:单位|部门)(?:为|是)牵头"
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
