"""The item models behind the personal lists: EASE, RP3beta, and their blend.

* **EASE** (Steck 2019): ``B = argmin |X - XB|^2 + lambda |B|^2``, ``diag(B) = 0``, in
  closed form over the binary viewer x video matrix (dense: up to ``ease_max_videos``).
* **RP3beta** (Paudel et al. 2017): the three-step random walk viewer -> video -> viewer
  -> video on the engagement graph, transition probabilities raised to ``alpha``, the
  target divided by its popularity to the ``beta``, each video keeping its best targets.
  Sparse, so it scales to any catalogue.

A viewer's score for every video under the blend is each model's score row scaled to
its own maximum (the two live on different scales), EASE's weighed by ``ease_weight``
and RP3beta's by ``rp3_weight``: (1, 0) is EASE alone, (0, 1) RP3beta alone. ``fyp tune``
chooses the settings on a validation split of the graph's own history (graph.tune).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray


@dataclass(frozen=True)
class ItemModelSettings:
    ease_lambda: float = 500.0
    #: Weights of EASE's and RP3beta's scaled scores in the blend.
    ease_weight: float = 1.0
    rp3_weight: float = 0.0
    rp3_alpha: float = 0.5
    rp3_beta: float = 0.0
    rp3_neighbours: int = 100


def ease_weights(
    engaged: sp.spmatrix, regularisation: float
) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
    """EASE's item-item matrix ``B`` (dense, float32, zero diagonal) and the shared
    viewers of every pair (the Gram matrix)."""
    binary = (engaged > 0).astype(np.float32)
    gram = np.asarray((binary.T @ binary).todense(), dtype=np.float32)
    together = gram.copy()
    gram[np.diag_indices_from(gram)] += np.float32(regularisation)
    inverse = np.linalg.inv(gram)
    del gram
    weights = -inverse / np.diag(inverse)[np.newaxis, :]
    del inverse
    np.fill_diagonal(weights, 0.0)
    return weights, together


def rp3beta_weights(
    engaged: sp.spmatrix, alpha: float, beta: float, neighbours: int
) -> sp.csr_matrix:
    """RP3beta's item x item walk matrix, each row pruned to its ``neighbours`` best."""
    binary = sp.csr_matrix(engaged, dtype=np.float64)
    binary.data[:] = 1.0
    user_to_item = row_normalised(binary).power(alpha)
    item_to_user = row_normalised(binary.T.tocsr()).power(alpha)
    popularity = np.asarray(binary.sum(axis=0)).ravel()
    penalty = np.power(np.maximum(popularity, 1.0), -beta)
    walk = sp.csr_matrix((item_to_user @ user_to_item) @ sp.diags(penalty))
    walk.setdiag(0.0)
    walk.eliminate_zeros()
    return keep_top_per_row(walk, neighbours)


def row_normalised(matrix: sp.spmatrix) -> sp.csr_matrix:
    """Each row divided by its sum (empty rows stay empty)."""
    matrix = sp.csr_matrix(matrix, dtype=np.float64)
    sums = np.asarray(matrix.sum(axis=1)).ravel()
    scale = np.divide(1.0, sums, out=np.zeros_like(sums), where=sums > 0)
    return sp.csr_matrix(sp.diags(scale) @ matrix)


def keep_top_per_row(matrix: sp.spmatrix, n: int) -> sp.csr_matrix:
    """Keep the ``n`` largest entries of each row (ties by column), drop the rest.

    Rows are item -> neighbour; scoring multiplies a profile by this matrix, so
    pruning rows keeps each engaged item's ``n`` closest neighbours.
    """
    matrix = sp.csr_matrix(matrix)
    matrix.sort_indices()
    lengths = np.diff(matrix.indptr)
    owner = np.repeat(np.arange(matrix.shape[0]), lengths)
    # Within each row: by value descending, then column; then keep the first n per row.
    order = np.lexsort((matrix.indices, -matrix.data, owner))
    position = np.arange(order.size) - np.repeat(matrix.indptr[:-1], lengths)
    kept = order[position < n]
    return sp.csr_matrix(
        (matrix.data[kept], (owner[kept], matrix.indices[kept])), shape=matrix.shape
    )


def scaled(scores: NDArray[Any]) -> NDArray[Any]:
    """Each row divided by its largest absolute value (rows of zeros stay zeros)."""
    top = np.abs(scores).max(axis=1, keepdims=True) if scores.size else scores
    found: NDArray[Any] = np.divide(scores, top, out=np.zeros_like(scores), where=top > 0)
    return found


class ItemModel:
    """A fitted blend (see the module docstring); :meth:`scores` for blocks of viewers.

    ``base`` is EASE's dense ``B`` or, for a catalogue too large for it, any sparse item
    x item matrix (the cosine neighbours)."""

    def __init__(
        self,
        base: NDArray[np.float32] | sp.csr_matrix,
        rp3: sp.csr_matrix | None,
        weight: float,
        base_weight: float = 1.0,
    ) -> None:
        self.base, self.rp3, self.weight, self.base_weight = base, rp3, weight, base_weight

    @classmethod
    def fit(
        cls,
        engaged: sp.spmatrix,
        settings: ItemModelSettings,
        base: NDArray[np.float32] | sp.csr_matrix | None = None,
    ) -> ItemModel:
        """Fit on a viewer x video matrix (``base``: an EASE ``B`` already fitted)."""
        if base is None:
            base, _ = ease_weights(engaged, settings.ease_lambda)
        rp3 = None
        if settings.rp3_weight > 0:
            rp3 = rp3beta_weights(engaged, settings.rp3_alpha, settings.rp3_beta,
                                  settings.rp3_neighbours).astype(np.float32)  # fmt: skip
        return cls(base, rp3, settings.rp3_weight, settings.ease_weight)

    def scores(self, rows: sp.csr_matrix) -> NDArray[np.float32]:
        """Every video's score for each viewer row (engagement strengths), float32."""
        walk = None
        if self.rp3 is not None:
            walk = np.asarray(
                (sp.csr_matrix(rows > 0, dtype=np.float32) @ self.rp3).toarray(), dtype=np.float32
            )
            if self.base_weight == 0:
                return walk
        product = rows @ self.base
        base = np.asarray(product.toarray() if sp.issparse(product) else product,
                          dtype=np.float32)  # fmt: skip
        if walk is None:
            return base
        blended: NDArray[np.float32] = np.float32(self.base_weight) * scaled(base) + np.float32(
            self.weight
        ) * scaled(walk)
        return blended
