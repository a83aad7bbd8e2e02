"""The human-facing files a build writes next to the graph dumps, all read from the graph:
``report.html``, ``burden.md``, ``burden.csv``, ``gaps.csv`` (and ``graph.html``).
"""
from __future__ import annotations

from pathlib import Path

__all__ = ["write_outputs", "OUTPUT_FILES"]

OUTPUT_FILES = ("report.html", "burden.md", "burden.csv", "gaps.csv", "graph.html")


def write_outputs(folder: Path, top: int = 15, verbose: bool = False) -> tuple[str, dict[str, int], list[str]]:
    """Write the derived files into ``folder``; return the burden table for the terminal, the
    graph's totals (documents, tasks, assignments) and its coverage lines (flagged documents)."""
    from kg.analysis.domains import with_level
    from kg.analysis.gaps import document_coverage
    from kg.extract.coverage import report_lines
    from kg.analysis.rows import read_graph
    from kg.present.graph_page import render_html
    from kg.present.reports import burden_report, gaps_report
    from kg.present.report_page import report_html
    from kg.graph.store import close_dataset, open_dataset, write_atomic

    dataset = open_dataset(folder, "memory")
    try:
        data = with_level(read_graph(dataset), 1)  # the files group by the 主题分类 subjects
    finally:
        close_dataset(dataset)
    write_atomic(folder / "report.html", report_html(data))
    write_atomic(folder / "burden.md", "# Burden per agency\n\n" + burden_report(data, "markdown") + "\n")
    write_atomic(folder / "burden.csv", burden_report(data, "csv"))
    write_atomic(folder / "gaps.csv", gaps_report(data, "csv"))
    write_atomic(folder / "graph.html", render_html(data).html)
    table = burden_report(data, "table", top=top)
    files = ", ".join(str(folder / name) for name in OUTPUT_FILES)
    totals = {"documents": len(data.documents), "tasks": len(data.tasks), "assignments": len(data.assignments)}
    notes = report_lines(document_coverage(data), verbose)
    return f"Burden per agency (top {top}; kg report burden for all):\n\n{table}\n\nWritten: {files}", totals, notes
