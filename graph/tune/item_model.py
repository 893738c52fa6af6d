"""Choosing the feed's item model (graph.precompute.item_models) on a validation split.

EASE's lambda and RP3beta's walk settings are searched as the EASE and RP3beta
baselines are (the same grids, the same split: graph.tune.baselines); then the weight
of RP3beta in the blend is searched with both models fitted once, then the low-pass
filter's weight and rank on top of the blend chosen (kept only where they improve on
it). Scores are the ones ``fyp precompute`` writes as each viewer's personal list: the
viewer's engagements, positive ones counted double, against the item model.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from graph.evaluate.interactions import Interactions
from graph.evaluate.recommenders.base import ScoreRows, recommend_by_scores
from graph.precompute.item_models import (
    MAX_SPECTRAL_RANK,
    ItemModelSettings,
    LowPass,
    ease_weights,
    rp3beta_weights,
    scaled,
)
from graph.tune.search import Axes, Params, SearchResult, Trial, recall, search_trials
from graph.tune.split import Holdout

log = logging.getLogger(__name__)

#: (EASE, RP3beta) weights tried for the blend: each alone, and mixes.
BLEND_WEIGHTS = ((1.0, 0.0), (1.0, 0.5), (1.0, 1.0), (1.0, 2.0), (1.0, 4.0), (0.0, 1.0))
#: The low-pass filter's settings tried on top of the blend (its weight 0 is the blend).
SPECTRAL_AXES: Axes = {"spectral_weight": (1.0, 0.5, 2.0), "spectral_rank": (64, 32, 128)}


def viewer_rows(train: Interactions) -> sp.csr_matrix:
    """How much each engagement counts in a personal list: 2 when positive, 1 otherwise
    (as ``fyp precompute`` weighs them: graph.precompute.co_engagement.engagement)."""
    engaged = (train.strength > 0).astype(np.float32)
    return sp.csr_matrix(engaged + (train.positive > 0).astype(np.float32))


def cached(score_rows: ScoreRows) -> ScoreRows:
    """``score_rows`` computed once per block of viewers (every trial scores the same)."""
    cache: dict[bytes, NDArray[np.floating[Any]]] = {}

    def scores(row_ids: NDArray[np.int64]) -> NDArray[np.floating[Any]]:
        key = row_ids.tobytes()
        if key not in cache:
            cache[key] = score_rows(row_ids)
        return cache[key]

    return scores


def search_blend(
    split: Holdout,
    start: ItemModelSettings,
    seconds: float = float("inf"),
    weights: Sequence[tuple[float, float]] = BLEND_WEIGHTS,
    spectral: Axes = SPECTRAL_AXES,
) -> tuple[ItemModelSettings, SearchResult]:
    """The best (EASE, RP3beta) weights for ``start``'s EASE and RP3beta settings, then
    the best low-pass filter on top of them, within ``seconds`` (every blend weight is
    tried, and the filter's first setting)."""
    started = time.perf_counter()
    fit = split.fit
    engaged = fit.strength > 0
    ease, _ = ease_weights(engaged, start.ease_lambda)
    walk = rp3beta_weights(engaged, start.rp3_alpha, start.rp3_beta, start.rp3_neighbours)
    rows = viewer_rows(fit)
    binary = sp.csr_matrix(rows > 0, dtype=np.float32)
    users = sorted(split.relevance)
    base = cached(lambda ids: scaled(np.asarray(rows[ids] @ ease, dtype=np.float32)))
    steps = cached(lambda ids: scaled(np.asarray((binary[ids] @ walk).todense(), np.float32)))

    def measure(params: Params, score_rows: ScoreRows, begun: float) -> Trial:
        lists = recommend_by_scores(fit, users, 50, score_rows)
        at_20, at_50 = recall(lists, split.relevance)
        return Trial(params, at_20, at_50, time.perf_counter() - begun)

    def mixed(ease_weight: float, rp3_weight: float, low: ScoreRows | None = None,
              low_weight: float = 0.0) -> ScoreRows:  # fmt: skip
        def score_rows(row_ids: NDArray[np.int64]) -> NDArray[np.floating[Any]]:
            blended = ease_weight * base(row_ids) + rp3_weight * steps(row_ids)
            return blended if low is None else blended + low_weight * low(row_ids)

        return score_rows

    trials: list[Trial] = []
    for ease_weight, rp3_weight in weights:
        begun = started if not trials else time.perf_counter()  # the first pays the fits
        params = {"ease_weight": ease_weight, "rp3_weight": rp3_weight, "spectral_weight": 0.0}
        trial = measure(params, mixed(ease_weight, rp3_weight), begun)
        trials.append(trial)
        log.info("item model %s: recall@20 %.4f, recall@50 %.4f", params, trial.recall_at_20,
                 trial.recall_at_50)  # fmt: skip
    mix = SearchResult("item_model", tuple(trials)).best.params
    filters = Filters(engaged, binary, max(spectral["spectral_rank"]))

    def with_filter(params: Params) -> Trial:
        begun = time.perf_counter()
        low = filters.scores(int(params["spectral_rank"]))
        score_rows = mixed(float(mix["ease_weight"]), float(mix["rp3_weight"]), low,
                           float(params["spectral_weight"]))  # fmt: skip
        return measure({**mix, **params}, score_rows, begun)

    left = seconds - (time.perf_counter() - started)
    limits = {"spectral_rank": MAX_SPECTRAL_RANK}
    found = search_trials("item model", with_filter, spectral, left, limits)
    result = SearchResult("item_model", (*trials, *found.trials))
    best = result.best.params
    chosen = replace(
        start,
        ease_weight=float(best["ease_weight"]),
        rp3_weight=float(best["rp3_weight"]),
        spectral_weight=float(best["spectral_weight"]),
        spectral_rank=int(best.get("spectral_rank", start.spectral_rank)),
    )
    return chosen, result


class Filters:
    """The low-pass filter's scaled scores at any rank, for the validation viewers.

    The matrix is decomposed once, at the largest rank asked so far (the grid's largest
    at first: lower ranks are truncations of it), and again only for a larger rank the
    matrix can give. Each block of viewers' projection is kept, so a trial costs one
    product per block."""

    def __init__(self, engaged: sp.spmatrix, binary: sp.csr_matrix, rank: int) -> None:
        self._engaged, self._binary, self._asked = engaged, binary, rank
        self._filter: LowPass | None = None
        self._latent: dict[bytes, NDArray[np.float32]] = {}

    def scores(self, rank: int) -> ScoreRows:
        """The filter's scaled scores at ``rank`` (at most what the matrix gives)."""
        rank = min(rank, MAX_SPECTRAL_RANK)
        capped = self._filter is not None and self._filter.rank < self._asked
        if self._filter is None or (rank > self._asked and not capped):
            self._asked = max(rank, self._asked)
            self._filter, self._latent = LowPass.fit(self._engaged, self._asked), {}
        full, latent = self._filter, self._latent
        low = full.truncated(rank)

        def score_rows(row_ids: NDArray[np.int64]) -> NDArray[np.floating[Any]]:
            key = row_ids.tobytes()
            if key not in latent:
                latent[key] = full.project(self._binary[row_ids])
            return scaled(low.expand(latent[key]))

        return score_rows


def settings_from(ease: SearchResult | None, rp3: SearchResult | None) -> ItemModelSettings:
    """The item model with the EASE and RP3beta settings those searches chose."""
    settings = ItemModelSettings()
    if ease is not None:
        settings = replace(settings, ease_lambda=float(ease.best.params["regularisation"]))
    if rp3 is not None:
        best = rp3.best.params
        settings = replace(
            settings,
            rp3_alpha=float(best["alpha"]),
            rp3_beta=float(best["beta"]),
            rp3_neighbours=int(best["neighbours"]),
        )
    return settings
