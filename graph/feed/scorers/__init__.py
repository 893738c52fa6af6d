"""Scorers: predicted engagement for every candidate (graph.feed.scoring's features)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from graph.feed.candidate import Candidate
from graph.feed.query import FeedQuery
from graph.feed.scoring import FEATURE_NAMES, feature_matrix, score_matrix
from graph.feed.slate import Slate


@dataclass(frozen=True)
class EngagementScorer:
    """The logistic model over named features (:mod:`graph.feed.scoring`), for the whole
    slate at once; returns the feature matrix (rows in slate order), from which the page's
    items (and the ranker's training data) get their features and contributions."""

    name: str = "engagement"

    def score(self, query: FeedQuery, slate: Slate) -> NDArray[np.float64]:
        matrix = feature_matrix(slate, query.config.features)
        slate.scores = score_matrix(matrix, query.config.weights)
        return matrix


def explain(candidate: Candidate, row: NDArray[np.float64], query: FeedQuery) -> None:
    """Put one candidate's features and their contributions to the logit on it."""
    weights = query.config.weights.vector
    candidate.features = dict(zip(FEATURE_NAMES, row.tolist(), strict=True))
    candidate.contributions = dict(zip(FEATURE_NAMES, (row * weights).tolist(), strict=True))


ENGAGEMENT = EngagementScorer()
