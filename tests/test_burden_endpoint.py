"""Burden read from a SPARQL server (a real ``oxigraph serve`` kept up to date by ``kg build
--endpoint``) is the burden read from the embedded store, byte for byte, whichever path the
report takes (the build's aggregates, or every assignment row when a filter needs them)."""
from __future__ import annotations

from click.testing import CliRunner

from conftest import copy_export
from kg.cli import cli
from test_endpoint import server  # noqa: F401 - the fixture starting the server

BURDEN_ARGS = (
    ("report", "burden"), ("report", "burden", "--format", "json"), ("report", "burden", "--format", "csv"),
    ("report", "burden", "--format", "markdown", "--top", "5", "--weight", "support=0.25"),
    ("report", "burden", "--format", "json", "--level", "2"),
    ("report", "burden", "--document", "000_4f8aafbd3b2270d0.txt", "--format", "csv"),
    ("report", "burden", "--exclude-collectives", "--format", "csv"),
    ("report", "burden", "--by", "function", "--format", "csv"),
    ("sparql", "burden", "--format", "csv"), ("sparql", "burden_rows", "--format", "csv"),
    ("sparql", "burden_in_document", "--param", "document=000_4f8aafbd3b2270d0.txt", "--format", "csv"),
)


def test_burden_from_the_server_equals_burden_from_the_embedded_store(server, tmp_path, corpus_copy,  # noqa: F811
                                                                    built):
    out = copy_export(built, tmp_path / "out")  # the local store is up to date: the build only fills the server
    pushed = CliRunner().invoke(cli, ["build", str(corpus_copy), "--out", str(out), "--endpoint", server])
    assert pushed.exit_code == 0, pushed.output
    for args in BURDEN_ARGS:
        remote = CliRunner().invoke(cli, [*args, "--endpoint", server, "--wide"] if args[0] == "report"
                                    else [*args, "--endpoint", server])
        local = CliRunner().invoke(cli, [*args, "--out", str(out), "--wide"] if args[0] == "report"
                                   else [*args, "--out", str(out)])
        assert remote.exit_code == 0 and local.exit_code == 0, (args, remote.output, local.output)
        assert remote.stdout == local.stdout and remote.stdout.count("\n") > 3, args
    summed = CliRunner().invoke(cli, ["sparql", "burden", "--format", "csv", "--endpoint", server]).stdout
    assert summed == CliRunner().invoke(cli, ["sparql", "burden_rows", "--format", "csv", "--endpoint", server]).stdout
