"""The low-pass filter: the ideal low-pass filter of GF-CF (Shen et al. 2021, "How
Powerful is Graph Convolution for Recommendation?") on its own.

A user's engagements projected on the ``rank`` strongest singular vectors of the
degree-normalised user x item matrix, and back (graph.precompute.item_models.LowPass,
the filter ``fyp precompute`` can blend into the feed's personal lists). Training-free
but for one truncated SVD; it scores by the catalogue's broadest tastes, so it reaches
items no co-engagement links to a user's own.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from threadpoolctl import threadpool_limits

from graph.errors import ClientError
from graph.evaluate.interactions import Interactions
from graph.evaluate.recommenders.base import recommend_by_scores, require_fit
from graph.precompute.item_models import LowPass


class LowPassFilter:
    name = "lowpass"

    def __init__(self, rank: int = 64) -> None:
        if rank < 1:
            raise ClientError("the low-pass filter needs a rank of at least 1")
        self.rank = rank
        self._train: Interactions | None = None
        self._filter: LowPass | None = None

    def fit(self, train: Interactions) -> None:
        with threadpool_limits(limits=1, user_api="blas"):
            self._filter = LowPass.fit(train.strength > 0, self.rank)
        self._train = train

    def recommend(self, user_ids: Sequence[str], k: int) -> dict[str, list[str]]:
        train = require_fit(self._train, self.name)
        engaged = train.strength > 0
        low = self._filter

        def scores(rows: NDArray[np.int64]) -> NDArray[np.float32]:
            assert low is not None  # fitted with the train split just checked
            with threadpool_limits(limits=1, user_api="blas"):
                return low.scores(engaged[rows])

        return recommend_by_scores(train, user_ids, k, scores)
