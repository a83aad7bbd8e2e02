"""The ``kg`` command group and what its commands share: options, the export folder, reading the
graph's rows. The commands live beside it by stage (:mod:`kg.cli.building`, :mod:`kg.cli.querying`,
:mod:`kg.cli.reporting`, :mod:`kg.cli.reference`); imports are lazy so ``kg --help`` is fast."""
from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, TypeVar

import click

from kg.console import KgGroup, error_line
from kg.errors import DocumentError

if TYPE_CHECKING:
    from rdflib import Dataset

    from kg.analysis.rows import GraphData, Records
    from kg.reference import Reference

__all__ = ["cli", "CONTEXT", "jobs_option", "worker_count", "out_option", "level_option", "store_option", "export_dir",
           "open_store", "dumps_option", "endpoint_option", "read_data", "read_with", "read_or_fail", "worded", "selected",
           "restore_env", "tables_in_use"]

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")

CONTEXT = {"help_option_names": ["-h", "--help"]}


def restore_env(name: str, value: str | None) -> None:
    """Put an environment variable back as it was (the CLI may run many times in one process)."""
    import os

    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value


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
    click.get_current_context().call_on_close(lambda: restore_env(paths.REFERENCE_ENV, before))
    if reference is None:
        os.environ.pop(paths.REFERENCE_ENV, None)
        return
    os.environ[paths.REFERENCE_ENV] = str(reference)
    from kg.reference import load_reference

    # a bad row stops here, naming file and line; the commands get these tables from tables_in_use()
    click.get_current_context().meta[_REFERENCE] = load_reference(reference)


_REFERENCE = "kg.reference"  # key of the loaded tables in the click context's meta (shared by subcommands)


def tables_in_use() -> Reference:
    """The reference tables of this command, loaded once (``--reference DIR``, ``$KG_REFERENCE`` or the
    bundled ones) and handed to every analysis and page, which never load them themselves."""
    meta = click.get_current_context().meta
    if _REFERENCE not in meta:
        from kg.reference import load_reference

        meta[_REFERENCE] = load_reference()
    reference: Reference = meta[_REFERENCE]
    return reference


def jobs_option(f: F) -> F:
    return click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
                        help="Worker processes for extraction [default: all cores]. "
                             "Output is the same for any number.")(f)


def worker_count(jobs: int | None, strict: bool = False) -> int:
    """--jobs, or all cores; one under --strict (stop at the first failure, in input order)."""
    from kg.extract.parallel import default_jobs

    return 1 if strict else (jobs or default_jobs())


def out_option(f: F) -> F:
    return click.option("--out", "--store-dir", "out", type=click.Path(file_okay=False, path_type=Path),
                        default=None, help="Export folder holding the store [default: exports/].")(f)


def level_option(f: F) -> F:
    return click.option("--level", type=click.IntRange(1, 2), default=1, show_default=True,
                        help="Policy domains: 1 = the 主题分类 subjects, 2 = the finer concepts.")(f)


def store_option(f: F) -> F:
    return click.option("--store", "store_kind", type=click.Choice(["oxigraph", "memory", "rdflib"]),
                        default="oxigraph", show_default=True,
                        help="oxigraph: the on-disk store; memory: Oxigraph in memory from kg.nq; "
                             "rdflib: rdflib's own store (slow, for comparison).")(f)


def export_dir(out: Path | None) -> Path:
    from kg import paths

    return out if out is not None else paths.EXPORTS


@contextlib.contextmanager
def open_store(out: Path | None, kind: str, writable: bool = False) -> Iterator[Dataset]:
    """The query dataset of an export folder (closed afterwards), or a one-line error."""
    from kg.graph.store import close_dataset, open_dataset

    try:
        dataset = open_dataset(export_dir(out), kind, writable)
    except (FileNotFoundError, OSError) as exc:
        raise click.ClickException(str(exc)) from None
    try:
        yield dataset
    finally:
        close_dataset(dataset)


def dumps_option(default: str, note: str = "") -> Callable[[F], F]:
    def parse(ctx: click.Context, param: click.Parameter, value: str) -> tuple[str, ...]:
        from kg.graph.dumps import parse_formats

        try:
            return parse_formats(value)
        except ValueError as exc:
            raise click.BadParameter(str(exc)) from None

    return click.option("--dumps", default=default, show_default=True, callback=parse, metavar="LIST",
                        help="Dumps to write: nq,trig,ttl,jsonld (comma-separated), all or none. "
                             "Only missing or out-of-date dumps are rewritten." + note)


def endpoint_option(f: F) -> F:
    return click.option("--endpoint", metavar="URL", default=None,
                        help="A SPARQL 1.1 server (query URL) to read instead of the export folder's store.")(f)


def read_data(out: Path | None, kind: str, endpoint: str | None) -> GraphData:
    """The graph's rows, in bulk: from a SPARQL endpoint, the on-disk store directly, or a
    dataset of the chosen kind; a one-line error when there is nothing to read."""
    from kg.analysis.rows import rows_from

    return read_with(out, kind, endpoint, rows_from)


def read_with(out: Path | None, kind: str, endpoint: str | None, reader: Callable[[Records], T],
               text_values: bool = False) -> T:
    """What ``reader`` makes of the bundled queries' rows, read as :func:`read_data` reads them
    (``text_values``: lexical forms from the on-disk store, faster for many small rows)."""
    from kg.analysis.rows import endpoint_with, graph_with, store_with

    if endpoint:
        return read_or_fail(lambda: endpoint_with(endpoint, reader))
    if kind == "oxigraph":
        return read_or_fail(lambda: store_with(export_dir(out), reader, text_values))
    with open_store(out, kind) as dataset:
        return graph_with(dataset, reader)


def read_or_fail(reader: Callable[[], T]) -> T:
    """What ``reader`` returns, or a one-line error when there is nothing to read."""
    try:
        return reader()
    except (FileNotFoundError, OSError, DocumentError) as exc:
        raise click.ClickException(str(exc)) from None


def worded(what: str, exc: Exception) -> str:
    message = exc.args[0] if exc.args else str(exc)
    return message if message.startswith(what.split()[0]) else f"{what}: {message}"


def selected(out: Path | None, store_kind: str, document: str | None, what: str,
              level: int, endpoint: str | None = None) -> GraphData:
    """The graph's rows at one domain level, restricted to one document; an unknown document is an error."""
    from kg.analysis.domains import with_level

    data = with_level(read_data(out, store_kind, endpoint), level, reference=tables_in_use())
    if document and document not in {d.document for d in data.documents}:
        raise click.ClickException(error_line(what, f"no document named '{document}' in the store",
                                              "kg sparql documents lists them").removeprefix("kg: "))
    return data.for_document(document)


