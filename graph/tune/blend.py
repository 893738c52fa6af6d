"""Choosing the feed's scoring weights on a validation split, over the served pipeline.

The engine (serving a graph that holds only the split's ``fit`` part) gives every
validation viewer's candidates with their features (``FeedEngine.candidates``: the
sources, filters, hydration and features it serves with). The weights are then searched
offline: a viewer's ranking is their candidates by ``features . weights`` (the logistic
scorer is monotone in it), scored by Recall@20 and Recall@50 against what they engaged
with next (graph.tune.search.objective). Coordinate ascent from the current weights,
one weight at a time; every source alone is tried too, so the feed never ranks below its
own best source on the validation split (where a source carries no signal, its weight
goes down).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from graph.feed.candidate import SOURCE_NAMES, Candidate
from graph.feed.scoring import FEATURE_NAMES, ScoringWeights
from graph.tune.search import KS, objective

log = logging.getLogger(__name__)

#: Changes tried for each weight in a pass: scaled, then shifted.
FACTORS = (0.0, 0.5, 2.0)
SHIFTS = (-1.0, 1.0)


@dataclass(frozen=True)
class Slates:
    """Every validation viewer's candidates: features (rows) and which were relevant."""

    features: tuple[NDArray[np.float64], ...]
    relevant: tuple[NDArray[np.bool_], ...]
    #: How many items each viewer engaged with next (Recall's denominator).
    totals: NDArray[np.float64]

    @classmethod
    def of(
        cls, candidates: Mapping[str, Sequence[Candidate]], relevance: Mapping[str, frozenset[str]]
    ) -> Slates:
        users = sorted(user for user in candidates if relevance.get(user))
        features, relevant = [], []
        for user in users:
            found = candidates[user]
            features.append(
                np.array([[c.features[name] for name in FEATURE_NAMES] for c in found])
                if found
                else np.zeros((0, len(FEATURE_NAMES)))
            )
            relevant.append(np.array([c.video_id in relevance[user] for c in found], dtype=bool))
        totals = np.array([len(relevance[user]) for user in users], dtype=np.float64)
        return cls(tuple(features), tuple(relevant), totals)

    def __len__(self) -> int:
        return len(self.features)

    def recall(self, weights: NDArray[np.float64]) -> tuple[float, float]:
        """Mean Recall@20 and Recall@50 of every viewer's candidates ranked by weights."""
        if not len(self):
            return 0.0, 0.0
        hits = np.zeros((len(self), len(KS)))
        for i, (values, relevant) in enumerate(zip(self.features, self.relevant, strict=True)):
            if not relevant.any():
                continue
            order = np.argsort(-(values @ weights), kind="stable")
            for j, k in enumerate(KS):
                hits[i, j] = relevant[order[:k]].sum()
        at = (hits / self.totals[:, None]).mean(axis=0)
        return float(at[0]), float(at[1])


@dataclass(frozen=True)
class BlendResult:
    weights: ScoringWeights
    recall_at_20: float
    recall_at_50: float
    #: The defaults' and each single source's validation figures, for the report.
    start: tuple[float, float]
    sources: dict[str, tuple[float, float]]
    evaluations: int
    seconds: float


def search_weights(slates: Slates, start: ScoringWeights, seconds: float) -> BlendResult:
    began = time.monotonic()
    vector = start.vector.copy()
    evaluations = 0

    def measure(weights: NDArray[np.float64]) -> tuple[float, float, float]:
        nonlocal evaluations
        evaluations += 1
        at_20, at_50 = slates.recall(weights)
        return objective(at_20, at_50), at_20, at_50

    best_value, *best_at = measure(vector)
    start_at = (best_at[0], best_at[1])
    sources: dict[str, tuple[float, float]] = {}
    for source in SOURCE_NAMES:
        alone = np.zeros_like(vector)
        alone[FEATURE_NAMES.index(f"source_{source}")] = 1.0
        value, at_20, at_50 = measure(alone)
        sources[source] = (at_20, at_50)
        if value > best_value:
            best_value, best_at, vector = value, [at_20, at_50], alone * 10.0
    improved = True
    while improved and time.monotonic() - began < seconds:
        improved = False
        for index in range(vector.size):
            if time.monotonic() - began >= seconds:
                break
            current = vector[index]
            options = [current * factor for factor in FACTORS] + [current + s for s in SHIFTS]
            for option in options:
                if option == current:
                    continue
                trial = vector.copy()
                trial[index] = option
                value, at_20, at_50 = measure(trial)
                if value > best_value + 1e-6:
                    best_value, best_at, vector = value, [at_20, at_50], trial
                    improved = True
        log.info("blend pass: recall@20 %.4f, recall@50 %.4f", best_at[0], best_at[1])
    weights = replace(start, **dict(zip(FEATURE_NAMES, vector.tolist(), strict=True)))
    return BlendResult(
        weights=weights,
        recall_at_20=best_at[0],
        recall_at_50=best_at[1],
        start=start_at,
        sources=sources,
        evaluations=evaluations,
        seconds=time.monotonic() - began,
    )
