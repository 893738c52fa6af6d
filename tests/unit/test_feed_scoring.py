"""Feature extraction and the logistic scorer (no database)."""

from __future__ import annotations

import json
import math
from dataclasses import fields
from pathlib import Path

import numpy as np
import pytest
from feedworld import catalogue, slate, video

from graph.errors import ClientError
from graph.feed import FEATURE_NAMES, ScoringWeights, score
from graph.feed.config import FeedConfig
from graph.feed.scoring import DAY_MS, FeatureParams, feature_matrix
from graph.feed.slate import Slate


def hydrated(**row: object) -> Slate:
    """One trending video with these ``catalogue/videos`` fields (counters, creator...)."""
    videos = catalogue(video("v1", **row))
    return slate(videos, "v1")


def features(found: Slate, params: FeatureParams = FeatureParams()) -> dict[str, float]:
    return dict(zip(FEATURE_NAMES, feature_matrix(found, params)[0].tolist(), strict=True))


def test_weights_and_features_name_the_same_signals() -> None:
    names = [f.name for f in fields(ScoringWeights) if f.name != "bias"]
    assert names == list(FEATURE_NAMES)
    assert set(features(hydrated())) == set(FEATURE_NAMES)


def test_source_scores_are_scaled_by_the_best_of_the_slate() -> None:
    videos = catalogue(video("a"), video("b"))
    found = feature_matrix(slate(videos, "a", "b"))  # trending scores 1 and 2
    column = FEATURE_NAMES.index("source_trending")
    assert found[:, column].tolist() == [0.5, 1.0]
    assert found[:, FEATURE_NAMES.index("source_popular")].tolist() == [0.0, 0.0]


def test_smoothing_keeps_two_lucky_views_below_a_proven_video() -> None:
    lucky = features(hydrated(views=2, likes=2))["like_lift"]
    proven = features(hydrated(views=10_000, likes=900))["like_lift"]
    average = features(hydrated(views=10_000, likes=300))["like_lift"]
    assert proven > lucky > 0
    assert average == pytest.approx(0.0, abs=0.01)


def test_lifts_are_clipped() -> None:
    params = FeatureParams(max_lift=2.0)
    value = features(hydrated(views=1_000_000, shares=900_000), params)["share_lift"]
    assert value == 2.0


def test_recency_halves_every_half_life() -> None:
    found = hydrated()
    found.columns["age_ms"] = np.array([3.0 * DAY_MS])
    assert features(found)["recency"] == pytest.approx(0.5)
    found.columns["age_ms"] = np.array([0.0])
    assert features(found)["recency"] == pytest.approx(1.0)


def test_skips_of_the_creator_lower_the_score() -> None:
    weights = ScoringWeights()
    liked = hydrated(views=100, likes=10)
    skipped = hydrated(views=100, likes=10)
    skipped.columns["creator_skips"] = np.array([3.0])
    assert score(features(skipped), weights)[0] < score(features(liked), weights)[0]


def test_creators_with_a_fake_following_are_demoted_and_unassessed_ones_are_not() -> None:
    weights = ScoringWeights()

    def scored(authenticity: float | None) -> float:
        creator = {"id": "c1", "authenticity": authenticity}
        return score(features(hydrated(views=100, likes=10, creator=creator)), weights)[0]

    assert scored(1.0) == pytest.approx(scored(None))
    assert scored(0.2) < scored(1.0)


def test_agreeing_sources_raise_the_score() -> None:
    weights = ScoringWeights()
    videos = catalogue(video("v1"))
    one = slate(videos, "v1")
    two = Slate.merge(videos, [*one.proposals.values(),
                               slate(videos, "v1", source="co_engagement").proposals[
                                   "co_engagement"]], limit=1)  # fmt: skip
    assert score(features(two), weights)[0] > score(features(one), weights)[0]


def test_score_is_a_probability_and_contributions_add_up() -> None:
    weights = ScoringWeights()
    values = features(hydrated(views=50, likes=5, completes=20))
    probability, contributions = score(values, weights)
    assert 0 < probability < 1
    logit = weights.bias + sum(contributions.values())
    assert probability == pytest.approx(1 / (1 + math.exp(-logit)))
    assert contributions["source_trending"] == pytest.approx(weights.source_trending)


def test_weights_round_trip_through_the_trainer_format(tmp_path: Path) -> None:
    path = tmp_path / "ranker.json"
    path.write_text(json.dumps({"weights": {"like_lift": 2.5, "recency": -1}, "bias": 0.25}))
    loaded = FeedConfig().with_weights_file(path).weights
    assert loaded.like_lift == 2.5
    assert loaded.recency == -1.0
    assert loaded.bias == 0.25
    assert loaded.completion_lift == ScoringWeights().completion_lift  # left out: default
    assert ScoringWeights.from_mapping(json.loads(loaded.to_json())) == loaded


def test_a_missing_weights_file_keeps_the_defaults(tmp_path: Path) -> None:
    assert FeedConfig().with_weights_file(tmp_path / "none.json").weights == ScoringWeights()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "not valid JSON"),
        ('{"bias": 1}', "expected"),
        ('{"weights": {"nope": 1}}', "unknown features \\['nope'\\]"),
        ('{"weights": {"recency": "high"}}', "not a number"),
        ('{"weights": {}, "bias": true}', "bias is not a number"),
    ],
)
def test_bad_weight_files_are_client_errors(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "ranker.json"
    path.write_text(content)
    with pytest.raises(ClientError, match=message):
        ScoringWeights.from_json(path)
