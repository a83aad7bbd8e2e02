"""Everything written to or read back from an export folder: the Oxigraph store, the RDF dumps
(Turtle, TriG, N-Quads, JSON-LD) and text files.

* The persistent store is Oxigraph on disk (``DIR/store``). A document's named graph is
  replaced in one transaction (:meth:`DocumentStore.replace_ntriples`).
* Documents are loaded in batches (:meth:`DocumentStore.load_batch`); the dumps are made by
  :mod:`kg.graph.dumps`. Every file is written to a temporary name and renamed into place, so
  a killed run leaves the previous file whole.
* For queries, :func:`open_dataset` gives an rdflib ``Dataset`` over the on-disk store
  (``oxigraph``), over an in-memory Oxigraph loaded from the dump (``memory``), or over
  rdflib's own memory store (``rdflib``), always with the union of graphs as default graph.
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Iterable, Iterator

from rdflib import Dataset, Graph, URIRef

from kg.faults import checkpoint
from kg.graph.direct import open_oxigraph, read_only  # one definition, importable without rdflib

if TYPE_CHECKING:
    import pyoxigraph as ox

__all__ = ["write_atomic", "atomic_writer", "DocumentStore", "open_dataset", "STORE_KINDS", "close_dataset", "load_memory",
           "open_oxigraph", "ox_records", "plain_value", "as_quads"]

STORE_KINDS = ("oxigraph", "memory", "rdflib")
BULK_BYTES = 4_000_000  # new graphs' N-Quads from which a batch is bulk-loaded rather than written in a transaction


def write_atomic(path: Path, content: str | bytes, sync: bool = True) -> None:
    """Write a file so that readers see the old or the new content, never a part (``sync=False``
    for caches, which are checked when read)."""
    with atomic_writer(path, sync) as handle:
        handle.write(content.encode("utf-8") if isinstance(content, str) else content)


@contextlib.contextmanager
def atomic_writer(path: Path, sync: bool = True) -> Iterator[IO[bytes]]:
    """A file written under a temporary name and renamed into place when complete, so a killed
    run leaves the previous file whole; streamed, so size does not cost memory."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; exports are ordinary files
        with os.fdopen(fd, "wb") as handle:
            yield handle
            if sync:
                handle.flush()
                os.fsync(handle.fileno())
        checkpoint("before-rename")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class DocumentStore:
    """The on-disk Oxigraph store of one export folder, opened for writing.

    Documents arrive in batches: their old graphs are removed, their new triples bulk-loaded
    (written straight into the store's files, no write-ahead log), and only then, in one
    transaction, their fingerprint triples. A build killed half-way leaves graphs without a
    fingerprint, which the next build extracts again.
    """

    def __init__(self, folder: Path) -> None:
        import pyoxigraph as ox

        self.ox = ox
        self.path = folder / "store"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.store = ox.Store(str(self.path))

    def fingerprints(self, predicate: URIRef) -> dict[str, str]:
        """Graph IRI → fingerprint literal, for every graph that has one."""
        found = {}
        for quad in self.store.quads_for_pattern(None, self.ox.NamedNode(str(predicate)), None, None):
            if isinstance(quad.graph_name, self.ox.NamedNode):
                found[quad.graph_name.value] = str(getattr(quad.object, "value", quad.object))
        return found

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self.store.named_graphs() if isinstance(g, self.ox.NamedNode))

    def has(self, name: str) -> bool:
        return bool(self.store.contains_named_graph(self.ox.NamedNode(name)))

    def replace(self, graph: Graph, name: URIRef) -> None:
        """Replace one named graph by an rdflib graph (see :meth:`replace_ntriples`)."""
        self.replace_ntriples(graph.serialize(format="nt", encoding="utf-8"), str(name))

    def replace_ntriples(self, data: bytes, name: str) -> None:
        """Replace one named graph in one transaction, so that a reader sees the old graph or
        the new one, never a mixture or a gap.

        Only the difference is written: one SPARQL update (Oxigraph runs an update as one
        transaction) deleting the quads the graph no longer has and inserting the new ones. The
        terms are written by Oxigraph itself (N-Triples syntax, escaped), never pasted from text.
        """
        target = self.ox.NamedNode(name)
        new = {self.ox.Triple(t.subject, t.predicate, t.object)
               for t in self.ox.parse(data, format=self.ox.RdfFormat.N_TRIPLES)}
        old = {q.triple for q in self.store.quads_for_pattern(None, None, None, target)}
        gone, added = sorted(map(str, old - new)), sorted(map(str, new - old))
        if gone or added:
            self.store.update(f"DELETE DATA {{ GRAPH {target} {{ {' . '.join(gone)} }} }} ;\n"
                              f"INSERT DATA {{ GRAPH {target} {{ {' . '.join(added)} }} }}")

    def load_batch(self, graphs: list[tuple[str, bytes, bytes]]) -> None:
        """(name, triples, fingerprint triples) of several graphs, as N-Triples. Graphs new to the
        store are loaded in one call (:meth:`load_new`); graphs already there are replaced in
        place, so readers never miss them; fingerprints go in last, in one transaction."""
        if not graphs:
            return
        fresh = []
        for name, triples, _ in graphs:
            if self.has(name):
                self.replace_ntriples(triples, name)
            else:
                fresh.append(as_quads(triples, name))
        self.load_new(b"".join(fresh))
        self.stamp([(name, stamp) for name, _, stamp in graphs])

    def load_new(self, data: bytes) -> None:
        """N-Quads of graphs new to the store: bulk-loaded (written straight into new store
        files, without write-ahead log) from ``BULK_BYTES``; fewer go in a transaction, which
        makes no new store files, whose compaction races readers opening the store.

        The load skips Oxigraph's term validation (``lenient``): a build's quads were written
        by :mod:`kg.graph.ntriples` and already parsed strictly once, for the dump pieces, in
        the worker that made them.
        """
        if len(data) >= BULK_BYTES:
            self.store.bulk_load(data, format=self.ox.RdfFormat.N_QUADS, lenient=True)
        elif data:
            self.store.load(data, format=self.ox.RdfFormat.N_QUADS, lenient=True)

    def load_file(self, path: Path, size: int) -> None:
        """:meth:`load_new` of the ``size`` bytes of TriG in ``path``, streamed from the file."""
        if size >= BULK_BYTES:
            self.store.bulk_load(path=str(path), format=self.ox.RdfFormat.TRIG, lenient=True)
        elif size:
            self.store.load(path=str(path), format=self.ox.RdfFormat.TRIG, lenient=True)

    def stamp(self, stamps: list[tuple[str, bytes]]) -> None:
        """Each graph's fingerprint triples (N-Triples), all in one transaction: written last."""
        data = b"".join(as_quads(triples, name) for name, triples in stamps)
        if data:
            self.store.load(data, format=self.ox.RdfFormat.N_QUADS)

    def ntriples(self, name: str) -> bytes:
        """One graph's triples as N-Triples."""
        return self.store.dump(format=self.ox.RdfFormat.N_TRIPLES, from_graph=self.ox.NamedNode(name)) or b""

    def shared_nodes(self, name: str) -> set[str]:
        """IRIs of shared things (agencies, areas, groups) a graph refers to: the candidates for
        removal when the graph goes."""
        found = set()
        for quad in self.store.quads_for_pattern(None, None, None, self.ox.NamedNode(name)):
            for term in (quad.subject, quad.object):
                if isinstance(term, self.ox.NamedNode) and term.value.startswith(_SHARED):
                    found.add(term.value)
        return found

    def referenced(self, node: str) -> bool:
        """Whether a document graph (or, for an area, an agency description) still refers to
        ``node``: index lookups on the node, not a pass over the store."""
        term = self.ox.NamedNode(node)
        for quad in self.store.quads_for_pattern(None, None, term, None):
            graph = quad.graph_name
            if isinstance(graph, self.ox.NamedNode) and ("/graph/doc/" in graph.value or
                                                          "/graph/agency/" in graph.value):
                return True
        for quad in self.store.quads_for_pattern(term, None, None, None):
            graph = quad.graph_name
            if isinstance(graph, self.ox.NamedNode) and "/graph/doc/" in graph.value:
                return True
        return False

    def remove(self, name: str) -> None:
        target = self.ox.NamedNode(name)
        if self.store.contains_named_graph(target):
            self.store.remove_graph(target)

    def nquads(self) -> bytes:
        return self.store.dump(format=self.ox.RdfFormat.N_QUADS) or b""

    def close(self) -> None:
        self.store.flush()
        del self.store


_SHARED = tuple(f"https://w3id.org/cgr/id/{kind}/" for kind in ("agency", "area", "group", "collective"))


def as_quads(ntriples: bytes, graph: str) -> bytes:
    """N-Triples lines of one graph as N-Quads lines.

    >>> as_quads(b'<a:s> <a:p> "x" .\\n', "g:1")
    b'<a:s> <a:p> "x" <g:1> .\\n'
    """
    tail = f" <{graph}> .\n".encode("utf-8")
    if ntriples.endswith(b" .\n") and ntriples.count(b"\n") == ntriples.count(b" .\n") and b"\r" not in ntriples:
        return ntriples.replace(b" .\n", tail)  # one triple a line, as the writer makes them: in C
    return b"".join(line.rstrip()[:-1].rstrip() + tail for line in ntriples.splitlines() if line.strip())


def _dataset_from_nquads(text: str) -> Dataset:
    ds = Dataset(default_union=True)
    ds.parse(data=text, format="nquads")
    return ds


def open_dataset(folder: Path, kind: str = "oxigraph", writable: bool = False) -> Dataset:
    """A Dataset over the export folder's graph, for queries (union default graph).

    The on-disk store opens read-only unless ``writable`` (for an explicitly allowed UPDATE).
    """
    if kind not in STORE_KINDS:
        raise ValueError(f"unknown store kind {kind!r}; choose one of {', '.join(STORE_KINDS)}")
    dump = folder / "kg.nq"
    if kind == "oxigraph":
        import pyoxigraph as ox
        from oxrdflib import OxigraphStore

        path = folder / "store"
        if not path.is_dir():
            raise FileNotFoundError(f"{path}: no store here (run 'kg build' first, or give --out)")
        if writable:
            return Dataset(store=OxigraphStore(store=ox.Store(str(path))), default_union=True)
        try:
            store = read_only(path)
        except (OSError, RuntimeError):  # a build kept changing the files under us: read its last dump
            if not dump.is_file():
                raise
            return load_memory(dump.read_bytes())
        return Dataset(store=OxigraphStore(store=store), default_union=True)
    if not dump.is_file():
        raise FileNotFoundError(f"{dump}: no graph dump here (run 'kg build' first, or give --out)")
    if kind == "memory":
        return load_memory(dump.read_bytes())
    return _dataset_from_nquads(dump.read_text(encoding="utf-8"))


_XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMBERS = {f"{_XSD}{t}": int for t in ("integer", "int", "long", "short", "nonNegativeInteger",
                                        "positiveInteger")} | {f"{_XSD}{t}": float for t in ("decimal", "double", "float")}


def plain_value(term: Any) -> Any:
    """An Oxigraph term as the plain value rdflib's ``toPython`` gives in query results: IRIs
    and strings as ``str``, numbers as numbers, booleans as ``bool``, other literals as text.

    >>> import pyoxigraph as ox
    >>> plain_value(ox.Literal("true", datatype=ox.NamedNode(_XSD + "boolean"))), plain_value(ox.NamedNode("a:b"))
    (True, 'a:b')
    """
    if term is None:
        return None
    datatype = getattr(term, "datatype", None)
    if datatype is None:
        return term.value
    if datatype.value == f"{_XSD}boolean":
        return term.value in ("true", "1")
    convert = _NUMBERS.get(datatype.value)
    return convert(term.value) if convert else term.value


def ox_records(store: Any, text: str, substitutions: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Rows of a SELECT over the union of the store's graphs, as plain values."""
    import pyoxigraph as ox

    bound = {ox.Variable(k): v for k, v in (substitutions or {}).items()}
    solutions = store.query(text, use_default_graph_as_union=True, substitutions=bound or None)
    names = [v.value for v in solutions.variables]
    return [{n: plain_value(s[n]) for n in names} for s in solutions]


def close_dataset(dataset: Dataset) -> None:
    """Release the store behind a dataset now (RocksDB files stay locked until then)."""
    import gc

    dataset.close()
    gc.collect()


def load_memory(nquads: bytes | str) -> Dataset:
    """An in-memory Oxigraph dataset loaded from N-Quads (the fast layout for a query session)."""
    import pyoxigraph as ox
    from oxrdflib import OxigraphStore

    store = ox.Store()
    data = nquads.encode("utf-8") if isinstance(nquads, str) else nquads
    if data:
        store.bulk_load(data, format=ox.RdfFormat.N_QUADS)
    return Dataset(store=OxigraphStore(store=store), default_union=True)
