"""Item-kNN on co-engagement: "people who engaged with what you engaged with also ..."."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from graph.errors import ClientError
from graph.evaluate.interactions import Interactions
from graph.evaluate.recommenders.base import recommend_by_scores, require_fit
from graph.precompute.item_models import keep_top_per_row


class ItemKNN:
    """Cosine similarity between item columns of the engagement matrix, shrunk towards 0
    for pairs with little support, top-N pruned.

    ``sim(i, j) = shared(i, j) / (|i| |j| + shrink)`` with ``|i|`` the root of the item's
    engagers: without shrinkage two items that share their only viewer look identical,
    which ruins sparse data. A user's score for an item is the sum of its similarities to
    the items the user engaged with, each weighted by log(1 + strength).
    """

    name = "itemknn"

    def __init__(self, neighbours: int = 100, shrink: float = 0.0) -> None:
        if neighbours < 1:
            raise ClientError("item-kNN needs at least one neighbour")
        if shrink < 0:
            raise ClientError("item-kNN's shrinkage must be 0 or more")
        self.neighbours = neighbours
        self.shrink = shrink
        self._train: Interactions | None = None
        self._similarity = sp.csr_matrix((0, 0))
        self._profiles = sp.csr_matrix((0, 0))

    def fit(self, train: Interactions) -> None:
        engaged = (train.strength > 0).astype(np.float64).tocsc()
        norms = np.sqrt(np.asarray(engaged.multiply(engaged).sum(axis=0)).ravel())
        shared = (engaged.T @ engaged).tocoo()
        keep = shared.row != shared.col
        rows, cols, data = shared.row[keep], shared.col[keep], shared.data[keep]
        data = data / (norms[rows] * norms[cols] + self.shrink)
        similarity = sp.csr_matrix((data, (rows, cols)), shape=shared.shape)
        similarity.eliminate_zeros()
        self._similarity = keep_top_per_row(similarity, self.neighbours)
        self._profiles = train.strength.log1p().tocsr()
        self._train = train

    def recommend(self, user_ids: Sequence[str], k: int) -> dict[str, list[str]]:
        train = require_fit(self._train, self.name)

        def scores(rows: NDArray[np.int64]) -> NDArray[np.float64]:
            return np.asarray((self._profiles[rows] @ self._similarity).todense())

        return recommend_by_scores(train, user_ids, k, scores)
