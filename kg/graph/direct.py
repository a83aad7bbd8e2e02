"""A SELECT on the on-disk Oxigraph store, read the fast way and without rdflib.

Two costs dominate a SELECT of thousands of rows on a disk store besides the query itself:

* every term crossing into Python one by one (an object per cell). Here Oxigraph writes the
  whole result as SPARQL TSV, which keeps each term's kind and datatype, and the text is split
  into plain values: the values rdflib's ``toPython`` gives (int, Decimal, bool, str), so every
  output is the one the rdflib path writes. Other datatypes are converted by rdflib itself.
* a final ``ORDER BY`` on text: the engine looks each compared string up on disk again, for
  every comparison. When the conditions are plain variables whose values are all of one
  kind, which Python orders exactly as SPARQL does (numbers; IRIs, simple literals, or literals
  of one language, by code point), the rows are read unordered and sorted here. When two rows
  tie on every condition the engine's order among them is its own, so the query is run again
  with its ``ORDER BY``: the answer is always the engine's.
"""
from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import QueryError
from kg.graph.querytext import check_selected, final_order, unordered

if TYPE_CHECKING:
    import pyoxigraph as ox

__all__ = ["open_oxigraph", "read_only", "select", "read_tsv", "tsv_value", "graph_fingerprints"]

_XSD = "http://www.w3.org/2001/XMLSchema#"
_STRINGS = (f"{_XSD}string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString")
_CONDITION = re.compile(r"(?:(ASC|DESC)\(\s*\?(\w+)\s*\)|\?(\w+))", re.IGNORECASE)
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.DOTALL)
_CHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}

Row = list[Any]
_FINGERPRINT_ROW = re.compile(r'<([^<>"{}|^`\\\s]*)>\t"([0-9A-Za-z]*)"')  # a graph and its fingerprint in TSV


def open_oxigraph(folder: Path) -> ox.Store:
    """The export folder's on-disk store, read-only, for bulk reads without rdflib."""
    import pyoxigraph as ox

    path = folder / "store"
    if not path.is_dir():
        raise FileNotFoundError(f"{path}: no store here (run 'kg build' first, or give --out)")
    try:
        return read_only(path)
    except (OSError, RuntimeError):  # a build kept changing the files: its last dump, in memory
        dump = folder / "kg.nq"
        if not dump.is_file():
            raise
        store = ox.Store()
        store.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS)
        return store


def read_only(path: Path, attempts: int = 8) -> ox.Store:
    """The store in ``path`` opened read-only. A build writing it replaces its MANIFEST file from
    time to time; an open that read the old name finds the file gone ("MANIFEST … may be
    corrupted") for a moment, so the open is tried again, 8 times over about 2.5 s."""
    import time

    import pyoxigraph as ox

    for attempt in range(attempts - 1):
        try:
            return ox.Store.read_only(str(path))
        except (OSError, RuntimeError):
            time.sleep(0.02 * 2 ** attempt)
    return ox.Store.read_only(str(path))


def select(store: Any, text: str, bindings: dict[str, Any] | None = None) -> tuple[list[str], list[Row]]:
    """Variables and rows (plain values) of a SELECT over the union of the store's graphs;
    ``bindings`` maps a variable to an Oxigraph term."""
    conditions = _conditions(final_order(text))
    if conditions is not None:
        variables, rows = _run(store, unordered(text), bindings)
        ordered = _sorted(variables, rows, conditions)
        if ordered is not None:
            return variables, ordered
    variables, rows = _run(store, text, bindings)
    return variables, [[value for value, _key in row] for row in rows]


def _run(store: Any, text: str, bindings: dict[str, Any] | None) -> tuple[list[str], list[Row]]:
    import pyoxigraph as ox

    try:
        solutions = store.query(text, use_default_graph_as_union=True,
                                substitutions={ox.Variable(k): v for k, v in (bindings or {}).items()} or None)
        if not isinstance(solutions, ox.QuerySolutions):
            raise QueryError("only SELECT queries are read this way")
        data = solutions.serialize(format=ox.QueryResultsFormat.TSV)
    except (RuntimeError, SyntaxError, OSError, ValueError) as exc:
        raise QueryError(f"query failed: {exc}") from None
    variables, rows = read_tsv((data or b"").decode("utf-8"))
    check_selected(bindings or {}, variables)
    return variables, rows


def read_tsv(text: str) -> tuple[list[str], list[Row]]:
    r"""Variables and rows of SPARQL TSV results; each cell is (plain value, sort key).

    >>> read_tsv('?a\t?b\n<urn:x>\t"市"@zh\n\t2.5\n')
    (['a', 'b'], [[('urn:x', ('iri', 'urn:x')), ('市', ('lang:zh', '市'))], [(None, None), (Decimal('2.5'), ('number', Decimal('2.5')))]])
    """
    lines = text.split("\n")
    variables = [v[1:] for v in lines[0].split("\t")] if lines[0] else []
    memo = _Memo()  # names of functions, counts and such repeat: each distinct term is read once
    return variables, [[memo[cell] for cell in line.split("\t")] for line in lines[1:] if line]


class _Memo(dict[str, tuple[Any, Any]]):
    def __missing__(self, cell: str) -> tuple[Any, Any]:
        value = self[cell] = tsv_value(cell)
        return value


def tsv_value(cell: str) -> tuple[Any, tuple[str, Any] | None]:
    """One TSV term as (the plain value rdflib's ``toPython`` gives, a sort key) — the key's first
    part names the kind of value, which must be the same in every row to sort by it here.

    >>> tsv_value('"a\\tb"'), tsv_value('"3"^^<http://www.w3.org/2001/XMLSchema#decimal>'), tsv_value('true')
    (('a\\tb', ('string', 'a\\tb')), (Decimal('3'), ('number', Decimal('3'))), (True, None))
    """
    if not cell:
        return None, None
    first = cell[0]
    if first == "<":
        return cell[1:-1], ("iri", cell[1:-1])
    if first == '"':
        end = cell.rindex('"')
        value = _unescape(cell[1:end]) if "\\" in cell else cell[1:end]
        suffix = cell[end + 1:]
        if not suffix:
            return value, ("string", value)
        if suffix[0] == "@":
            return value, (f"lang:{suffix[1:]}", value)
        return _typed(value, suffix[3:-1])
    if cell.startswith("_:"):
        return cell[2:], None
    if cell in ("true", "false"):
        return cell == "true", None
    if "e" in cell or "E" in cell:
        return _typed(cell, f"{_XSD}double")
    if "." in cell:
        number = Decimal(cell)
        return number, ("number", number)
    return int(cell), ("number", int(cell))


def _typed(value: str, datatype: str) -> tuple[Any, tuple[str, Any] | None]:
    if datatype in _STRINGS:
        return value, ("string", value)
    if datatype == f"{_XSD}integer":
        return int(value), ("number", int(value))
    if datatype == f"{_XSD}decimal":
        return Decimal(value), ("number", Decimal(value))
    from rdflib import Literal, URIRef  # any other datatype: rdflib's own conversion

    return Literal(value, datatype=URIRef(datatype)).toPython(), None


def _unescape(text: str) -> str:
    r"""A TSV string with its escapes (``\t``, ``\"``, ``\u00e9``, …) resolved.

    >>> _unescape('a\\tb\\"c\\u00e9')
    'a\tb"cé'
    """
    def one(match: re.Match[str]) -> str:
        code = match.group(1) or match.group(2)
        return chr(int(code, 16)) if code else _CHARS.get(match.group(3), "\\" + match.group(3))

    return _ESCAPE.sub(one, text)


def _conditions(order: str | None) -> list[tuple[str, bool]] | None:
    """(variable, descending) of each ORDER BY condition when all are plain variables, else None.

    >>> _conditions("DESC(?burden) ?name"), _conditions("STR(?name)")
    ([('burden', True), ('name', False)], None)
    """
    if not order:
        return None
    found = _CONDITION.findall(order)
    if "".join(_CONDITION.sub("", order).split()):  # anything but plain conditions: the engine orders
        return None
    return [(plain or var, direction.upper() == "DESC") for direction, var, plain in found]


def _sorted(variables: list[str], rows: list[Row], conditions: list[tuple[str, bool]]) -> list[Row] | None:
    """The rows in the order of ``conditions``, or None when Python cannot tell that order as the
    engine would (a variable not selected, values of mixed kinds or unbound, rows that tie)."""
    if any(v not in variables for v, _ in conditions):
        return None
    columns = [(variables.index(v), descending) for v, descending in conditions]
    for index, _ in columns:
        kinds = {None if row[index][1] is None else row[index][1][0] for row in rows}
        if len(kinds) > 1 or None in kinds:
            return None
    if rows and all(rows[0][i][1][0] == "number" for i, descending in columns if descending):
        keys = [tuple([-row[i][1][1] if d else row[i][1][1] for i, d in columns]) for row in rows]
        order = sorted(range(len(rows)), key=keys.__getitem__)  # one sort: descending numbers negated
    else:
        keys = [tuple([row[i][1][1] for i, _ in columns]) for row in rows]
        order = list(range(len(rows)))
        for k, (_, descending) in reversed(list(enumerate(columns))):  # stable sorts, last condition first
            order.sort(key=lambda n: keys[n][k], reverse=descending)
    if any(keys[a] == keys[b] for a, b in zip(order, order[1:])):
        return None
    return [[value for value, _key in rows[n]] for n in order]


def graph_fingerprints(store: Any) -> dict[str, str]:
    """Graph IRI → fingerprint ("" for a graph without one), every named graph of a pyoxigraph
    store (on disk or in memory) in name order: what the dumps, the row cache and a SPARQL server are kept in
    step by. Read as one TSV result, not a Python object a quad (a third of the time at 30,000
    graphs); anything but an IRI and a plain word, or a graph with two, is read the general way.

    >>> import pyoxigraph as ox
    >>> from kg.graph.prepare import FINGERPRINT_IRI
    >>> s = ox.Store()
    >>> s.add(ox.Quad(ox.NamedNode("a:x"), ox.NamedNode(FINGERPRINT_IRI), ox.Literal("f1"), ox.NamedNode("g:1")))
    >>> s.add(ox.Quad(ox.NamedNode("a:x"), ox.NamedNode("a:p"), ox.Literal("v"), ox.NamedNode("g:2")))
    >>> graph_fingerprints(s)
    {'g:1': 'f1', 'g:2': ''}
    """
    import io

    import pyoxigraph as ox

    from kg.graph.query_source import query_text

    found = {g: "" for g in sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))}
    buffer = io.BytesIO()
    store.query(query_text("fingerprints")).serialize(buffer, ox.QueryResultsFormat.TSV)
    seen: set[str] = set()
    for line in buffer.getvalue().decode("utf-8").split("\n")[1:]:
        match = _FINGERPRINT_ROW.fullmatch(line)
        if match is None or match[1] in seen:
            if line:
                return found | _fingerprint_quads(store)
            continue
        seen.add(match[1])
        found[match[1]] = match[2]
    return found


def _fingerprint_quads(store: Any) -> dict[str, str]:
    """The fingerprints read quad by quad (any literal; the last of a graph with two)."""
    import pyoxigraph as ox

    from kg.graph.prepare import FINGERPRINT_IRI

    found = {}
    for quad in store.quads_for_pattern(None, ox.NamedNode(FINGERPRINT_IRI), None, None):
        if isinstance(quad.graph_name, ox.NamedNode):
            found[quad.graph_name.value] = str(getattr(quad.object, "value", quad.object))
    return found
