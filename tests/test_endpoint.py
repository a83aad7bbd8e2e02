"""A shared SPARQL server: ``kg build --endpoint`` keeps a real Oxigraph server (``oxigraph serve``
on loopback) in step graph by graph, and reports read from it give what the embedded store gives."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import copy_export
from kg.cli import cli
from kg_tiny import write_plan


def kg(*args: str) -> "object":
    return CliRunner().invoke(cli, list(args))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture()
def server(tmp_path):
    exe = shutil.which("oxigraph")
    if exe is None:
        if os.environ.get("CI") == "true":
            pytest.fail("the oxigraph server is required in CI (pip install '.[test]')")
        pytest.skip("oxigraph server not installed (pip install oxigraph)")
    port = _free_port()
    proc = subprocess.Popen([exe, "serve", "--location", str(tmp_path / "server"), "--bind", f"127.0.0.1:{port}",
                             "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=1).read()
            break
        except OSError:
            time.sleep(0.05)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def _graphs(url: str) -> set[str]:
    from kg.graph.remote import Endpoint

    return set(Endpoint(url).fingerprints())


def _same_reports(url: str, out: Path) -> None:
    for args in (["report", "burden", "--format", "csv"], ["report", "gaps", "--format", "csv"],
                 ["report", "coordination", "--format", "json"], ["sparql", "burden", "--format", "csv"],
                 ["sparql", "agency_tasks", "--param", "name=市质监局", "--format", "csv"]):
        remote, local = kg(*args, "--endpoint", url), kg(*args, "--out", str(out))
        assert remote.exit_code == 0 and local.exit_code == 0, remote.output
        assert remote.stdout == local.stdout and remote.stdout.count("\n") > 3, args


def test_endpoint_round_trip(server, tmp_path, corpus_copy, built):
    out = copy_export(built, tmp_path / "out")  # the local store is up to date: the build only fills the server
    pushed = kg("build", str(corpus_copy), "--out", str(out), "--endpoint", server)
    assert pushed.exit_code == 0, pushed.output
    local = {line.rsplit(" ", 2)[-2][1:-1] for line in (out / "kg.nq").read_text(encoding="utf-8").splitlines()}
    assert _graphs(server) == local  # every graph, nothing else
    _same_reports(server, out)
    changed = corpus_copy / "002_73ddd48312034934.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n七、补充任务\n(一)新增任务。(责任单位:区审计局)\n",
                       encoding="utf-8")
    (corpus_copy / "004_a47f6c59b3abce73.txt").unlink()
    again = kg("build", str(corpus_copy), "--out", str(out), "--endpoint", server)
    assert again.exit_code == 0 and "[endpoint]" not in again.output  # 2 graphs: below the progress threshold
    assert not any("004_a47f6c59b3abce73" in g for g in _graphs(server))
    assert "https://w3id.org/cgr/graph/agency/沙坡头区/audit" in _graphs(server)
    _same_reports(server, out)


def test_the_build_puts_only_what_changed(server, tmp_path, corpus_copy, built, monkeypatch):
    from kg.graph import remote

    out = copy_export(built, tmp_path / "out")
    assert kg("build", str(corpus_copy), "--out", str(out), "--endpoint", server).exit_code == 0
    changed = corpus_copy / "001_13c7c62cec7693b7.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n附:修订\n", encoding="utf-8")
    sent: list[str] = []
    real = remote.Endpoint.put
    monkeypatch.setattr(remote.Endpoint, "put", lambda self, g, data: sent.append(g) or real(self, g, data))
    assert kg("build", str(corpus_copy), "--out", str(out), "--endpoint", server).exit_code == 0
    assert sent == ["https://w3id.org/cgr/graph/doc/001_13c7c62cec7693b7"]


def test_an_unreachable_server_is_one_line_and_keeps_the_local_build(tmp_path):
    out = tmp_path / "out"
    url = f"http://127.0.0.1:{_free_port()}/query"
    result = kg("build", str(write_plan(tmp_path / "docs")), "--out", str(out), "--endpoint", url)
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("kg:")]
    assert len(errors) == 1 and "cannot reach the server" in errors[0]
    assert (out / "kg.nq").is_file() and (out / "report.html").is_file()
    report = kg("report", "burden", "--endpoint", url)
    assert report.exit_code == 1 and "cannot reach the server" in report.output
