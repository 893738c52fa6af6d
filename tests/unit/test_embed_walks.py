"""node2vec walks: they follow edges, match node2vec's transition law, and are seeded."""

from __future__ import annotations

from collections import Counter
from itertools import pairwise

import numpy as np
import pytest

from graph.embed.walkgraph import WalkGraph, graph_from_edges
from graph.embed.walks import generate_walks


def _ring_with_chords(n: int = 40, seed: int = 1) -> WalkGraph:
    rng = np.random.default_rng(seed)
    edges = [
        (f"user:n{i:03d}", f"user:n{(i + 1) % n:03d}", 1.0 + float(rng.random())) for i in range(n)
    ]
    edges += [
        (f"user:n{a:03d}", f"user:n{b:03d}", 0.5 + float(rng.random()))
        for a, b in rng.integers(0, n, (3 * n, 2))
        if a != b
    ]
    return graph_from_edges(edges)


def _edge_set(graph: WalkGraph) -> set[tuple[int, int]]:
    return {
        (node, int(other))
        for node in range(graph.node_count)
        for other in graph.indices[graph.indptr[node] : graph.indptr[node + 1]]
    }


def test_every_step_follows_an_edge() -> None:
    graph = _ring_with_chords()
    walks = generate_walks(graph, walk_length=12, walks_per_node=3, p=0.7, q=2.0, seed=5)
    assert walks.shape == (graph.node_count * 3, 12)
    edges = _edge_set(graph)
    for walk in walks:
        assert all((int(a), int(b)) in edges for a, b in pairwise(walk))


def test_each_node_starts_walks_per_node_walks() -> None:
    graph = _ring_with_chords()
    walks = generate_walks(graph, walk_length=5, walks_per_node=4, p=1, q=1, seed=2)
    assert Counter(walks[:, 0].tolist()) == {node: 4 for node in range(graph.node_count)}


def test_same_seed_same_walks_whatever_the_threads() -> None:
    graph = _ring_with_chords()
    options = {"walk_length": 20, "walks_per_node": 5, "p": 1.0, "q": 0.5}
    one = generate_walks(graph, seed=11, workers=1, **options)
    again = generate_walks(graph, seed=11, workers=1, **options)
    two = generate_walks(graph, seed=11, workers=2, **options)
    other = generate_walks(graph, seed=12, workers=1, **options)
    assert np.array_equal(one, again)
    assert np.array_equal(one, two)
    assert not np.array_equal(one, other)


def _node2vec_law(graph: WalkGraph, prev: int, cur: int, p: float, q: float) -> dict[int, float]:
    """The exact second-order transition probabilities of node2vec."""
    prev_nbrs = set(graph.indices[graph.indptr[prev] : graph.indptr[prev + 1]].tolist())
    weights = {}
    for e in range(graph.indptr[cur], graph.indptr[cur + 1]):
        x = int(graph.indices[e])
        bias = 1 / p if x == prev else (1.0 if x in prev_nbrs else 1 / q)
        weights[x] = float(graph.weights[e]) * bias
    total = sum(weights.values())
    return {x: w / total for x, w in weights.items()}


@pytest.mark.parametrize(("p", "q"), [(1.0, 0.5), (0.25, 4.0), (4.0, 0.25)])
def test_second_steps_follow_node2vec_transition_probabilities(p: float, q: float) -> None:
    # A hub "c" with a triangle (a-c-b, a-b) and weighted spokes: all three bias cases.
    edges = [("user:a", "user:c", 2.0), ("user:a", "user:b", 1.0), ("user:b", "user:c", 1.0)]
    edges += [("user:c", f"user:s{i}", 0.5 + i) for i in range(4)]
    graph = graph_from_edges(edges)
    index = graph.index_of()
    a, c = index["user:a"], index["user:c"]
    walks = generate_walks(graph, walk_length=3, walks_per_node=40_000, p=p, q=q, seed=9)
    through = walks[(walks[:, 0] == a) & (walks[:, 1] == c)]
    observed = Counter(through[:, 2].tolist())
    expected = _node2vec_law(graph, a, c, p, q)
    assert set(observed) <= set(expected)
    for node, probability in expected.items():
        share = observed[node] / len(through)
        tolerance = 4 * np.sqrt(probability * (1 - probability) / len(through)) + 1e-3
        assert abs(share - probability) < tolerance, (graph.keys[node], share, probability)


def test_a_low_return_parameter_makes_walks_step_back_more() -> None:
    graph = _ring_with_chords()
    options = {"walk_length": 30, "walks_per_node": 5, "q": 1.0, "seed": 3}
    homebody = generate_walks(graph, p=0.1, **options)
    explorer = generate_walks(graph, p=10.0, **options)

    def returns(walks: np.ndarray) -> float:
        return float(np.mean(walks[:, 2:] == walks[:, :-2]))

    assert returns(homebody) > 2 * returns(explorer)
