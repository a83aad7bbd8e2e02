"""The exceptions worded for the user: a document the pipeline cannot use, a server it cannot reach."""
from __future__ import annotations

__all__ = ["DocumentError", "ServerError"]


class DocumentError(Exception):
    """A problem with one input file, worded for the user.

    >>> str(DocumentError("a.txt", "empty file", "add text or remove it"))
    'a.txt: empty file (add text or remove it)'
    """

    def __init__(self, path: object, problem: str, hint: str = "") -> None:
        self.path, self.problem, self.hint = str(path), problem, hint
        super().__init__(f"{self.path}: {problem}" + (f" ({hint})" if hint else ""))

    def __reduce__(self) -> tuple[type, tuple[str, str, str]]:
        """Rebuilt from its parts when it comes back from a worker process."""
        return type(self), (self.path, self.problem, self.hint)


class ServerError(DocumentError):
    """A SPARQL server that cannot be reached or refuses a request, worded the same way.

    >>> str(ServerError("http://127.0.0.1:1/query", "cannot reach the server", "start it"))
    'http://127.0.0.1:1/query: cannot reach the server (start it)'
    """
