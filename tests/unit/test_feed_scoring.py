"""Feature extraction and the logistic scorer (no database)."""

from __future__ import annotations

import json
import math
from dataclasses import fields
from pathlib import Path

import pytest

from graph.errors import ClientError
from graph.feed import FEATURE_NAMES, Candidate, ScoringWeights, SourceHit, features, score
from graph.feed.candidate import Affinity, VideoFacts
from graph.feed.config import FeedConfig
from graph.feed.scoring import DAY_MS, FeatureParams


def hydrated(**facts: object) -> Candidate:
    candidate = Candidate("v1", facts=VideoFacts(**facts))  # type: ignore[arg-type]
    candidate.hits = {"trending": SourceHit("v1", "trending", 3.0)}
    candidate.source_scores = {"trending": 1.0}
    return candidate


def test_weights_and_features_name_the_same_signals() -> None:
    names = [f.name for f in fields(ScoringWeights) if f.name != "bias"]
    assert names == list(FEATURE_NAMES)
    assert set(features(hydrated())) == set(FEATURE_NAMES)


def test_features_need_a_hydrated_candidate() -> None:
    with pytest.raises(ValueError, match="not hydrated"):
        features(Candidate("v1"))


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
    candidate = hydrated()
    candidate.age_ms = 3 * DAY_MS
    assert features(candidate)["recency"] == pytest.approx(0.5)
    candidate.age_ms = 0
    assert features(candidate)["recency"] == pytest.approx(1.0)


def test_skips_of_the_creator_lower_the_score() -> None:
    weights = ScoringWeights()
    liked = hydrated(views=100, likes=10)
    skipped = hydrated(views=100, likes=10)
    skipped.affinity = Affinity(creator_skips=3)
    assert score(features(skipped), weights)[0] < score(features(liked), weights)[0]


def test_creators_with_a_fake_following_are_demoted_and_unassessed_ones_are_not() -> None:
    weights = ScoringWeights()
    unassessed = score(features(hydrated(views=100, likes=10)), weights)[0]
    real = score(features(hydrated(views=100, likes=10, creator_authenticity=1.0)), weights)[0]
    bought = score(features(hydrated(views=100, likes=10, creator_authenticity=0.2)), weights)[0]
    assert real == pytest.approx(unassessed)
    assert bought < real


def test_agreeing_sources_raise_the_score() -> None:
    weights = ScoringWeights()
    one = hydrated()
    two = hydrated()
    two.hits["co_engagement"] = SourceHit("v1", "co_engagement", 2.0)
    two.source_scores["co_engagement"] = 1.0
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
