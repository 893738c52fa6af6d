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
    # Viewers x videos: a chain a-b-c-d (u0 {a, b}, u1 {b, c}, u2 {c, d}) and, apart,
    # x-y-z (u3 {x, y}, u4 {y, z}, u5 {x, z}).
    rows = [[0, 1], [1, 2], [2, 3], [4, 5], [5, 6], [4, 6]]
    dense = np.zeros((len(rows), 7))
    for viewer, videos in enumerate(rows):
        dense[viewer, videos] = 1.0
    return sp.csr_matrix(dense)


def test_the_low_pass_filter_reaches_past_co_engagement_within_a_community() -> None:
    engaged = _communities()
    viewer = engaged[[0]]  # u0: a, b
    walk = (viewer @ rp3beta_weights(engaged, alpha=1.0, beta=0.0, neighbours=10)).toarray()[0]
    assert walk[3] == 0.0  # d shares no viewer with a or b: no walk of three steps gets there
    low = LowPass.fit(engaged, rank=2).scores(viewer)[0]
    # Two communities, two components: u0's scores stay in its own, and reach d.
    assert low[3] > 1e-3
    assert np.abs(low[4:]).max() < 1e-5


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
    rows = engaged[[0, 3]]
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
