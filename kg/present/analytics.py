"""The analytics a build's derived files show, computed once per build and handed to every writer.

``report.html``, ``burden.md``, ``burden.csv``, ``gaps.csv``, ``tables/*.csv`` and
``reports.xlsx`` all show the burden table, the gaps and the coordination figures; computed
per writer, a 1,000-document build paid for each several times over. :class:`Analytics` holds
one computation of each (default weights), read from one read of the rows.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import networkx as nx

from kg.analysis.burden import BurdenRow, burden_table, forget_role_sets
from kg.analysis.coordination import Coordination, coassignment_graph, coordination
from kg.analysis.gaps import Gap, document_coverage, find_gaps
from kg.analysis.rows import GraphData
from kg.extract.coverage import Coverage
from kg.reference import Reference

__all__ = ["Analytics", "EVERY_ROW"]

EVERY_ROW = 10**6  # "top" for the tables that list everything (the files, not the terminal)


@dataclass(frozen=True)
class Analytics:
    """Burden (by agency and by function), gaps, per-document coverage and coordination of ``data``.

    >>> from kg.analysis.rows import GraphData
    >>> from kg.reference import load_reference
    >>> a = Analytics.of(GraphData((), (), ()), load_reference())
    >>> a.burden, a.gaps, a.coverage, list(a.coordination.centrality)
    ([], [], [], [])
    """

    data: GraphData
    burden: list[BurdenRow]
    burden_by_function: list[BurdenRow]
    gaps: list[Gap]
    coverage: list[Coverage]
    coordination: Coordination  # every row (top = EVERY_ROW)
    network: nx.Graph  # the agency co-assignment graph the coordination was read off (agencies.graphml/.gexf)

    @classmethod
    def of(cls, data: GraphData, reference: Reference) -> "Analytics":
        """Compute everything once (the writers only format it); functions named from ``reference``."""
        network = coassignment_graph(data)  # built once: the coordination figures and the network files
        try:
            return cls(data, burden_table(data), burden_table(data, by="function", reference=reference),
                       find_gaps(data), document_coverage(data), coordination(data, EVERY_ROW, network), network)
        finally:
            forget_role_sets()  # shared by the analyses above, not needed by the writers

    def without_network(self) -> "Analytics":
        """The same analytics with an empty network, for the writers after the network files (the
        only ones that read it): at ten thousand documents the graph holds ~0.3 GB."""
        return dataclasses.replace(self, network=nx.Graph())
