"""What the reference tables in ``data/`` hold, as frozen records: role terms, functions,
collectives, domains, the lineage of bodies, table column names, and :class:`Reference`, all of
them together. Reading and checking the files is :mod:`kg.reference_tables`; loading a folder of
them is :func:`kg.reference.load_reference`.
"""
from __future__ import annotations

import functools

from dataclasses import dataclass, field

from kg.model import Role

__all__ = ["RoleTerm", "TableColumn", "Function", "Collective", "Lineage", "Reference", "Domain",
           "COLUMN_KINDS", "CHANGE_TYPES", "UNCLASSIFIED"]

UNCLASSIFIED = "unclassified"  # the explicit domain of a task no evidence classifies


@dataclass(frozen=True)
class RoleTerm:
    term: str
    role: Role
    form: str  # "label" (牵头单位:), "verb" (…牵头) or "joint" (A会同B: A takes the role, B supports)
    in_prose: bool = True  # also a role word in running text, outside brackets and labels


COLUMN_KINDS = ("number", "task", "lead", "support", "responsible", "person", "deadline", "progress", "remark")


@dataclass(frozen=True)
class TableColumn:
    """A column name of task tables and what its cells hold (``data/table_columns.csv``)."""

    header: str
    kind: str  # one of COLUMN_KINDS


@dataclass(frozen=True)
class Function:
    key: str
    label_zh: str  # the city/county body; {level} stands for the jurisdiction's level character
    label_en: str
    kind: str
    label_province: str = ""  # the provincial body when it differs (厅); empty: label_zh
    label_national: str = ""  # the State Council body (部/委/总局/署); empty: 国家 + label_zh


@dataclass(frozen=True)
class Collective:
    key: str
    label_zh: str
    label_en: str
    keywords: tuple[str, ...]  # head nouns: the phrase (parentheses dropped) ends with one
    qualifiers: tuple[str, ...] = ()  # and, when given, contains one of these


CHANGE_TYPES = frozenset({"merger", "absorbed", "split", "renamed", "renamed_varies", "varies", "re-formed",
                          "renamed_then_absorbed", "retained_changed", "retained_expanded", "host_changed", "new"})


@dataclass(frozen=True)
class Lineage:
    """One row of agency_lineage.csv: a body (by function key) and the bodies that took it over."""

    line: int
    short_form: str
    function: str
    successors: tuple[str, ...]  # function keys, primary heir first; () when the body carries on
    successor_short_forms: tuple[str, ...]
    year_province: int | None  # the year the provincial body went (national year for central systems)
    year_city: int | None  # the year prefecture and county bodies went
    change_type: str


@dataclass(frozen=True)
class Reference:
    role_terms: tuple[RoleTerm, ...]
    functions: dict[str, Function]
    aliases: dict[str, str]  # alias (simplified) → function key
    suffixes: tuple[str, ...]  # longest first
    collectives: tuple[Collective, ...]
    domains: tuple["Domain", ...]
    lineage: tuple[Lineage, ...]
    function_domains: dict[str, str] = field(default_factory=dict)  # function key → domain key
    table_columns: tuple[TableColumn, ...] = ()  # longest header first

    def change_of(self, function: str) -> Lineage | None:
        """The lineage row that names ``function``'s successors (None: the body carries on)."""
        return self._changes.get(function)

    @functools.cached_property
    def _changes(self) -> dict[str, Lineage]:
        """function → the first lineage row naming its successors: looked up per agency in every
        comparison and burden by successor, so the table is indexed once, not scanned each time."""
        changes: dict[str, Lineage] = {}
        for row in self.lineage:
            if row.successors:
                changes.setdefault(row.function, row)
        return changes

    def heir(self, function: str) -> str:
        """The body that holds ``function`` today: primary successors followed to the end.

        >>> from kg.reference import load_reference
        >>> load_reference().heir("quality_technical_supervision"), load_reference().heir("finance")
        ('market_regulation', 'finance')
        """
        row = self.change_of(function)
        while row is not None:
            function = row.successors[0]
            row = self.change_of(function)
        return function


@dataclass(frozen=True)
class Domain:
    key: str
    label_zh: str
    label_en: str
    broader: str  # "" for a top-level concept (the 主题分类 subject)
    keywords: tuple[str, ...]

    @property
    def top(self) -> str:
        """The top-level concept this one sits under (itself when it is top-level)."""
        return self.broader or self.key
