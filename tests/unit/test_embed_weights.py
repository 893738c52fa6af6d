"""Engagement weights: positive signals pull together, skips and not-interested do not."""

from __future__ import annotations

import pytest

from graph.embed.options import EdgeWeights
from graph.embed.weights import Engagement, engagement_weight, weighted_engagements

W = EdgeWeights()


def test_view_counts_in_proportion_to_completion_capped_at_one_watch() -> None:
    assert engagement_weight(Engagement(completion=0.5), W) == pytest.approx(0.5 * W.view)
    assert engagement_weight(Engagement(completion=3.0), W) == pytest.approx(W.view)


def test_barely_watched_views_weigh_nothing() -> None:
    assert engagement_weight(Engagement(completion=W.min_completion / 2), W) == 0.0


def test_rewatches_add_up_to_a_cap() -> None:
    few = engagement_weight(Engagement(completion=1.0, rewatches=1), W)
    many = engagement_weight(Engagement(completion=1.0, rewatches=50), W)
    assert few == pytest.approx(W.view + W.rewatch)
    assert many == pytest.approx(W.view + W.max_rewatches * W.rewatch)


def test_explicit_actions_add_their_weights() -> None:
    everything = Engagement(completion=1.0, liked=True, shared=True, commented=True)
    assert engagement_weight(everything, W) == pytest.approx(W.view + W.like + W.share + W.comment)


def test_a_skip_removes_the_view_but_not_a_like() -> None:
    assert engagement_weight(Engagement(completion=0.9, rewatches=2, skipped=True), W) == 0.0
    assert engagement_weight(Engagement(completion=0.9, skipped=True, liked=True), W) == W.like


def test_not_interested_removes_the_pair_altogether() -> None:
    strong = Engagement(completion=1.0, liked=True, shared=True, not_interested=True)
    assert engagement_weight(strong, W) == 0.0


def test_rows_are_grouped_by_the_other_end_and_zero_pairs_left_out() -> None:
    rows = [
        ["v1", "VIEWED", 0.8, 1],
        ["v1", "LIKED", None, None],
        ["v2", "SKIPPED", None, None],
        ["v2", "VIEWED", 0.05, 0],
        ["v3", "VIEWED", 1.0, 0],
        ["v3", "NOT_INTERESTED", None, None],
        ["v4", "SHARED", None, None],
    ]
    weights = weighted_engagements(rows, W)
    assert set(weights) == {"v1", "v4"}
    assert weights["v1"] == pytest.approx(0.8 * W.view + W.rewatch + W.like)
    assert weights["v4"] == pytest.approx(W.share)
