"""The viewer's vector: the one ``fyp embed`` stored, else one folded in from the
embedded videos of their recent history (the weighted mean direction, weighed like the
embedding export weighs engagements, so skips count for nothing), at request time."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from graph.feed.catalogue.store import Catalogue
from graph.feed.profile import Interaction, UserProfile

#: Views watched less than this fraction are noise (graph.embed.options.EdgeWeights).
MIN_COMPLETION = 0.1
VIEW, LIKE, SHARE = 1.0, 2.0, 3.0


def viewer_vector(profile: UserProfile, catalogue: Catalogue) -> NDArray[np.float32] | None:
    vectors = catalogue.vectors
    if vectors is None:
        return None
    dimension = vectors.shape[1]
    if profile.embedding is not None:
        if len(profile.embedding) == dimension:
            return np.asarray(profile.embedding, dtype=np.float32)
        return None  # from another embedding space than the catalogue's
    total = np.zeros(dimension, dtype=np.float64)
    for interaction in profile.recent:
        number = catalogue.get(interaction.video_id)
        weight = _weight(interaction)
        if number is None or weight <= 0 or not catalogue.has_vector[number]:
            continue
        vector = vectors[number].astype(np.float64)
        norm = float(np.linalg.norm(vector))
        if norm > 0:
            total += weight * vector / norm
    norm = float(np.linalg.norm(total))
    return (total / norm).astype(np.float32) if norm > 0 else None


def _weight(interaction: Interaction) -> float:
    watched = 0.0
    if interaction.viewed and not interaction.skipped and interaction.completion >= MIN_COMPLETION:
        watched = VIEW * min(interaction.completion, 1.0)
    return watched + (LIKE if interaction.liked else 0.0) + (SHARE if interaction.shared else 0.0)
