"""What people read on the terminal: tables that fit its width, progress with timings, and the
one error style ``kg: <what>: <problem> (<what to do>)``.

Tables are strings (so report functions stay pure and testable), laid out the way rich draws
them: wide characters count two columns, long cells are cut with an ellipsis and every cell
stays text, so a task path such as 3.10 is never read as a number. Cells of one line of
printable text, the usual case, are written by a plain aligned writer that measures and cuts
with rich's own cell functions (a 7,500-row burden table in ~0.1 s, where rich's renderer takes
seconds); rich itself draws tables with anything else (line breaks, control characters, text
to wrap). rich is imported on first use only, which keeps ``kg --help`` fast.
"""
from __future__ import annotations

import errno
import os
import re
import shutil
import sys
import time
from typing import Any, Iterator, Sequence
from contextlib import contextmanager

import click

__all__ = ["terminal_width", "render_table", "markdown_table", "error_line", "Phases", "WIDE", "KgGroup"]

WIDE = 10_000  # "as wide as the content": no cell is ever cut


def terminal_width() -> int:
    """Columns to fit: ``$COLUMNS`` when set, else the terminal's width, else 80 (piped output).

    >>> os.environ["COLUMNS"] = "100"; terminal_width()
    100
    >>> del os.environ["COLUMNS"]
    """
    if os.environ.get("COLUMNS", "").isdigit():
        return int(os.environ["COLUMNS"])
    if sys.stdout.isatty():
        return shutil.get_terminal_size().columns
    return 80


def render_table(columns: Sequence[str], rows: Sequence[Sequence[Any]], width: int | None = None,
                 right: Sequence[str] = (), wrap: Sequence[str] = ()) -> str:
    """Rows as an aligned text table at most ``width`` columns wide (wide characters count two).

    Columns are two spaces apart. When the table is too wide, the widest text column gives up a
    column at a time (never below 4) and its cells are cut with "…"; numbers (``right``) are
    never cut. Columns named in ``wrap`` (long text people must read whole) give up width last,
    like the first column, and wrap onto more lines instead of being cut.

    >>> print(render_table(["路径", "n"], [["3.10", 2], ["3.9", 10]], right=["n"]))
    路径   n
    ────────
    3.10   2
    3.9   10
    >>> print(render_table(["name", "n"], [["质量技术监督局", 1]], width=12, right=["n"]))
    name       n
    ────────────
    质量技术…  1
    """
    texts = [["" if c is None else f"{c:.3f}" if isinstance(c, float) else str(c) for c in row] for row in rows]
    cell_len = _Widths()
    if _plain_cells(columns, texts, cell_len):
        widths = _fit([max([cell_len[name]] + [cell_len[r[k]] for r in texts]) for k, name in enumerate(columns)],
                      [name not in right for name in columns], width or terminal_width(),
                      [k == 0 or name in wrap for k, name in enumerate(columns)])
        if all(cell_len[t] <= size for k, (name, size) in enumerate(zip(columns, widths)) if name in wrap
               for t in [name, *(r[k] for r in texts)]):  # text to wrap that fits needs no wrapping
            return _aligned(columns, texts, widths, frozenset(right), cell_len)
    return _rich_table(columns, rows, width, right, wrap)


class _Widths(dict[str, int]):
    """Columns each text takes, as rich counts them, measured once per distinct text; -1 for
    text with characters of no width (combining marks, joiners), which rich lays out by its
    grapheme rules."""

    def __missing__(self, text: str) -> int:
        from rich.cells import get_character_cell_size

        if text.isascii():  # printable ASCII: one column each
            width = len(text)
        else:
            sizes = [get_character_cell_size(c) for c in text]
            width = -1 if 0 in sizes else sum(sizes)
        self[text] = width
        return width


_NOT_PLAIN = re.compile("[\x00-\x1f\x7f-\x9f]")


def _plain_cells(columns: Sequence[str], texts: list[list[str]], widths: _Widths) -> bool:
    """Whether every cell is one line of printable characters that each take a column or two,
    which the plain writer lays out as rich does (rich's markup escaping doubles a final
    backslash: such cells go to rich too)."""
    return not any(_NOT_PLAIN.search(t) or "[" in t or widths[t] < 0 for t in columns) \
        and not any(_NOT_PLAIN.search(t) or t.endswith("\\") or widths[t] < 0 for r in texts for t in r)


def _aligned(columns: Sequence[str], texts: list[list[str]], widths: list[int], right: frozenset[str],
             measured: _Widths | None = None) -> str:
    """The table as rich draws it (header, a rule, two spaces between columns, trailing spaces
    dropped), written directly.

    >>> print(_aligned(["名称", "n"], [["质量技术监督局", "3"]], [5, 2], frozenset({"n"})))
    名称    n
    ─────────
    质量…   3
    """
    cell_len = (measured if measured is not None else _Widths()).__getitem__

    def cell(text: str, size: int, to_right: bool) -> str:
        if to_right:
            text = text.rstrip()
        length = cell_len(text)
        if length > size:
            text = _crop(text, size - 1) + "…"
            length = size
        return " " * (size - length) + text if to_right else text + " " * (size - length)

    flags = [name in right for name in columns]
    lines = ["  ".join(cell(t, size, r) for t, size, r in zip(row, widths, flags)).rstrip()
             for row in [list(columns), *texts]]
    lines.insert(1, "─" * (sum(widths) + 2 * (len(widths) - 1)))
    return "\n".join(lines)


def _crop(text: str, total: int) -> str:
    """The first ``total`` columns of text longer than that, as rich's ``set_cell_size`` cuts text
    whose characters each take a column or two (a wide character across the edge becomes a
    space), in one pass over the characters.

    >>> _crop("质量技术", 5), _crop("abc", 2)
    ('质量 ', 'ab')
    """
    from rich.cells import get_character_cell_size

    width = 0
    for index, character in enumerate(text):
        size = get_character_cell_size(character)
        if width + size > total:
            return text[:index] + " " * (total - width)
        width += size
    return text


def _rich_table(columns: Sequence[str], rows: Sequence[Sequence[Any]], width: int | None,
                right: Sequence[str], wrap: Sequence[str]) -> str:
    """The table drawn by rich: cells with line breaks or control characters, text to wrap."""
    from rich import box
    from rich.table import Table

    cells = [[_text(c) for c in row] for row in rows]
    widths = _fit([_natural(name, [r[k] for r in cells]) for k, name in enumerate(columns)],
                  [name not in right for name in columns], width or terminal_width(),
                  [k == 0 or name in wrap for k, name in enumerate(columns)])
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True, header_style="")
    for name, size in zip(columns, widths):
        table.add_column(name, justify="right" if name in right else "left", no_wrap=name not in wrap,
                         overflow="fold" if name in wrap else "ellipsis", width=size)
    for row in cells:
        table.add_row(*row)
    return _plain(table, WIDE)


def _natural(header: str, cells: list[str]) -> int:
    from rich.cells import cell_len
    from rich.markup import render

    return max([cell_len(header)] + [cell_len(render(c).plain) for c in cells])


def _fit(widths: list[int], shrinkable: list[bool], total: int, late: list[bool] | None = None) -> list[int]:
    """Narrow text columns until the table (2-space gaps) fits ``total``: first the widest of
    the others down to 8, then the widest of all down to 4. ``late`` columns (by default the
    first, which names the row) are left for the second round.

    >>> _fit([10, 12, 3], [True, True, False], 25)
    [10, 8, 3]
    >>> _fit([10, 8, 3], [True, True, False], 16)
    [4, 5, 3]
    """
    widths = list(widths)
    late = late if late is not None else [k == 0 for k in range(len(widths))]
    budget = total - 2 * (len(widths) - 1)
    for first_round, floor in ((True, 8), (False, 4)):
        while sum(widths) > budget:
            candidates = [k for k in range(len(widths))
                          if shrinkable[k] and widths[k] > floor and not (first_round and late[k])]
            if not candidates:
                break
            widths[max(candidates, key=lambda k: (widths[k], -k))] -= 1
    return widths


def _text(value: Any) -> str:
    from rich.markup import escape

    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.3f}"
    return escape(str(value))


def _plain(renderable: Any, width: int) -> str:
    """Render without colour or control codes; trailing spaces removed."""
    import io

    from rich.console import Console

    buffer = io.StringIO()
    Console(file=buffer, width=width, color_system=None, force_terminal=False, legacy_windows=False,
            highlight=False, emoji=False).print(renderable, crop=False)
    return "\n".join(line.rstrip() for line in buffer.getvalue().rstrip("\n").splitlines())


def markdown_table(columns: Sequence[str], rows: Sequence[Sequence[Any]], right: Sequence[str] = ()) -> str:
    """A GitHub Markdown table (pipes in cells escaped).

    >>> print(markdown_table(["机构", "n"], [["市质监局", 3]], right=["n"]))
    | 机构 | n |
    |---|---:|
    | 市质监局 | 3 |
    """
    def line(cells: Sequence[Any]) -> str:
        return "| " + " | ".join(_cell(c) for c in cells) + " |"

    rule = "|" + "|".join("---:" if c in right else "---" for c in columns) + "|"
    return "\n".join([line(columns), rule] + [line(r) for r in rows])


def _cell(value: Any) -> str:
    if value is None:
        return ""
    text = f"{value:.3f}" if isinstance(value, float) else str(value)
    return text.replace("|", "\\|").replace("\n", " ")


def error_line(what: str, problem: str, hint: str = "") -> str:
    """The one error style.

    >>> error_line("build", "nosuch: no such file or folder", "check the path")
    'kg: build: nosuch: no such file or folder (check the path)'
    """
    return f"kg: {what}: {problem}" + (f" ({hint})" if hint else "")


class Phases:
    """Timings of the phases of a long command, on stderr: a live spinner on a terminal and
    one ``phase  1.23 s`` summary line at the end."""

    def __init__(self, quiet: bool = False) -> None:
        self.times: dict[str, float] = {}
        self.live = not quiet and sys.stderr.isatty()

    @contextmanager
    def phase(self, name: str, spinner: bool = True) -> Iterator[None]:
        start = time.perf_counter()
        if self.live and spinner:
            from rich.console import Console

            with Console(file=sys.stderr).status(f"{name}…"):
                yield
        else:
            yield
        self.times[name] = self.times.get(name, 0.0) + time.perf_counter() - start

    def summary(self) -> str:
        """``extract 1.20 s · store 0.31 s · total 1.51 s``"""
        parts = [f"{name} {seconds:.2f} s" for name, seconds in self.times.items()]
        return " · ".join(parts + [f"total {sum(self.times.values()):.2f} s"])


# Commands whose results are files: they run with standard output closed (cron, daemons),
# their summary going nowhere; the others refuse, since their output is their result.
_NO_STDOUT = frozenset({"build", "dump", "render", "schemes", "reference", ""})

# errno → (problem, what to do), for paths the user named and for standard output.
_OS_WORDS = {
    errno.ENOSPC: ("disk full", "free some space, or write elsewhere"),
    errno.EDQUOT: ("disk quota exceeded", "free some space, or write elsewhere"),
    errno.EROFS: ("read-only file system", "write to a folder on a writable disk"),
    errno.EACCES: ("permission denied", "make it writable, or write elsewhere"),
    errno.EPERM: ("operation not permitted", "make it writable, or write elsewhere"),
    errno.EEXIST: ("not a folder, a file is in the way", "give a path whose folders are folders"),
    errno.ENOTDIR: ("not a folder, a file is in the way", "give a path whose folders are folders"),
    errno.EISDIR: ("is a folder", "give a file name"),
    errno.ENOENT: ("no such file or folder", "check the path"),
    errno.EBADF: ("closed", "send the output to a file or a pipe"),
}
_STDOUT_HINTS = {errno.ENOSPC: "free some space, or send the output elsewhere"}
_TEMPORARY = re.compile(r"\.(?P<name>.+)\.[A-Za-z0-9_]{8}\.tmp")  # write_atomic's ".NAME.XXXXXXXX.tmp"


def os_error_line(what: str, exc: OSError) -> str:
    """One line for an operating-system error: the path the user knows (a temporary file is
    named by the file it was to become; no path means standard output), problem and remedy.

    >>> os_error_line("schemes", OSError(errno.EROFS, "Read-only file system", "ro/.s.ttl.ab_cd123.tmp"))
    'kg: schemes: ro/s.ttl: read-only file system (write to a folder on a writable disk)'
    >>> os_error_line("report", OSError(errno.ENOSPC, "No space left on device"))
    'kg: report: standard output: disk full (free some space, or send the output elsewhere)'
    """
    problem, hint = _OS_WORDS.get(exc.errno or 0, ((exc.strerror or str(exc)).lower(), "check the path"))
    if exc.filename is None:
        where, hint = "standard output", _STDOUT_HINTS.get(exc.errno or 0, hint)
    else:
        where = os.fsdecode(exc.filename)
        temporary = _TEMPORARY.fullmatch(os.path.basename(where))
        if temporary:
            where = os.path.join(os.path.dirname(where), temporary["name"])
    from kg.names import display_name

    return error_line(what or "kg", f"{display_name(where)}: {problem}", hint)


def _exit_os_error(what: str, exc: OSError) -> None:
    """Exit after an OS error; a reader that went away (``| head``) is no error at all."""
    if not isinstance(exc, BrokenPipeError):
        sys.stderr.write(os_error_line(what, exc) + "\n")
    try:  # output still buffered must not fail again when Python flushes it at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    except OSError:
        pass
    sys.exit(0 if isinstance(exc, BrokenPipeError) else 1)


class KgGroup(click.Group):
    """The ``kg`` group: every failure, click's usage errors included, as one ``kg: …`` line."""

    def main(self, args: Any = None, prog_name: Any = None, complete_var: Any = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        argv = list(sys.argv[1:] if args is None else args)
        what = next((a for a in argv if a in self.commands), "")
        if sys.stdout is None:  # started with file descriptor 1 closed
            if what not in _NO_STDOUT:
                _exit_os_error(what, OSError(errno.EBADF, "closed"))
            sys.stdout = open(os.devnull, "w", encoding="utf-8")  # takes descriptor 1: workers inherit it
        try:
            code = super().main(args, prog_name, complete_var, False, **extra)
        except OSError as exc:
            if "--debug" in argv:
                raise
            _exit_os_error(what, exc)
        except click.UsageError as exc:
            what = exc.ctx.command_path.partition(" ")[2] if exc.ctx else ""  # without the program's name
            hint = f"see 'kg {what} -h'" if what else "see 'kg -h'"
            line = error_line(what, exc.format_message(), hint) if what else f"kg: {exc.format_message()} ({hint})"
            click.echo(line, err=True)
            sys.exit(2)
        except click.ClickException as exc:
            click.echo(f"kg: {exc.format_message()}", err=True)
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("kg: aborted", err=True)
            sys.exit(1)
        except ValueError as exc:
            from kg.errors import ReferenceDataError

            if not isinstance(exc, ReferenceDataError):
                raise
            click.echo(error_line("reference", str(exc)), err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)
