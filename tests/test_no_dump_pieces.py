"""A build that writes no dump makes no dump piece (two fifths of a worker's time at size): the
pieces missing from the cache are made from the store when a dump is asked for later, in worker
processes that read the store opened read-only, and those dumps are the ones a build with dumps
writes."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.graph import dumping
from kg.graph.direct import graph_fingerprints, read_only
from kg.graph.dumps import DUMP_FORMATS, pieces
from kg.graph.piece_cache import DumpCache, pack
from kg.graph.vocab import graph_iri


def _cached(out: Path, names: list[str]) -> list[str]:
    """Which of these documents' graphs have dump pieces in the export's cache."""
    graphs = {graph for graph, _key, _blobs in DumpCache(out).scan(("nq",))}
    return [n for n in names if str(graph_iri(n)) in graphs]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_no_dumps_no_pieces_and_a_later_dump_is_the_same(corpus_docs: list[Path], built: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch, jobs: str) -> None:
    monkeypatch.setattr(dumping, "_MISSING_CHUNK", 16)  # the bundled corpus is a few hundred graphs
    out, names = tmp_path / "out", [p.name for p in corpus_docs]
    result = CliRunner().invoke(cli, ["build", str(corpus_docs[0].parent), "--out", str(out), "--dumps", "none"])
    assert result.exit_code == 0, result.output
    assert not any((out / name).exists() for name in DUMP_FORMATS.values())
    assert _cached(out, names) == []  # no document's pieces were made
    result = CliRunner().invoke(cli, ["dump", "--out", str(out), "--jobs", jobs])
    assert result.exit_code == 0, result.output
    for name in DUMP_FORMATS.values():  # made from the store, the same bytes as a build with dumps
        assert (out / name).read_bytes() == (built / name).read_bytes(), name
    assert _cached(out, names) == names  # and kept for the next dump


def test_a_build_with_dumps_after_one_without_writes_the_same_dumps(corpus_docs: list[Path], built: Path,
                                                                    tmp_path: Path) -> None:
    docs, out = tmp_path / "docs", tmp_path / "out"
    docs.mkdir()
    for path in corpus_docs:
        (docs / path.name).write_bytes(path.read_bytes())
    first = sorted(docs.glob("*.txt"))[0]
    original = first.read_bytes()
    first.write_bytes(original + "\n（九）加强督查。（县政府办公室牵头）\n".encode("utf-8"))
    assert CliRunner().invoke(cli, ["build", str(docs), "--out", str(out)]).exit_code == 0  # dumps and pieces
    first.write_bytes(original)  # changed back in a build without dumps: its pieces are stale
    assert CliRunner().invoke(cli, ["build", str(docs), "--out", str(out), "--dumps", "none"]).exit_code == 0
    result = CliRunner().invoke(cli, ["build", str(docs), "--out", str(out)])
    assert result.exit_code == 0, result.output
    for name in DUMP_FORMATS.values():
        assert (out / name).read_bytes() == (built / name).read_bytes(), name


def _no_dump_build(corpus_docs: list[Path], out: Path) -> dict[str, str]:
    result = CliRunner().invoke(cli, ["build", str(corpus_docs[0].parent), "--out", str(out), "--dumps", "none"])
    assert result.exit_code == 0, result.output
    return graph_fingerprints(read_only(out / "store"))


def test_workers_make_every_missing_piece(corpus_docs: list[Path], tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    current = _no_dump_build(corpus_docs, out)
    assert len(current) > 3 * 16
    monkeypatch.setattr(dumping, "_MISSING_CHUNK", 16)
    cache = DumpCache(out)
    assert set(current) - set(cache.keys())  # the documents' pieces are missing
    made = dumping.make_missing(out, cache, current, 2)
    assert made > 16 and cache.keys() == current  # every graph's pieces, under its key
    assert dumping.make_missing(out, cache, current, 2) == 0  # nothing left to make


def test_a_worker_keeps_no_piece_of_a_graph_that_is_not_the_one_asked_for(corpus_docs: list[Path],
                                                                          tmp_path: Path) -> None:
    out = tmp_path / "out"
    current = _no_dump_build(corpus_docs, out)
    graph = str(graph_iri(corpus_docs[0].name))
    store_path = str((out / "store").resolve())
    assert dumping._missing_pieces((store_path, [(graph, "0" * 64)])) == []  # another content than this key's
    made = dumping._missing_pieces((store_path, [(graph, current[graph])]))
    ntriples = read_only(out / "store").dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph))
    expected = pieces(graph, ntriples, current[graph])  # what the main process makes from its own store
    assert made == [(graph, pack(expected))]
