"""The dumps of an export folder (``kg.nq``, ``kg.trig``, ``kg.ttl``, ``kg.jsonld``), written
graph by graph by Oxigraph's own serialisers, never through an in-memory rdflib graph.

Each named graph's piece of every dump is made once, from its triples sorted, and kept in
``DIR/.kg-cache/dumps.sqlite`` under the graph's fingerprint (:mod:`kg.graph.piece_cache`); a
dump is its :func:`header`, the pieces of all graphs in graph-name order (:func:`joined`) and its
:func:`footer`. So a build that changed one document serialises one document, and
:mod:`kg.graph.splice` copies the other graphs' bytes from the dump before. Output is
byte-identical for the same dataset:

* ``kg.nq``: each graph's lines sorted, graphs in name order;
* ``kg.trig``: all prefixes once, then one block per graph (Oxigraph's Turtle of sorted triples);
* ``kg.ttl``: the union of the graphs; a graph's own subjects (``…/graph/X`` owns ``…/id/X…``)
  come with their graph, the triples documents say about shared things (alternative labels of
  an agency, the evidence of a group) are merged, deduplicated and written at the end;
* ``kg.jsonld``: expanded JSON-LD, one ``{"@id": graph, "@graph": […]}`` object per graph.
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator

if TYPE_CHECKING:
    import pyoxigraph as ox

__all__ = ["DUMP_FORMATS", "Pieces", "pieces", "sorted_pieces", "DumpCache", "parse_formats", "state_digest",
           "owner_prefix", "header", "joined", "footer"]

DUMP_FORMATS = {"nq": "kg.nq", "trig": "kg.trig", "ttl": "kg.ttl", "jsonld": "kg.jsonld"}
LISTED_TRIPLES = 50_000  # a graph's triples held as a list while its pieces are made (a document's: ~4,300)


def parse_formats(text: str) -> tuple[str, ...]:
    """``nq,ttl`` → the dump formats, in a fixed order; ``all`` and ``none`` too.

    >>> parse_formats("ttl,nq"), parse_formats("none"), len(parse_formats("all"))
    (('nq', 'ttl'), (), 4)
    """
    words = {w.strip() for w in text.split(",") if w.strip()}
    if words == {"all"}:
        return tuple(DUMP_FORMATS)
    if words <= {"none"}:
        return ()
    unknown = words - set(DUMP_FORMATS)
    if unknown:
        raise ValueError(f"unknown dump format {', '.join(sorted(unknown))} (choose from "
                         f"{', '.join(DUMP_FORMATS)}, all or none)")
    return tuple(f for f in DUMP_FORMATS if f in words)


@dataclass(frozen=True)
class Pieces:
    """One graph's share of each dump."""

    key: str
    nq: str
    trig: str
    ttl: str
    foreign: str  # N-Triples lines of things the graph does not own (merged into kg.ttl's tail)
    jsonld: str


_PIECE_FIELDS = tuple(f.name for f in dataclasses.fields(Pieces))  # key first: the order of Pieces
_COLUMNS = ", ".join(f'"{name}"' for name in _PIECE_FIELDS)  # quoted: FOREIGN is an SQL keyword
@functools.cache
def _prefixes() -> dict[str, str]:
    from kg.graph.vocab import PREFIXES

    return {k: str(v) for k, v in sorted(PREFIXES.items())}


def _turtle_body(triples: Iterable[ox.Quad], prefixes: dict[str, str]) -> str:
    """Turtle of one graph's triples (parsed from N-Triples: quads of the default graph), without
    the prefix lines the dump writes once."""
    import pyoxigraph as ox

    text = (ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes) or b"").decode("utf-8")
    return "".join(line + "\n" for line in _lines(text) if not line.startswith("@prefix"))


def owner_prefix(graph: str) -> str:
    """The IRIs a graph owns: its name with ``/graph/`` read as ``/id/``.

    >>> owner_prefix("https://w3id.org/cgr/graph/doc/a")
    'https://w3id.org/cgr/id/doc/a'
    """
    return graph.replace("/cgr/graph/", "/cgr/id/", 1)


def pieces(graph: str, ntriples: bytes, key: str) -> Pieces:
    """The dump pieces of one graph from its N-Triples (any order; duplicates dropped).

    The triples are parsed once, in the default graph, and every piece comes from Oxigraph's
    serialisers in bulk: N-Quads are its N-Triples lines with the graph name put before the final
    dot, and the named graph's JSON-LD wraps the default graph's in ``{"@id": …, "@graph": …}``,
    just what Oxigraph writes for the quads of that graph. A graph owns the subjects its name
    covers (:func:`owner_prefix`), read off each line's first term.
    """
    return sorted_pieces(graph, sorted(set(_lines(ntriples.decode("utf-8"))) - {""}), key)


def sorted_pieces(graph: str, lines: list[str], key: str) -> Pieces:
    """:func:`pieces` from N-Triples lines already sorted, each once (as :meth:`kg.graph.ntriples.Lines.sorted`
    gives them), without sorting them again.

    >>> made = sorted_pieces("https://w3id.org/cgr/graph/doc/a", ['<https://w3id.org/cgr/id/doc/a> <a:p> "x" .'], "k")
    >>> made.nq
    '<https://w3id.org/cgr/id/doc/a> <a:p> "x" <https://w3id.org/cgr/graph/doc/a> .\\n'
    """
    import pyoxigraph as ox

    data = "\n".join(lines).encode("utf-8")
    # parsed once for the three writers (most of their cost is making each triple a Python object),
    # except for a graph so large that the list (~1.5 KB a triple) would dwarf its text: parsed anew
    listed = list(ox.parse(data, format=ox.RdfFormat.N_TRIPLES)) if len(lines) <= LISTED_TRIPLES else None

    def triples() -> Iterator[ox.Quad]:
        return iter(listed) if listed is not None else ox.parse(data, format=ox.RdfFormat.N_TRIPLES)

    owned = owner_prefix(graph)
    owns = [line.startswith((f"<{owned}>", f"<{owned}/", f"<{owned}#")) for line in lines]
    # written from Oxigraph's terms like the other dumps (language tags in its normal case), so that
    # every dump says the same triples
    canonical = _lines((ox.serialize(triples(), format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8"))
    prefixes = _prefixes()
    body = _turtle_body(triples(), prefixes) if lines else ""
    trig = f"<{graph}> {{\n" + "".join(("    " + line if line else "") + "\n" for line in _lines(body)) + "}\n\n"
    jsonld = ""
    if lines:
        default = (ox.serialize(triples(), format=ox.RdfFormat.JSON_LD) or b"").decode("utf-8").strip()
        jsonld = f'{{"@id":{json.dumps(graph, ensure_ascii=False)},"@graph":{default}}}'
    nq = "".join(sorted(f"{line[:-1]}<{graph}> .\n" for line in canonical))
    foreign = "".join(line + "\n" for line in sorted(line for line, own in zip(canonical, owns) if not own))
    ttl = _owned_blocks(body, lines, owns)
    if ttl is None:
        ttl = _turtle_body((t for t, own in zip(triples(), owns) if own), prefixes) if any(owns) else ""
    return Pieces(key, nq, trig, ttl, foreign, jsonld)


def _owned_blocks(body: str, lines: list[str], owns: list[bool]) -> str | None:
    """The Turtle of the owned triples cut out of the Turtle of all (``body``), without writing
    it again: sorted lines keep each subject's triples together, and Oxigraph writes one block a
    subject, in order, its first line at the margin and the rest indented. ``None`` when the
    blocks do not match the subjects one for one (then the owned triples are written anew).

    >>> _owned_blocks("a:x a:p 1 .\\na:y a:p 1 ;\\n\\ta:q 2 .\\n", ["<x> <p> 1 .", "<y> <p> 1 .", "<y> <q> 2 ."],
    ...               [False, True, True])
    'a:y a:p 1 ;\\n\\ta:q 2 .\\n'
    """
    if all(owns):
        return body
    blocks: list[list[str]] = []
    for line in _lines(body):
        if line.startswith("\t") and blocks:
            blocks[-1].append(line)
        else:
            blocks.append([line])
    subjects: list[bool] = []  # whether each subject, in order, is owned
    previous = None
    for line, own in zip(lines, owns):
        subject = line[:line.find(" ")]
        if subject != previous:
            subjects.append(own)
            previous = subject
    if len(subjects) != len(blocks):
        return None
    return "".join(line + "\n" for block, own in zip(blocks, subjects) if own for line in block)


def state_digest(current: dict[str, str]) -> str:
    """What a dump was made from: every graph with its content key.

    >>> state_digest({"g": "1"}) == state_digest({"g": "1"}) != state_digest({"g": "2"})
    True
    """
    digest = hashlib.sha256()
    for graph, key in sorted(current.items()):
        digest.update(f"{graph}\t{key}\n".encode("utf-8"))
    return digest.hexdigest()


def header(form: str) -> bytes:
    """What a dump holds before its first graph: the prefixes of ``kg.trig`` and ``kg.ttl``, the
    opening bracket of ``kg.jsonld``.

    >>> header("nq"), header("jsonld"), header("ttl").startswith(b"@prefix ")
    (b'', b'[', True)
    """
    if form in ("trig", "ttl"):
        return ("".join(f"@prefix {k}: <{v}> .\n" for k, v in _prefixes().items()) + "\n").encode("utf-8")
    return b"[" if form == "jsonld" else b""


def joined(form: str, piece: bytes, first: bool) -> bytes:
    r"""A graph's piece as it stands in the dump: in ``kg.jsonld`` after a comma unless it is the
    first object, and nothing for a graph without triples.

    >>> joined("jsonld", b'{"@id":"g"}', True), joined("jsonld", b'{"@id":"h"}', False), joined("nq", b"", False)
    (b'\n{"@id":"g"}', b',\n{"@id":"h"}', b'')
    """
    if form != "jsonld" or not piece:
        return piece
    return (b"\n" if first else b",\n") + piece


def footer(form: str, foreign: set[bytes]) -> bytes:
    r"""What a dump holds after its last graph: ``kg.jsonld``'s closing bracket; in ``kg.ttl`` the
    triples the documents say about things they do not own (``foreign``: N-Triples lines),
    merged, sorted (UTF-8 byte order is code point order) and written as one Turtle block.

    >>> footer("jsonld", set()), footer("ttl", {b'<https://x.org/a> <https://x.org/p> "1" .'})
    (b'\n]\n', b'<https://x.org/a> <https://x.org/p> "1" .\n')
    """
    if form == "jsonld":
        return b"\n]\n"
    if form != "ttl" or not foreign:
        return b""
    import pyoxigraph as ox

    triples = list(ox.parse(b"\n".join(sorted(foreign)), format=ox.RdfFormat.N_TRIPLES))
    return _turtle_body(triples, _prefixes()).encode("utf-8")


def __getattr__(name: str) -> Any:
    """The piece cache, kept in :mod:`kg.graph.piece_cache`, importable from here as before."""
    if name in ("DumpCache", "Packed", "pack", "unpack"):
        from kg.graph import piece_cache

        return getattr(piece_cache, name)
    raise AttributeError(name)


def _lines(text: str) -> list[str]:
    r"""The lines of RDF text, split at line feeds only: ``str.splitlines`` would also split inside
    literals that hold a form feed, U+2028 or another character it takes for a line end.

    >>> _lines('<a:s> <a:p> "x\u2028y" .\n<a:s> <a:p> "z" .\n')
    ['<a:s> <a:p> "x\u2028y" .', '<a:s> <a:p> "z" .']
    """
    return text[:-1].split("\n") if text.endswith("\n") else text.split("\n") if text else []
