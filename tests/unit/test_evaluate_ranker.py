"""Fitting the scorer weights and reading the feed's source diagnostics (no database)."""

from __future__ import annotations

import numpy as np
import pytest

from graph.errors import ClientError
from graph.evaluate.datasets import build_interactions
from graph.evaluate.ranker import Examples, fit_ranker, labels_from
from graph.evaluate.report import source_breakdown
from graph.evaluate.toy import source
from graph.feed import FEATURE_NAMES

T0 = 1_700_000_000_000


def _examples(n: int = 400, seed: int = 0) -> Examples:
    """Engagement driven by creator affinity (+) and skips (-), nothing else."""
    rng = np.random.default_rng(seed)
    x = rng.random((n, len(FEATURE_NAMES)))
    logit = (
        4 * x[:, FEATURE_NAMES.index("creator_affinity")]
        - 4 * x[:, FEATURE_NAMES.index("creator_skips")]
    )
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(np.int64)
    return Examples(features=x, labels=y, users=10, unreached_positives=3)


def test_fit_recovers_the_sign_of_the_signals_that_matter() -> None:
    fit = fit_ranker(_examples())
    assert set(fit.weights) == set(FEATURE_NAMES)
    assert fit.weights["creator_affinity"] > 1.0
    assert fit.weights["creator_skips"] < -1.0
    assert fit.train_auc > 0.7
    assert fit.weights_json() == {"weights": fit.weights, "bias": fit.bias}
    assert fit_ranker(_examples()) == fit  # deterministic


def test_fit_needs_both_outcomes() -> None:
    examples = _examples()
    only_positive = Examples(examples.features, np.ones_like(examples.labels), 10, 0)
    with pytest.raises(ClientError, match="both engaged and not-engaged"):
        fit_ranker(only_positive)


def test_labels_are_positives_and_shown_but_not_engaged() -> None:
    records = {
        "videos": [
            {"id": v, "creatorId": "c", "createdAt": T0, "durationMs": 30_000}
            for v in ("v1", "v2", "v3")
        ],
        "interactions": [
            {"eventId": "a", "type": "view", "userId": "u1", "videoId": "v1", "at": T0,
             "watchMs": 29_000},
            {"eventId": "b", "type": "view", "userId": "u1", "videoId": "v2", "at": T0,
             "watchMs": 900},
            {"eventId": "c", "type": "skip", "userId": "u2", "videoId": "v3", "at": T0},
        ],
    }  # fmt: skip
    assert labels_from(build_interactions(source(records))) == {
        "u1": {"v1": 1, "v2": 0},
        "u2": {"v3": 0},
    }


def test_source_breakdown_counts_items_and_hits_per_source() -> None:
    item_sources = {
        "u1": {"v1": ("trending", "co_engagement"), "v2": ("trending",)},
        "u2": {"v3": ("hashtag_affinity",)},
    }
    relevance = {"u1": frozenset({"v1"}), "u2": frozenset({"v9"})}
    breakdown = source_breakdown(item_sources, relevance)
    assert breakdown["items"] == 3 and breakdown["hits"] == 1
    assert breakdown["items_by_source"] == {
        "trending": 2,
        "co_engagement": 1,
        "hashtag_affinity": 1,
    }
    assert breakdown["hits_by_source"] == {"trending": 1, "co_engagement": 1}
    assert breakdown["hit_rate_by_source"]["trending"] == pytest.approx(0.5)
    assert breakdown["hit_rate_by_source"]["hashtag_affinity"] == 0.0
