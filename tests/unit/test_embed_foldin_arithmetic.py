"""Fold-in arithmetic (no database): weighted mean directions of neighbour vectors."""

from __future__ import annotations

import numpy as np
import pytest

from graph.embed.foldin import combine, creator_neighbours, user_neighbours, video_neighbours
from graph.embed.options import EdgeWeights, EmbedOptions
from graph.errors import ClientError

W = EdgeWeights()


def test_the_result_is_the_unit_weighted_mean_direction() -> None:
    folded = combine([(1.0, [2.0, 0.0]), (3.0, [0.0, 5.0])])
    assert folded is not None
    expected = np.array([1.0, 3.0]) / np.linalg.norm([1.0, 3.0])
    assert folded == pytest.approx(expected.tolist())


def test_nothing_usable_gives_none() -> None:
    assert combine([]) is None
    assert combine([(0.0, [1.0, 0.0]), (2.0, [])]) is None
    assert combine([(1.0, [1.0, 0.0]), (1.0, [-1.0, 0.0])]) is None


def test_vectors_of_another_dimension_are_ignored() -> None:
    folded = combine([(1.0, [1.0, 0.0]), (1.0, [0.0, 1.0]), (5.0, [9.0, 9.0, 9.0])])
    assert folded is not None and len(folded) == 2
    assert combine([(1.0, [0.0, 1.0])], dimensions=3) is None


def test_users_weigh_videos_by_engagement_and_ignore_negative_feedback() -> None:
    row = {
        "videos": [
            {
                "signals": [["v1", "VIEWED", 1.0, 0], ["v1", "LIKED", None, None]],
                "vector": [1.0, 0.0],
            },
            {"signals": [["v2", "SKIPPED", None, None]], "vector": [0.0, 1.0]},
            {"signals": [["v3", "NOT_INTERESTED", None, None]], "vector": [0.0, -1.0]},
        ],
        "creators": [[1.0, 1.0]],
    }
    weights = [weight for weight, _ in user_neighbours(row, W)]
    assert weights == [W.view + W.like, 0.0, 0.0, W.follow]
    folded = combine(user_neighbours(row, W))
    assert folded is not None and folded[0] > folded[1] > 0


def test_videos_and_creators_use_their_own_neighbourhoods() -> None:
    video = {"viewers": [], "creators": [[1.0, 0.0]], "hashtags": [[0.0, 1.0]], "sounds": []}
    assert [w for w, _ in video_neighbours(video, W)] == [W.posted, W.tagged]
    creator = {"videos": [[1.0, 0.0]], "followers": [], "self": None}
    assert [w for w, _ in creator_neighbours(creator, W)] == [W.posted]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (EmbedOptions(p=0), "p and q must be positive"),
        (EmbedOptions(dimensions=1), "dimensions"),
        (EmbedOptions(walk_length=1), "walk length"),
        (EmbedOptions(workers=0), "workers"),
    ],
)
def test_bad_options_are_client_errors(options: EmbedOptions, message: str) -> None:
    with pytest.raises(ClientError, match=message):
        options.validate()
