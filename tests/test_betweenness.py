"""Betweenness at size is estimated from a fixed number of source agencies: the same in every run
and under any hash seed, and it still names the agencies that bridge the network."""
from __future__ import annotations

import random
import subprocess
import sys

import networkx as nx

from conftest import other_hash_seed
from kg.analysis.coordination import betweenness


def _network(n: int = 300, seed: int = 7) -> nx.Graph:
    """Clusters of agencies joined through a few brokers (names as agencies are written)."""
    rng = random.Random(seed)
    g = nx.Graph()
    brokers = [f"市协调局{b}" for b in range(8)]
    for k in range(n):
        name, cluster = f"县第{k}局", k % 8
        earlier = range(cluster, k, 8)  # the cluster's agencies so far
        for other in rng.sample(earlier, min(2, len(earlier))):
            g.add_edge(name, f"县第{other}局", distance=1.0)
        g.add_edge(name, brokers[cluster], distance=1.0 + rng.random())
    for a, b in zip(brokers, brokers[1:]):
        g.add_edge(a, b, distance=0.5)
    return g


def test_sampled_betweenness_finds_the_brokers_and_is_stable() -> None:
    g = _network()
    exact = nx.betweenness_centrality(g, weight="distance", normalized=True)
    sampled = betweenness(g, pivots=80)
    top = lambda scores: set(sorted(scores, key=lambda n: -scores[n])[:8])  # noqa: E731
    assert top(exact) == {f"市协调局{b}" for b in range(8)}  # the network is built that way
    assert len(top(sampled) & top(exact)) >= 7
    assert betweenness(_network(), pivots=80) == sampled


def test_sampled_betweenness_does_not_depend_on_the_hash_seed() -> None:
    code = ("import sys; sys.path.insert(0, 'tests'); from test_betweenness import _network; "
            "from kg.analysis.coordination import betweenness; b = betweenness(_network(), pivots=60); "
            "print(sorted(b.items())[:50])")
    there = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={"PYTHONHASHSEED": other_hash_seed(), "PATH": ""}).stdout
    assert there == f"{sorted(betweenness(_network(), pivots=60).items())[:50]}\n"  # this process's seed
