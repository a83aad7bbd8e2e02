"""The one exception type the pipeline raises for a document it cannot use."""
from __future__ import annotations

__all__ = ["DocumentError", "os_problem"]


class DocumentError(Exception):
    """A problem with one input file, worded for the user.

    >>> str(DocumentError("a.txt", "empty file", "add text or remove it"))
    'a.txt: empty file (add text or remove it)'
    """

    def __init__(self, path: object, problem: str, hint: str = "") -> None:
        from kg.names import display_name

        self.path, self.problem, self.hint = display_name(str(path)), problem, hint
        super().__init__(f"{self.path}: {problem}" + (f" ({hint})" if hint else ""))


_OS_HINTS = {
    "ENOSPC": ("disk full", "free some space and run again; the previous exports are intact"),
    "EDQUOT": ("disk quota exceeded", "free some space and run again; the previous exports are intact"),
    "EROFS": ("read-only file system", "give --out a folder on a writable disk"),
    "EACCES": ("permission denied", "make the folder writable, or give --out another folder"),
    "EPERM": ("operation not permitted", "make the folder writable, or give --out another folder"),
}


def os_problem(exc: OSError, where: object) -> DocumentError:
    """An operating-system error while writing, as one line naming the path and what to do.

    >>> import errno
    >>> str(os_problem(OSError(errno.ENOSPC, "No space left on device", "out/kg.nq"), "out"))
    'out/kg.nq: disk full (free some space and run again; the previous exports are intact)'
    """
    import errno

    problem, hint = _OS_HINTS.get(errno.errorcode.get(exc.errno or 0, ""), (exc.strerror or str(exc), "check the folder"))
    return DocumentError(exc.filename if exc.filename else where, problem, hint)
