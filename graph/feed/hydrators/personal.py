"""What ties each candidate to this viewer: affinity to its creator, hashtags and sound
(their recent history, 0..1 relative to their strongest), how many of the creator's
videos they swiped away, whether they follow the creator, and embedding similarity."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray

from graph.feed.catalogue.store import Table
from graph.feed.profile import Tally
from graph.feed.query import FeedQuery
from graph.feed.slate import Slate


def hydrate_personal(query: FeedQuery, slate: Slate) -> None:
    catalogue, profile = query.catalogue, query.profile
    creators = _weights(profile.creators, catalogue.creators)
    sounds = _weights(profile.sounds, catalogue.sounds)
    tags = _weights(profile.hashtags, catalogue.tags)
    creator_numbers = slate.creators.tolist()
    columns = slate.columns
    columns["creator_affinity"] = _affinity([creators.get(c, 0.0) for c in creator_numbers],
                                            profile.creators)  # fmt: skip
    columns["sound_affinity"] = _affinity([sounds.get(s, 0.0) for s in slate.sounds.tolist()],
                                          profile.sounds)  # fmt: skip
    columns["hashtag_affinity"] = _affinity(_best_tag(slate, tags), profile.hashtags)
    skips = {
        number: float(tally.skips)
        for key, tally in profile.creators.items()
        if tally.skips and (number := catalogue.creators.number.get(key)) is not None
    }
    columns["creator_skips"] = np.array([skips.get(c, 0.0) for c in creator_numbers])
    followed = catalogue.creators.numbers(query.viewer.following)
    columns["follows_creator"] = np.isin(slate.creators, followed).astype(np.float64)
    similarity = _similarity(query, slate)
    if similarity is not None:
        columns["embedding_similarity"] = similarity


def _best_tag(slate: Slate, weights: dict[int, float]) -> list[float]:
    """Per candidate, the viewer's weight of its strongest hashtag (0 for none)."""
    if not weights:
        return [0.0] * len(slate)
    hashtags = slate.catalogue.hashtags
    per_video = [hashtags[number] for number in slate.numbers.tolist()]
    flat = [weights.get(tag, 0.0) for found in per_video for tag in found]
    if not flat:
        return [0.0] * len(slate)
    counts = np.array([len(found) for found in per_video])
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    best = np.maximum.reduceat(np.array([*flat, 0.0]), np.minimum(starts, len(flat)))
    found: list[float] = np.where(counts > 0, best, 0.0).tolist()
    return found


def _similarity(query: FeedQuery, slate: Slate) -> NDArray[np.float64] | None:
    vector, vectors = query.vector, query.catalogue.vectors
    if vector is None or vectors is None or vectors.shape[1] != vector.shape[0] or not len(slate):
        return None
    numbers = slate.numbers
    matrix = vectors[numbers]
    norms = np.linalg.norm(matrix, axis=1) * float(np.linalg.norm(vector))
    cosine = (matrix @ vector) / np.where(norms > 0, norms, 1.0)
    found: NDArray[np.float64] = np.where(query.catalogue.has_vector[numbers], cosine, 0.0)
    return found


def _weights(tallies: Mapping[str, Tally], table: Table) -> dict[int, float]:
    """Tally weights keyed by the read model's numbers (entities it does not know drop out)."""
    return {
        number: tally.weight
        for key, tally in tallies.items()
        if (number := table.number.get(key)) is not None
    }


def _affinity(weights: list[float], tallies: Mapping[str, Tally]) -> NDArray[np.float64]:
    """Weights in 0..1 relative to the strongest tally (negatives are 0)."""
    best = max((tally.weight for tally in tallies.values()), default=0.0)
    if best <= 0:
        return np.zeros(len(weights))
    found: NDArray[np.float64] = np.maximum(0.0, np.array(weights, dtype=np.float64) / best)
    return found
