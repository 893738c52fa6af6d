"""Choosing the feed's item model (graph.precompute.item_models) on a validation split.

EASE's lambda and RP3beta's walk settings are searched as the EASE and RP3beta
baselines are (the same grids, the same split: graph.tune.baselines); then the weight
of RP3beta in the blend is searched with both models fitted once. Scores are the ones
``fyp precompute`` writes as each viewer's personal list: the viewer's engagements,
positive ones counted double, against the item model.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from graph.evaluate.interactions import Interactions
from graph.evaluate.recommenders.base import recommend_by_scores
from graph.precompute.item_models import (
    ItemModelSettings,
    ease_weights,
    rp3beta_weights,
    scaled,
)
from graph.tune.search import SearchResult, Trial, recall
from graph.tune.split import Holdout

log = logging.getLogger(__name__)

#: (EASE, RP3beta) weights tried for the blend: each alone, and mixes.
BLEND_WEIGHTS = ((1.0, 0.0), (1.0, 0.5), (1.0, 1.0), (1.0, 2.0), (1.0, 4.0), (0.0, 1.0))


def viewer_rows(train: Interactions) -> sp.csr_matrix:
    """How much each engagement counts in a personal list: 2 when positive, 1 otherwise
    (as ``fyp precompute`` weighs them: graph.precompute.co_engagement.engagement)."""
    engaged = (train.strength > 0).astype(np.float32)
    return sp.csr_matrix(engaged + (train.positive > 0).astype(np.float32))


def search_blend(
    split: Holdout,
    start: ItemModelSettings,
    weights: Sequence[tuple[float, float]] = BLEND_WEIGHTS,
) -> tuple[ItemModelSettings, SearchResult]:
    """The best (EASE, RP3beta) weights for ``start``'s EASE and RP3beta settings."""
    started = time.perf_counter()
    fit = split.fit
    engaged = fit.strength > 0
    ease, _ = ease_weights(engaged, start.ease_lambda)
    walk = rp3beta_weights(engaged, start.rp3_alpha, start.rp3_beta, start.rp3_neighbours)
    rows = viewer_rows(fit)
    binary = sp.csr_matrix(rows > 0, dtype=np.float32)
    users = sorted(split.relevance)
    cache: dict[str, tuple[NDArray[np.float32], NDArray[np.float32]]] = {}

    def parts(row_ids: NDArray[np.int64]) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
        key = row_ids.tobytes().hex()
        if key not in cache:
            base = np.asarray(rows[row_ids] @ ease, dtype=np.float32)
            steps = np.asarray((binary[row_ids] @ walk).todense(), dtype=np.float32)
            cache[key] = (scaled(base), scaled(steps))
        return cache[key]

    fitted = time.perf_counter() - started
    trials: list[Trial] = []
    for ease_weight, rp3_weight in weights:
        begun = time.perf_counter()

        def blend(
            row_ids: NDArray[np.int64], mix: tuple[float, float] = (ease_weight, rp3_weight)
        ) -> NDArray[np.float64]:
            base, steps = parts(row_ids)
            return np.asarray(mix[0] * base + mix[1] * steps, dtype=np.float64)

        lists = recommend_by_scores(fit, users, 50, blend)
        at_20, at_50 = recall(lists, split.relevance)
        params = {"ease_weight": ease_weight, "rp3_weight": rp3_weight}
        seconds = time.perf_counter() - begun + (fitted if not trials else 0.0)
        trials.append(Trial(params, at_20, at_50, seconds))
        log.info("item model %s: recall@20 %.4f, recall@50 %.4f", params, at_20, at_50)
    result = SearchResult("item_model", tuple(trials))
    best = result.best.params
    chosen = replace(
        start, ease_weight=float(best["ease_weight"]), rp3_weight=float(best["rp3_weight"])
    )
    return chosen, result


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
