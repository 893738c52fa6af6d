"""embedding: the videos nearest the viewer in the random-walk embedding (``fyp embed``).

Exact cosine nearest neighbours over the read model's video vectors (one matrix-vector
product; no index round trip). The viewer's vector is their stored one, or, for a viewer
the last run did not embed, one folded in from the videos they engaged with (see
:mod:`graph.feed.hydrators.vector`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from graph.feed.candidate import Proposal
from graph.feed.query import FeedQuery


def embedding(query: FeedQuery) -> Proposal | None:
    catalogue, vector = query.catalogue, query.vector
    vectors = catalogue.vectors
    if vector is None or vectors is None or vectors.shape[1] != vector.shape[0]:
        return None
    size = catalogue.size
    candidates = np.flatnonzero(query.servable_mask & catalogue.has_vector[:size])
    if candidates.size == 0:
        return Proposal.empty("embedding")
    matrix = vectors[candidates]
    norms = np.linalg.norm(matrix, axis=1) * float(np.linalg.norm(vector))
    similarity = (matrix @ vector) / np.where(norms > 0, norms, 1.0)
    limit = query.config.sizes.per_source
    if candidates.size > limit:
        top = np.argpartition(-similarity, limit - 1)[:limit]
        candidates, similarity = candidates[top], similarity[top]
    order = np.lexsort((candidates, -similarity))
    numbers, scores = candidates[order].astype(np.int64), similarity[order].astype(np.float64)
    by_number = dict(zip(numbers.tolist(), scores.tolist(), strict=True))

    def reason(number: int) -> Mapping[str, Any]:
        return {"similarity": round(by_number[number], 4)}

    return Proposal("embedding", numbers, scores, reason)
