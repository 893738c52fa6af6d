"""The walk graph: keyed nodes, summed symmetric weights, canonical numbering."""

from __future__ import annotations

import numpy as np

from graph.embed.nodes import NodeKind, node_key, split_key
from graph.embed.walkgraph import WalkGraphBuilder, graph_from_arrays, graph_from_edges


def _neighbours(
    graph_keys: list[str], indptr: np.ndarray, indices: np.ndarray, key: str
) -> set[str]:
    i = graph_keys.index(key)
    return {graph_keys[j] for j in indices[indptr[i] : indptr[i + 1]]}


def test_edges_are_symmetric_and_duplicates_add_up() -> None:
    graph = graph_from_edges([("user:a", "video:x", 1.0), ("video:x", "user:a", 2.5)])
    assert graph.keys == ["user:a", "video:x"]
    assert graph.edge_count == 1
    assert graph.indptr.tolist() == [0, 1, 2]
    assert graph.indices.tolist() == [1, 0]
    assert graph.weights.tolist() == [3.5, 3.5]


def test_zero_weights_and_self_loops_add_nothing() -> None:
    builder = WalkGraphBuilder()
    builder.add("user:a", "video:x", 0.0)
    builder.add("user:a", "user:a", 5.0)
    builder.add("user:a", "video:y", -1.0)
    assert builder.pending_edges == 0
    assert builder.build().node_count == 0


def test_numbering_does_not_depend_on_arrival_order() -> None:
    edges = [
        ("user:b", "video:x", 1.0),
        ("user:a", "video:y", 2.0),
        ("video:x", "hashtag:cats", 1.0),
        ("user:a", "video:x", 0.5),
    ]
    forward = graph_from_edges(edges)
    backward = graph_from_edges(reversed(edges))
    assert forward.keys == sorted(forward.keys) == backward.keys
    assert np.array_equal(forward.indptr, backward.indptr)
    assert np.array_equal(forward.indices, backward.indices)
    assert np.array_equal(forward.weights, backward.weights)


def test_neighbour_lists_are_sorted_for_binary_search() -> None:
    rng = np.random.default_rng(3)
    edges = [(f"user:u{a}", f"video:v{b}", 1.0) for a, b in rng.integers(0, 30, (200, 2))]
    graph = graph_from_edges(edges)
    for node in range(graph.node_count):
        row = graph.indices[graph.indptr[node] : graph.indptr[node + 1]]
        assert np.all(np.diff(row) > 0)
    expected = {b for a, b, _ in edges if a == "user:u0"}
    assert _neighbours(graph.keys, graph.indptr, graph.indices, "user:u0") == expected


def test_kinds_are_counted_from_keys() -> None:
    graph = graph_from_edges([("user:a", "video:x", 1.0), ("video:x", "sound:s", 1.0)])
    assert graph.kinds() == {NodeKind.USER: 1, NodeKind.VIDEO: 1, NodeKind.SOUND: 1}


def test_keys_keep_kinds_apart_and_allow_colons_in_ids() -> None:
    assert node_key(NodeKind.HASHTAG, "rain") != node_key(NodeKind.SOUND, "rain")
    assert split_key(node_key(NodeKind.VIDEO, "yt:abc:1")) == (NodeKind.VIDEO, "yt:abc:1")


def test_arrays_give_the_same_graph_as_edge_triples() -> None:
    rng = np.random.default_rng(11)
    # Keys 80.. are in no edge.
    keys = [f"user:u{i}" for i in range(45)] + [f"video:v{i}" for i in range(45)]
    src = rng.integers(0, 80, 300)
    dst = rng.integers(0, 80, 300)
    weights = rng.choice([0.0, -1.0, 0.5, 1.0, 2.5], 300).astype(np.float32)
    src[:5] = dst[:5]  # self loops
    expected = graph_from_edges(
        (keys[a], keys[b], float(w)) for a, b, w in zip(src, dst, weights, strict=True)
    )
    got = graph_from_arrays(keys, src, dst, weights)
    assert got.keys == expected.keys
    assert len(got.keys) < len(keys)  # nodes without a valid edge are left out
    assert np.array_equal(got.indptr, expected.indptr)
    assert np.array_equal(got.indices, expected.indices)
    assert np.array_equal(got.weights, expected.weights)
