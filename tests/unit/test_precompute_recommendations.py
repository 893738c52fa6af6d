"""Per-viewer recommendation lists from the item-item model (no database)."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from graph.errors import ClientError
from graph.precompute.co_engagement import (
    CoEngagementOptions,
    engagement,
    engagement_matrix,
    nearest_neighbours,
)
from graph.precompute.recommendations import (
    ViewerTop,
    chunk_rows,
    neighbour_matrix,
    recommendation_rows,
    top_per_viewer,
)

# Viewers u0..u2 over videos 0..3.
ENGAGED = sp.csr_matrix(np.array([[1, 0, 0, 0], [1, 1, 0, 0], [0, 0, 0, 1]], dtype=np.float64))
# Row a, column b: how much engaging with a recommends b.
WEIGHTS = np.array(
    [
        [0.0, 0.5, 0.2, 0.2],
        [0.1, 0.0, 0.4, -0.3],
        [0.0, 0.0, 0.0, 0.0],
        [-0.1, 0.0, -0.2, 0.0],
    ],
    dtype=np.float32,
)


def lists(tops: list[ViewerTop]) -> dict[int, list[tuple[int, float]]]:
    return {
        top.row: [
            (int(c), round(float(s), 4)) for c, s in zip(top.columns, top.scores, strict=True)
        ]
        for top in tops
    }


def test_scores_sum_the_weights_of_every_engaged_video_and_skip_what_was_seen() -> None:
    found = lists(list(top_per_viewer(ENGAGED, WEIGHTS, n=10)))
    # u0 saw video 0: 1 (0.5) then 2 and 3 tied at 0.2, ties by column.
    assert found[0] == [(1, 0.5), (2, 0.2), (3, 0.2)]
    # u1 saw 0 and 1: 2 gets 0.2 + 0.4; 3 gets 0.2 - 0.3 < 0, dropped (positive only).
    assert found[1] == [(2, 0.6)]
    # u2's only video recommends nothing positive: no list at all.
    assert 2 not in found


def test_top_n_and_chunking_do_not_change_the_lists() -> None:
    whole = lists(list(top_per_viewer(ENGAGED, WEIGHTS, n=2)))
    assert whole[0] == [(1, 0.5), (2, 0.2)]
    assert lists(list(top_per_viewer(ENGAGED, WEIGHTS, n=2, chunk=1))) == whole


def test_a_sparse_neighbour_matrix_scores_like_the_dense_one() -> None:
    dense = np.where(WEIGHTS > 0, WEIGHTS, 0).astype(np.float32)
    sparse = sp.csr_matrix(dense)
    assert lists(list(top_per_viewer(ENGAGED, sparse, n=3))) == lists(
        list(top_per_viewer(ENGAGED, dense, n=3))
    )


def test_cosine_neighbours_become_a_weight_matrix() -> None:
    neighbours = nearest_neighbours(engagement_matrix([["a", "b"], ["a", "b"], ["b"]]), n=1)
    matrix = neighbour_matrix(neighbours.indptr, neighbours.columns, neighbours.scores)
    assert matrix.shape == (3, 3)
    assert matrix[0, 1] == pytest.approx(1.0) and matrix[0, 2] == 0


def test_rows_carry_ids_and_ranks() -> None:
    viewers, videos = ["u0", "u1", "u2"], ["v0", "v1", "v2", "v3"]
    rows = recommendation_rows(viewers, videos, list(top_per_viewer(ENGAGED, WEIGHTS, n=2)))
    assert rows[0] == {
        "id": "u0",
        "videos": [{"id": "v1", "score": 0.5, "rank": 1}, {"id": "v2", "score": 0.2, "rank": 2}],
    }
    assert [row["id"] for row in rows] == ["u0", "u1"]


def test_engagement_names_each_row_and_weighs_positive_engagements_double() -> None:
    found = engagement([["b", "a", "a"], ["a"]], [[False, False, True], [False]])
    assert sorted(found.viewer_ids) == ["a", "b"]
    a, b = found.viewer_ids.index("a"), found.viewer_ids.index("b")
    assert found.matrix[a].toarray().tolist() == [[1.0, 1.0]]  # repeated viewer: once
    assert found.strength[a].toarray().tolist() == [[2.0, 1.0]]  # positive once: positive
    assert found.strength[b].toarray().tolist() == [[1.0, 0.0]]


def test_a_positive_engagement_pulls_the_list_towards_its_neighbours() -> None:
    # One viewer, two videos seen: a long view of 0 and a skip-like view of 3.
    strength = sp.csr_matrix(np.array([[2.0, 0, 0, 1.0]], dtype=np.float64))
    weights = np.zeros((4, 4), dtype=np.float32)
    weights[0, 1] = 0.3  # what the long view recommends
    weights[3, 2] = 0.5  # what the short view recommends
    top = next(top_per_viewer(strength, weights, n=2))
    assert top.columns.tolist() == [1, 2]  # 0.6 against 0.5


def test_chunks_stay_within_the_memory_budget() -> None:
    assert chunk_rows(videos=1000, budget=10_000) == 10
    assert chunk_rows(videos=10**9, budget=10_000) == 1


def test_recommendation_options_are_validated() -> None:
    with pytest.raises(ClientError):
        CoEngagementOptions(recommendations=-1).validate()
    with pytest.raises(ClientError):
        CoEngagementOptions(recommend_write_batch=0).validate()
    assert CoEngagementOptions(recommendations=0).validate().recommendations == 0
