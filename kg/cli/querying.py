"""``kg sparql``, ``kg validate`` and ``kg schemes``: questions and checks put to the graph itself."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from kg.errors import DocumentError, QueryError
from kg.cli.common import (cli, CONTEXT, out_option, store_option, export_dir, open_store, endpoint_option,
                           tables_in_use)

if TYPE_CHECKING:
    from rdflib.term import Identifier
    
    from kg.graph.query import QueryResult

__all__: list[str] = []  # commands register themselves on the kg group


@cli.command(context_settings=CONTEXT)
@click.argument("query", required=False)
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind ?NAME to the literal VALUE (or to an IRI written <…>). Repeatable.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--list", "list_queries", is_flag=True, help="List the bundled queries.")
@click.option("--allow-update", is_flag=True, help="Allow SPARQL UPDATE (changes the store).")
@click.option("--wide", is_flag=True, help="Do not fit the table to the terminal; show every cell in full.")
@click.option("--allow-service", is_flag=True, help="Allow SERVICE (sends the query to other servers).")
@click.option("--allow-load", is_flag=True, help="Allow LOAD (reads URLs or local files into the store).")
@out_option
@store_option
@endpoint_option
def sparql(query: str | None, params: tuple[str, ...], fmt: str, list_queries: bool, allow_update: bool,
           wide: bool, allow_service: bool, allow_load: bool, out: Path | None, store_kind: str,
           endpoint: str | None) -> None:
    """Run QUERY: a bundled query name, a .rq file or inline SPARQL.

    \b
    Example:
      kg sparql --list
      kg sparql burden
      kg sparql agency_tasks --param name=市质监局
    """
    from kg.console import WIDE
    from kg.graph.querytext import bundled_queries

    if list_queries or not query:
        from kg.console import render_table

        click.echo(render_table(["query", "question"], sorted(bundled_queries().items())))
        return
    if query in bundled_queries() and store_kind == "oxigraph" and not endpoint:  # SELECTs without SERVICE or LOAD
        click.echo(_bundled_select(query, params, fmt, WIDE if wide else None, out).rstrip("\n"))
        return
    from kg.graph import query as q

    try:
        text, bindings = q.query_text(query), q.parse_params(params)
        q.check_params(query, bindings)
        q.guard(text, allow_service, allow_load)
        result = _run_query(text, bindings, allow_update, out, store_kind, endpoint, (allow_service, allow_load))
    except QueryError as exc:
        raise click.ClickException(f"sparql: {exc}") from None
    except (OSError, DocumentError) as exc:
        raise click.ClickException(f"sparql: {exc}") from None
    click.echo(q.format_result(result, fmt, WIDE if wide else None).rstrip("\n"))


def _bundled_select(query: str, params: tuple[str, ...], fmt: str, width: int | None, out: Path | None) -> str:
    """A bundled query read straight from the on-disk store (:mod:`kg.graph.direct`), without
    rdflib: the bundled queries are SELECTs without SERVICE or LOAD (the tests check each)."""
    import pyoxigraph as ox

    from kg.graph import querytext
    from kg.graph.direct import open_oxigraph, select

    if query == "burden" and not params:  # the totals the build keeps, while in step with the store
        from kg.graph.totals_read import read_sparql_totals

        kept = read_sparql_totals(export_dir(out))
        if kept is not None:
            return querytext.format_rows(kept[0], kept[1], fmt, width)
    try:
        values = querytext.split_params(params)
        querytext.check_params(query, values)
        bindings = {name: ox.NamedNode(value) if iri else ox.Literal(value) for name, (iri, value) in values.items()}
        variables, rows = select(open_oxigraph(export_dir(out)), querytext.query_text(query), bindings)
    except (QueryError, OSError, ValueError) as exc:
        raise click.ClickException(f"sparql: {exc}") from None
    return querytext.format_rows(variables, rows, fmt, width)


def _run_query(text: str, bindings: dict[str, Identifier], allow_update: bool, out: Path | None, kind: str,
               endpoint: str | None, allowed: tuple[bool, bool] = (False, False)) -> QueryResult:
    """A query on a server, on the on-disk store directly (queries), or through rdflib (updates,
    graph results and the other store kinds). An allowed update invalidates the dump pieces."""
    from kg.graph import query as q

    update = q.is_update(text)
    if endpoint:
        from kg.graph.remote import Endpoint

        if update:
            raise QueryError("updates are not sent to a server (change the documents and run kg build --endpoint)")
        return q.run_remote(Endpoint(endpoint), text, bindings)
    if kind == "oxigraph" and not update and not _graph_result(text):
        from kg.graph.store import open_oxigraph

        return q.run_oxigraph(open_oxigraph(export_dir(out)), text, bindings)
    if update and allow_update and kind != "oxigraph":
        raise QueryError(f"an update on the '{kind}' store is lost when the command ends "
                           "(use --store oxigraph to change the store)")
    if update and allow_update:  # the burden totals go first: never read after a change
        from kg.graph.totals import forget

        forget(export_dir(out))
    with open_store(out, kind, writable=allow_update and update) as dataset:
        result = q.run(dataset, text, bindings, allow_update, *allowed)
    if update:
        import shutil

        shutil.rmtree(export_dir(out) / ".kg-cache", ignore_errors=True)
    return result


def _graph_result(text: str) -> bool:
    from rdflib.plugins.sparql.parser import parseQuery

    return parseQuery(text)[1].name in ("ConstructQuery", "DescribeQuery")


@cli.command(context_settings=CONTEXT)
@out_option
@store_option
@click.option("--warnings/--no-warnings", default=True, show_default=True, help="List warnings too.")
def validate(out: Path | None, store_kind: str, warnings: bool) -> None:
    """Check the graph against the SHACL shapes in ontology/shapes.ttl (exit 1 on violations).

    \b
    Example:
      kg validate --no-warnings
    """
    from kg.console import Phases, render_table
    from kg.graph.validate import union_graph, validate_graph

    phases = Phases()
    with open_store(out, store_kind) as dataset, phases.phase("load graph"):
        graph = union_graph(dataset)
    with phases.phase("validate (SHACL)"):
        findings = validate_graph(graph)
    violations = [f for f in findings if f.severity == "Violation"]
    shown = findings if warnings else violations
    if shown:
        click.echo(render_table(["severity", "message", "path", "focus"],
                                [[f.severity, f.message, f.path, f.focus] for f in shown], wrap=["message"]))
    click.echo(f"{len(violations)} violations, {len(findings) - len(violations)} warnings", err=True)
    click.echo(phases.summary(), err=True)
    if violations:
        raise SystemExit(1)


@cli.command(context_settings=CONTEXT)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write [default: schemes.ttl in the export folder].")
@out_option
def schemes(output: Path | None, out: Path | None) -> None:
    """Write the SKOS function and domain schemes generated from the reference tables.

    \b
    Example:
      kg --reference my_tables schemes          # after editing my_tables/domains.csv
      kg schemes -o ontology/schemes.ttl        # in the repository: refresh the shipped file
    """
    from kg.graph.schemes import scheme_graph
    from kg.graph.store import write_atomic

    target = output or export_dir(out) / "schemes.ttl"
    write_atomic(target, scheme_graph(tables_in_use()).serialize(format="turtle"))
    click.echo(f"wrote {target}")
