"""EASE (Steck 2019): the closed-form item-item linear model, a strong simple baseline.

``B = argmin |X - XB|^2 + lambda |B|^2`` with ``diag(B) = 0`` over the binary user x
item matrix of engagements; a user's scores are their row times ``B``. The same model
``fyp precompute`` fits for the feed (graph.precompute.item_models).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from threadpoolctl import threadpool_limits

from graph.errors import ClientError
from graph.evaluate.interactions import Interactions
from graph.evaluate.recommenders.base import recommend_by_scores, require_fit
from graph.precompute.item_models import ease_weights


class EASE:
    name = "ease"

    def __init__(self, regularisation: float = 500.0) -> None:
        if regularisation <= 0:
            raise ClientError("EASE's regularisation (lambda) must be positive")
        self.regularisation = regularisation
        self._train: Interactions | None = None
        self._weights: NDArray[np.float32] = np.zeros((0, 0), dtype=np.float32)

    def fit(self, train: Interactions) -> None:
        with threadpool_limits(limits=1, user_api="blas"):
            self._weights, _ = ease_weights(train.strength > 0, self.regularisation)
        self._train = train

    def recommend(self, user_ids: Sequence[str], k: int) -> dict[str, list[str]]:
        train = require_fit(self._train, self.name)
        engaged = (train.strength > 0).astype(np.float32).tocsr()

        def scores(rows: NDArray[np.int64]) -> NDArray[np.float64]:
            with threadpool_limits(limits=1, user_api="blas"):
                return np.asarray(engaged[rows] @ self._weights, dtype=np.float64)

        return recommend_by_scores(train, user_ids, k, scores)
