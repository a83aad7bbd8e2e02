"""Tag tasks with policy domains from the keyword lists of ``data/domains.csv``.

A task gets every domain whose keywords occur in its heading (weight 3) or its body
(weight 1) with a score of at least 2, at most three, best first; a task whose text hits
nothing falls back to its parent's domains.
"""
from __future__ import annotations

import functools
import re

from kg.model import SourceText, Task
from kg.reference import Domain

__all__ = ["classify", "domain_scores"]


@functools.lru_cache(maxsize=4)
def _matcher(domains: tuple[Domain, ...]) -> tuple[re.Pattern[str], dict[str, list[str]]]:
    """One alternation of every keyword (longest first) and keyword → domains."""
    owners: dict[str, list[str]] = {}
    for d in domains:
        for k in d.keywords:
            owners.setdefault(k, []).append(d.key)
    pattern = re.compile("|".join(map(re.escape, sorted(owners, key=len, reverse=True))))
    return pattern, owners


def domain_scores(title: str, body: str, domains: tuple[Domain, ...]) -> dict[str, int]:
    """Keyword score per domain: 3 per hit in the title, 1 per hit in the body.

    >>> from kg.reference import load_reference
    >>> s = domain_scores("加强计量监管", "完善计量器具检定", load_reference().domains)
    >>> max(s, key=s.get)
    'metrology'
    """
    pattern, owners = _matcher(domains)
    scores: dict[str, int] = {}
    for text, weight in ((title, 3), (body, 1)):
        for m in pattern.finditer(text):
            for key in owners[m.group()]:
                scores[key] = scores.get(key, 0) + weight
    return scores


def classify(source: SourceText, tasks: list[Task], domains: tuple[Domain, ...]) -> dict[int, tuple[str, ...]]:
    """Domains of each task, keyed by ``Task.key``."""
    result: dict[int, tuple[str, ...]] = {}
    for task in tasks:
        body = source.view[task.text_start:task.end][:3000]
        title = task.title and source.view[task.text_start:task.text_start + len(task.title)]
        scores = domain_scores(title or "", body, domains)
        best = sorted((k for k, v in scores.items() if v >= 2), key=lambda k: (-scores[k], k))[:3]
        if not best and task.parent is not None:
            best = list(result.get(task.parent, ()))
        result[task.key] = tuple(best)
    return result
