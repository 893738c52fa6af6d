"""RP3beta (Paudel et al. 2017; the strong simple baseline of Dacrema et al. 2019): a
three-step random walk user -> item -> user -> item, popularity-penalised.

Transition probabilities from the binary engagement matrix, each raised to ``alpha``;
the item -> item walk probability is divided by the target item's popularity to the
power ``beta`` (so the walk does not always end on the hubs), and each item keeps its
``neighbours`` best targets. A user's scores are their normalised row times that matrix
(the walk ``fyp precompute`` can blend into the feed's personal lists:
graph.precompute.item_models).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from graph.errors import ClientError
from graph.evaluate.interactions import Interactions
from graph.evaluate.recommenders.base import recommend_by_scores, require_fit
from graph.precompute.item_models import row_normalised, rp3beta_weights


class RP3Beta:
    name = "rp3beta"

    def __init__(self, alpha: float = 1.0, beta: float = 0.5, neighbours: int = 200) -> None:
        if alpha <= 0 or beta < 0 or neighbours < 1:
            raise ClientError("RP3beta needs alpha > 0, beta >= 0 and at least one neighbour")
        self.alpha, self.beta, self.neighbours = alpha, beta, neighbours
        self._train: Interactions | None = None
        self._weights = sp.csr_matrix((0, 0))
        self._profiles = sp.csr_matrix((0, 0))

    def fit(self, train: Interactions) -> None:
        self._weights = rp3beta_weights(train.strength > 0, self.alpha, self.beta, self.neighbours)
        self._profiles = row_normalised((train.strength > 0).astype(np.float64)).power(self.alpha)
        self._train = train

    def recommend(self, user_ids: Sequence[str], k: int) -> dict[str, list[str]]:
        train = require_fit(self._train, self.name)

        def scores(rows: NDArray[np.int64]) -> NDArray[np.float64]:
            return np.asarray((self._profiles[rows] @ self._weights).todense(), dtype=np.float64)

        return recommend_by_scores(train, user_ids, k, scores)
