"""Frozen records passed between pipeline stages (read → … → resolve → domains).

Every record that points into a document carries ``start``/``end`` offsets in Unicode code
points of the decoded text (end exclusive), so ``text[start:end]`` is the evidence.
"""
from __future__ import annotations

import enum
from dataclasses import MISSING, dataclass, field, fields
from typing import TypeVar

__all__ = [
    "Role", "SourceText", "Metadata", "Task", "Mention", "Clause", "Group",
    "Agency", "Assignment", "DomainEvidence", "DocumentExtraction", "fast_init",
]

_Record = TypeVar("_Record")


def fast_init(cls: type[_Record]) -> type[_Record]:
    """Give a frozen dataclass an ``__init__`` that puts its fields straight into the instance's
    ``__dict__``: the generated one calls ``object.__setattr__`` once per field, the better part
    of making the hundreds of records of each document. The signature (names, order, defaults)
    is the dataclass's own; equality, hashing, ``repr``, ``replace`` and pickling are untouched,
    and assigning a field afterwards still raises. Fields with a default factory are not handled.

    >>> @fast_init
    ... @dataclass(frozen=True)
    ... class Pair:
    ...     left: str
    ...     right: int = 0
    >>> Pair("a"), Pair("a", right=2) == Pair("a", 2)
    (Pair(left='a', right=0), True)
    """
    own = fields(cls)  # type: ignore[arg-type]
    defaults = {f"_{f.name}": f.default for f in own if f.default is not MISSING}
    if any(f.default_factory is not MISSING or not f.init for f in own):
        raise TypeError(f"{cls.__name__}: fast_init takes plain fields only")
    params = ", ".join(f.name if f.default is MISSING else f"{f.name}=_{f.name}" for f in own)
    body = "".join(f"    d[{f.name!r}] = {f.name}\n" for f in own)
    exec(f"def __init__(self, {params}):\n    d = self.__dict__\n{body}", defaults)  # as dataclasses does
    init = defaults["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    setattr(cls, "__init__", init)
    return cls


class Role(str, enum.Enum):
    """The three responsibility roles of ``SCHEMA.md``.

    >>> Role("lead").value
    'lead'
    """

    LEAD = "lead"
    SUPPORT = "support"
    RESPONSIBLE = "responsible"


@dataclass(frozen=True)
class SourceText:
    """A decoded document.

    ``text`` is what offsets refer to (universal newlines, nothing else changed);
    ``view`` has the same length and is what rules match on: full-width punctuation folded
    to ASCII, odd spaces folded to a plain space and traditional characters folded to
    simplified ones, character by character.
    """

    name: str
    text: str
    view: str
    encoding: str
    script: str  # "simplified" | "traditional"
    sha256: str


@dataclass(frozen=True)
class Metadata:
    title: str | None = None
    issuer: str | None = None
    doc_number: str | None = None
    date: str | None = None  # ISO yyyy-mm-dd
    jurisdiction: str | None = None
    level: str | None = None  # national | province | city | district | county
    places: tuple[str, ...] = ()  # jurisdiction chain, outermost first: ("延安市", "宝塔区")


@fast_init
@dataclass(frozen=True)
class Task:
    """A numbered item (or table row) of the document."""

    key: int  # position in document order; stable within one extraction
    path: str | None  # "3.1.1"; None for a fragment whose enclosing headings are not visible
    marker: str  # the numbering as written: "(一)", "1、"; a table row's 序号 ("" when it has none)
    title: str
    start: int
    end: int
    depth: int
    parent: int | None
    section: str  # "action" | "goal" | "principle" | "requirement" | "schedule" | "other"
    is_leaf: bool = True
    text_start: int = 0  # where the item's own text (after the marker) starts
    inline: bool = False  # the marker stands inside a paragraph (after 。;:), not at a line start
    origin: str = "heading"  # "heading": a numbered item of the text; "table": a row of a task table


@fast_init
@dataclass(frozen=True)
class Mention:
    """One agency as written in a clause."""

    text: str
    start: int
    end: int
    role: Role
    elided_prefix: str = ""  # "区" when "科技局" follows "区发改局、"
    inferred: bool = False  # carried into this clause by a note ("…下同"), not written in it
    elided_suffix: str = ""  # "政府" when "市" stands in "各县、市、区政府"


@fast_init
@dataclass(frozen=True)
class Clause:
    """A responsibility clause: its exact span and its role-tagged mentions."""

    start: int
    end: int
    text: str
    kind: str  # "paren" | "label" | "inline" | "table"
    mentions: tuple[Mention, ...]
    task: int | None = None  # Task.key
    notes: tuple[str, ...] = ()  # "first-is-lead" (a note made the first unit lead), "truncated" (cut off
    # by the end of the text), "carries-units" (a note sentence names units for the tasks below)


@dataclass(frozen=True)
class Group:
    """A coordinating body (领导小组, 委员会 …) named by the text."""

    name: str
    members: tuple[str, ...]
    office_host: str | None
    evidence: str
    start: int
    end: int
    member_agencies: tuple["Agency", ...] = ()  # resolved by the pipeline, one per member
    host_agency: "Agency | None" = None


@fast_init
@dataclass(frozen=True)
class Agency:
    """A resolved agency, scoped to a jurisdiction."""

    name: str  # canonical: "榆林市质量技术监督局"
    function: str  # function key shared across jurisdictions: "quality_technical_supervision"
    jurisdiction: str  # "榆林市", or a level word ("省") when the place is not named
    resolved: bool
    collective: bool = False
    merged: tuple[str, ...] = ()  # function keys of a merged body (工信和商务局)
    named: bool = False  # identified by its own name too: a development zone, a coordinating body's office


@fast_init
@dataclass(frozen=True)
class Assignment:
    task: int
    clause: Clause
    mention: Mention
    agency: Agency


@fast_init
@dataclass(frozen=True)
class DomainEvidence:
    """Why a task got its domains: which evidence decided, and what it was.

    ``basis`` is "text" (the task's own words), "agency" (the functions of its leads),
    "heading" (an enclosing task), "title" (the document title) or "none" (unclassified);
    ``cues`` are the keywords, function keys or the enclosing task's path.
    """

    basis: str
    cues: tuple[str, ...] = ()


@dataclass(frozen=True)
class DocumentExtraction:
    source: SourceText
    metadata: Metadata
    tasks: tuple[Task, ...]
    clauses: tuple[Clause, ...]
    assignments: tuple[Assignment, ...]
    groups: tuple[Group, ...]
    domains: dict[int, tuple[str, ...]] = field(default_factory=dict)  # top-level first, then finer ones
    domain_evidence: dict[int, DomainEvidence] = field(default_factory=dict)
    issuer_agency: Agency | None = None  # the issuer, resolved like any mention

    @property
    def unresolved(self) -> list[Assignment]:
        """Assignments whose mention matched no alias (kept, never dropped)."""
        return [a for a in self.assignments if not a.agency.resolved]
