"""Load and validate the reference tables in ``data/``: role terms, functions, aliases, collectives.

The tables are edited by people who know the administration, not the code, so every load
checks them and names the file and line of a bad row. Results are cached per folder.
"""
from __future__ import annotations

import csv
import functools
from dataclasses import dataclass, field
from pathlib import Path

from kg import paths
from kg.model import Role

__all__ = ["Reference", "load_reference", "ReferenceError", "read_table", "Domain", "UNCLASSIFIED"]


class ReferenceError(ValueError):
    """A reference table is missing or has a bad row."""


@dataclass(frozen=True)
class RoleTerm:
    term: str
    role: Role
    form: str  # "label" (牵头单位:) or "verb" (…牵头)
    in_prose: bool = True  # also a role word in running text, outside brackets and labels


@dataclass(frozen=True)
class Function:
    key: str
    label_zh: str
    label_en: str
    kind: str


@dataclass(frozen=True)
class Collective:
    key: str
    label_zh: str
    label_en: str
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class Reference:
    role_terms: tuple[RoleTerm, ...]
    functions: dict[str, Function]
    aliases: dict[str, str]  # alias (simplified) → function key
    suffixes: tuple[str, ...]  # longest first
    collectives: tuple[Collective, ...]
    domains: tuple["Domain", ...]
    lineage: tuple[dict[str, str], ...]
    function_domains: dict[str, str] = field(default_factory=dict)  # function key → domain key


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


def read_table(path: Path, required: list[str]) -> list[tuple[int, dict[str, str]]]:
    """Rows of a UTF-8 CSV file with their line numbers; checks the header and empty cells.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = p.write_text("alias,function\\n质监,quality\\n", encoding="utf-8")
    >>> read_table(p, ["alias", "function"])
    [(2, {'alias': '质监', 'function': 'quality'})]
    """
    if not path.is_file():
        raise ReferenceError(f"{path}: reference table not found (restore it from the repository)")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise ReferenceError(f"{path}: missing column(s) {', '.join(missing)}")
        rows = []
        for row in reader:
            line = reader.line_num
            clean = {k: (v or "").strip() for k, v in row.items() if k is not None}
            empty = [c for c in required if not clean.get(c)]
            if empty:
                raise ReferenceError(f"{path}:{line}: empty value in column(s) {', '.join(empty)}")
            rows.append((line, clean))
    return rows


def _unique(path: Path, rows: list[tuple[int, dict[str, str]]], column: str) -> None:
    seen: dict[str, int] = {}
    for line, row in rows:
        if row[column] in seen:
            raise ReferenceError(f"{path}:{line}: duplicate {column} '{row[column]}' "
                                 f"(first on line {seen[row[column]]})")
        seen[row[column]] = line


def _role_terms(folder: Path) -> tuple[RoleTerm, ...]:
    path = folder / "role_terms.csv"
    rows = read_table(path, ["term", "role", "form", "in_prose"])
    _unique(path, [(n, {"k": r["term"] + r["form"]}) for n, r in rows], "k")
    terms = []
    for line, row in rows:
        if row["role"] not in {r.value for r in Role} or row["form"] not in ("label", "verb") \
                or row["in_prose"] not in ("yes", "no"):
            raise ReferenceError(f"{path}:{line}: role must be lead|support|responsible, form label|verb, "
                                 "in_prose yes|no")
        terms.append(RoleTerm(row["term"], Role(row["role"]), row["form"], row["in_prose"] == "yes"))
    return tuple(sorted(terms, key=lambda t: -len(t.term)))


def _functions(folder: Path) -> dict[str, Function]:
    path = folder / "functions.csv"
    rows = read_table(path, ["function", "label_zh", "label_en", "kind"])
    _unique(path, rows, "function")
    return {r["function"]: Function(r["function"], r["label_zh"], r["label_en"], r["kind"]) for _, r in rows}


def _aliases(folder: Path, functions: dict[str, Function]) -> dict[str, str]:
    path = folder / "agency_aliases.csv"
    rows = read_table(path, ["alias", "function"])
    _unique(path, rows, "alias")
    for line, row in rows:
        if row["function"] not in functions:
            raise ReferenceError(f"{path}:{line}: alias '{row['alias']}' points at unknown function "
                                 f"'{row['function']}' (add it to functions.csv)")
    return {r["alias"]: r["function"] for _, r in rows}


def _collectives(folder: Path) -> tuple[Collective, ...]:
    path = folder / "collectives.csv"
    rows = read_table(path, ["key", "label_zh", "label_en", "keywords"])
    _unique(path, rows, "key")
    return tuple(Collective(r["key"], r["label_zh"], r["label_en"], tuple(r["keywords"].split("|")))
                 for _, r in rows)


UNCLASSIFIED = "unclassified"  # the explicit domain of a task no evidence classifies


def _domains(folder: Path) -> tuple[Domain, ...]:
    """Two levels: a row without ``broader`` is a top-level subject, a row with one sits under it."""
    path = folder / "domains.csv"
    rows = read_table(path, ["domain", "label_zh", "label_en"])
    _unique(path, rows, "domain")
    tops = {r["domain"] for _, r in rows if not r.get("broader")}
    for line, row in rows:
        broader, keywords = row.get("broader", ""), row.get("keywords", "")
        if row["domain"] == UNCLASSIFIED:
            raise ReferenceError(f"{path}:{line}: '{UNCLASSIFIED}' is reserved for tasks no evidence classifies")
        if broader and broader not in tops:
            raise ReferenceError(f"{path}:{line}: broader domain '{broader}' is not defined as a top-level "
                                 "domain (a row without broader)")
        if keywords and any(not k for k in keywords.split("|")):
            raise ReferenceError(f"{path}:{line}: empty keyword in '{keywords}'")
    return tuple(Domain(r["domain"], r["label_zh"], r["label_en"], r.get("broader", ""),
                        tuple(filter(None, r.get("keywords", "").split("|")))) for _, r in rows)


def _function_domains(folder: Path, functions: dict[str, Function],
                      domains: tuple[Domain, ...]) -> dict[str, str]:
    """What a lead agency's function says about a task's domain (生态环境局 → environment)."""
    path = folder / "function_domains.csv"
    if not path.is_file():
        return {}
    rows = read_table(path, ["function", "domain"])
    _unique(path, rows, "function")
    keys = {d.key for d in domains}
    for line, row in rows:
        if row["function"] not in functions:
            raise ReferenceError(f"{path}:{line}: unknown function '{row['function']}' (see functions.csv)")
        if row["domain"] not in keys:
            raise ReferenceError(f"{path}:{line}: unknown domain '{row['domain']}' (see domains.csv)")
    return {r["function"]: r["domain"] for _, r in rows}


@functools.lru_cache(maxsize=8)
def load_reference(folder: Path = paths.DATA) -> Reference:
    """All reference tables of one data folder, validated."""
    functions = _functions(folder)
    suffix_rows = read_table(folder / "agency_suffixes.csv", ["suffix"])
    lineage = read_table(folder / "agency_lineage.csv", ["short_form", "function_key"])
    domains = _domains(folder)
    return Reference(
        role_terms=_role_terms(folder),
        functions=functions,
        aliases=_aliases(folder, functions),
        suffixes=tuple(sorted({r["suffix"] for _, r in suffix_rows}, key=lambda s: -len(s))),
        collectives=_collectives(folder),
        domains=domains,
        lineage=tuple(r for _, r in lineage),
        function_domains=_function_domains(folder, functions, domains),
    )
