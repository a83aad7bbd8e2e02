"""N-Triples terms and graphs written as text, without an RDF library in the loop.

A build maps every document to a few thousand triples; building them as rdflib terms in an rdflib
graph and serialising that graph was nine tenths of a build's time and held the whole document's
graph in memory twice. Here a graph is a set of N-Triples lines, written byte for byte as rdflib's
N-Triples serialiser writes the same triples (the lexical form as given, ``\\``, ``"``, line feed and
carriage return escaped, UTF-8), so stores, dumps and fingerprints do not change.

>>> g = Lines()
>>> g.add("https://example.org/a", iri("https://example.org/p"), text('say "hi"\\n'))
>>> g.add("https://example.org/a", iri("https://example.org/p"), integer(3))
>>> g.add("https://example.org/a", iri("https://example.org/p"), integer(3))
>>> print(g.ntriples().decode("utf-8"), end="")
<https://example.org/a> <https://example.org/p> "3"^^<http://www.w3.org/2001/XMLSchema#integer> .
<https://example.org/a> <https://example.org/p> "say \\"hi\\"\\n" .
"""
from __future__ import annotations

from functools import lru_cache

__all__ = ["Lines", "iri", "text", "lang_text", "typed", "integer", "boolean", "literal", "XSD_NS"]

XSD_NS = "http://www.w3.org/2001/XMLSchema#"
_INTEGER = f"^^<{XSD_NS}integer>"


@lru_cache(maxsize=65536)
def iri(value: str) -> str:
    """An IRI term (the value must already be a valid IRI: kg.graph.vocab mints them)."""
    return f"<{value}>"


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"').replace("\r", "\\r") + '"'


def text(value: str) -> str:
    """A plain string literal."""
    return _quoted(value)


def lang_text(value: str, lang: str = "zh-Hans") -> str:
    """A string with a language tag (written as given, as rdflib does).

    >>> lang_text("发展改革委")
    '"发展改革委"@zh-Hans'
    """
    return f"{_quoted(value)}@{lang}"


def typed(value: str, datatype: str) -> str:
    """A literal of ``datatype`` with ``value`` as its lexical form, unchanged.

    >>> typed("2019", XSD_NS + "gYear")
    '"2019"^^<http://www.w3.org/2001/XMLSchema#gYear>'
    """
    return f"{_quoted(value)}^^<{datatype}>"


def integer(value: int) -> str:
    return f'"{value}"{_INTEGER}'


def boolean(value: bool) -> str:
    return f'"{"true" if value else "false"}"^^<{XSD_NS}boolean>'


def literal(value: str | int | bool) -> str:
    """The literal rdflib makes of a Python value: a string, a boolean or an integer.

    >>> literal(True), literal(7), literal("x")
    ('"true"^^<http://www.w3.org/2001/XMLSchema#boolean>', '"7"^^<http://www.w3.org/2001/XMLSchema#integer>', '"x"')
    """
    if isinstance(value, bool):
        return boolean(value)
    if isinstance(value, int):
        return integer(value)
    return _quoted(value)


class Lines:
    """One graph as a set of N-Triples lines: a graph holds each triple once."""

    __slots__ = ("lines",)

    def __init__(self) -> None:
        self.lines: set[str] = set()

    def add(self, subject: str, predicate: str, obj: str) -> None:
        """Add a triple: ``subject`` a bare IRI, ``predicate`` and ``obj`` terms already written."""
        self.lines.add(f"<{subject}> {predicate} {obj} .")

    def sorted(self) -> list[str]:
        """The lines in code-point order, which is the byte order of their UTF-8."""
        return sorted(self.lines)

    def ntriples(self) -> bytes:
        """The graph as sorted UTF-8 N-Triples, one triple a line."""
        return "".join(line + "\n" for line in self.sorted()).encode("utf-8")
