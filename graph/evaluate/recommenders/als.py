"""Matrix factorisation with implicit feedback: ALS from the ``implicit`` library, on CPU."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from implicit.cpu.als import AlternatingLeastSquares
from numpy.typing import NDArray
from threadpoolctl import threadpool_limits

from graph.evaluate.interactions import Interactions
from graph.evaluate.recommenders.base import recommend_by_scores, require_fit


class ALS:
    """Hu, Koren & Volinsky's weighted ALS; confidence = 1 + ``alpha`` x strength.

    Seeded and single-threaded (BLAS too), so two fits on the same data agree.
    Scores are the dot products of user and item factors; only positive scores are
    recommended, like every recommender here.
    """

    name = "als"

    def __init__(
        self,
        factors: int = 64,
        regularization: float = 0.05,
        alpha: float = 10.0,
        iterations: int = 15,
        seed: int = 0,
    ) -> None:
        self.factors = factors
        self.regularization = regularization
        self.alpha = alpha
        self.iterations = iterations
        self.seed = seed
        self._train: Interactions | None = None
        self._user_factors: NDArray[np.float64] = np.zeros((0, 0))
        self._item_factors: NDArray[np.float64] = np.zeros((0, 0))

    def fit(self, train: Interactions) -> None:
        with threadpool_limits(limits=1, user_api="blas"):
            self._fit(train)

    def _fit(self, train: Interactions) -> None:
        model = AlternatingLeastSquares(
            factors=self.factors,
            regularization=self.regularization,
            alpha=self.alpha,
            iterations=self.iterations,
            random_state=self.seed,
            num_threads=1,
            calculate_training_loss=False,
        )
        model.fit(train.strength.astype(np.float32).tocsr(), show_progress=False)
        self._user_factors = np.asarray(model.user_factors, dtype=np.float64)
        self._item_factors = np.asarray(model.item_factors, dtype=np.float64)
        self._train = train

    def recommend(self, user_ids: Sequence[str], k: int) -> dict[str, list[str]]:
        train = require_fit(self._train, self.name)

        def scores(rows: NDArray[np.int64]) -> NDArray[np.float64]:
            with threadpool_limits(limits=1, user_api="blas"):
                found: NDArray[np.float64] = self._user_factors[rows] @ self._item_factors.T
            return found

        return recommend_by_scores(train, user_ids, k, scores)
