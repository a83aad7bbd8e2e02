"""Federation and local-file cases of ``bench_robustness.py``: what ``kg sparql`` refuses.

A listener on 127.0.0.1 stands in for "the network": a SERVICE or LOAD that gets through
connects to it, which the case sees, and nothing ever leaves the machine. Every case runs on a
copy of one base export, so the store each case may damage is its own.
"""
from __future__ import annotations

import shutil
import socket
import threading
from pathlib import Path
from typing import Callable

from robustness_kit import Check, Tally, build, clean_stderr, exit_is, first_failure, run, write_plan

KIND = "6 federation & files"
_base_lock = threading.Lock()
_base: dict[str, Path] = {}


class Listener:
    """A TCP listener on loopback that counts connections (the stand-in for a remote server)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.hits = 0
        self.stop = False
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self.stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.hits += 1
            conn.close()

    def close(self) -> None:
        self.stop = True
        self.sock.close()


def base_export(root: Path) -> Path:
    """One build of two plans, made once and copied into each case."""
    with _base_lock:
        if "out" not in _base:
            work = root / "sparql-base"
            write_plan(work / "docs" / "a.txt")
            write_plan(work / "docs" / "b.txt", title="另一要点")
            res = build(Tally(), work, ["docs"])
            if res.rc != 0:
                raise RuntimeError(f"base build failed: {res.err[-200:]}")
            _base["out"] = work / "out"
        return _base["out"]


def refused(query: str, *flags: str, must_run: bool = False, secret: str = "root:x:0") -> Callable[[Path, Tally], Check]:
    """Run ``kg sparql QUERY FLAGS`` (``{url}`` is the listener): refused in one line, no connection,
    the store still answering with both documents afterwards."""
    def go(work: Path, tally: Tally) -> Check:
        shutil.copytree(base_export(work.parent), work / "out", symlinks=True)
        net = Listener()
        try:
            url = f"http://127.0.0.1:{net.port}/sparql"
            args = [a.replace("{url}", url) for a in (query, *flags)]
            res = tally.add(run(["sparql", *args, "--out", "out"], work, 120))
        finally:
            net.close()
        after = tally.add(run(["sparql", "documents", "--format", "csv", "--out", "out"], work, 120))
        checks: list[Callable[[], Check]] = [
            lambda: None if net.hits == 0 else f"{net.hits} connection(s) reached the network stand-in",
            lambda: clean_stderr(res),
            lambda: None if secret not in res.out + res.err else "printed the content of a local file",
            lambda: exit_is(after, 0),
            lambda: None if after.out.count(".txt") == 2 else "the store lost documents"]
        if must_run:
            checks.insert(1, lambda: exit_is(res, 0))
        else:
            checks.insert(1, lambda: None if res.rc not in (0, None) else "exit 0: the query ran")
            checks.insert(2, lambda: None if res.err.startswith("kg: ") and len(res.err.strip().splitlines()) == 1
                          else f"not one kg: line: {res.err.strip()[:100]!r}")
        return first_failure(checks)
    return go


def _case(name: str, command: str, expect: str, go: Callable[[Path, Tally], Check]):  # type: ignore[no-untyped-def]
    from robustness_inputs import Case
    return Case(KIND, name, command, expect, go, 300)


def sparql_cases() -> list:  # type: ignore[type-arg]
    no = "refused in one kg: line; no connection; store intact"
    q = "kg sparql"
    sel = "SELECT * WHERE {{ SERVICE {0} {{ ?s ?p ?o }} }}"
    return [
        _case("SERVICE <http://…>", q, no, refused(sel.format("<{url}>"))),
        _case("service in lower case, comment between", q, no,
              refused("select * where { service # hidden\n <{url}> { ?s ?p ?o } }")),
        _case("SERVICE SILENT", q, no, refused(sel.format("SILENT <{url}>"))),
        _case("SERVICE ?variable", q, no, refused("SELECT * WHERE { VALUES ?x { <{url}> } SERVICE ?x { ?s ?p ?o } }")),
        _case("SERVICE nested in OPTIONAL/UNION", q, no,
              refused("SELECT * WHERE { { ?a ?b ?c } UNION { OPTIONAL { SERVICE <{url}> { ?s ?p ?o } } } } LIMIT 1")),
        _case("SERVICE inside a string literal", q, "runs (exit 0): a string is no SERVICE",
              refused('SELECT ?x WHERE { BIND("SERVICE <{url}> { }" AS ?x) }', must_run=True)),
        _case("SERVICE in ASK", q, no, refused("ASK { SERVICE <{url}> { ?s ?p ?o } }")),
        _case("LOAD <file:///etc/passwd> with --allow-update", q + " --allow-update", no + "; nothing printed",
              refused("LOAD <file:///etc/passwd>", "--allow-update")),
        _case("LOAD <file:///etc/passwd> --allow-load", q + " --allow-update --allow-load",
              "the file's content never printed", refused("LOAD <file:///etc/passwd> INTO GRAPH <urn:x>",
                                                        "--allow-update", "--allow-load")),
        _case("LOAD <http://…> with --allow-update", q + " --allow-update", no,
              refused("LOAD <{url}/x.ttl>", "--allow-update")),
        _case("COPY without --allow-update", q, no, refused("COPY DEFAULT TO <urn:copy>")),
        _case("ADD without --allow-update", q, no, refused("ADD <urn:a> TO <urn:b>")),
        _case("MOVE without --allow-update", q, no, refused("MOVE DEFAULT TO <urn:moved>")),
        _case("DROP ALL without --allow-update", q, no, refused("DROP ALL")),
        _case("CLEAR ALL (lower case, prefixed) without flag", q, no,
              refused("PREFIX x: <urn:x#>\nclear all")),
        _case("INSERT DATA on --store memory", q + " --store memory --allow-update", no,
              refused("INSERT DATA { <urn:s> <urn:p> <urn:o> }", "--store", "memory", "--allow-update")),
        _case("COPY on --store memory", q + " --store memory --allow-update", no,
              refused("COPY DEFAULT TO <urn:c>", "--store", "memory", "--allow-update")),
        _case("DELETE WHERE on --store rdflib", q + " --store rdflib --allow-update", no,
              refused("DELETE WHERE { ?s ?p ?o }", "--store", "rdflib", "--allow-update")),
        _case("update to an --endpoint", q + " --endpoint URL", no, refused("DROP ALL", "--endpoint", "{url}")),
        _case("--param value carrying a SERVICE", q + " document_agencies --param document=…",
              "runs (exit 0), binds a literal; no connection",
              refused("document_agencies", "--param", 'document=a.txt" } SERVICE <{url}> { "', must_run=True)),
    ]
