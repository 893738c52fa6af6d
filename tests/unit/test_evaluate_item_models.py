"""The item models behind the baselines and the feed's personal lists: pruning,
shrinkage, the RP3beta walk, the low-pass filter and their blend, on matrices small
enough to check by hand."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import scipy.sparse as sp

from graph.errors import ClientError
from graph.precompute import CoEngagementOptions
from graph.precompute.item_models import (
    ItemModel,
    ItemModelSettings,
    LowPass,
    ease_weights,
    keep_top_per_row,
    largest_part,
    rp3beta_weights,
    scaled,
)


def test_pruning_keeps_each_rows_best_ties_by_column() -> None:
    matrix = sp.csr_matrix(np.array([[0.0, 3.0, 3.0, 1.0], [2.0, 0.0, 0.0, 5.0]]))
    kept = keep_top_per_row(matrix, 2).toarray()
    assert kept.tolist() == [[0.0, 3.0, 3.0, 0.0], [2.0, 0.0, 0.0, 5.0]]
    assert keep_top_per_row(matrix, 1).toarray().tolist() == [[0, 3, 0, 0], [0, 0, 0, 5]]


def test_rp3beta_is_a_popularity_penalised_three_step_walk() -> None:
    # Users x items: u0 {i0, i1}, u1 {i0, i2}, u2 {i1}.
    engaged = sp.csr_matrix(np.array([[1, 1, 0], [1, 0, 1], [0, 1, 0]], dtype=np.float64))
    plain = rp3beta_weights(engaged, alpha=1.0, beta=0.0, neighbours=10).toarray()
    # From i0: its users u0, u1 (1/2 each), then u0 -> i1 (1/2), u1 -> i2 (1/2).
    assert np.allclose(plain[0], [0.0, 0.25, 0.25])
    # From i1: u0 (1/2) -> i0 (1/2); u2 (1/2) -> i1 itself (never a neighbour).
    assert np.allclose(plain[1], [0.25, 0.0, 0.0])
    penalised = rp3beta_weights(engaged, alpha=1.0, beta=1.0, neighbours=10).toarray()
    # i1 has two users, i2 one: beta = 1 divides by them.
    assert np.allclose(penalised[0], [0.0, 0.125, 0.25])


def _communities() -> sp.csr_matrix:
    # Viewers x videos: a chain a-b-c-d (u0 {a, b}, u1 {b, c}, u2 {c, d}, u3 {a, b}) and,
    # apart, x-y-z (u4 {x, y}, u5 {y, z}).
    rows = [[0, 1], [1, 2], [2, 3], [0, 1], [4, 5], [5, 6]]
    dense = np.zeros((len(rows), 7))
    for viewer, videos in enumerate(rows):
        dense[viewer, videos] = 1.0
    return sp.csr_matrix(dense)


def test_the_low_pass_filter_reaches_past_co_engagement_within_a_community() -> None:
    engaged = _communities()
    viewer = engaged[[0]]  # u0: a, b
    walk = (viewer @ rp3beta_weights(engaged, alpha=1.0, beta=0.0, neighbours=10)).toarray()[0]
    assert walk[3] == 0.0  # d shares no viewer with a or b: no walk of three steps gets there
    # The strongest vector spans u0's whole part of the graph: d too. The other part,
    # which shares nothing with it, is no part of the filter (the larger one is).
    low = LowPass.fit(engaged, rank=1).scores(viewer)[0]
    assert low[3] > 1e-3
    assert np.abs(low[4:]).max() == 0.0


def test_the_low_pass_filter_is_reproducible_and_truncates_to_a_lower_rank() -> None:
    rng = np.random.default_rng(0)
    engaged = sp.csr_matrix((rng.random((40, 25)) < 0.2).astype(np.float64))
    viewers = engaged[:10]
    full = LowPass.fit(engaged, rank=8)
    assert full.rank == 8
    assert np.array_equal(full.scores(viewers), LowPass.fit(engaged, rank=8).scores(viewers))
    assert np.allclose(full.truncated(3).scores(viewers),
                       LowPass.fit(engaged, rank=3).scores(viewers), atol=1e-4)  # fmt: skip
    # A rank beyond what a truncated SVD of the matrix gives is cut to what it gives.
    assert LowPass.fit(engaged[:, :5], rank=64).rank == 4


def test_the_item_model_blends_scaled_scores_and_serves_one_model_as_it_is() -> None:
    engaged = _communities()
    rows = engaged[[0, 4]]
    low = LowPass.fit(engaged, rank=2).scores(rows)
    alone = ItemModelSettings(ease_lambda=1.0, ease_weight=0.0, spectral_weight=1.0,
                              spectral_rank=2)  # fmt: skip
    assert np.allclose(ItemModel.fit(engaged, alone).scores(rows), low, atol=1e-6)
    ease, _ = ease_weights(engaged, 1.0)
    both = replace(alone, ease_weight=1.0, spectral_weight=0.5)
    expected = scaled(np.asarray(rows @ ease)) + 0.5 * scaled(low)
    assert np.allclose(ItemModel.fit(engaged, both).scores(rows), expected, atol=1e-5)


def test_the_item_model_weights_are_checked() -> None:
    assert CoEngagementOptions(ease_weight=0.0, spectral_weight=1.0).validate()
    with pytest.raises(ClientError, match="not all 0"):
        CoEngagementOptions(ease_weight=0.0).validate()
    with pytest.raises(ClientError, match="rank"):
        CoEngagementOptions(spectral_weight=1.0, spectral_rank=0).validate()


def _with_loners(loners: int) -> sp.csr_matrix:
    # A connected four-video ring (u0 {a, b}, u1 {b, c}, u2 {c, d}, u3 {d, a}) and
    # ``loners`` viewers each alone with a video nobody else watched.
    size = 4 + loners
    dense = np.zeros((size, size))
    for viewer, videos in enumerate([[0, 1], [1, 2], [2, 3], [3, 0]]):
        dense[viewer, videos] = 1.0
    for loner in range(4, size):
        dense[loner, loner] = 1.0
    return sp.csr_matrix(dense)


def test_only_the_largest_connected_part_is_decomposed() -> None:
    engaged = _with_loners(6)
    assert largest_part(engaged).toarray()[:4, :4].tolist() == engaged.toarray()[:4, :4].tolist()
    assert largest_part(engaged).nnz == 8
    # Every loner is a part with a singular value of 1, as strong as the ring's own:
    # decomposed, they would fill the rank. The ring's viewer still gets the ring.
    low = LowPass.fit(engaged, rank=1).scores(engaged[[0]])[0]
    assert (low[:4] > 1e-3).all()
    assert np.abs(low[4:]).max() == 0.0
    # The input is left as it was (the filter binarises a copy).
    weighted = sp.csr_matrix(engaged * 3.0)
    LowPass.fit(weighted, rank=1).scores(weighted[[0]])
    assert weighted.max() == 3.0


def test_without_the_filter_the_item_model_scores_as_before() -> None:
    engaged = _communities()
    rows = sp.csr_matrix(engaged[[0, 4]] * 2.0)
    ease, _ = ease_weights(engaged, 1.0)
    walk = rp3beta_weights(engaged, 0.5, 0.0, 100).astype(np.float32)
    settings = ItemModelSettings(ease_lambda=1.0)  # EASE alone: its own scores
    assert np.array_equal(ItemModel.fit(engaged, settings).scores(rows), rows @ ease)
    only_walk = replace(settings, ease_weight=0.0, rp3_weight=1.0)
    expected_walk = (sp.csr_matrix(rows > 0, dtype=np.float32) @ walk).toarray()
    assert np.array_equal(ItemModel.fit(engaged, only_walk).scores(rows), expected_walk)
    both = replace(settings, rp3_weight=2.0)
    expected = scaled(np.asarray(rows @ ease)) + 2.0 * scaled(expected_walk)
    assert np.allclose(ItemModel.fit(engaged, both).scores(rows), expected, atol=1e-6)
