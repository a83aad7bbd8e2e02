"""The human-facing files a build writes next to the graph dumps, all read from the graph:
``report.html``, ``graph.html``, ``burden.md``, the report tables as CSV (``burden.csv``,
``gaps.csv`` and ``tables/*.csv``, UTF-8 with a byte-order mark for Excel) and as a workbook
(``reports.xlsx``), and the networks as GraphML and GEXF (``agencies.*``, ``tasks.*``).
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

__all__ = ["write_outputs", "OUTPUT_FILES"]

OUTPUT_FILES = ("report.html", "graph.html", "burden.md", "burden.csv", "gaps.csv", "reports.xlsx",
                "tables/", "agencies.graphml", "agencies.gexf", "tasks.graphml", "tasks.gexf")


def write_outputs(folder: Path, top: int = 15, verbose: bool = False,
                  on_phase: Callable[[str], None] = lambda name: None,
                  width: int | None = None, sources: dict[str, Path] | None = None) -> tuple[str, dict[str, int], list[str]]:
    """Write the derived files into ``folder``; return the burden table for the terminal, the
    graph's totals (documents, tasks, assignments) and its coverage lines (flagged documents).
    ``on_phase`` hears "analytics" and "pages" as they start; ``sources`` (file name → path) lets
    the graph page show the text around each clause."""
    from kg.analysis.burden import burden_table
    from kg.analysis.domains import with_level
    from kg.analysis.gaps import document_coverage
    from kg.extract.coverage import report_lines
    from kg.analysis.evidence import read_evidence_store, source_texts
    from kg.analysis.rows import read_store
    from kg.graph.store import write_atomic
    from kg.present.graph_page import render_html
    from kg.present.report_page import report_html
    from kg.present.reports import burden_report

    on_phase("analytics")
    data = with_level(read_store(folder), 1)  # bulk reads; the files group by the 主题分类 subjects
    evidence = read_evidence_store(folder)
    burden = burden_table(data)  # once, for every writer that shows it
    _write_tables(folder, data)
    on_phase("pages")
    write_atomic(folder / "report.html", report_html(data))
    write_atomic(folder / "burden.md", "# Burden per agency\n\n" + burden_report(data, "markdown", table=burden) + "\n")
    write_atomic(folder / "graph.html",
                 render_html(data, evidence=evidence, texts=source_texts(evidence, sources or {})).html)
    table = burden_report(data, "table", top=top, width=width, table=burden)
    totals = {"documents": len(data.documents), "tasks": len(data.tasks), "assignments": len(data.assignments)}
    notes = report_lines(document_coverage(data), verbose)
    return f"Burden per agency (top {top}; kg report burden for all):\n\n{table}", totals, notes


def _write_tables(folder: Path, data) -> None:  # type: ignore[no-untyped-def]
    """Report tables (CSV with BOM, one workbook) and networks (GraphML, GEXF)."""
    from kg.graph.store import write_atomic
    from kg.present.networks import gexf_bytes, graphml_bytes, network_graphs
    from kg.present.spreadsheets import csv_bytes, report_tables, workbook_bytes

    tables = report_tables(data)
    for name, rows in tables.items():
        write_atomic(folder / "tables" / f"{name}.csv", csv_bytes(rows))
    write_atomic(folder / "burden.csv", csv_bytes(tables["burden"]))
    write_atomic(folder / "gaps.csv", csv_bytes(tables["gaps"]))
    write_atomic(folder / "reports.xlsx", workbook_bytes(tables))
    for name, graph in network_graphs(data).items():
        write_atomic(folder / f"{name}.graphml", graphml_bytes(graph))
        write_atomic(folder / f"{name}.gexf", gexf_bytes(graph))
