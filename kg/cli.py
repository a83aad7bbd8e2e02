"""The ``kg`` command: a thin layer over the library. Imports are lazy so ``kg --help`` is fast."""
from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, TypeVar

import click

from kg.cli_reference import reference_group, restore_env as _restore
from kg.console import KgGroup, error_line
from kg.errors import DocumentError, QueryError
from kg.extract.batch import Failures, check_inputs, expand_inputs, extract_all, summary  # light imports only

if TYPE_CHECKING:
    from rdflib import Dataset
    from rdflib.term import Identifier

    from kg.analysis.rows import GraphData
    from kg.console import Phases
    from kg.graph.build import BuildReport
    from kg.graph.query import QueryResult
    from kg.graph.remote import Endpoint

__all__ = ["cli"]

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")

CONTEXT = {"help_option_names": ["-h", "--help"]}


@click.group(cls=KgGroup, context_settings=CONTEXT)
@click.version_option(package_name="kg-responsibility")
@click.option("--reference", type=click.Path(file_okay=False, path_type=Path), envvar="KG_REFERENCE",
              help="Folder of reference tables to use instead of the bundled ones (also $KG_REFERENCE); "
                   "start from a copy made by 'kg reference export DIR'.")
def cli(reference: Path | None) -> None:
    """Who is responsible for what: a knowledge graph from Chinese policy documents.

    Outputs go to ./exports (or --out DIR) under the current folder.

    \b
    Example:
      kg build                       # the bundled sample documents → ./exports
      kg build my_plans/             # your documents → ./exports
      kg report burden --top 10
    """
    import os

    from kg import paths

    before = os.environ.get(paths.REFERENCE_ENV)
    click.get_current_context().call_on_close(lambda: _restore(paths.REFERENCE_ENV, before))
    if reference is None:
        os.environ.pop(paths.REFERENCE_ENV, None)
        return
    os.environ[paths.REFERENCE_ENV] = str(reference)
    from kg.reference import load_reference

    load_reference(reference)  # a bad row stops here, naming file and line


def _jobs_option(f: F) -> F:
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
@click.option("-v", "--verbose", is_flag=True, help="A coverage line for every document, not only flagged ones.")
@_jobs_option
def extract(files: tuple[str, ...], fmt: str, debug: bool, strict: bool, verbose: bool, jobs: int | None) -> None:
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
    summary(docs, failures, verbose)


def _out_option(f: F) -> F:
    return click.option("--out", "--store-dir", "out", type=click.Path(file_okay=False, path_type=Path),
                        default=None, help="Export folder holding the store [default: exports/].")(f)


def _level_option(f: F) -> F:
    return click.option("--level", type=click.IntRange(1, 2), default=1, show_default=True,
                        help="Policy domains: 1 = the 主题分类 subjects, 2 = the finer concepts.")(f)


def _store_option(f: F) -> F:
    return click.option("--store", "store_kind", type=click.Choice(["oxigraph", "memory", "rdflib"]),
                        default="oxigraph", show_default=True,
                        help="oxigraph: the on-disk store; memory: Oxigraph in memory from kg.nq; "
                             "rdflib: rdflib's own store (slow, for comparison).")(f)


def _export_dir(out: Path | None) -> Path:
    from kg import paths

    return out if out is not None else paths.EXPORTS


@contextlib.contextmanager
def open_store(out: Path | None, kind: str, writable: bool = False) -> Iterator[Dataset]:
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


def _dumps_option(default: str) -> Callable[[F], F]:
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
@click.option("--prune", is_flag=True, help="Also remove graphs of documents not among the inputs, wherever they came from.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@click.option("--strict", is_flag=True, help="Stop at the first document that fails.")
@click.option("-v", "--verbose", is_flag=True, help="A coverage line for every document, not only flagged ones.")
@_jobs_option
@_dumps_option("all")
@click.option("--endpoint", metavar="URL", default=None,
              help="Also keep a SPARQL 1.1 server (its query URL) up to date: each changed named graph is "
                   "replaced there through the Graph Store Protocol.")
@click.option("--graph-store", metavar="URL", default=None,
              help="The server's Graph Store Protocol URL [default: guessed from --endpoint: …/query → …/store, "
                   "…/sparql → …/data].")
def build(inputs: tuple[str, ...], out: Path | None, prune: bool, debug: bool, strict: bool, verbose: bool,
          jobs: int | None, dumps: tuple[str, ...], endpoint: str | None, graph_store: str | None) -> None:
    """Extract documents (default: the bundled samples) into the store and exports (default ./exports).

    Unchanged documents are skipped; a changed one replaces only its own named graph, and the
    dumps are rebuilt from per-graph pieces. A document no longer given loses its graph only when
    it disappeared from a folder given here (or with --prune). A missing or unreadable input stops
    the build before anything is changed.

    \b
    Example:
      kg build
      kg build my_plans/ --out my_exports --jobs 4
      kg build big_corpus/ --dumps none      # store, reports and pages only; kg dump later
      kg build --endpoint http://127.0.0.1:7878/query
    """
    from kg import paths
    from kg.console import Phases
    from kg.errors import DocumentError
    from kg.graph.lock import build_lock
    from kg.names import display_name

    problems = check_inputs(inputs)
    if problems:
        raise click.ClickException("\n".join(f"build: {p}" if i == 0 else f"kg: build: {p}"
                                             for i, p in enumerate(problems)))
    failures, folder, phases = Failures(debug, strict), _export_dir(out), Phases()
    files = expand_inputs(inputs, failures, exclude=folder)
    folders = tuple(Path(i).resolve() for i in inputs or (str(paths.DOCUMENTS),) if Path(i).is_dir())
    server = _server(endpoint, graph_store)
    try:
        with build_lock(folder):
            report = _refresh(files, folder, failures, folders, prune, phases,
                              jobs=_jobs(jobs, strict), dumps=dumps, endpoint=server)
            kept = f", kept {len(report.kept)} not given (--prune removes them)" if report.kept else ""
            click.echo(f"built {len(report.built)}, unchanged {len(report.skipped)}, removed {len(report.removed)}, "
                       f"failed {len(report.failed)}{kept} → {folder}", err=True)
            text, totals, notes = _outputs(folder, phases, verbose, {display_name(p.name): p for p in files})
    except DocumentError as exc:
        raise click.ClickException(f"build: {exc}") from None
    except OSError as exc:  # disk full, read-only, permissions: one line, exports as they were
        from kg.errors import os_problem

        if debug:
            raise
        raise click.ClickException(f"build: {os_problem(exc, folder)}") from None
    click.echo(text.rstrip("\n"))
    sys.stdout.flush()
    for line in notes:
        click.echo(line, err=True)
    click.echo(f"{totals['documents']} documents, {totals['tasks']} tasks, {totals['assignments']} assignments, "
               f"{failures.count} errors", err=True)
    click.echo(phases.summary(), err=True)
    if failures.count:
        raise SystemExit(1)


def _server(endpoint: str | None, graph_store: str | None) -> Endpoint | None:
    """The SPARQL server a build keeps up to date, or None; a one-line error when its store URL
    cannot be worked out."""
    if not endpoint:
        return None
    from kg.graph.remote import Endpoint, EndpointError

    server = Endpoint(endpoint, graph_store)
    try:
        server.store_url
    except EndpointError as exc:
        raise click.ClickException(str(exc)) from None
    return server


def _refresh(files: list[Path], folder: Path, failures: Failures, folders: tuple[Path, ...], prune: bool,
             phases: Phases, **options: Any) -> BuildReport:
    """The store and dumps step of a build, timed as "extract + store" and "dumps"; ``options``
    (jobs, dumps, endpoint) go to :func:`kg.graph.build.refresh`."""
    import contextlib

    from kg.graph.build import refresh

    with contextlib.ExitStack() as stack:
        stack.enter_context(phases.phase("extract + store", spinner=False))  # per-document progress instead

        def on_phase(name: str) -> None:
            stack.close()
            if sys.stderr.isatty() and len(files) > 3:
                click.echo("", err=True)  # end the progress line
            stack.enter_context(phases.phase(name))

        return refresh(files, folder, failures.report, _progress(len(files)), folders, prune, on_phase, **options)


def _outputs(folder: Path, phases: Phases, verbose: bool,
             sources: dict[str, Path]) -> tuple[str, dict[str, int], list[str]]:
    """The files people open, timed as "analytics" and "pages"."""
    import contextlib

    from kg.present.files import write_outputs

    with contextlib.ExitStack() as stack:
        def on_phase(name: str) -> None:
            stack.close()
            stack.enter_context(phases.phase(name))

        return write_outputs(folder, verbose=verbose, on_phase=on_phase, sources=sources)


def _progress(total: int) -> Callable[[Path], None]:
    """A per-document progress line on a terminal (long runs), nothing otherwise."""
    if total < 4 or not sys.stderr.isatty():
        return lambda path: None
    seen = iter(range(1, total + 1))
    return lambda path: click.echo(f"\r[{next(seen)}/{total}] {path.name[:60]:<60}", err=True, nl=False)


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
    from kg.graph.lock import build_lock

    folder = _export_dir(out)
    if not (folder / "store").is_dir():
        raise click.ClickException(f"dump: {folder / 'store'}: no store here (run 'kg build' first, or give --out)")
    try:
        with build_lock(folder):
            written = dump(folder, dumps)
    except DocumentError as exc:
        raise click.ClickException(f"dump: {exc}") from None
    click.echo(f"wrote {', '.join(str(folder / name) for name in written) or 'nothing'}")


def _endpoint_option(f: F) -> F:
    return click.option("--endpoint", metavar="URL", default=None,
                        help="A SPARQL 1.1 server (query URL) to read instead of the export folder's store.")(f)


def _read_data(out: Path | None, kind: str, endpoint: str | None) -> GraphData:
    """The graph's rows, in bulk: from a SPARQL endpoint, the on-disk store directly, or a
    dataset of the chosen kind; a one-line error when there is nothing to read."""
    from kg.analysis.rows import read_endpoint, read_graph, read_store

    if endpoint:
        return _read(lambda: read_endpoint(endpoint))
    if kind == "oxigraph":
        return _read(lambda: read_store(_export_dir(out)))
    with open_store(out, kind) as dataset:
        return read_graph(dataset)


def _read(reader: Callable[[], T]) -> T:
    """What ``reader`` returns, or a one-line error when there is nothing to read."""
    try:
        return reader()
    except (FileNotFoundError, OSError, DocumentError) as exc:
        raise click.ClickException(str(exc)) from None


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
@_out_option
@_store_option
@_endpoint_option
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
    from kg.graph import query as q

    if list_queries or not query:
        from kg.console import render_table

        click.echo(render_table(["query", "question"], sorted(q.bundled_queries().items())))
        return
    try:
        text, bindings = q.query_text(query), q.parse_params(params)
        q.check_params(query, bindings)
        q.guard(text, allow_service, allow_load)
        result = _run_query(text, bindings, allow_update, out, store_kind, endpoint, (allow_service, allow_load))
    except QueryError as exc:
        raise click.ClickException(f"sparql: {exc}") from None
    except (OSError, DocumentError) as exc:
        raise click.ClickException(f"sparql: {exc}") from None
    from kg.console import WIDE

    click.echo(q.format_result(result, fmt, WIDE if wide else None).rstrip("\n"))


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

        return q.run_oxigraph(open_oxigraph(_export_dir(out)), text, bindings)
    if update and allow_update and kind != "oxigraph":
        raise QueryError(f"an update on the '{kind}' store is lost when the command ends "
                           "(use --store oxigraph to change the store)")
    with open_store(out, kind, writable=allow_update and update) as dataset:
        result = q.run(dataset, text, bindings, allow_update, *allowed)
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
@_out_option
def schemes(output: Path | None, out: Path | None) -> None:
    """Write the SKOS function and domain schemes generated from the reference tables.

    \b
    Example:
      kg --reference my_tables schemes          # after editing my_tables/domains.csv
      kg schemes -o ontology/schemes.ttl        # in the repository: refresh the shipped file
    """
    from kg.reference import load_reference
    from kg.graph.schemes import scheme_graph
    from kg.graph.store import write_atomic

    target = output or _export_dir(out) / "schemes.ttl"
    write_atomic(target, scheme_graph(load_reference()).serialize(format="turtle"))
    click.echo(f"wrote {target}")


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
@_level_option
@_out_option
@_store_option
@_endpoint_option
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

    data = _selected(out, store_kind, document, "report", level, endpoint)
    data = without_collectives(data) if exclude_collectives else data
    try:
        text = make_report(kind, data, fmt, name, by, top, Weights.parse(weights), WIDE if wide else None, table)
    except (LookupError, ValueError) as exc:
        raise click.ClickException(_worded(f"report {kind}", exc)) from None
    click.echo(text.rstrip("\n"))


def _worded(what: str, exc: Exception) -> str:
    message = exc.args[0] if exc.args else str(exc)
    return message if message.startswith(what.split()[0]) else f"{what}: {message}"


def _selected(out: Path | None, store_kind: str, document: str | None, what: str,
              level: int, endpoint: str | None = None) -> GraphData:
    """The graph's rows at one domain level, restricted to one document; an unknown document is an error."""
    from kg.analysis.domains import with_level

    data = with_level(_read_data(out, store_kind, endpoint), level)
    if document and document not in {d.document for d in data.documents}:
        raise click.ClickException(error_line(what, f"no document named '{document}' in the store",
                                              "kg sparql documents lists them").removeprefix("kg: "))
    return data.for_document(document)


@cli.command(context_settings=CONTEXT)
@click.option("--across", type=click.Choice(["document", "year", "level"]), default="year", show_default=True,
              help="Columns: one per document (title and year), per year, or per jurisdiction level.")
@click.option("--by", type=click.Choice(["function", "agency"]), default="function", show_default=True)
@click.option("--successor", is_flag=True, help="Roll pre-reform bodies up to the bodies holding their work today.")
@click.option("--top", type=click.IntRange(min=1), default=None, help="Only the first N rows.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "markdown"]), default="table",
              show_default=True)
@click.option("--weight", "weights", multiple=True, metavar="ROLE=W", help="Burden weight of a role. Repeatable.")
@_out_option
@_store_option
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

    data = _read_data(out, store_kind, None)
    try:
        text = compare_report(data, fmt, across, by, successor, top, Weights.parse(weights))
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
@_level_option
@_out_option
@_store_option
@_endpoint_option
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

    if domain and domain not in known_domains():
        raise click.ClickException(error_line("render", f"no policy domain '{domain}'",
                                              "data/domains.csv lists the keys").removeprefix("kg: "))
    data = _selected(out, store_kind, document, "render", max(level, level_of(domain)) if domain else level,
                     endpoint)
    if domain and not any(domain in t.domains for t in data.tasks):
        raise click.ClickException(error_line("render", f"no task in domain '{domain}'",
                                              "kg report domains lists the domains").removeprefix("kg: "))
    evidence: tuple[EvidenceRow, ...] = ()
    if not endpoint:  # the evidence panel reads the local store; a server's page goes without it
        if store_kind == "oxigraph":
            evidence = _read(lambda: read_evidence_store(_export_dir(out)))
        else:
            with open_store(out, store_kind) as dataset:
                evidence = read_evidence(dataset)
    files = expand_inputs(sources or (str(paths.DOCUMENTS),), Failures(False, False)) \
        if sources or paths.DOCUMENTS.is_dir() else []
    texts = source_texts(evidence, {p.name: p for p in files})
    try:
        page = render_html(data, document, domain, focus, depth, max_nodes, evidence=evidence, texts=texts)
    except LookupError as exc:
        raise click.ClickException(_worded("render", exc)) from None
    if not page.nodes:
        raise click.ClickException("render: the filters match nothing (the previous page is kept)")
    target = output or _export_dir(out) / "graph.html"
    write_atomic(target, page.html)
    if page.note:
        click.echo(page.note, err=True)
    click.echo(f"wrote {target}: {page.nodes} nodes, {page.edges} edges ({page.kind} view)")


cli.add_command(reference_group)
