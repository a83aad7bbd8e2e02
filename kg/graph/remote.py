"""A shared SPARQL 1.1 server: the build pushes named graphs to it, queries and reports read it.

Writing uses the SPARQL 1.1 Graph Store Protocol: ``PUT <store>?graph=IRI`` with N-Triples
replaces exactly one named graph, ``DELETE <store>?graph=IRI`` drops one. A build syncs the
server with the export folder's store by fingerprint: it asks the server which graphs it holds
with which fingerprint, then puts the graphs that differ and deletes the ones the store no
longer has, so a one-document change sends one document (and whatever shared graph changed).
Reading uses the SPARQL 1.1 Protocol (POST, JSON results) with the union of the named graphs
as the default graph — servers differ there, see :data:`UNION_HINT`.

Only the standard library is used (``urllib``): two verbs and one JSON format do not need more.
"""
from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Callable

from kg.errors import ServerError

__all__ = ["Endpoint", "EndpointError", "sync", "store_url_for", "UNION_HINT"]

TIMEOUT = 600
UNION_HINT = ("the server must answer queries over the union of its named graphs (Oxigraph: serve with "
              "--union-default-graph; Fuseki: tdb2:unionDefaultGraph true; GraphDB and Virtuoso do by default)")


EndpointError = ServerError  # the server could not be reached or refused a request


def store_url_for(query_url: str) -> str:
    """The Graph Store Protocol URL next to a query URL, for the usual layouts.

    >>> store_url_for("http://127.0.0.1:7878/query"), store_url_for("http://h:3030/kg/sparql")
    ('http://127.0.0.1:7878/store', 'http://h:3030/kg/data')
    """
    base, _, last = query_url.rstrip("/").rpartition("/")
    if last == "query":
        return f"{base}/store"
    if last == "sparql":
        return f"{base}/data"
    raise EndpointError(query_url, "cannot guess the Graph Store Protocol URL", "give --graph-store URL")


class Endpoint:
    """One SPARQL server: its query URL and its Graph Store Protocol URL."""

    def __init__(self, query_url: str, store_url: str | None = None) -> None:
        self.query_url, self._store_url = query_url, store_url

    @property
    def store_url(self) -> str:
        return self._store_url or store_url_for(self.query_url)

    def _send(self, request: urllib.request.Request) -> bytes:
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                return bytes(response.read())
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip().splitlines()[:1]
            raise EndpointError(request.full_url, f"HTTP {exc.code} {exc.reason}"
                                f"{': ' + detail[0][:200] if detail else ''}", "check the URL and the server's log") from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise EndpointError(request.full_url, f"cannot reach the server ({reason})",
                                "start it, or check the URL") from None

    def request_json(self, text: str) -> dict[str, Any]:
        """The SPARQL JSON results of a query (POST, form-encoded)."""
        body = urllib.parse.urlencode({"query": text}).encode("utf-8")
        request = urllib.request.Request(self.query_url, data=body, method="POST", headers={
            "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"})
        try:
            return dict(json.loads(self._send(request)))
        except ValueError:
            raise EndpointError(self.query_url, "the answer is not SPARQL JSON results",
                                "give the server's query URL") from None

    def select(self, text: str) -> list[dict[str, Any]]:
        """Rows of a SELECT as plain values (the same values the embedded store gives)."""
        answer = self.request_json(text)
        names = answer["head"]["vars"]
        return [{n: _plain(b.get(n)) for n in names} for b in answer["results"]["bindings"]]

    def put(self, graph: str, ntriples: bytes) -> None:
        """Replace one named graph."""
        self._send(urllib.request.Request(self._graph_url(graph), data=ntriples, method="PUT",
                                          headers={"Content-Type": "application/n-triples"}))

    def delete(self, graph: str) -> None:
        try:
            self._send(urllib.request.Request(self._graph_url(graph), method="DELETE"))
        except EndpointError as exc:
            if "HTTP 404" not in exc.problem:  # already gone
                raise

    def _graph_url(self, graph: str) -> str:
        return f"{self.store_url}?{urllib.parse.urlencode({'graph': graph})}"

    def fingerprints(self) -> dict[str, str]:
        """Graph IRI → fingerprint of every graph the server holds (those without one as "")."""
        rows = self.select("SELECT ?g ?f WHERE { GRAPH ?g { OPTIONAL { ?s <https://w3id.org/cgr/ontology#fingerprint> "
                           "?f } } }")
        found: dict[str, str] = {}
        for row in rows:
            found[row["g"]] = max(found.get(row["g"], ""), row["f"] or "")
        return found


_XSD = "http://www.w3.org/2001/XMLSchema#"


def _plain(binding: dict[str, str] | None) -> Any:
    """A JSON result term as a plain value (see :func:`kg.graph.store.plain_value`).

    >>> _plain({"type": "literal", "value": "3", "datatype": _XSD + "integer"}), _plain(None)
    (3, None)
    """
    if binding is None:
        return None
    datatype = binding.get("datatype")
    if binding["type"] == "uri" or not datatype:
        return binding["value"]
    from kg.graph.store import plain_value
    import pyoxigraph as ox

    return plain_value(ox.Literal(binding["value"], datatype=ox.NamedNode(datatype)))


def sync(endpoint: Endpoint, local: dict[str, str], read: Callable[[str], bytes],
         progress: Callable[[str, int, int], None] = lambda phase, done, total: None) -> tuple[int, int]:
    """Make the server hold the local graphs (name → fingerprint; ``read`` gives a graph's
    N-Triples): put those that differ, delete those gone. Returns (put, deleted)."""
    remote = endpoint.fingerprints()
    changed = sorted(g for g, key in local.items() if not key or remote.get(g) != key)
    gone = sorted(g for g in remote if g not in local and g.startswith("https://w3id.org/cgr/graph/"))
    for done, graph in enumerate(changed, 1):
        endpoint.put(graph, read(graph))
        progress("endpoint", done, len(changed))
    for graph in gone:
        endpoint.delete(graph)
    return len(changed), len(gone)
