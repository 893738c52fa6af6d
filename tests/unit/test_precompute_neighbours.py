"""The co-engagement batch job's arithmetic (no database): cosine, top-N, ties, rows."""

from __future__ import annotations

import math

import numpy as np
import pytest

from graph.errors import ClientError
from graph.precompute.co_engagement import (
    CoEngagementOptions,
    ease_neighbours,
    engagement_matrix,
    nearest_neighbours,
    write_rows,
)

# Videos a, b, c, d; viewers: a+b shared by 3, a+c by 1, d alone.
ENGAGERS = [
    ["u1", "u2", "u3", "u4"],  # a
    ["u1", "u2", "u3"],  # b
    ["u4", "u5"],  # c
    ["u9"],  # d
]


def test_cosine_is_shared_viewers_over_the_geometric_mean_of_audiences() -> None:
    neighbours = nearest_neighbours(engagement_matrix(ENGAGERS), n=10)
    a = neighbours.of(0)
    assert [column for column, _, _ in a] == [1, 2]
    assert a[0][1] == pytest.approx(3 / math.sqrt(4 * 3))
    assert a[1][1] == pytest.approx(1 / math.sqrt(4 * 2))
    assert [viewers for _, _, viewers in a] == [3, 1]
    assert neighbours.of(3) == []  # no shared viewer: no neighbour, never itself


def test_top_n_keeps_the_best_and_breaks_ties_by_column() -> None:
    tied = [["u1"], ["u1"], ["u1"], ["u1"]]
    neighbours = nearest_neighbours(engagement_matrix(tied), n=2)
    assert [column for column, _, _ in neighbours.of(0)] == [1, 2]
    assert [column for column, _, _ in neighbours.of(3)] == [0, 1]


def test_min_viewers_drops_thin_pairs() -> None:
    neighbours = nearest_neighbours(engagement_matrix(ENGAGERS), n=10, min_viewers=2)
    assert [column for column, _, _ in neighbours.of(0)] == [1]
    assert neighbours.of(2) == []


def test_repeated_viewers_count_once() -> None:
    once = nearest_neighbours(engagement_matrix([["u1", "u2"], ["u1"]]), n=5)
    twice = nearest_neighbours(engagement_matrix([["u1", "u1", "u2"], ["u1", "u1"]]), n=5)
    assert np.allclose(once.scores, twice.scores)


def test_write_rows_rank_neighbours_and_keep_videos_without_any() -> None:
    ids = ["a", "b", "c", "d"]
    rows = write_rows(ids, nearest_neighbours(engagement_matrix(ENGAGERS), n=10), range(0, 4))
    assert [row["id"] for row in rows] == ids
    first = rows[0]["neighbours"]
    assert isinstance(first, list)
    assert [(n["id"], n["rank"], n["viewers"]) for n in first] == [("b", 1, 3), ("c", 2, 1)]
    assert rows[3]["neighbours"] == []  # written anyway, so its stale edges are cleared


def test_ease_matches_the_closed_form_and_keeps_only_positive_co_engaged_pairs() -> None:
    engaged = engagement_matrix(ENGAGERS)
    neighbours = ease_neighbours(engaged, n=10, regularisation=1.0)
    x = engaged.toarray()
    inverse = np.linalg.inv(x.T @ x + np.eye(4))
    expected = -inverse / np.diag(inverse)
    for row in range(4):
        for column, score, viewers in neighbours.of(row):
            assert score == pytest.approx(expected[row, column], rel=1e-4)
            assert score > 0 and viewers >= 1 and column != row
    assert neighbours.of(0)[0][0] == 1  # a's best: b (3 shared)
    assert neighbours.of(3) == []


def test_options_are_validated() -> None:
    with pytest.raises(ClientError):
        CoEngagementOptions(neighbours=0).validate()
    with pytest.raises(ClientError):
        CoEngagementOptions(write_batch=0).validate()
    with pytest.raises(ClientError):
        CoEngagementOptions(method="svd").validate()
