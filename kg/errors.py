"""Every exception the package raises for the user to read, in one place: a document the
pipeline cannot use, a reference table with a bad row, a query that cannot run as given or is
refused, a server it cannot reach. The CLI turns each into one line and a non-zero exit."""
from __future__ import annotations

__all__ = ["DocumentError", "ServerError", "ReferenceDataError", "QueryError", "GuardError", "os_problem"]


class DocumentError(Exception):
    """A problem with one input file, worded for the user.

    >>> str(DocumentError("a.txt", "empty file", "add text or remove it"))
    'a.txt: empty file (add text or remove it)'
    """

    def __init__(self, path: object, problem: str, hint: str = "") -> None:
        from kg.names import display_name

        self.path, self.problem, self.hint = display_name(str(path)), problem, hint
        super().__init__(f"{self.path}: {problem}" + (f" ({hint})" if hint else ""))

    def __reduce__(self) -> tuple[type, tuple[str, str, str]]:
        """Rebuilt from its parts when it comes back from a worker process."""
        return type(self), (self.path, self.problem, self.hint)


class ServerError(DocumentError):
    """A SPARQL server that cannot be reached or refuses a request, worded the same way.

    >>> str(ServerError("http://127.0.0.1:1/query", "cannot reach the server", "start it"))
    'http://127.0.0.1:1/query: cannot reach the server (start it)'
    """


class ReferenceDataError(ValueError):
    """A reference table (``data/*.csv`` or the user's replacement) is missing or has a bad row."""


class QueryError(ValueError):
    """A query that cannot run as given (unknown name, bad parameter, refused update)."""


class GuardError(QueryError):
    """A query the guard refuses (SERVICE or LOAD not allowed), worded for the user."""


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
