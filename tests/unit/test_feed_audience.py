"""A new video's first audience: the embedding match and the fresh source's score."""

from __future__ import annotations

import numpy as np
import pytest

from graph.feed.audience import audience_match, first_audience_scores

DAY = 86_400_000


def _unit(*values: float) -> np.ndarray:
    vector = np.array(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


def test_the_match_is_the_cosine_and_zero_without_a_vector() -> None:
    vectors = np.stack([_unit(1, 0), _unit(1, 1), _unit(0, 1), np.zeros(2, np.float32)])
    has_vector = np.array([True, True, True, False])
    match = audience_match(_unit(2, 0) * 3, vectors, has_vector)
    assert match == pytest.approx([1.0, np.sqrt(0.5), 0.0, 0.0])
    assert not audience_match(None, vectors, has_vector).any()
    assert not audience_match(_unit(1, 0), None, has_vector).any()
    # A viewer from another embedding space (another length) has no match either.
    assert not audience_match(_unit(1, 0, 0), vectors, has_vector).any()


def test_equally_new_videos_are_ordered_by_the_match() -> None:
    match = np.array([0.1, 0.9, -0.3, 0.5])
    zeros = np.zeros(4)
    scores = first_audience_scores(zeros, zeros, match, half_life_ms=DAY, audience=50,
                                   sharpness=4.0)  # fmt: skip
    assert list(np.argsort(-scores)) == [1, 3, 0, 2]
    flat = first_audience_scores(zeros, zeros, match, half_life_ms=DAY, audience=50,
                                 sharpness=0.0)  # fmt: skip
    assert flat == pytest.approx(np.ones(4))


def test_age_and_a_first_audience_weigh_against_the_match() -> None:
    age = np.array([0.0, DAY, 0.0])
    impressions = np.array([0.0, 0.0, 50.0])
    scores = first_audience_scores(age, impressions, np.zeros(3), half_life_ms=DAY,
                                   audience=50, sharpness=4.0)  # fmt: skip
    assert scores == pytest.approx([1.0, 0.5, 0.5])
    # A better match is worth some age: exp(4 x 0.2) > 2 ** (1 / 3) (a third of a half-life).
    older_but_closer = first_audience_scores(
        np.array([0.0, DAY / 3]), np.zeros(2), np.array([0.0, 0.2]), half_life_ms=DAY,
        audience=50, sharpness=4.0,
    )  # fmt: skip
    assert older_but_closer[1] > older_but_closer[0]
