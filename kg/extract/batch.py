"""Which files a run reads, and how their problems are reported: one line each on stderr,
the other documents still processed, a summary and an exit code at the end."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Iterable

import click

from kg.errors import DocumentError

__all__ = ["Failures", "extract_all", "expand_inputs", "check_inputs", "is_export_folder", "summary",
           "EXPORT_MARKERS"]


class Failures:
    """Collects per-document problems: one line each on stderr, a summary, an exit code."""

    def __init__(self, debug: bool, strict: bool) -> None:
        self.debug, self.strict, self.count = debug, strict, 0

    def report(self, exc: Exception) -> None:
        from kg.errors import DocumentError

        self.count += 1
        if self.debug:
            import traceback

            traceback.print_exception(exc, file=sys.stderr)
        message = str(exc) if isinstance(exc, DocumentError) else f"{type(exc).__name__}: {exc}"
        click.echo(f"kg: {message}", err=True)
        if self.strict:
            raise SystemExit(1)


def extract_all(paths: list[Path], failures: Failures, progress: bool = True,
                jobs: int = 1) -> list:  # type: ignore[type-arg]
    """Extract every file (in ``jobs`` worker processes, results in input order), reporting bad
    ones and going on with the others."""
    from kg.extract.parallel import ordered_map

    docs = []
    results = ordered_map(extract_or_error, paths, jobs, on_crash=worker_died)
    with click.progressbar(results, length=len(paths), label="extracting", file=sys.stderr,
                           show_pos=True) if progress and len(paths) > 3 and sys.stderr.isatty() else _plain(results) as bar:
        for result in bar:
            if isinstance(result, Exception):
                failures.report(result)
            else:
                docs.append(result)
    return docs


def worker_died(path: Path, error: BaseException) -> DocumentError:
    """What a document whose worker process died, even when run alone, reports instead of a result.

    >>> str(worker_died(Path("big.txt"), RuntimeError()))
    'big.txt: the worker process stopped while reading it (out of memory, or killed) (split the document, or build it alone with --jobs 1)'
    """
    return DocumentError(path, "the worker process stopped while reading it (out of memory, or killed)",
                         "split the document, or build it alone with --jobs 1")


def extract_or_error(path: Path):  # type: ignore[no-untyped-def]
    """One document's extraction, or the exception it raised (a worker must not raise: a bug in
    one document must not cost the others)."""
    from kg.extract.pipeline import extract

    try:
        return extract(path)
    except Exception as exc:  # noqa: BLE001
        return exc if _picklable(exc) else RuntimeError(f"{type(exc).__name__}: {exc}")


def _picklable(exc: Exception) -> bool:
    import pickle

    try:
        pickle.loads(pickle.dumps(exc))
        return True
    except Exception:  # noqa: BLE001
        return False


class _plain:  # the progress bar's stand-in when stderr is not a terminal
    def __init__(self, items: Iterable[Any]) -> None:
        self.items = items

    def __enter__(self) -> Iterable[Any]:
        return self.items

    def __exit__(self, *exc: object) -> None:
        return None


# What a kg export folder holds: one of these inside a folder marks it as output, never input.
EXPORT_MARKERS = (".kg-build.lock", "kg.nq", "store/CURRENT")


def expand_inputs(inputs: tuple[str, ...], failures: Failures, exclude: Path | None = None) -> list[Path]:
    """Files from FILE/FOLDER arguments: folders are walked (no symlink loops), sorted.

    Export folders met on the walk (``exclude``, the run's own ``--out``, and any folder that
    holds a kg export's files) are skipped, so a build never reads its own output back as input.
    """
    from kg.extract.attachments import UNREADABLE
    from kg.extract.read import SUPPORTED_SUFFIXES
    from kg.errors import DocumentError
    from kg import paths as kg_paths

    found: list[Path] = []
    skip = _resolved(exclude)
    for item in inputs or (str(kg_paths.DOCUMENTS),):
        path = Path(item)
        if path.is_dir():
            wanted = (*SUPPORTED_SUFFIXES, *UNREADABLE, ".ofd")  # unreadable ones: reported with how to convert
            found += sorted(p for p in _walk(path, skip) if p.suffix.lower() in wanted)
        elif path.exists() or path.is_symlink():
            found.append(path)
        else:
            failures.report(DocumentError(path, "no such file", "check the path"))
    return found


def check_inputs(inputs: tuple[str, ...]) -> list[str]:
    """Problems with FILE/FOLDER arguments and the folders below them, one line each (empty when
    all can be read): a build checks them before it touches anything, because a folder it cannot
    list would look like documents that disappeared. A file inside a folder that cannot be read
    (permissions, a broken link) is not a problem here: it fails as one document, keeping its graph.

    >>> check_inputs(("no/such/place",))
    ['no/such/place: no such file or folder (check the path; nothing was changed)']
    """
    problems = []
    for item in inputs:
        path = Path(item)
        if not path.exists():
            problems.append(f"{item}: no such file or folder (check the path; nothing was changed)")
        elif not os.access(path, os.R_OK | (os.X_OK if path.is_dir() else 0)):
            problems.append(f"{item}: permission denied (make it readable; nothing was changed)")
        elif path.is_dir():
            problems += [f"{p}: permission denied (make it readable; nothing was changed)"
                         for p in _folders(path) if not os.access(p, os.R_OK | os.X_OK)]
    return problems


def _folders(folder: Path) -> list[Path]:
    """The folders below ``folder`` (not following links), the unreadable ones included."""
    found = []
    for root, dirs, _ in os.walk(folder, followlinks=False):
        found += [Path(root) / d for d in sorted(dirs) if not (Path(root) / d).is_symlink()]
    return found


def _resolved(path: Path | None) -> Path | None:
    try:
        return path.resolve() if path is not None else None
    except OSError:
        return None


def is_export_folder(folder: Path, exclude: Path | None = None) -> bool:
    """Whether ``folder`` is kg output: the excluded folder itself or one holding export files."""
    if exclude is not None and _resolved(folder) == exclude:
        return True
    return any((folder / marker).exists() for marker in EXPORT_MARKERS)


def _walk(folder: Path, exclude: Path | None = None) -> list[Path]:
    files = []
    for root, dirs, names in os.walk(folder, followlinks=False):
        if is_export_folder(Path(root), exclude):
            dirs.clear()
            continue
        dirs.sort()
        files += [Path(root) / n for n in names]
    return files


def summary(docs: list, failures: Failures, verbose: bool = False) -> None:  # type: ignore[type-arg]
    """Print what was found (flagged documents, coverage) and the run summary on stderr; exit 1
    when any document failed."""
    from kg.extract.coverage import of_extraction, report_lines

    sys.stdout.flush()
    for line in report_lines([of_extraction(d) for d in docs], verbose):
        click.echo(line, err=True)
    tasks = sum(len(d.tasks) for d in docs)
    assignments = sum(len(d.assignments) for d in docs)
    click.echo(f"{len(docs) + failures.count} documents, {tasks} tasks, {assignments} assignments, "
               f"{failures.count} errors", err=True)
    if failures.count:
        raise SystemExit(1)
