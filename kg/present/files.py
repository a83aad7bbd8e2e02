"""The human-facing files a build writes next to the graph dumps, all read from the graph:
``report.html``, ``burden.md``, ``burden.csv``, ``gaps.csv`` (and ``graph.html``).

The graph is read once, in bulk, and the burden table and the gap list are computed once and
handed to every writer.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

__all__ = ["write_outputs", "OUTPUT_FILES"]

OUTPUT_FILES = ("report.html", "burden.md", "burden.csv", "gaps.csv", "graph.html")


def _no_progress(phase: str, done: int, total: int) -> None:
    return None


def write_outputs(folder: Path, top: int = 15,
                  progress: Callable[[str, int, int], None] = _no_progress) -> tuple[str, dict[str, int]]:
    """Write the derived files into ``folder``; return the burden table for the terminal and
    the graph's totals (documents, tasks, assignments)."""
    from kg.analysis.burden import burden_table
    from kg.analysis.domains import with_level
    from kg.analysis.gaps import find_gaps
    from kg.analysis.rows import read_store
    from kg.graph.store import write_atomic
    from kg.present.graph_page import render_html
    from kg.present.report_page import report_html
    from kg.present.reports import burden_report, gaps_report

    data = with_level(read_store(folder), 1)  # the files group by the 主题分类 subjects
    progress("analytics", 0, 2)
    burden, gaps = burden_table(data), find_gaps(data)
    progress("analytics", 2, 2)
    pages: dict[str, Callable[[], str]] = {
        "report.html": lambda: report_html(data, burden=burden, gaps=gaps),
        "burden.md": lambda: "# Burden per agency\n\n" + burden_report(data, "markdown", table=burden) + "\n",
        "burden.csv": lambda: burden_report(data, "csv", table=burden),
        "gaps.csv": lambda: gaps_report(data, "csv", gaps=gaps),
        "graph.html": lambda: render_html(data, burden=burden).html,
    }
    for done, (name, make) in enumerate(pages.items(), 1):
        write_atomic(folder / name, make())
        progress("pages", done, len(pages))
    table = burden_report(data, "table", top=top, table=burden)
    files = ", ".join(str(folder / name) for name in OUTPUT_FILES)
    totals = {"documents": len(data.documents), "tasks": len(data.tasks), "assignments": len(data.assignments)}
    return f"Burden per agency (top {top}; kg report burden for all):\n\n{table}\n\nWritten: {files}", totals
