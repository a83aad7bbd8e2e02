"""Check the graph against ``ontology/shapes.ttl`` with pySHACL and word the findings for people."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.namespace import SH

from kg import paths

__all__ = ["Finding", "validate_graph", "union_graph"]


@dataclass(frozen=True)
class Finding:
    severity: str  # Violation | Warning | Info
    focus: str
    path: str
    message: str


def _short(node: object) -> str:
    text = str(node) if node is not None else ""
    for prefix, short in (("https://w3id.org/cgr/id/", "id:"), ("https://w3id.org/cgr/ontology#", "cgr:")):
        text = text.replace(prefix, short)
    return text


def validate_graph(data: Graph, shapes: Path = paths.ONTOLOGY_DIR / "shapes.ttl") -> list[Finding]:
    """All findings, violations first, then sorted by focus node."""
    from pyshacl import validate

    shapes_graph = Graph().parse(shapes, format="turtle")
    _, report, _ = validate(data, shacl_graph=shapes_graph, inference="none", allow_warnings=True)
    findings = []
    for result in report.subjects(SH.resultSeverity, None):
        severity = report.value(result, SH.resultSeverity)
        findings.append(Finding(
            str(severity).rsplit("#", 1)[-1], _short(report.value(result, SH.focusNode)),
            _short(report.value(result, SH.resultPath)), str(report.value(result, SH.resultMessage) or ""),
        ))
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    return sorted(set(findings), key=lambda f: (order.get(f.severity, 3), f.focus, f.path, f.message))


def union_graph(dataset: Dataset) -> Graph:
    """All triples of a dataset in one graph (what the shapes look at)."""
    g = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        g.add((s, p, o))
    return g

