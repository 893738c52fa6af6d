"""The item models behind the baselines (and the feed's personal lists): pruning,
shrinkage and the RP3beta walk, on matrices small enough to check by hand."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from graph.precompute.item_models import keep_top_per_row, rp3beta_weights


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
