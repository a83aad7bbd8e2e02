"""``kg extract``, ``kg build`` and ``kg dump``: documents in, the store and its dumps out."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import click

from kg.errors import DocumentError
from kg.extract.batch import Failures, check_inputs, expand_inputs, extract_all, summary  # light imports only
from kg.cli.common import (cli, CONTEXT, jobs_option, worker_count, out_option, export_dir, dumps_option,
                           tables_in_use)

if TYPE_CHECKING:
    from kg.console import Phases
    from kg.graph.build import BuildReport
    from kg.graph.remote import Endpoint

__all__: list[str] = []  # commands register themselves on the kg group


@cli.command(context_settings=CONTEXT)
@click.argument("files", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["csv", "json", "table"]), default="table", show_default=True)
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@click.option("--strict", is_flag=True, help="Stop at the first document that fails.")
@click.option("-v", "--verbose", is_flag=True, help="A coverage line for every document, not only flagged ones.")
@jobs_option
def extract(files: tuple[str, ...], fmt: str, debug: bool, strict: bool, verbose: bool, jobs: int | None) -> None:
    """Extract tasks and lead/support/responsible agencies from FILES (or folders).

    \b
    Example:
      kg extract data/documents/*.txt --format csv > assignments.csv
    """
    from kg.extract import serialize as records

    failures = Failures(debug, strict)
    docs = extract_all(expand_inputs(files, failures), failures, jobs=worker_count(jobs, strict))
    writer = {"csv": records.to_csv, "json": records.to_json, "table": records.to_table}[fmt]
    click.echo(writer(docs), nl=fmt == "table")
    summary(docs, failures, verbose)


@cli.command(context_settings=CONTEXT)
@click.argument("inputs", nargs=-1, type=click.Path())
@out_option
@click.option("--prune", is_flag=True, help="Also remove graphs of documents not among the inputs, wherever they came from.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@click.option("--strict", is_flag=True, help="Stop at the first document that fails.")
@click.option("-v", "--verbose", is_flag=True, help="A coverage line for every document, not only flagged ones.")
@jobs_option
@dumps_option("all", " With none, no dump piece is made either (faster for large corpora; kg dump writes them later).")
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
    failures, folder, phases = Failures(debug, strict), export_dir(out), Phases()
    files = expand_inputs(inputs, failures, exclude=folder)
    folders = tuple(Path(i).resolve() for i in inputs or (str(paths.DOCUMENTS),) if Path(i).is_dir())
    server = _server(endpoint, graph_store)
    try:
        with build_lock(folder):
            report = _refresh(files, folder, failures, folders, prune, phases,
                              jobs=worker_count(jobs, strict), dumps=dumps, endpoint=server)
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
    from kg.present.row_parts import document_rows, release_scratch

    with contextlib.ExitStack() as stack:
        stack.callback(release_scratch)  # a one-process build made rows here
        stack.enter_context(phases.phase("extract + store", spinner=False))  # per-document progress instead

        def on_phase(name: str) -> None:
            stack.close()
            if sys.stderr.isatty() and len(files) > 3:
                click.echo("", err=True)  # end the progress line
            stack.enter_context(phases.phase(name))

        return refresh(files, folder, failures.report, _progress(len(files)), folders, prune, on_phase,
                       reference=tables_in_use(), derive=document_rows, **options)


def _outputs(folder: Path, phases: Phases, verbose: bool,
             sources: dict[str, Path]) -> tuple[str, dict[str, int], list[str]]:
    """The files people open, timed as "analytics" and "pages"."""
    import contextlib

    from kg.present.files import write_outputs

    with contextlib.ExitStack() as stack:
        def on_phase(name: str) -> None:
            stack.close()
            stack.enter_context(phases.phase(name))

        return write_outputs(folder, verbose=verbose, on_phase=on_phase, sources=sources, reference=tables_in_use())


def _progress(total: int) -> Callable[[Path], None]:
    """A per-document progress line on a terminal (long runs), nothing otherwise."""
    if total < 4 or not sys.stderr.isatty():
        return lambda path: None
    seen = iter(range(1, total + 1))
    return lambda path: click.echo(f"\r[{next(seen)}/{total}] {path.name[:60]:<60}", err=True, nl=False)


@cli.command("dump", context_settings=CONTEXT)
@out_option
@dumps_option("all")
@jobs_option
def dump_command(out: Path | None, dumps: tuple[str, ...], jobs: int | None) -> None:
    """Write the graph dumps (kg.nq, kg.trig, kg.ttl, kg.jsonld) of an export folder's store.

    Graphs whose pieces a build did not make (kg build --dumps none) are serialised by --jobs
    worker processes first.

    \b
    Example:
      kg dump --dumps nq,ttl
    """
    from kg.console import Phases
    from kg.graph.build import dump
    from kg.graph.lock import build_lock

    folder = export_dir(out)
    if not (folder / "store").is_dir():
        raise click.ClickException(f"dump: {folder / 'store'}: no store here (run 'kg build' first, or give --out)")
    phases = Phases()
    try:
        with build_lock(folder), phases.phase("dumps"):
            written = dump(folder, dumps, jobs=worker_count(jobs))
    except DocumentError as exc:
        raise click.ClickException(f"dump: {exc}") from None
    click.echo(f"wrote {', '.join(str(folder / name) for name in written) or 'nothing'}")
    click.echo(phases.summary(), err=True)
