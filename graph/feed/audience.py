"""A new video's first audience: the viewers nearest it in the random-walk embedding.

A video nobody has watched has no co-engagement and no row in the item model; it does
have a creator, hashtags and a sound, and the vector folded in from theirs when it was
published or imported (graph.embed.foldin.fold_in_new_videos) places it near the viewers
those lead to. The ``fresh`` source orders new videos for a viewer by this match, and the
cold-video evaluation (graph.evaluate.cold) measures the same function, so what the
benchmark reports is what the feed does.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray


def audience_match(
    viewer: NDArray[np.float32] | None,
    vectors: NDArray[np.float32] | None,
    has_vector: NDArray[np.bool_],
) -> NDArray[np.float64]:
    """Cosine similarity of each row of ``vectors`` to the viewer's vector; 0 (no
    evidence either way) where the video or the viewer has no vector."""
    match = np.zeros(has_vector.shape[0], dtype=np.float64)
    if viewer is None or vectors is None or vectors.shape[1] != viewer.shape[0]:
        return match
    rows = np.flatnonzero(has_vector)
    if rows.size == 0:
        return match
    matrix = vectors[rows].astype(np.float64)
    norms = np.linalg.norm(matrix, axis=1) * float(np.linalg.norm(viewer))
    match[rows] = (matrix @ viewer.astype(np.float64)) / np.where(norms > 0, norms, 1.0)
    return match


def first_audience_scores(
    age_ms: NDArray[np.float64],
    impressions: NDArray[np.float64],
    match: NDArray[np.float64],
    *,
    half_life_ms: float,
    audience: float,
    sharpness: float,
) -> NDArray[np.float64]:
    """How much a viewer should be shown each new video now.

    Newer is better (halving every ``half_life_ms``), a video that already had
    ``audience`` impressions counts half (it found a first audience), and the viewer's
    match multiplies the score by ``exp(sharpness * match)``: with equal age and
    impressions, the order is the match's.
    """
    scores: NDArray[np.float64] = 0.5 ** (np.maximum(age_ms, 0.0) / half_life_ms)
    scores = scores * (audience / (audience + impressions))
    boosted: NDArray[np.float64] = scores * np.exp(sharpness * match)
    return boosted
