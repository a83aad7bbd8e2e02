"""``kg reference``: copy the bundled reference tables out to edit them, and check a folder of
them. ``kg --reference DIR`` (or ``$KG_REFERENCE``) then uses them for every command."""
from __future__ import annotations

from pathlib import Path

import click

from kg.cli.common import CONTEXT, cli
from kg.console import error_line

__all__ = ["reference_group"]


@click.group("reference", context_settings=CONTEXT)
def reference_group() -> None:
    """The reference tables (role words, functions, aliases, collectives, domains, lineage).

    \b
    Example:
      kg reference export my_tables             # copy the bundled tables to edit them
      kg reference check my_tables              # validate them
      kg --reference my_tables build            # build with them (or set KG_REFERENCE)
    """


@reference_group.command("export", context_settings=CONTEXT)
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite tables already in FOLDER.")
def reference_export(folder: Path, force: bool) -> None:
    """Copy the bundled reference tables (data/*.csv and their README) into FOLDER."""
    import shutil

    from kg import paths

    tables = sorted(p for p in paths.DATA.iterdir() if p.suffix in (".csv", ".md"))
    clash = [p.name for p in tables if (folder / p.name).exists()]
    if clash and not force:
        raise click.ClickException(error_line("reference export", f"{folder} already has {', '.join(clash)}",
                                              "add --force to overwrite").removeprefix("kg: "))
    folder.mkdir(parents=True, exist_ok=True)
    for path in tables:
        shutil.copyfile(path, folder / path.name)
    click.echo(f"wrote {len(tables)} files to {folder}; edit them, then: kg --reference {folder} build")


@reference_group.command("check", context_settings=CONTEXT)
@click.argument("folder", type=click.Path(file_okay=False, exists=True, path_type=Path), required=False)
def reference_check(folder: Path | None) -> None:
    """Validate the reference tables in FOLDER (default: the ones in use)."""
    from kg.reference import load_reference

    chosen = load_reference(folder)
    click.echo(f"ok: {len(chosen.functions)} functions, {len(chosen.aliases)} aliases, "
               f"{len(chosen.domains)} domains, {len(chosen.role_terms)} role words")


cli.add_command(reference_group)
