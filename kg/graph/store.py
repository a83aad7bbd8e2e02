"""Everything written to or read back from an export folder: the Oxigraph store, the RDF dumps
(Turtle, TriG, N-Quads, JSON-LD) and text files.

* The persistent store is Oxigraph on disk (``DIR/store``). A document's named graph is
  replaced by the store API (remove, then one transactional load), never by SPARQL text.
* Dumps are deterministic: N-Quads lines sorted, TriG assembled graph by graph from rdflib's
  sorted Turtle, JSON-LD with sorted nodes and keys. Every file is written to a temporary
  name and renamed into place, so a killed run leaves the previous file whole.
* For queries, :func:`open_dataset` gives an rdflib ``Dataset`` over the on-disk store
  (``oxigraph``), over an in-memory Oxigraph loaded from the dump (``memory``), or over
  rdflib's own memory store (``rdflib``), always with the union of graphs as default graph.
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Iterable

from rdflib import Dataset, Graph, URIRef

from kg.faults import checkpoint

__all__ = ["write_atomic", "DocumentStore", "open_dataset", "STORE_KINDS", "dump_nquads", "dump_trig",
           "dump_turtle", "dump_jsonld", "close_dataset", "load_memory"]

STORE_KINDS = ("oxigraph", "memory", "rdflib")


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write a file so that readers see the old or the new content, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; exports are ordinary files
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
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
    """The on-disk Oxigraph store of one export folder, opened for writing."""

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
                found[quad.graph_name.value] = quad.object.value
        return found

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self.store.named_graphs() if isinstance(g, self.ox.NamedNode))

    def replace(self, graph: Graph, name: URIRef) -> None:
        """Replace one named graph so that a reader never finds it missing.

        The quads the new graph adds go in first, in one transaction (with the new fingerprint);
        only then do the quads it no longer has go. A reader opening the store in between sees
        the document whole, old or new, plus at most the few quads that changed, never a gap.
        """
        target = self.ox.NamedNode(str(name))
        data = graph.serialize(format="nt", encoding="utf-8")
        new = {self.ox.Quad(t.subject, t.predicate, t.object, target)
               for t in self.ox.parse(data, format=self.ox.RdfFormat.N_TRIPLES)}
        old = set(self.store.quads_for_pattern(None, None, None, target))
        self.store.extend(sorted(new - old, key=str))
        for quad in sorted(old - new, key=str):
            self.store.remove(quad)

    def referenced_resources(self) -> set[str]:
        """IRIs that document graphs (and agency descriptions, for areas) use: what the shared
        graphs describe. One pass over the store."""
        found = set()
        for quad in self.store.quads_for_pattern(None, None, None, None):
            graph, subject, obj = quad.graph_name, quad.subject, quad.object
            if not isinstance(graph, self.ox.NamedNode):
                continue
            if "/graph/doc/" in graph.value:
                found.update(t.value for t in (subject, obj) if isinstance(t, self.ox.NamedNode))
            elif "/graph/agency/" in graph.value and isinstance(obj, self.ox.NamedNode):
                found.add(obj.value)
        return found

    def remove(self, name: str) -> None:
        self.store.remove_graph(self.ox.NamedNode(name))

    def nquads(self) -> bytes:
        return self.store.dump(format=self.ox.RdfFormat.N_QUADS)

    def close(self) -> None:
        self.store.flush()
        del self.store


def dump_nquads(raw: bytes) -> str:
    """N-Quads with lines sorted: byte-identical for the same dataset."""
    lines = sorted(line for line in raw.decode("utf-8").splitlines() if line.strip())
    return "\n".join(lines) + ("\n" if lines else "")


def _dataset_from_nquads(text: str) -> Dataset:
    ds = Dataset(default_union=True)
    ds.parse(data=text, format="nquads")
    return ds


def _prefixed(graph: Graph) -> Graph:
    from kg.graph.vocab import PREFIXES

    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
    return graph


def dump_trig(nquads: str) -> str:
    """TriG: each named graph's triples as rdflib's sorted Turtle, graphs sorted by name,
    with the prefixes the bodies use declared once at the top."""
    ds = _dataset_from_nquads(nquads)
    prefixes: set[str] = set()
    blocks: list[str] = []
    for name in sorted(str(g.identifier) for g in ds.graphs() if len(g)):
        body = _prefixed(Graph()).__iadd__(ds.graph(URIRef(name))).serialize(format="turtle")
        lines = body.splitlines()
        prefixes.update(line for line in lines if line.startswith("@prefix"))
        inner = [("    " + line if line else "") for line in lines if not line.startswith("@prefix")]
        blocks += [f"<{name}> {{", *inner, "}", ""]
    return "\n".join(sorted(prefixes) + [""] + blocks)


def dump_turtle(nquads: str) -> str:
    """The union of all graphs as Turtle (rdflib sorts subjects and predicates)."""
    union = _prefixed(Graph())
    for s, p, o, _ in _dataset_from_nquads(nquads).quads():
        union.add((s, p, o))
    return union.serialize(format="turtle")


def dump_jsonld(nquads: str) -> str:
    """JSON-LD of the dataset, nodes sorted by @id and keys sorted."""
    from kg.graph.vocab import PREFIXES

    ds = _dataset_from_nquads(nquads)
    data = json.loads(ds.serialize(format="json-ld", context={k: str(v) for k, v in PREFIXES.items()}))
    return json.dumps(_sorted_json(data), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def _sorted_json(value):  # type: ignore[no-untyped-def]
    if isinstance(value, dict):
        return {k: _sorted_json(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [_sorted_json(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
    return value


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
            store = ox.Store.read_only(str(path))
        except (OSError, RuntimeError):  # a build is changing the files under us: read its last dump
            if not dump.is_file():
                raise
            return load_memory(dump.read_bytes())
        return Dataset(store=OxigraphStore(store=store), default_union=True)
    if not dump.is_file():
        raise FileNotFoundError(f"{dump}: no graph dump here (run 'kg build' first, or give --out)")
    if kind == "memory":
        return load_memory(dump.read_bytes())
    return _dataset_from_nquads(dump.read_text(encoding="utf-8"))


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
