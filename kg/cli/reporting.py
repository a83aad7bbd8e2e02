"""``kg report``, ``kg compare`` and ``kg render``: the analyses people act on, as tables and pages."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from kg.console import error_line
from kg.extract.batch import Failures, expand_inputs
from kg.cli.common import (cli, CONTEXT, out_option, level_option, store_option, export_dir, open_store, endpoint_option,
                           read_data, read_with, read_or_fail, worded, selected, tables_in_use)

if TYPE_CHECKING:
    from kg.analysis.burden import Weights

__all__: list[str] = []  # commands register themselves on the kg group


@cli.command(context_settings=CONTEXT)
@click.argument("kind", type=click.Choice(["burden", "coordination", "gaps", "domains", "agency"]))
@click.argument("name", required=False)
@click.option("--document", help="Only this document (its file name).")
@click.option("--by", type=click.Choice(["agency", "function", "successor"]), default="agency", show_default=True,
              help="Burden per agency, per function key across jurisdictions, or per successor function "
                   "(pre-2018 bodies rolled up to today's: 质监 + 工商 + 食药监 → 市场监督管理).")
@click.option("--top", type=click.IntRange(min=1), default=None, help="Only the first N rows.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "markdown"]), default="table",
              show_default=True)
@click.option("--weight", "weights", multiple=True, metavar="ROLE=W",
              help="Burden weight of a role (defaults lead=1 support=0.5 responsible=0.75). Repeatable.")
@click.option("--exclude-collectives", is_flag=True, help="Leave out collectives (各乡镇, …成员单位).")
@click.option("--table", help="Only this table of a report with several (coordination); needed for CSV.")
@click.option("--wide", is_flag=True, help="Do not fit tables to the terminal; show every cell in full.")
@level_option
@out_option
@store_option
@endpoint_option
def report(kind: str, name: str | None, document: str | None, by: str, top: int | None, fmt: str,
           weights: tuple[str, ...], exclude_collectives: bool, table: str | None, wide: bool, level: int,
           out: Path | None, store_kind: str, endpoint: str | None) -> None:
    """Reports people act on: burden, coordination, gaps, domains, or one agency NAME.

    \b
    Example:
      kg report burden --top 10 --exclude-collectives
      kg report burden --by function --format markdown
      kg report burden --by successor
      kg report agency 质监局
      kg report coordination --table strongest_pairs --format csv > pairs.csv
      kg report gaps --document plan.txt
      kg report domains --level 2
    """
    from kg.analysis.burden import Weights
    from kg.console import WIDE
    from kg.present.labels import without_collectives
    from kg.present.reports import make_report

    try:
        parsed = Weights.parse(weights)
    except ValueError as exc:
        raise click.ClickException(worded(f"report {kind}", exc)) from None
    if kind == "burden" and by == "agency" and not exclude_collectives:  # additive: the build's aggregates
        width = WIDE if wide else None
        text = None
        if document is None and store_kind == "oxigraph" and not endpoint:  # the totals the build keeps
            text = _burden_from_totals(out, level, fmt, top, parsed, width)
        if text is None:
            text = _burden_from_loads(out, store_kind, endpoint, document, level, fmt, top, parsed, width)
        if text is not None:
            click.echo(text.rstrip("\n"))
            return
    data = selected(out, store_kind, document, "report", level, endpoint)
    data = without_collectives(data) if exclude_collectives else data
    try:
        text = make_report(kind, data, fmt, name, by, top, parsed, WIDE if wide else None, table,
                           reference=tables_in_use())
    except (LookupError, ValueError) as exc:
        raise click.ClickException(worded(f"report {kind}", exc)) from None
    click.echo(text.rstrip("\n"))


def _burden_from_totals(out: Path | None, level: int, fmt: str, top: int | None, weights: Weights,
                        width: int | None) -> str | None:
    """The burden report from the corpus totals the build keeps; None when there are none in step
    with the store (the loads are summed instead)."""
    from kg.analysis.domains import LEVELS
    from kg.analysis.totals import read_totals, totals_table
    from kg.present.reports import burden_report

    if level not in LEVELS:
        return None  # the exact path reports the bad level
    totals = read_totals(export_dir(out), fmt == "json")
    if totals is None:
        return None
    reference = tables_in_use()
    table = totals_table(totals, weights, level, reference=reference)
    return burden_report(None, fmt, "agency", top, weights, width, table, totals.collective,
                         reference=reference)


def _burden_from_loads(out: Path | None, store_kind: str, endpoint: str | None, document: str | None,
                       level: int, fmt: str, top: int | None, weights: Weights, width: int | None) -> str | None:
    """The burden report summed from the per-document loads; None when the store has none."""
    from kg.analysis.domains import LEVELS
    from kg.analysis.loads import read_loads, read_loads_with_domains
    from kg.present.reports import loads_report

    if level not in LEVELS:
        return None  # the exact path reports the bad level
    loads = read_with(out, store_kind, endpoint, read_loads_with_domains if fmt == "json" else read_loads, True)
    if loads is None:
        return None
    if document and document not in loads.assigned:
        raise click.ClickException(error_line("report", f"no document named '{document}' in the store",
                                              "kg sparql documents lists them").removeprefix("kg: "))
    return loads_report(loads, fmt, top, weights, width, document, level, reference=tables_in_use())


@cli.command(context_settings=CONTEXT)
@click.option("--across", type=click.Choice(["document", "year", "level"]), default="year", show_default=True,
              help="Columns: one per document (title and year), per year, or per jurisdiction level.")
@click.option("--by", type=click.Choice(["function", "agency"]), default="function", show_default=True)
@click.option("--successor", is_flag=True, help="Roll pre-reform bodies up to the bodies holding their work today.")
@click.option("--top", type=click.IntRange(min=1), default=None, help="Only the first N rows.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "markdown"]), default="table",
              show_default=True)
@click.option("--weight", "weights", multiple=True, metavar="ROLE=W", help="Burden weight of a role. Repeatable.")
@out_option
@store_option
def compare(across: str, by: str, successor: bool, top: int | None, fmt: str, weights: tuple[str, ...],
            out: Path | None, store_kind: str) -> None:
    """Compare the weighted burden across documents, years or levels, with the change.

    \b
    Example:
      kg compare --across year --successor
      kg compare --across document --by agency --top 10 --format markdown
      kg compare --across level --format csv > by_level.csv
    """
    from kg.analysis.burden import Weights
    from kg.present.comparison import compare_report

    data = read_data(out, store_kind, None)
    try:
        text = compare_report(data, fmt, across, by, successor, top, Weights.parse(weights),
                              reference=tables_in_use())
    except ValueError as exc:
        raise click.ClickException(exc.args[0] if exc.args else str(exc)) from None
    click.echo(text)


@cli.command(context_settings=CONTEXT)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The HTML file to write [default: graph.html in the export folder].")
@click.option("--document", help="Only this document (its file name).")
@click.option("--domain", help="Only tasks of this policy domain (a key such as general_affairs or open_government).")
@click.option("--focus", help="Only this agency (as written or canonical) and its neighbourhood.")
@click.option("--depth", type=click.IntRange(min=1), default=1, show_default=True,
              help="Agency–task–agency hops around --focus.")
@click.option("--max-nodes", type=click.IntRange(min=1), default=2000, show_default=True,
              help="Above this many agencies, draw one node per function (or family) instead.")
@click.option("--sources", "sources", multiple=True, type=click.Path(), metavar="PATH",
              help="Document files or folders, for the source-text view [default: data/documents].")
@level_option
@out_option
@store_option
@endpoint_option
def render(output: Path | None, document: str | None, domain: str | None, focus: str | None, depth: int,
           max_nodes: int, sources: tuple[str, ...], level: int, out: Path | None, store_kind: str,
           endpoint: str | None) -> None:
    """Write the interactive graph page (works offline; open it in any browser).

    A filter that matches nothing is an error and leaves the previous page as it was.

    \b
    Example:
      kg render --focus 市质监局 --depth 2 -o quality.html
      kg render --document plan.txt --sources my_plans/
      kg render --domain air_pollution    # a finer concept shows the finer level
    """
    from kg import paths
    from kg.analysis.domains import known_domains, level_of
    from kg.analysis.evidence import EvidenceRow, read_evidence, read_evidence_store, source_texts
    from kg.present.graph_page import render_html
    from kg.graph.store import write_atomic

    reference = tables_in_use()
    if domain and domain not in known_domains(reference):
        raise click.ClickException(error_line("render", f"no policy domain '{domain}'",
                                              "data/domains.csv lists the keys").removeprefix("kg: "))
    data = selected(out, store_kind, document, "render",
                    max(level, level_of(domain, reference)) if domain else level, endpoint)
    if domain and not any(domain in t.domains for t in data.tasks):
        raise click.ClickException(error_line("render", f"no task in domain '{domain}'",
                                              "kg report domains lists the domains").removeprefix("kg: "))
    evidence: tuple[EvidenceRow, ...] = ()
    if not endpoint:  # the evidence panel reads the local store; a server's page goes without it
        if store_kind == "oxigraph":
            evidence = read_or_fail(lambda: read_evidence_store(export_dir(out)))
        else:
            with open_store(out, store_kind) as dataset:
                evidence = read_evidence(dataset)
    files = expand_inputs(sources or (str(paths.DOCUMENTS),), Failures(False, False)) \
        if sources or paths.DOCUMENTS.is_dir() else []
    texts = source_texts(evidence, {p.name: p for p in files})
    try:
        page = render_html(data, document, domain, focus, depth, max_nodes, reference=reference, evidence=evidence,
                           texts=texts)
    except LookupError as exc:
        raise click.ClickException(worded("render", exc)) from None
    if not page.nodes:
        raise click.ClickException("render: the filters match nothing (the previous page is kept)")
    target = output or export_dir(out) / "graph.html"
    write_atomic(target, page.html)
    if page.note:
        click.echo(page.note, err=True)
    click.echo(f"wrote {target}: {page.nodes} nodes, {page.edges} edges ({page.kind} view)")
