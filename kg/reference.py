"""Load the reference tables in ``data/`` (role terms, functions, aliases, collectives, domains,
lineage, table columns) as one validated :class:`Reference`, cached per folder.

The records are :mod:`kg.reference_records` and each table's reading and checks
:mod:`kg.reference_tables`; both are re-exported here, the one import the rest of the code needs.
Only the CLI (and the extraction's own defaults) load: analyses and pages are handed the tables.
"""
from __future__ import annotations

import functools
from pathlib import Path

from kg import paths
from kg import reference_tables as tables
from kg.errors import ReferenceDataError
from kg.reference_records import (CHANGE_TYPES, COLUMN_KINDS, UNCLASSIFIED, Collective, Domain, Function, Lineage,
                                  Reference, RoleTerm, TableColumn)
from kg.reference_tables import read_table

__all__ = ["Reference", "load_reference", "read_table", "Function", "Collective", "Lineage", "RoleTerm",
           "CHANGE_TYPES", "Domain", "UNCLASSIFIED", "TableColumn", "COLUMN_KINDS"]


def load_reference(folder: Path | None = None) -> Reference:
    """All reference tables of one folder, validated; by default the tables in use
    (``$KG_REFERENCE`` or the bundled ones, see :func:`kg.paths.reference_dir`)."""
    chosen = folder if folder is not None else paths.reference_dir()
    if not chosen.is_dir():
        raise ReferenceDataError(f"{chosen}: no such folder of reference tables "
                                 "(copy the bundled ones with 'kg reference export DIR')")
    return _load(chosen)


@functools.lru_cache(maxsize=8)
def _load(folder: Path) -> Reference:
    functions = tables.functions(folder)
    suffixes = tables.suffixes(folder)
    domains = tables.domains(folder)
    return Reference(  # read in this order, so the first bad table reported stays the same
        role_terms=tables.role_terms(folder),
        functions=functions,
        aliases=tables.aliases(folder, functions),
        suffixes=suffixes,
        collectives=tables.collectives(folder),
        domains=domains,
        lineage=tables.lineage(folder, functions),
        function_domains=tables.function_domains(folder, functions, domains),
        table_columns=tables.table_columns(folder),
    )
