"""RP3beta (Paudel et al. 2017; the strong simple baseline of Dacrema et al. 2019): a
three-step random walk user -> item -> user -> item, popularity-penalised.

Transition probabilities from the binary engagement matrix, each raised to ``alpha``;
the item -> item walk probability is divided by the target item's popularity to the
power ``beta`` (so the walk does not always end on the hubs), and each item keeps its
``neighbours`` best targets. A user's scores are their normalised row times that matrix.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from graph.errors import ClientError
from graph.evaluate.interactions import Interactions
from graph.evaluate.recommenders.base import recommend_by_scores, require_fit
from graph.evaluate.recommenders.itemknn import keep_top_per_row


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
        self._profiles = _row_normalised((train.strength > 0).astype(np.float64)).power(self.alpha)
        self._train = train

    def recommend(self, user_ids: Sequence[str], k: int) -> dict[str, list[str]]:
        train = require_fit(self._train, self.name)

        def scores(rows: NDArray[np.int64]) -> NDArray[np.float64]:
            return np.asarray((self._profiles[rows] @ self._weights).todense(), dtype=np.float64)

        return recommend_by_scores(train, user_ids, k, scores)


def rp3beta_weights(
    engaged: sp.spmatrix, alpha: float, beta: float, neighbours: int
) -> sp.csr_matrix:
    """The item x item walk matrix, each row pruned to its ``neighbours`` best."""
    binary = sp.csr_matrix(engaged, dtype=np.float64)
    binary.data[:] = 1.0
    user_to_item = _row_normalised(binary).power(alpha)
    item_to_user = _row_normalised(binary.T.tocsr()).power(alpha)
    popularity = np.asarray(binary.sum(axis=0)).ravel()
    penalty = np.power(np.maximum(popularity, 1.0), -beta)
    walk = (item_to_user @ user_to_item).tocsr()
    walk = walk @ sp.diags(penalty)
    walk = sp.csr_matrix(walk)
    walk.setdiag(0.0)
    walk.eliminate_zeros()
    return keep_top_per_row(walk, neighbours)


def _row_normalised(matrix: sp.spmatrix) -> sp.csr_matrix:
    matrix = sp.csr_matrix(matrix, dtype=np.float64)
    sums = np.asarray(matrix.sum(axis=1)).ravel()
    scale = np.divide(1.0, sums, out=np.zeros_like(sums), where=sums > 0)
    return sp.csr_matrix(sp.diags(scale) @ matrix)
