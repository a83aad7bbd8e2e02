"""A document's replacement is one transaction: a reader of the store sees the old graph or the
new one, never a mixture of the two nor an empty graph."""
from __future__ import annotations

import threading
from pathlib import Path

from kg.graph.store import DocumentStore

GRAPH = "https://w3id.org/cgr/graph/doc/plan.txt"


def _version(tasks: range) -> bytes:
    return "".join(f'<https://w3id.org/cgr/id/task/plan.txt/{n}> <https://w3id.org/cgr/ontology#text> "任务{n}" .\n'
                   for n in tasks).encode("utf-8")


def test_readers_see_the_old_or_the_new_graph_never_a_mixture(tmp_path: Path) -> None:
    old, new = _version(range(0, 300)), _version(range(150, 450))  # half the triples change each way
    expected = {frozenset(range(0, 300)), frozenset(range(150, 450))}
    store = DocumentStore(tmp_path)
    store.replace_ntriples(old, GRAPH)
    seen: list[frozenset[int]] = []
    done = threading.Event()

    def read() -> None:
        target = store.ox.NamedNode(GRAPH)
        while not done.is_set() or len(seen) < 20:
            seen.append(frozenset(int(q.subject.value.rsplit("/", 1)[1])
                                  for q in store.store.quads_for_pattern(None, None, None, target)))

    reader = threading.Thread(target=read)
    reader.start()
    for _ in range(10):
        store.replace_ntriples(new, GRAPH)
        store.replace_ntriples(old, GRAPH)
    done.set()
    reader.join(timeout=60)
    store.close()
    assert seen and set(seen) <= expected, sorted(len(s) for s in set(seen) - expected)[:5]
