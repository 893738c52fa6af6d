"""Item-kNN on co-engagement: "people who engaged with what you engaged with also ..."."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from graph.errors import ClientError
from graph.evaluate.interactions import Interactions
from graph.evaluate.recommenders.base import require_fit, seen_columns, top_unseen


class ItemKNN:
    """Cosine similarity between item columns of the engagement matrix, top-N pruned.

    A user's score for an item is the sum of its similarities to the items the
    user engaged with, each weighted by log(1 + strength) so one obsessive rewatch
    does not drown the rest of the history.
    """

    name = "itemknn"

    def __init__(self, neighbours: int = 100) -> None:
        if neighbours < 1:
            raise ClientError("item-kNN needs at least one neighbour")
        self.neighbours = neighbours
        self._train: Interactions | None = None
        self._similarity = sp.csr_matrix((0, 0))
        self._profiles = sp.csr_matrix((0, 0))

    def fit(self, train: Interactions) -> None:
        engaged = (train.strength > 0).astype(np.float64).tocsc()
        norms = np.sqrt(np.asarray(engaged.multiply(engaged).sum(axis=0)).ravel())
        scale = sp.diags(np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0))
        normalised = engaged @ scale
        similarity = (normalised.T @ normalised).tocsr()
        similarity.setdiag(0.0)
        similarity.eliminate_zeros()
        self._similarity = _keep_top_per_row(similarity, self.neighbours)
        self._profiles = train.strength.log1p().tocsr()
        self._train = train

    def recommend(self, user_ids: Sequence[str], k: int) -> dict[str, list[str]]:
        train = require_fit(self._train, self.name)
        out: dict[str, list[str]] = {}
        for user in user_ids:
            row = train.user_index.get(user)
            if row is None:
                out[user] = []
                continue
            scores = np.asarray((self._profiles[row] @ self._similarity).todense()).ravel()
            out[user] = [train.items[j] for j in top_unseen(scores, seen_columns(train, user), k)]
        return out


def _keep_top_per_row(matrix: sp.csr_matrix, n: int) -> sp.csr_matrix:
    """Keep the ``n`` largest entries of each row (ties by column), drop the rest.

    Rows are item -> neighbour; scoring multiplies a profile by this matrix, so
    pruning rows keeps each engaged item's ``n`` closest neighbours.
    """
    rows, cols, values = [], [], []
    for row in range(matrix.shape[0]):
        start, end = matrix.indptr[row], matrix.indptr[row + 1]
        columns, data = matrix.indices[start:end], matrix.data[start:end]
        if data.size > n:
            order = np.lexsort((columns, -data))[:n]
            columns, data = columns[order], data[order]
        rows.extend([row] * data.size)
        cols.extend(columns.tolist())
        values.extend(data.tolist())
    return sp.csr_matrix((values, (rows, cols)), shape=matrix.shape)
