"""The ``kg`` command: a thin layer over the library. Imports are lazy so ``kg --help`` is fast."""
from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Callable

import click

from kg.errors import DocumentError
from kg.extract.batch import Failures, expand_inputs, extract_all, summary  # light: click and the standard library

__all__ = ["cli"]

CONTEXT = {"help_option_names": ["-h", "--help"]}


@click.group(context_settings=CONTEXT)
@click.version_option(package_name="kg-responsibility")
def cli() -> None:
    """Who is responsible for what: a knowledge graph from Chinese policy documents.

    \b
    Example:
      kg build                       # data/documents → exports/
      kg report burden --top 10
    """


def _jobs_option(f):  # type: ignore[no-untyped-def]
    return click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
                        help="Worker processes for extraction [default: all cores]. "
                             "Output is the same for any number.")(f)


def _jobs(jobs: int | None, strict: bool = False) -> int:
    """--jobs, or all cores; one under --strict (stop at the first failure, in input order)."""
    from kg.extract.parallel import default_jobs

    return 1 if strict else (jobs or default_jobs())


@cli.command(context_settings=CONTEXT)
@click.argument("files", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["csv", "json", "table"]), default="table", show_default=True)
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@click.option("--strict", is_flag=True, help="Stop at the first document that fails.")
@_jobs_option
def extract(files: tuple[str, ...], fmt: str, debug: bool, strict: bool, jobs: int | None) -> None:
    """Extract tasks and lead/support/responsible agencies from FILES (or folders).

    \b
    Example:
      kg extract data/documents/*.txt --format csv > assignments.csv
    """
    from kg.extract import serialize as records

    failures = Failures(debug, strict)
    docs = extract_all(expand_inputs(files, failures), failures, jobs=_jobs(jobs, strict))
    writer = {"csv": records.to_csv, "json": records.to_json, "table": records.to_table}[fmt]
    click.echo(writer(docs), nl=fmt == "table")
    summary(docs, failures)


def _out_option(f):  # type: ignore[no-untyped-def]
    return click.option("--out", "--store-dir", "out", type=click.Path(file_okay=False, path_type=Path),
                        default=None, help="Export folder holding the store [default: exports/].")(f)


def _level_option(f):  # type: ignore[no-untyped-def]
    return click.option("--level", type=click.IntRange(1, 2), default=1, show_default=True,
                        help="Policy domains: 1 = the 主题分类 subjects, 2 = the finer concepts.")(f)


def _store_option(f):  # type: ignore[no-untyped-def]
    return click.option("--store", "store_kind", type=click.Choice(["oxigraph", "memory", "rdflib"]),
                        default="oxigraph", show_default=True,
                        help="oxigraph: the on-disk store; memory: Oxigraph in memory from kg.nq; "
                             "rdflib: rdflib's own store (slow, for comparison).")(f)


def _export_dir(out: Path | None) -> Path:
    from kg import paths

    return out if out is not None else paths.EXPORTS


@contextlib.contextmanager
def open_store(out: Path | None, kind: str, writable: bool = False):  # type: ignore[no-untyped-def]
    """The query dataset of an export folder (closed afterwards), or a one-line error."""
    from kg.graph.store import close_dataset, open_dataset

    try:
        dataset = open_dataset(_export_dir(out), kind, writable)
    except (FileNotFoundError, OSError) as exc:
        raise click.ClickException(str(exc)) from None
    try:
        yield dataset
    finally:
        close_dataset(dataset)


def _dumps_option(default: str):  # type: ignore[no-untyped-def]
    def parse(ctx: click.Context, param: click.Parameter, value: str) -> tuple[str, ...]:
        from kg.graph.dumps import parse_formats

        try:
            return parse_formats(value)
        except ValueError as exc:
            raise click.BadParameter(str(exc)) from None

    return click.option("--dumps", default=default, show_default=True, callback=parse, metavar="LIST",
                        help="Dumps to write: nq,trig,ttl,jsonld (comma-separated), all or none. "
                             "Only missing or out-of-date dumps are rewritten.")


@cli.command(context_settings=CONTEXT)
@click.argument("inputs", nargs=-1, type=click.Path())
@_out_option
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@click.option("--strict", is_flag=True, help="Stop at the first document that fails.")
@_jobs_option
@_dumps_option("all")
@click.option("--endpoint", metavar="URL", default=None,
              help="Also keep a SPARQL 1.1 server (its query URL) up to date: each changed named graph is "
                   "replaced there through the Graph Store Protocol.")
@click.option("--graph-store", metavar="URL", default=None,
              help="The server's Graph Store Protocol URL [default: guessed from --endpoint: …/query → …/store, "
                   "…/sparql → …/data].")
def build(inputs: tuple[str, ...], out: Path | None, debug: bool, strict: bool, jobs: int | None,
          dumps: tuple[str, ...], endpoint: str | None, graph_store: str | None) -> None:
    """Extract documents (default data/documents/) into the store and exports (default exports/).

    Unchanged documents are skipped; a changed one replaces only its own named graph, and the
    dumps are rebuilt from per-graph pieces. Progress goes to stderr.

    \b
    Example:
      kg build
      kg build my_plans/ --out my_exports --jobs 4
      kg build big_corpus/ --dumps none      # store, reports and pages only; kg dump later
      kg build --endpoint http://127.0.0.1:7878/query
    """
    from kg.errors import DocumentError
    from kg.graph.build import refresh
    from kg.graph.lock import build_lock
    from kg.present.files import write_outputs

    failures = Failures(debug, strict)
    folder = _export_dir(out)
    files = expand_inputs(inputs, failures)
    progress = _progress()
    server = None
    if endpoint:
        from kg.graph.remote import Endpoint, EndpointError

        server = Endpoint(endpoint, graph_store)
        try:
            server.store_url
        except EndpointError as exc:
            raise click.ClickException(str(exc)) from None
    try:
        with build_lock(folder):
            report = refresh(files, folder, failures.report, _jobs(jobs, strict), progress, dumps, server)
            click.echo(f"built {len(report.built)}, unchanged {len(report.skipped)}, "
                       f"removed {len(report.removed)}, failed {len(report.failed)} → {folder}", err=True)
            text, totals = write_outputs(folder, progress=progress)
    except DocumentError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(text)
    click.echo(f"{totals['documents']} documents, {totals['tasks']} tasks, {totals['assignments']} assignments, "
               f"{failures.count} errors", err=True)
    if failures.count:
        raise SystemExit(1)


@cli.command("dump", context_settings=CONTEXT)
@_out_option
@_dumps_option("all")
def dump_command(out: Path | None, dumps: tuple[str, ...]) -> None:
    """Write the graph dumps (kg.nq, kg.trig, kg.ttl, kg.jsonld) of an export folder's store.

    \b
    Example:
      kg dump --dumps nq,ttl
    """
    from kg.graph.build import dump

    folder = _export_dir(out)
    if not (folder / "store").is_dir():
        raise click.ClickException(f"{folder / 'store'}: no store here (run 'kg build' first, or give --out)")
    from kg.graph.lock import build_lock

    try:
        with build_lock(folder):
            written = dump(folder, dumps, _progress())
    except DocumentError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"wrote {', '.join(str(folder / name) for name in written) or 'nothing'}")


def _progress() -> "Callable[[str, int, int], None]":
    """Progress of each build phase on stderr: a live counter on a terminal; otherwise one line
    per finished phase of some size (logs of long runs), nothing for small ones."""
    import time

    live, shown = sys.stderr.isatty(), [0.0]
    started: dict[str, float] = {}

    def show(phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        began = started.setdefault(phase, now)
        if live and (done == total or now - shown[0] > 0.2):
            shown[0] = now
            click.echo(f"\r[{phase}] {done}/{total} {now - began:6.1f} s", err=True, nl=done == total)
        elif not live and done == total and total >= 200:
            click.echo(f"[{phase}] {total} in {now - began:.1f} s", err=True)

    return show


def _endpoint_option(f):  # type: ignore[no-untyped-def]
    return click.option("--endpoint", metavar="URL", default=None,
                        help="A SPARQL 1.1 server (query URL) to read instead of the export folder's store.")(f)


def _read_data(out: Path | None, kind: str, endpoint: str | None):  # type: ignore[no-untyped-def]
    """The graph's rows, in bulk: from a SPARQL endpoint, the on-disk store directly, or a
    dataset of the chosen kind; a one-line error when there is nothing to read."""
    from kg.analysis.rows import read_endpoint, read_graph, read_store

    try:
        if endpoint:
            return read_endpoint(endpoint)
        if kind == "oxigraph":
            return read_store(_export_dir(out))
    except (FileNotFoundError, OSError, DocumentError) as exc:
        raise click.ClickException(str(exc)) from None
    with open_store(out, kind) as dataset:
        return read_graph(dataset)


@cli.command(context_settings=CONTEXT)
@click.argument("query", required=False)
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind ?NAME to the literal VALUE (or to an IRI written <…>). Repeatable.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--list", "list_queries", is_flag=True, help="List the bundled queries.")
@click.option("--allow-update", is_flag=True, help="Allow SPARQL UPDATE (changes the store).")
@_out_option
@_store_option
@_endpoint_option
def sparql(query: str | None, params: tuple[str, ...], fmt: str, list_queries: bool, allow_update: bool,
           out: Path | None, store_kind: str, endpoint: str | None) -> None:
    """Run QUERY: a bundled query name, a .rq file or inline SPARQL.

    \b
    Example:
      kg sparql --list
      kg sparql burden
      kg sparql agency_tasks --param name=市质监局
    """
    from kg.graph import query as q

    if list_queries or not query:
        from tabulate import tabulate

        click.echo(tabulate(sorted(q.bundled_queries().items()), headers=["query", "question"]))
        return
    try:
        text, bindings = q.query_text(query), q.parse_params(params)
        result = _run_query(text, bindings, allow_update, out, store_kind, endpoint)
    except (q.QueryError, OSError, DocumentError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(q.format_result(result, fmt))


def _run_query(text: str, bindings, allow_update: bool, out: Path | None, kind: str,  # type: ignore[no-untyped-def]
               endpoint: str | None):
    """A query on a server, on the on-disk store directly (queries), or through rdflib (updates,
    graph results and the other store kinds). An allowed update invalidates the dump pieces."""
    from kg.graph import query as q

    update = q.is_update(text)
    if endpoint:
        from kg.graph.remote import Endpoint

        if update:
            raise q.QueryError("updates are not sent to a server (change the documents and run kg build --endpoint)")
        return q.run_remote(Endpoint(endpoint), text, bindings)
    if kind == "oxigraph" and not update and not _graph_result(text):
        from kg.graph.store import open_oxigraph

        return q.run_oxigraph(open_oxigraph(_export_dir(out)), text, bindings)
    with open_store(out, kind, writable=allow_update and update) as dataset:
        result = q.run(dataset, text, bindings, allow_update)
    if update:
        import shutil

        shutil.rmtree(_export_dir(out) / ".kg-cache", ignore_errors=True)
    return result


def _graph_result(text: str) -> bool:
    from rdflib.plugins.sparql.parser import parseQuery

    return parseQuery(text)[1].name in ("ConstructQuery", "DescribeQuery")


@cli.command(context_settings=CONTEXT)
@_out_option
@_store_option
@click.option("--warnings/--no-warnings", default=True, show_default=True, help="List warnings too.")
def validate(out: Path | None, store_kind: str, warnings: bool) -> None:
    """Check the graph against the SHACL shapes in ontology/shapes.ttl (exit 1 on violations).

    \b
    Example:
      kg validate --no-warnings
    """
    from tabulate import tabulate

    from kg.graph.validate import union_graph, validate_graph

    with open_store(out, store_kind) as dataset:
        findings = validate_graph(union_graph(dataset))
    violations = [f for f in findings if f.severity == "Violation"]
    shown = findings if warnings else violations
    if shown:
        click.echo(tabulate([[f.severity, f.focus, f.path, f.message] for f in shown],
                            headers=["severity", "focus", "path", "message"]))
    click.echo(f"{len(violations)} violations, {len(findings) - len(violations)} warnings", err=True)
    if violations:
        raise SystemExit(1)


@cli.command(context_settings=CONTEXT)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write [default: ontology/schemes.ttl].")
def schemes(output: Path | None) -> None:
    """Write the SKOS function and domain schemes generated from the tables in data/.

    \b
    Example:
      kg schemes            # after editing data/agency_aliases.csv or data/domains.csv
    """
    from kg import paths
    from kg.reference import load_reference
    from kg.graph.schemes import scheme_graph
    from kg.graph.store import write_atomic

    target = output or paths.ONTOLOGY_DIR / "schemes.ttl"
    write_atomic(target, scheme_graph(load_reference()).serialize(format="turtle"))
    click.echo(f"wrote {target}")


@cli.command(context_settings=CONTEXT)
@click.argument("kind", type=click.Choice(["burden", "coordination", "gaps", "domains", "agency"]))
@click.argument("name", required=False)
@click.option("--document", help="Only this document (its file name).")
@click.option("--by", type=click.Choice(["agency", "function"]), default="agency", show_default=True,
              help="Burden per agency, or per function key across jurisdictions.")
@click.option("--top", type=click.IntRange(min=1), default=None, help="Only the first N rows.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "markdown"]), default="table",
              show_default=True)
@click.option("--weight", "weights", multiple=True, metavar="ROLE=W",
              help="Burden weight of a role (defaults lead=1 support=0.5 responsible=0.75). Repeatable.")
@_level_option
@_out_option
@_store_option
@_endpoint_option
def report(kind: str, name: str | None, document: str | None, by: str, top: int | None, fmt: str,
           weights: tuple[str, ...], level: int, out: Path | None, store_kind: str, endpoint: str | None) -> None:
    """Reports people act on: burden, coordination, gaps, domains, or one agency NAME.

    \b
    Example:
      kg report burden --top 10
      kg report burden --by function --format markdown
      kg report agency 市质监局
      kg report gaps --document plan.txt
      kg report domains --level 2
    """
    from kg.analysis.burden import Weights
    from kg.analysis.domains import with_level
    from kg.present.reports import make_report

    data = with_level(_read_data(out, store_kind, endpoint), level)
    if document and document not in {d.document for d in data.documents}:
        raise click.ClickException(f"no document named '{document}' in the store (kg sparql documents lists them)")
    try:
        text = make_report(kind, data.for_document(document), fmt, name, by, top, Weights.parse(weights))
    except (LookupError, ValueError) as exc:
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
              help="Above this, show the agency co-assignment network instead.")
@_level_option
@_out_option
@_store_option
@_endpoint_option
def render(output: Path | None, document: str | None, domain: str | None, focus: str | None, depth: int,
           max_nodes: int, level: int, out: Path | None, store_kind: str, endpoint: str | None) -> None:
    """Write the interactive graph page (works offline; open it in any browser).

    \b
    Example:
      kg render --focus 市质监局 --depth 2 -o quality.html
      kg render --document plan.txt
      kg render --domain air_pollution    # a finer concept shows the finer level
    """
    from kg.analysis.domains import known_domains, level_of, with_level
    from kg.present.graph_page import render_html
    from kg.graph.store import write_atomic

    if domain and domain not in known_domains():
        raise click.ClickException(f"no policy domain '{domain}' (data/domains.csv lists the keys)")
    data = with_level(_read_data(out, store_kind, endpoint), max(level, level_of(domain)) if domain else level)
    if document and document not in {d.document for d in data.documents}:
        raise click.ClickException(f"no document named '{document}' in the store (kg sparql documents lists them)")
    try:
        page = render_html(data, document, domain, focus, depth, max_nodes)
    except LookupError as exc:
        raise click.ClickException(exc.args[0] if exc.args else str(exc)) from None
    target = output or _export_dir(out) / "graph.html"
    write_atomic(target, page.html)
    if page.note:
        click.echo(page.note, err=True)
    click.echo(f"wrote {target}: {page.nodes} nodes, {page.edges} edges ({page.kind} view)")
