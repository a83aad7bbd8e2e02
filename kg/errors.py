"""The one exception type the pipeline raises for a document it cannot use."""
from __future__ import annotations

__all__ = ["DocumentError"]


class DocumentError(Exception):
    """A problem with one input file, worded for the user.

    >>> str(DocumentError("a.txt", "empty file", "add text or remove it"))
    'a.txt: empty file (add text or remove it)'
    """

    def __init__(self, path: object, problem: str, hint: str = "") -> None:
        from kg.names import display_name

        self.path, self.problem, self.hint = display_name(str(path)), problem, hint
        super().__init__(f"{self.path}: {problem}" + (f" ({hint})" if hint else ""))
