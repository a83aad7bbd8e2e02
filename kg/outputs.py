"""The human-facing files a build writes next to the graph dumps (grown by later steps)."""
from __future__ import annotations

from pathlib import Path

__all__ = ["write_outputs"]


def write_outputs(folder: Path) -> str:
    """Write derived files into ``folder`` and return a short text for the terminal."""
    from kg.store import open_dataset

    dataset = open_dataset(folder, "memory")
    from kg import query

    result = query.run(dataset, query.query_text("burden"))
    return query.format_result(query.QueryResult(result.variables[1:], [r[1:] for r in result.rows[:15]]), "table")
