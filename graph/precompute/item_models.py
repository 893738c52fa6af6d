"""The item models behind the personal lists: EASE, RP3beta, a low-pass filter, and
their blend.

* **EASE** (Steck 2019): ``B = argmin |X - XB|^2 + lambda |B|^2``, ``diag(B) = 0``, in
  closed form over the binary viewer x video matrix (dense: up to ``ease_max_videos``).
* **RP3beta** (Paudel et al. 2017): the three-step random walk viewer -> video -> viewer
  -> video on the engagement graph, transition probabilities raised to ``alpha``, the
  target divided by its popularity to the ``beta``, each video keeping its best targets.
  Sparse, so it scales to any catalogue.
* **Low-pass filter** (the ideal low-pass filter of GF-CF, Shen et al. 2021): the
  viewer's engagements projected on the ``spectral_rank`` strongest singular vectors of
  the degree-normalised viewer x video matrix. EASE and the walk score what co-occurs
  with what a viewer engaged with; the filter adds what the catalogue's broad tastes
  (its smoothest signals) say about them, which helps most where co-occurrences are few
  (a sparse catalogue). A rank x videos matrix: it scales with the catalogue too.

A viewer's score for every video under the blend is each model's score row scaled to
its own maximum (they live on different scales), EASE's weighed by ``ease_weight``,
RP3beta's by ``rp3_weight`` and the filter's by ``spectral_weight``: (1, 0, 0) is EASE
alone, (0, 1, 0) RP3beta alone. ``fyp tune`` chooses the settings on a validation split
of the graph's own history (graph.tune).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.sparse.csgraph import connected_components
from scipy.sparse.linalg import svds


@dataclass(frozen=True)
class ItemModelSettings:
    ease_lambda: float = 500.0
    #: Weights of EASE's and RP3beta's scaled scores in the blend.
    ease_weight: float = 1.0
    rp3_weight: float = 0.0
    rp3_alpha: float = 0.5
    rp3_beta: float = 0.0
    rp3_neighbours: int = 100
    #: Weight of the low-pass filter's scaled scores (0: off), and its rank.
    spectral_weight: float = 0.0
    spectral_rank: int = 64


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


#: The low-pass filter's largest rank: a bound on its decomposition's time and memory
#: (on KuaiRand's 26,743 x 7,344 matrix one decomposition took 29 s at rank 512 and
#: 112 s at 1024, a whole search step past any budget's share).
MAX_SPECTRAL_RANK = 512


@dataclass(frozen=True)
class LowPass:
    """The low-pass filter (see the module docstring): a viewer's score row is
    ``((engaged * inward) @ basis.T @ basis) * outward``."""

    #: The strongest right singular vectors, one per row (rank x videos).
    basis: NDArray[np.float32]
    #: Each video's viewers to the -1/2 (into the normalised space) and to the 1/2 (out).
    inward: NDArray[np.float32]
    outward: NDArray[np.float32]

    @classmethod
    def fit(cls, engaged: sp.spmatrix, rank: int) -> LowPass:
        """The filter of ``engaged`` (viewer x video, nonzero: engaged) at ``rank``, at most
        :data:`MAX_SPECTRAL_RANK` and one less than the matrix's smaller side (what a
        truncated SVD can give).

        Only the largest connected part of the engagement graph is decomposed: every part
        with no engagement in common with the rest (a viewer alone with a video nobody
        else watched) has a singular value of exactly 1, as strong as the whole
        catalogue's, and a few hundred of them would fill any rank. Videos outside it
        score 0 here (nothing links them to anyone else's tastes anyway)."""
        binary = largest_part((sp.csr_matrix(engaged) != 0).astype(np.float64))
        viewers = np.asarray(binary.sum(axis=1)).ravel()
        videos = np.asarray(binary.sum(axis=0)).ravel()
        inward = inverse_root(videos)
        normalised = sp.diags(inverse_root(viewers)) @ binary @ sp.diags(inward)
        rank = min(rank, MAX_SPECTRAL_RANK, min(binary.shape) - 1)
        if rank < 1 or normalised.nnz == 0:
            basis = np.zeros((0, binary.shape[1]), dtype=np.float32)
        else:
            # A fixed start vector rather than ARPACK's random one: reruns agree.
            start = np.ones(min(normalised.shape)) / np.sqrt(min(normalised.shape))
            _, strengths, vectors = svds(sp.csc_matrix(normalised), k=rank, v0=start,
                                         return_singular_vectors="vh")  # fmt: skip
            basis = vectors[np.argsort(-strengths)].astype(np.float32)
        return cls(basis, inward.astype(np.float32), np.sqrt(videos).astype(np.float32))

    @property
    def rank(self) -> int:
        return int(self.basis.shape[0])

    def truncated(self, rank: int) -> LowPass:
        """The same filter keeping only its ``rank`` strongest vectors."""
        return LowPass(self.basis[:rank], self.inward, self.outward)

    def project(self, engaged: sp.spmatrix) -> NDArray[np.float32]:
        """Each viewer row (nonzero: engaged) in the filter's space (rows x rank)."""
        rows = (sp.csr_matrix(engaged) != 0).astype(np.float32)
        latent = rows.multiply(self.inward[np.newaxis, :]) @ self.basis.T
        return np.asarray(latent, dtype=np.float32)

    def expand(self, latent: NDArray[np.float32]) -> NDArray[np.float32]:
        """Every video's score from rows of :meth:`project` (their first ``rank`` columns
        where this filter is a truncation of the one that projected them)."""
        found: NDArray[np.float32] = (latent[:, : self.rank] @ self.basis) * self.outward
        return found

    def scores(self, engaged: sp.spmatrix) -> NDArray[np.float32]:
        """Every video's score for each viewer row (nonzero: engaged), float32."""
        return self.expand(self.project(engaged))


def largest_part(binary: sp.csr_matrix) -> sp.csr_matrix:
    """``binary`` (viewer x video) with only the engagements of the largest connected part
    (the most engagements) of its bipartite graph."""
    viewers = binary.shape[0]
    graph = sp.bmat([[None, binary], [binary.T, None]], format="csr")
    _, labels = connected_components(graph, directed=False)
    sizes = np.bincount(labels, weights=np.asarray(graph.sum(axis=1)).ravel())
    keep = (labels == int(np.argmax(sizes))).astype(np.float64)
    kept = sp.diags(keep[:viewers]) @ binary @ sp.diags(keep[viewers:])
    found = sp.csr_matrix(kept)
    found.eliminate_zeros()
    return found


def inverse_root(counts: NDArray[Any]) -> NDArray[np.float64]:
    """``counts ** -0.5``, 0 where a count is 0."""
    counts = np.asarray(counts, dtype=np.float64)
    root = np.sqrt(counts)
    found: NDArray[np.float64] = np.divide(1.0, root, out=np.zeros_like(root), where=root > 0)
    return found


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
        low_pass: LowPass | None = None,
        low_pass_weight: float = 0.0,
    ) -> None:
        self.base, self.rp3, self.weight, self.base_weight = base, rp3, weight, base_weight
        self.low_pass, self.low_pass_weight = low_pass, low_pass_weight

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
        low_pass = None
        if settings.spectral_weight > 0:
            low_pass = LowPass.fit(engaged, settings.spectral_rank)
        return cls(base, rp3, settings.rp3_weight, settings.ease_weight, low_pass,
                   settings.spectral_weight)  # fmt: skip

    def scores(self, rows: sp.csr_matrix) -> NDArray[np.float32]:
        """Every video's score for each viewer row (engagement strengths), float32: one
        model's own scores where only one is weighed, else the blend of scaled scores."""
        parts: list[tuple[float, NDArray[np.float32]]] = []
        if self.base_weight > 0:
            product = rows @ self.base
            base = product.toarray() if sp.issparse(product) else product
            parts.append((self.base_weight, np.asarray(base, dtype=np.float32)))
        if self.rp3 is not None and self.weight > 0:
            walk = (sp.csr_matrix(rows > 0, dtype=np.float32) @ self.rp3).toarray()
            parts.append((self.weight, np.asarray(walk, dtype=np.float32)))
        if self.low_pass is not None and self.low_pass_weight > 0:
            parts.append((self.low_pass_weight, self.low_pass.scores(rows > 0)))
        if len(parts) == 1:
            return parts[0][1]
        blended = np.zeros((rows.shape[0], rows.shape[1]), dtype=np.float32)
        for weight, scores in parts:
            blended += np.float32(weight) * scaled(scores)
        return blended
