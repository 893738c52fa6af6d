"""Skip-gram with negative sampling: word2vec's formulas, seeded, and it learns."""

from __future__ import annotations

import numpy as np
import pytest

from graph.embed.alias import alias_tables
from graph.embed.skipgram import (
    SkipGramOptions,
    initial_vectors,
    keep_probabilities,
    noise_table,
    train_skipgram,
)
from graph.embed.walkgraph import graph_from_edges
from graph.embed.walks import WalkMatrix, count_visits, generate_walks


def _options(**overrides: object) -> SkipGramOptions:
    base = {"dimensions": 16, "window": 4, "epochs": 2, "negative": 5, "alpha": 0.025,
            "min_alpha": 0.0001, "sample": 1e-3, "seed": 1}  # fmt: skip
    base.update(overrides)
    return SkipGramOptions(**base)  # type: ignore[arg-type]


def test_down_sampling_matches_word2vec() -> None:
    counts = np.array([1, 10, 1000, 100_000], dtype=np.int64)
    sample = 1e-3
    threshold = sample * counts.sum()
    expected = np.minimum(1.0, (np.sqrt(counts / threshold) + 1) * threshold / counts)
    assert keep_probabilities(counts, sample) == pytest.approx(expected, rel=1e-6)
    assert np.all(keep_probabilities(counts, 0.0) == 1.0)


def _draw(prob: np.ndarray, alias: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    slots = rng.integers(0, prob.size, n)
    coins = rng.random(n)
    return np.where(coins < prob[slots], slots, alias[slots])


def test_noise_follows_counts_to_the_three_quarters() -> None:
    counts = np.array([1, 16, 81, 0, 256], dtype=np.int64)
    prob, alias = noise_table(counts)
    draws = _draw(prob, alias, 400_000, np.random.default_rng(0))
    expected = counts**0.75 / (counts**0.75).sum()
    observed = np.bincount(draws, minlength=counts.size) / draws.size
    assert observed == pytest.approx(expected, abs=0.005)
    assert observed[3] == 0


def test_alias_tables_per_segment() -> None:
    indptr = np.array([0, 2, 5], dtype=np.int64)
    weights = np.array([1.0, 3.0, 1.0, 1.0, 2.0], dtype=np.float32)
    prob, alias = alias_tables(indptr, weights)
    rng = np.random.default_rng(1)
    second = _draw(prob[2:5], alias[2:5], 200_000, rng)
    assert np.bincount(second, minlength=3) / second.size == pytest.approx(
        [0.25, 0.25, 0.5], abs=0.01
    )


def test_start_vectors_are_small_and_seeded() -> None:
    vectors = initial_vectors(10, 8, seed=3)
    assert vectors.dtype == np.float32
    assert np.all(np.abs(vectors) <= 1 / 8)
    assert np.array_equal(vectors, initial_vectors(10, 8, seed=3))


def _two_communities() -> tuple[list[str], WalkMatrix]:
    rng = np.random.default_rng(4)
    edges = []
    for side in ("a", "b"):
        for _ in range(300):
            x, y = rng.integers(0, 20, 2)
            if x != y:
                edges.append((f"user:{side}{x}", f"user:{side}{y}", 1.0))
    edges.append(("user:a0", "user:b0", 1.0))
    graph = graph_from_edges(edges)
    walks = generate_walks(graph, walk_length=20, walks_per_node=10, p=1, q=1, seed=2)
    return graph.keys, WalkMatrix(walks, graph.node_count, block=500)


def test_same_seed_same_vectors_with_one_worker() -> None:
    _, walks = _two_communities()
    first = train_skipgram(walks, _options())
    again = train_skipgram(walks, _options())
    other = train_skipgram(walks, _options(seed=2))
    assert np.array_equal(first, again)
    assert not np.array_equal(first, other)


@pytest.mark.parametrize("workers", [1, 2])
def test_nodes_of_one_community_end_up_closer(workers: int) -> None:
    keys, walks = _two_communities()
    # Tiny vocabularies are all "frequent": down-sampling would drop most of the walks.
    vectors = train_skipgram(walks, _options(workers=workers, sample=0.0))
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    side = np.array([key.startswith("user:a") for key in keys])
    cosine = unit @ unit.T
    same = cosine[np.equal.outer(side, side) & ~np.eye(len(keys), dtype=bool)].mean()
    across = cosine[np.not_equal.outer(side, side)].mean()
    assert same > across + 0.3


def test_counts_ignore_padding() -> None:
    walks = np.array([[0, 1, -1], [1, 1, 2]], dtype=np.int32)
    counts = np.zeros(4, dtype=np.int64)
    count_visits(walks, counts)
    assert counts.tolist() == [1, 3, 1, 0]


def test_a_plain_int_random_state_is_still_unsigned() -> None:
    # numba types a Python int as int64, and int64 + uint64 gives float64: the kernel
    # must coerce, or the "random" stream silently degenerates.
    from graph.embed.skipgram_kernels import train_slice

    _, source = _two_communities()
    walks = source.walks[:50]
    counts = np.bincount(walks.ravel(), minlength=source.nodes).astype(np.int64)
    keep = keep_probabilities(counts, 0.0)
    prob, alias = noise_table(counts)
    results = []
    for state in (12345, np.uint64(12345)):
        syn0 = initial_vectors(source.nodes, 8, seed=1)
        syn1 = np.zeros_like(syn0)
        train_slice(walks, keep, prob, alias, syn0, syn1, 3, 2, 0.025, 1e-4, 0, 50, 1, state)
        results.append(syn0)
    assert np.array_equal(results[0], results[1])
