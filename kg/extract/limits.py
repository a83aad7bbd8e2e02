"""Reading input files within limits: only regular files, bounded in size on disk and inflated.

A FIFO in an input folder would block a plain ``read`` forever and a symlink to a device would
read until memory ran out, so a file is checked before it is opened, opened without blocking,
checked again on the open descriptor (the name may have been swapped in between) and read no
further than the limit. Zip-based documents (.docx) are checked for what they inflate to, both
as their members declare it and as they really inflate, before any parser sees them.
"""
from __future__ import annotations

import errno
import io
import os
import stat
import zipfile
from pathlib import Path

from kg.errors import DocumentError

__all__ = ["read_limited", "check_zip", "max_bytes", "check_length", "max_characters", "DEFAULT_MAX_MB",
           "DEFAULT_MAX_CHARACTERS", "INFLATE_FACTOR"]

DEFAULT_MAX_MB = 256  # far above any real policy document; override with KG_MAX_FILE_MB
# Characters of text one document may hold: about 2,000 pages, hundreds of times the longest real
# plan. Extraction holds ~55 bytes per character and a build's graph ~1.5 KB, so a text far longer
# (many documents run together, a generated file) is refused before it is extracted, in a second,
# instead of taking the machine's memory. Override with KG_MAX_TEXT_CHARS.
DEFAULT_MAX_CHARACTERS = 4_000_000
INFLATE_FACTOR = 4  # a zip document may inflate to this many times the file limit
_CHUNK = 1 << 20


def max_bytes() -> int:
    """The size limit in bytes: ``KG_MAX_FILE_MB`` when set to a positive number, else the default.

    >>> max_bytes() == DEFAULT_MAX_MB << 20 or "KG_MAX_FILE_MB" in os.environ
    True
    """
    raw = os.environ.get("KG_MAX_FILE_MB", "")
    try:
        megabytes = float(raw) if raw else DEFAULT_MAX_MB
    except ValueError:
        raise DocumentError("KG_MAX_FILE_MB", f"not a number: {raw!r}", "set it to a size in MB") from None
    return int(megabytes * (1 << 20)) if megabytes > 0 else DEFAULT_MAX_MB << 20


def max_characters() -> int:
    """The most characters one document's text may hold: ``KG_MAX_TEXT_CHARS`` or the default.

    >>> max_characters() == DEFAULT_MAX_CHARACTERS or "KG_MAX_TEXT_CHARS" in os.environ
    True
    """
    raw = os.environ.get("KG_MAX_TEXT_CHARS", "").strip().replace("_", "").replace(",", "")
    if not raw:
        return DEFAULT_MAX_CHARACTERS
    if not raw.isdigit() or int(raw) == 0:
        raise DocumentError("KG_MAX_TEXT_CHARS", f"not a positive whole number: {raw!r}", "set it to a count")
    return int(raw)


def check_length(path: Path, text: str) -> str:
    """``text`` when it is within :func:`max_characters`, else a one-line :class:`DocumentError`.

    >>> check_length(Path("plan.txt"), "一、主要任务")
    '一、主要任务'
    """
    limit = max_characters()
    if len(text) > limit:
        raise DocumentError(path, f"{len(text):,} characters of text, more than {limit:,}",
                            "split it into its documents, or raise KG_MAX_TEXT_CHARS")
    return text


def read_limited(path: Path, limit: int | None = None) -> bytes:
    """The bytes of a regular file no larger than ``limit``; anything else a :class:`DocumentError`."""
    limit = max_bytes() if limit is None else limit
    _check_stat(path, _stat(path, os.stat), limit)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise _os_error(path, exc) from None
    with os.fdopen(fd, "rb", buffering=0) as handle:
        info = os.fstat(fd)
        _check_stat(path, info, limit)
        data = handle.read(info.st_size + 1)  # read(limit + 1) would reserve the whole limit each time
        if len(data) > info.st_size:  # the file grew since it was checked: read on, up to the limit
            data += _read_more(handle, limit + 1 - len(data))
    if len(data) > limit:
        raise _too_large(path, limit)
    return data


def _read_more(handle: io.RawIOBase, most: int) -> bytes:
    """At most ``most`` more bytes, a chunk at a time."""
    chunks, total = [], 0
    while total < most and (chunk := handle.read(min(_CHUNK, most - total))):
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def check_zip(data: bytes, path: Path, limit: int) -> None:
    """Refuse a zip whose members declare, or really inflate to, more than ``limit`` bytes in all."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
        if sum(m.file_size for m in members) > limit:
            raise _inflates(path, limit)
        total = 0
        for member in members:
            with archive.open(member) as stream:
                while chunk := stream.read(_CHUNK):
                    total += len(chunk)
                    if total > limit:
                        raise _inflates(path, limit)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError):
        raise DocumentError(path, "not a readable zip-based document", "re-save it from Word") from None


def _stat(path: Path, how) -> os.stat_result:  # type: ignore[no-untyped-def]
    try:
        return how(path)  # type: ignore[no-any-return]
    except OSError as exc:
        raise _os_error(path, exc) from None


def _check_stat(path: Path, info: os.stat_result, limit: int) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise DocumentError(path, "is a folder, not a file", "pass the files inside it")
    if not stat.S_ISREG(info.st_mode):
        raise DocumentError(path, "not a regular file (a FIFO, device or socket)", "pass ordinary files only")
    if info.st_size > limit:
        raise _too_large(path, limit)


def _too_large(path: Path, limit: int) -> DocumentError:
    return DocumentError(path, f"larger than the size limit of {limit / (1 << 20):.3g} MB",
                         "split the document, or raise KG_MAX_FILE_MB")


def _inflates(path: Path, limit: int) -> DocumentError:
    return DocumentError(path, f"inflates to more than {limit / (1 << 20):.3g} MB",
                         "re-save it without embedded files, or raise KG_MAX_FILE_MB")


def _os_error(path: Path, exc: OSError) -> DocumentError:
    if isinstance(exc, PermissionError):
        return DocumentError(path, "permission denied", "make the file readable")
    if isinstance(exc, FileNotFoundError):
        if path.is_symlink():
            return DocumentError(path, "a symbolic link to nothing", "point it at a file or remove it")
        return DocumentError(path, "no such file", "check the path")
    if exc.errno == errno.ELOOP:
        return DocumentError(path, "a loop of symbolic links", "point it at a file or remove it")
    return DocumentError(path, f"cannot read ({exc.strerror or exc})", "check the path")
