"""The data the graph page reads: nodes, tasks, assignment rows with their evidence, text windows
around the clauses, and the written forms search accepts — all computed here, in Python.

It travels as one JSON document (compact arrays, indexes instead of repeated strings) that
``static/graph.js`` reads. Only text windows around the clauses are embedded, never whole
documents, so the page size follows the number of clauses, not the size of the corpus.
"""
from __future__ import annotations

import bisect
import functools
import operator
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from kg.analysis.evidence import EvidenceRow
from kg.analysis.rows import GraphData
from kg.present.graph_view import ROLES, Network
from kg.made_rows import MadeRows, made_from

__all__ = ["payload", "windows", "focus_nodes", "task_view_counts", "RADIUS"]

RADIUS = 160  # characters of context on each side of a clause
_STOPS = "。！？；\n"


@functools.lru_cache(maxsize=4096)
def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around a clause: from after the previous stop to the next stop (inclusive);
    a clause that opens its sentence gets the sentence before it too (the task it assigns).
    Asked for every mention twice (its window, its row), and a clause has several mentions, in a
    row: the last answers are kept (a text's hash is computed once per string).

    >>> text = "前文。任务甲(甲牵头,乙配合)。后文"
    >>> s, e = _sentence(text, 6, 14); text[s:e]
    '任务甲(甲牵头,乙配合)。'
    >>> text = "前文。任务甲。(甲牵头)后文"
    >>> s, e = _sentence(text, 7, 12); text[s:e]
    '任务甲。(甲牵头)后文'
    """
    head = start - 1 if start > 0 and text[start - 1] in _STOPS else start  # a clause opening its sentence
    before = max((text.rfind(c, max(0, start - 300), head) for c in _STOPS), default=-1)  # shows the one before
    after = [i for i in (text.find(c, end, end + 300) for c in _STOPS) if i >= 0]
    begin = before + 1 if before >= 0 or start <= 300 else start - RADIUS
    return begin, (min(after) + 1 if after else min(len(text), end + RADIUS))


def windows(texts: dict[str, str], evidence: tuple[EvidenceRow, ...]) -> dict[str, list[tuple[int, int]]]:
    """Merged, sorted text windows per document that cover every clause with its context.

    >>> e = EvidenceRow("a", "t", "lead", "x", "X", "x", 500, 510, None, None, "")
    >>> windows({"a": "字" * 1000}, (e, e))
    {'a': [(340, 670)]}
    """
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for e in evidence:
        text = texts.get(e.document)
        if text is not None and e.end <= len(text):
            s, t = _sentence(text, e.start, e.end)
            spans[e.document].append((max(0, min(s, e.start - RADIUS)), min(len(text), max(t, e.end + RADIUS))))
    merged: dict[str, list[tuple[int, int]]] = {}
    for doc, found in sorted(spans.items()):
        out: list[tuple[int, int]] = []
        for s, t in sorted(found):
            if out and s <= out[-1][1]:
                out[-1] = (out[-1][0], max(out[-1][1], t))
            else:
                out.append((s, t))
        merged[doc] = out
    return merged


class _Clauses:
    """The first evidence row of each (task, agency, role, mention), looked up one task at a time.

    Evidence and assignment rows are both in document and task order, so the rows asked for in
    order find their task's evidence next to the last one's (else by bisection): a dict of every
    assignment's key held 134 MB at ten thousand documents.

    >>> e = EvidenceRow("a", "t2", "lead", "x", "X", "c", 0, 1, None, None, "")
    >>> clauses = _Clauses((EvidenceRow("a", "t1", "lead", "y", "Y", "b", 0, 1, None, None, ""), e))
    >>> clauses.of("a", "t2", "X", "lead", "x") is e, clauses.of("a", "t1", "X", "lead", "x")
    (True, None)
    """

    def __init__(self, evidence: tuple[EvidenceRow, ...]) -> None:
        self._rows = sorted(evidence, key=_task_key)  # stable: the first row of a key stays first
        self._task: tuple[str, str] | None = None
        self._found: dict[tuple[str, str, str], EvidenceRow] = {}
        self._next = 0

    def of(self, document: str, task: str, agency: str, role: str, mention: str) -> EvidenceRow | None:
        if (document, task) != self._task:
            self._find((document, task))
        return self._found.get((agency, role, mention))

    def _find(self, key: tuple[str, str]) -> None:
        rows, k = self._rows, self._next
        if not (k == len(rows) or _task_key(rows[k]) >= key) or (k and _task_key(rows[k - 1]) >= key):
            k = bisect.bisect_left(rows, key, key=_task_key)  # not the task after the last one
        found: dict[tuple[str, str, str], EvidenceRow] = {}
        while k < len(rows) and _task_key(rows[k]) == key:
            e = rows[k]
            found.setdefault((e.agency, e.role, e.mention), e)
            k += 1
        self._task, self._found, self._next = key, found, k


_task_key = operator.attrgetter("document", "task")


def _source(e: EvidenceRow, texts: dict[str, str], spans: dict[str, list[tuple[int, int]]],
            window_index: dict[tuple[str, int], int]) -> list[int] | int:
    """[window, clause start, clause end, mention start, mention end, sentence start, sentence end],
    relative to the window; 0 when the text is not at hand."""
    text = texts.get(e.document)
    if text is None:
        return 0
    for s, t in spans.get(e.document, []):
        if s <= e.start and e.end <= t:
            ss, se = _sentence(text, e.start, e.end)
            ms, me = (e.mention_start, e.mention_end) if e.mention_start is not None else (-1, -1)
            return [window_index[(e.document, s)], e.start - s, e.end - s, (ms - s) if ms >= 0 else -1,
                    (me - s) if me is not None and ms >= 0 else -1, max(ss, s) - s, min(se, t) - s]
    return 0


def _rows(data: GraphData, raw: GraphData, node_of: dict[str, int], task_of: dict[str, int],
          evidence: tuple[EvidenceRow, ...], texts: dict[str, str]) -> tuple[MadeRows[list[Any]], MadeRows[list[Any]]]:
    """Assignment rows (by the node they are drawn on) and the text windows they point into,
    both made as they are written (the windows' text is most of the corpus's text again)."""
    evidence = tuple(e for e in evidence if e.task in task_of)
    spans = windows(texts, evidence)
    docs = {d.document: k for k, d in enumerate(data.documents)}
    window_spans = [(doc, s, t) for doc, found in spans.items() for s, t in found]
    window_index = {(doc, s): k for k, (doc, s, _t) in enumerate(window_spans)}
    clauses = _Clauses(evidence)

    def row(k: int) -> list[Any]:
        shown, a = data.assignments[k], raw.assignments[k]
        e = clauses.of(a.document, a.task, a.agency, a.role, a.mention)
        return [task_of[a.task], node_of[shown.agency], ROLES.index(a.role), a.mention, a.name,
                int(a.inferred), e.clause if e else "", _source(e, texts, spans, window_index) if e else 0]

    def window(k: int) -> list[Any]:
        doc, s, t = window_spans[k]
        return [docs[doc], s, texts[doc][s:t]]
    return MadeRows(row, len(data.assignments)), MadeRows(window, len(window_spans))


def _search(net: Network, data: GraphData, raw: GraphData, aliases: dict[str, str],
            labels: dict[str, str]) -> list[list[Any]]:
    """Every written form → the nodes it names: mentions, canonical names, function labels and
    keys, and the alias table's forms of each node's function."""
    forms: dict[str, set[int]] = defaultdict(set)
    index = {n.id: k for k, n in enumerate(net.nodes)}
    by_function: dict[str, set[int]] = defaultdict(set)
    for shown, a in zip(data.assignments, raw.assignments):
        k = index[shown.agency]
        for form in (a.mention, a.name, shown.name):
            forms[form].add(k)
        by_function[a.function].add(k)
    for function, nodes in by_function.items():
        for form in [function, labels.get(function, "")] + [al for al, f in aliases.items() if f == function]:
            if form:
                forms[form] |= nodes
    return [[form, sorted(nodes)] for form, nodes in sorted(forms.items())]


def focus_nodes(net: Network, data: GraphData, raw: GraphData, focus: str, depth: int) -> list[int]:
    """Nodes of the agencies written or named ``focus``, grown by ``depth - 1`` partner hops."""
    index = {n.id: k for k, n in enumerate(net.nodes)}
    start = {index[s.agency] for s, a in zip(data.assignments, raw.assignments) if focus in (a.mention, a.name)}
    if not start:
        raise LookupError(f"no agency written or named '{focus}'")
    for _ in range(depth - 1):
        grow = set()
        for a, b in net.edges:
            if index[a] in start:
                grow.add(index[b])
            if index[b] in start:
                grow.add(index[a])
        start |= grow
    return sorted(start)


def task_view_counts(rows: Sequence[list[Any]], selection: list[int]) -> tuple[int, int]:
    """Nodes and edges of the task view of ``selection``: its tasks, every agency on them, one
    edge per (agency, task). ``graph.js`` draws the same."""
    chosen = set(selection)
    tasks = {r[0] for r in rows if r[1] in chosen}
    pairs = {(r[1], r[0]) for r in rows if r[0] in tasks}
    return len(tasks) + len({n for n, _ in pairs}), len(pairs)


def payload(net: Network, data: GraphData, raw: GraphData, evidence: tuple[EvidenceRow, ...],
            texts: dict[str, str], aliases: dict[str, str], labels: dict[str, str]) -> dict[str, Any]:
    """The page's JSON: ``data`` may be aggregated; ``raw`` is the same rows before aggregation."""
    docs = list(data.documents)
    doc_index = {d.document: k for k, d in enumerate(docs)}
    domains = sorted({d for t in data.tasks for d in t.domains})
    domain_index = {d: k for k, d in enumerate(domains)}
    tasks = made_from(data.tasks, lambda t: [doc_index[t.document], t.path, t.title, [domain_index[d] for d in t.domains]])
    task_of = {t.task: k for k, t in enumerate(data.tasks)}
    node_of = {n.id: k for k, n in enumerate(net.nodes)}
    rows, window_list = _rows(data, raw, node_of, task_of, evidence, texts)
    return {
        "documents": [{"file": d.document, "title": d.title, "year": d.date[:4], "level": d.level} for d in docs],
        "domains": domains, "tasks": tasks, "rows": rows, "windows": window_list,
        "search": _search(net, data, raw, aliases, labels),
        "nodes": [{"id": n.id, "name": n.name, "family": n.family, "function": n.function, "burden": n.burden,
                   "counts": list(n.counts)} for n in net.nodes],
    }
