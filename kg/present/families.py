"""Function families: the few colours of the graph page.

A page coloured by each of ~130 function keys has no legend anyone can read, so functions are
grouped into at most twelve families (``data/families.csv``: key, labels, colour) by a
one-row-per-function table (``data/function_families.csv``). A function missing from it, or a
collective, falls in "other". Both tables are validated on load like every reference table.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from kg import paths
from kg.errors import ReferenceDataError
from kg.reference_tables import functions as function_table, read_table

__all__ = ["Family", "Families", "load_families", "OTHER", "MAX_FAMILIES"]

MAX_FAMILIES = 12
_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")


@dataclass(frozen=True)
class Family:
    key: str
    label_zh: str
    label_en: str
    colour: str


OTHER = Family("other", "其他", "other", "#848482")


@dataclass(frozen=True)
class Families:
    families: tuple[Family, ...]  # in legend order, "other" last
    of_function: dict[str, str]

    def family(self, function: str, collective: bool = False) -> str:
        """The family key of a function; "other" for collectives and unmapped functions.

        >>> Families((OTHER,), {"audit": "money"}).family("audit")
        'money'
        >>> Families((OTHER,), {"audit": "money"}).family("unknown")
        'other'
        """
        return "other" if collective else self.of_function.get(function, "other")


def _families(path: Path) -> list[Family]:
    rows = read_table(path, ["family", "label_zh", "label_en", "colour"])
    seen: dict[str, int] = {}
    for line, row in rows:
        if row["family"] in seen or row["family"] == OTHER.key:
            raise ReferenceDataError(f"{path}:{line}: family '{row['family']}' is defined twice or reserved")
        if not _COLOUR.fullmatch(row["colour"]):
            raise ReferenceDataError(f"{path}:{line}: colour '{row['colour']}' is not of the form #RRGGBB")
        seen[row["family"]] = line
    if len(rows) > MAX_FAMILIES:
        raise ReferenceDataError(f"{path}: {len(rows)} families; at most {MAX_FAMILIES} stay distinguishable "
                             "(merge some)")
    return [Family(r["family"], r["label_zh"], r["label_en"], r["colour"]) for _, r in rows]


@functools.lru_cache(maxsize=4)
def load_families(folder: Path = paths.DATA) -> Families:
    """The families and the function → family map of one data folder, validated against that
    folder's functions table (the bundled one by default, whichever reference tables are in use)."""
    families = _families(folder / "families.csv")
    keys = {f.key for f in families}
    functions = function_table(folder)
    path = folder / "function_families.csv"
    rows = read_table(path, ["function", "family"])
    mapping: dict[str, str] = {}
    for line, row in rows:
        if row["function"] in mapping:
            raise ReferenceDataError(f"{path}:{line}: function '{row['function']}' is mapped twice")
        if row["function"] not in functions:
            raise ReferenceDataError(f"{path}:{line}: unknown function '{row['function']}' (see functions.csv)")
        if row["family"] not in keys:
            raise ReferenceDataError(f"{path}:{line}: unknown family '{row['family']}' (see families.csv)")
        mapping[row["function"]] = row["family"]
    return Families(tuple(families) + (OTHER,), mapping)
