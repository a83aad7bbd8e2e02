"""Read and check each reference table of a folder: a bad row is a
:class:`~kg.errors.ReferenceDataError` naming the file and line, since the tables are edited by
people who know the administration, not the code. :func:`kg.reference.load_reference` puts the
tables together.
"""
from __future__ import annotations

import csv
from pathlib import Path

from kg.errors import ReferenceDataError
from kg.model import Role
from kg.reference_records import (CHANGE_TYPES, COLUMN_KINDS, UNCLASSIFIED, Collective, Domain, Function, Lineage,
                                  RoleTerm, TableColumn)

__all__ = ["read_table", "role_terms", "functions", "aliases", "suffixes", "collectives", "domains",
           "function_domains", "lineage", "table_columns"]


def read_table(path: Path, required: list[str]) -> list[tuple[int, dict[str, str]]]:
    """Rows of a UTF-8 CSV file with their line numbers; checks the header and empty cells.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = p.write_text("alias,function\\n质监,quality\\n", encoding="utf-8")
    >>> read_table(p, ["alias", "function"])
    [(2, {'alias': '质监', 'function': 'quality'})]
    """
    if not path.is_file():
        raise ReferenceDataError(f"{path}: reference table not found "
                                 "(copy the bundled tables with 'kg reference export DIR')")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise ReferenceDataError(f"{path}: missing column(s) {', '.join(missing)}")
        rows = []
        for row in reader:
            line = reader.line_num
            clean = {k: (v or "").strip() for k, v in row.items() if k is not None}
            empty = [c for c in required if not clean.get(c)]
            if empty:
                raise ReferenceDataError(f"{path}:{line}: empty value in column(s) {', '.join(empty)}")
            rows.append((line, clean))
    return rows


def _unique(path: Path, rows: list[tuple[int, dict[str, str]]], column: str) -> None:
    seen: dict[str, int] = {}
    for line, row in rows:
        if row[column] in seen:
            raise ReferenceDataError(f"{path}:{line}: duplicate {column} '{row[column]}' "
                                     f"(first on line {seen[row[column]]})")
        seen[row[column]] = line


def role_terms(folder: Path) -> tuple[RoleTerm, ...]:
    path = folder / "role_terms.csv"
    rows = read_table(path, ["term", "role", "form", "in_prose"])
    _unique(path, [(n, {"k": r["term"] + r["form"]}) for n, r in rows], "k")
    terms = []
    for line, row in rows:
        if row["role"] not in {r.value for r in Role} or row["form"] not in ("label", "verb", "joint") \
                or row["in_prose"] not in ("yes", "no"):
            raise ReferenceDataError(f"{path}:{line}: role must be lead|support|responsible, form label|verb|joint, "
                                     "in_prose yes|no")
        terms.append(RoleTerm(row["term"], Role(row["role"]), row["form"], row["in_prose"] == "yes"))
    return tuple(sorted(terms, key=lambda t: -len(t.term)))


def functions(folder: Path) -> dict[str, Function]:
    path = folder / "functions.csv"
    rows = read_table(path, ["function", "label_zh", "label_en", "kind"])
    _unique(path, rows, "function")
    return {r["function"]: Function(r["function"], r["label_zh"], r["label_en"], r["kind"],
                                    r.get("label_province", ""), r.get("label_national", "")) for _, r in rows}


def aliases(folder: Path, functions: dict[str, Function]) -> dict[str, str]:
    path = folder / "agency_aliases.csv"
    rows = read_table(path, ["alias", "function"])
    _unique(path, rows, "alias")
    for line, row in rows:
        if row["function"] not in functions:
            raise ReferenceDataError(f"{path}:{line}: alias '{row['alias']}' points at unknown function "
                                     f"'{row['function']}' (add it to functions.csv)")
    return {r["alias"]: r["function"] for _, r in rows}


def collectives(folder: Path) -> tuple[Collective, ...]:
    path = folder / "collectives.csv"
    rows = read_table(path, ["key", "label_zh", "label_en", "keywords"])
    _unique(path, rows, "key")
    return tuple(Collective(r["key"], r["label_zh"], r["label_en"], tuple(r["keywords"].split("|")),
                            tuple(q for q in r.get("qualifiers", "").split("|") if q)) for _, r in rows)


def domains(folder: Path) -> tuple[Domain, ...]:
    """Two levels: a row without ``broader`` is a top-level subject, a row with one sits under it."""
    path = folder / "domains.csv"
    rows = read_table(path, ["domain", "label_zh", "label_en"])
    _unique(path, rows, "domain")
    tops = {r["domain"] for _, r in rows if not r.get("broader")}
    for line, row in rows:
        broader, keywords = row.get("broader", ""), row.get("keywords", "")
        if row["domain"] == UNCLASSIFIED:
            raise ReferenceDataError(f"{path}:{line}: '{UNCLASSIFIED}' is reserved for tasks no evidence classifies")
        if broader and broader not in tops:
            raise ReferenceDataError(f"{path}:{line}: broader domain '{broader}' is not defined as a top-level "
                                     "domain (a row without broader)")
        if keywords and any(not k for k in keywords.split("|")):
            raise ReferenceDataError(f"{path}:{line}: empty keyword in '{keywords}'")
    return tuple(Domain(r["domain"], r["label_zh"], r["label_en"], r.get("broader", ""),
                        tuple(filter(None, r.get("keywords", "").split("|")))) for _, r in rows)


def function_domains(folder: Path, functions: dict[str, Function],
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
            raise ReferenceDataError(f"{path}:{line}: unknown function '{row['function']}' (see functions.csv)")
        if row["domain"] not in keys:
            raise ReferenceDataError(f"{path}:{line}: unknown domain '{row['domain']}' (see domains.csv)")
    return {r["function"]: r["domain"] for _, r in rows}


def _year(path: Path, line: int, value: str) -> int | None:
    if not value:
        return None
    if len(value) != 4 or not value.isdigit():
        raise ReferenceDataError(f"{path}:{line}: year '{value}' must be four digits or empty")
    return int(value)


def _lineage_row(path: Path, line: int, row: dict[str, str], functions: dict[str, Function]) -> Lineage:
    successors = tuple(s.strip() for s in row.get("successor_function", "").split(";") if s.strip())
    forms = tuple(s.strip() for s in row.get("successor_short_form", "").split(";") if s.strip())
    for key in (row["function_key"], *successors):
        if key not in functions:
            raise ReferenceDataError(f"{path}:{line}: function '{key}' is not in functions.csv (add it there)")
    if row["function_key"] in successors:
        raise ReferenceDataError(f"{path}:{line}: '{row['short_form']}' cannot succeed itself (leave successor_function empty)")
    if len(forms) != len(successors):
        raise ReferenceDataError(f"{path}:{line}: successor_short_form and successor_function must list as many bodies")
    if row["change_type"] not in CHANGE_TYPES:
        raise ReferenceDataError(f"{path}:{line}: change_type '{row['change_type']}' is not one of "
                                 f"{', '.join(sorted(CHANGE_TYPES))}")
    year_city = _year(path, line, row.get("abolished_city_county", ""))
    if successors and year_city is None:
        raise ReferenceDataError(f"{path}:{line}: a body with a successor needs abolished_city_county")
    return Lineage(line, row["short_form"], row["function_key"], successors, forms,
                   _year(path, line, row.get("abolished_prov", "")), year_city, row["change_type"])


def lineage(folder: Path, functions: dict[str, Function]) -> tuple[Lineage, ...]:
    """The lineage table, checked: known keys, one set of successors per function, no cycle."""
    path = folder / "agency_lineage.csv"
    rows = [_lineage_row(path, n, r, functions)
            for n, r in read_table(path, ["short_form", "function_key", "change_type"])]
    heirs: dict[str, Lineage] = {}
    for row in rows:
        first = heirs.setdefault(row.function, row)
        if row.successors and first.successors and row.successors != first.successors:
            raise ReferenceDataError(f"{path}:{row.line}: successors of '{row.function}' differ from line {first.line}")
        if row.successors and not first.successors:
            heirs[row.function] = row
    for row in rows:
        seen, key = {row.function}, row.function
        while heirs.get(key) and heirs[key].successors:
            key = heirs[key].successors[0]
            if key in seen:
                raise ReferenceDataError(f"{path}:{row.line}: succession of '{row.function}' runs in a cycle")
            seen.add(key)
    return tuple(rows)


def table_columns(folder: Path) -> tuple[TableColumn, ...]:
    path = folder / "table_columns.csv"
    rows = read_table(path, ["header", "kind"])
    _unique(path, rows, "header")
    for line, row in rows:
        if row["kind"] not in COLUMN_KINDS:
            raise ReferenceDataError(f"{path}:{line}: kind '{row['kind']}' must be one of {'|'.join(COLUMN_KINDS)}")
    return tuple(sorted((TableColumn(r["header"], r["kind"]) for _, r in rows),
                        key=lambda c: (-len(c.header), c.header)))


def suffixes(folder: Path) -> tuple[str, ...]:
    """Agency type suffixes (局, 委员会 …), longest first."""
    rows = read_table(folder / "agency_suffixes.csv", ["suffix"])
    return tuple(sorted({r["suffix"] for _, r in rows}, key=lambda s: -len(s)))
