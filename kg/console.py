"""What people read on the terminal: tables that fit its width (:mod:`kg.text_tables`, strings, so
report functions stay pure and testable), progress with timings, and the one error style
``kg: <what>: <problem> (<what to do>)``.
"""
from __future__ import annotations

import errno
import os
import re
import sys
import time
from typing import Any, Iterator
from contextlib import contextmanager

import click

from kg.text_tables import WIDE, markdown_table, render_table, terminal_width  # where they were first

__all__ = ["terminal_width", "render_table", "markdown_table", "error_line", "Phases", "WIDE", "KgGroup"]

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
