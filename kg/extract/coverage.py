"""What a run found in each document, and which documents yielded nothing where something was
expected: a document whose action tasks got no assignment at all (or with no task at all) is
*flagged*, so a layout the extractor cannot read shows up instead of passing as "0 errors".

The same figures come from an extraction (``kg extract``) and from the graph (``kg build``,
where unchanged documents are not extracted again), so both go through :func:`assess`.
"""
from __future__ import annotations

from dataclasses import dataclass

from kg.model import DocumentExtraction

__all__ = ["Coverage", "assess", "of_extraction", "report_lines"]


@dataclass(frozen=True)
class Coverage:
    document: str
    tasks: int  # numbered items and table rows found
    with_clause: int  # tasks with at least one responsibility clause
    assignments: int  # attached to a task (what the graph holds)
    warnings: tuple[str, ...]
    flagged: bool  # nothing assigned where action tasks (or any tasks) were expected

    def line(self) -> str:
        """One line for the terminal.

        >>> Coverage("a.txt", 4, 3, 5, ("2 unresolved mentions",), False).line()
        'a.txt: 4 tasks, 3 with a clause, 5 assignments; 2 unresolved mentions'
        """
        text = f"{self.document}: {self.tasks} tasks, {self.with_clause} with a clause, {self.assignments} assignments"
        return text + ("; " + "; ".join(self.warnings) if self.warnings else "")


def assess(document: str, tasks: int, with_clause: int, assignments: int, action_tasks: int,
           unresolved: int = 0, rows_without_units: int = 0, outside: int = 0) -> Coverage:
    """Coverage of one document from its counts; the warnings say what to look at.

    >>> assess("t.txt", 12, 0, 0, 12).warnings
    ('no assignment in any of its 12 action tasks',)
    >>> assess("t.txt", 0, 0, 0, 0).flagged, assess("goals.txt", 3, 0, 0, 0).flagged
    (True, False)
    """
    warnings = []
    flagged = assignments == 0 and (action_tasks > 0 or tasks == 0)
    if flagged and tasks == 0:
        warnings.append("no numbered task or task table found")
    elif flagged:
        warnings.append(f"no assignment in any of its {action_tasks} action tasks")
    if outside:
        warnings.append(f"{outside} assignment{'s' if outside > 1 else ''} outside any numbered task (left out of the graph)")
    if unresolved:
        warnings.append(f"{unresolved} unresolved mention{'s' if unresolved > 1 else ''}")
    if rows_without_units:
        warnings.append(f"{rows_without_units} table row{'s' if rows_without_units > 1 else ''} without a unit")
    return Coverage(document, tasks, with_clause, assignments, tuple(warnings), flagged)


def of_extraction(doc: DocumentExtraction) -> Coverage:
    """Coverage of an extraction."""
    clause_tasks = {c.task for c in doc.clauses if c.task is not None}
    action = sum(1 for t in doc.tasks if t.is_leaf and t.section == "action")
    rows = sum(1 for t in doc.tasks if t.origin == "table" and t.key not in clause_tasks)
    unresolved = len({a.mention.text for a in doc.unresolved if not a.agency.collective})
    attached = sum(1 for a in doc.assignments if a.task >= 0)
    return assess(doc.source.name, len(doc.tasks), len(clause_tasks), attached, action, unresolved, rows,
                  len(doc.assignments) - attached)


def report_lines(coverages: list[Coverage], verbose: bool = False) -> list[str]:
    """What a run prints about coverage before its summary: one line per flagged document (every
    document with ``verbose``), then one coverage line. Compact for runs of a thousand documents.

    >>> for line in report_lines([assess("a.txt", 4, 3, 5, 4), assess("b.txt", 2, 0, 0, 2)]):
    ...     print(line)
    warning: b.txt: 2 tasks, 0 with a clause, 0 assignments; no assignment in any of its 2 action tasks (see its tasks: kg extract FILE --format json)
    coverage: 3 of 6 tasks with a clause; 1 of 2 documents flagged (nothing assigned)
    """
    out = [c.line() for c in coverages if verbose and not c.flagged]
    out += [f"warning: {c.line()} (see its tasks: kg extract FILE --format json)" for c in coverages if c.flagged]
    tasks = sum(c.tasks for c in coverages)
    clause = sum(c.with_clause for c in coverages)
    flagged = sum(1 for c in coverages if c.flagged)
    out.append(f"coverage: {clause} of {tasks} tasks with a clause; {flagged} of {len(coverages)} documents "
               "flagged (nothing assigned)")
    return out
