"""A worker makes every document's rows in one in-memory store that holds the reference graph
(filling a new store for each document cost a fifth of its rows): each document must still see
only its own graphs and the reference graph, as in a store of its own."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.graph.prepare import Prepared, prepare
from kg.graph.vocab import REFERENCE_GRAPH
from kg.present import row_parts
from kg.present.row_parts import document_rows, release_scratch


def _prepared(path: Path) -> Prepared:
    made = prepare((path, "fingerprint-" + path.stem))
    assert isinstance(made, Prepared)
    return made


def test_each_document_sees_only_its_own_graphs(corpus_docs: list[Path]) -> None:
    docs = [_prepared(p) for p in corpus_docs]
    assert len(docs) >= 4 and len({g for d in docs for g in d.shared}) > len(docs[0].shared)
    alone = []
    for doc in docs:  # each in a store of its own
        release_scratch()
        alone.append(document_rows(doc))
    release_scratch()
    together = [document_rows(doc) for doc in docs + docs[::-1]]  # one store, documents one after another
    assert together == alone + alone[::-1]
    assert all(entry for entry in alone)
    left = {str(g.value) for g in row_parts._SCRATCH.store.named_graphs()}
    assert left == {str(REFERENCE_GRAPH)}  # nothing of the documents stays behind


def test_a_store_serves_a_bounded_number_of_documents(corpus_docs: list[Path]) -> None:
    doc = _prepared(corpus_docs[0])
    release_scratch()
    stores = []
    for _ in range(row_parts._Scratch.SERVES + 1):
        document_rows(doc)
        stores.append(id(row_parts._SCRATCH.store))
    assert len(set(stores[:-1])) == 1 and stores[-1] != stores[0]  # a new one after SERVES documents


def test_a_failing_document_drops_the_store(corpus_docs: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    doc = _prepared(corpus_docs[0])
    release_scratch()
    document_rows(doc)

    def broken(*args: object) -> None:
        raise RuntimeError("query failed")

    monkeypatch.setattr(row_parts, "part_rows", broken)
    with pytest.raises(RuntimeError):
        document_rows(doc)
    assert row_parts._SCRATCH.store is None  # the next document starts from a clean store
    monkeypatch.undo()
    assert document_rows(doc) == document_rows(doc)
