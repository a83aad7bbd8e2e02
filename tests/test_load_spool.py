"""Graphs new to the store go through a spool file (TriG) and one bulk load a batch: the store must
hold exactly the quads an N-Quads load of the same graphs gives, whatever the text, and a build in
many batches, mixing new and replaced graphs, must store and write what a fresh build does."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st

from kg.cli import cli
from kg.graph.ntriples import Lines, iri, lang_text, text
from kg.graph.store import DocumentStore, as_quads
from kg.graph.storing import Spool
from kg.graph.vocab import iri_part

PLAN = ("某市人民政府办公室关于印发某市{topic}工作要点的通知\n一、主要任务\n"
        "(一)加强{topic}监管。(市市场监管局牵头,市{partner}配合)\n"
        "(二)完善{topic}标准。(市{partner}负责)\n")
BASE = "https://w3id.org/cgr/"


def _quads(store: DocumentStore) -> set[str]:
    return {str(q) for q in store.store}


def _graphs(texts: list[str]) -> list[tuple[str, bytes]]:
    """One graph per text: the text in a literal, a language-tagged literal and an IRI."""
    made = []
    for n, value in enumerate(texts):
        lines = Lines()
        subject = f"{BASE}id/doc/{iri_part(value) or 'x'}/{n}"
        lines.add(subject, iri(f"{BASE}ontology#title"), text(value))
        lines.add(subject, iri(f"{BASE}ontology#label"), lang_text(value))
        lines.add(subject, iri(f"{BASE}ontology#about"), iri(f"{BASE}id/agency/{iri_part(value) or 'y'}"))
        made.append((f"{BASE}graph/doc/{iri_part(value) or 'z'}~{n}", lines.ntriples()))
    return made


@pytest.mark.parametrize("bulk", [True, False])
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40),
                      min_size=1, max_size=4))
def test_a_spooled_load_stores_the_quads_of_an_nquads_load(tmp_path_factory, texts, bulk, monkeypatch):
    """Quotes, backslashes, line ends, U+2028, controls, private-use glyphs: the TriG spool (each
    graph's N-Triples lines inside a block) loads the same quads as N-Quads lines, by the bulk
    loader and in a transaction."""
    import kg.graph.store as store_module

    monkeypatch.setattr(store_module, "BULK_BYTES", 0 if bulk else 10**12)
    folder = tmp_path_factory.mktemp("spool")
    graphs = _graphs(texts)
    spooled, direct = DocumentStore(folder / "a"), DocumentStore(folder / "b")
    try:
        spool = Spool(folder / "a")
        for name, triples in graphs:
            spool.add(triples, name)
        spool.close()
        spooled.load_file(spool.path, spool.size)
        spool.discard()
        direct.store.load(b"".join(as_quads(t, g) for g, t in graphs), format=direct.ox.RdfFormat.N_QUADS)
        assert _quads(spooled) == _quads(direct) and len(_quads(direct)) == 3 * len(graphs)
        assert not spool.path.exists()
    finally:
        spooled.close()
        direct.close()


def _docs(folder: Path, topics: list[tuple[str, str]]) -> Path:
    folder.mkdir(exist_ok=True)
    for n, (topic, partner) in enumerate(topics):
        (folder / f"plan{n}.txt").write_text(PLAN.format(topic=topic, partner=partner), encoding="utf-8")
    return folder


def _build(*args: str) -> str:
    result = CliRunner().invoke(cli, ["build", *args])
    assert result.exit_code == 0, result.output
    return result.output


def _exports(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and not {"store", ".kg-cache"} & set(p.relative_to(out).parts)}


def test_a_rebuild_in_batches_of_one_mixing_new_and_replaced_graphs_is_a_fresh_build(tmp_path, monkeypatch):
    """Two documents built; then one changed and two added, every document its own batch (a batch
    with a graph to replace in place, batches with a spool): the store and every file are those
    of one fresh build of the same documents."""
    import kg.graph.build as build

    docs, out, fresh = tmp_path / "docs", tmp_path / "out", tmp_path / "fresh"
    _docs(docs, [("质量", "发展改革委"), ("安全", "应急管理局")])
    _build(str(docs), "--out", str(out), "--jobs", "1")
    _docs(docs, [("质量", "财政局"), ("安全", "应急管理局"), ("环境", "生态环境局"), ("交通", "公安局")])
    monkeypatch.setattr(build, "BATCH_BYTES", 1)
    assert "built 3, unchanged 1" in _build(str(docs), "--out", str(out), "--jobs", "2")
    monkeypatch.undo()
    _build(str(docs), "--out", str(fresh), "--jobs", "1")
    rebuilt, clean = _exports(out), _exports(fresh)
    assert set(rebuilt) == set(clean) and "extractions/plan3.txt.json" in clean
    for name in clean:
        assert rebuilt[name] == clean[name], name
    stores = [DocumentStore(folder) for folder in (out, fresh)]
    try:
        assert _quads(stores[0]) == _quads(stores[1])
    finally:
        for store in stores:
            store.close()
    assert not list((out / ".kg-cache").glob(".load.*.tmp"))


def test_a_build_killed_while_spooling_leaves_its_spool_which_the_next_build_sweeps(tmp_path):
    docs, out, clean = tmp_path / "docs", tmp_path / "out", tmp_path / "clean"
    _docs(docs, [("质量", "发展改革委"), ("安全", "应急管理局"), ("环境", "生态环境局")])
    killed = subprocess.run([sys.executable, "-m", "kg", "build", str(docs), "--out", str(out), "--jobs", "1"],
                            capture_output=True, env=dict(os.environ, KG_FAULT_AT="extraction-written#2"))
    assert killed.returncode == -signal.SIGKILL
    assert len(list((out / ".kg-cache").glob(".load.*.tmp"))) == 1  # the first document is in it
    _build(str(docs), "--out", str(out))
    _build(str(docs), "--out", str(clean))
    assert not list(out.rglob(".*.tmp"))
    assert (out / "kg.nq").read_bytes() == (clean / "kg.nq").read_bytes()
