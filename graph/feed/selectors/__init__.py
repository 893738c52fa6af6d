"""Selectors: turn the scored slate into a page (graph.feed.diversify's rules)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from graph.feed.diversify import Shelf, place, pool_size
from graph.feed.query import FeedQuery
from graph.feed.slate import Slate

#: Beyond the MMR pool, this many times the page size of the next best candidates are
#: kept for the adjacency rule's fallback (a page of one creator's videos otherwise).
RESERVE_FACTOR = 5


def explorable(slate: Slate, personal: bool) -> NDArray[np.bool_]:
    """Outside the viewer's bubble: fresh (it needs a first audience), or, for a profiled
    viewer, by a creator and with hashtags they never engaged with.

    Whichever source proposed it: the diversifier fills an exploration slot with one of
    the best-scored explorable videos, so when a collaborative source (co_engagement,
    personal) proposes new territory, it is the new territory that viewers like this one
    took to, not a random one (README, "The For You feed", has the measurements)."""
    outside = slate.proposed_by("fresh")
    if personal:
        bubble = (slate.column("creator_affinity") > 0) | (slate.column("hashtag_affinity") > 0)
        outside = outside | ~bubble
    return outside


class Placed(NamedTuple):
    """A slate row on the page, and whether it fills an exploration slot."""

    row: int
    exploration: bool


@dataclass(frozen=True)
class DiversitySelector:
    name: str = "diversify"

    def select(self, query: FeedQuery, slate: Slate, order: NDArray[np.int64]) -> list[Placed]:
        """``order``: slate rows, best first. Only the best few become slate items: the MMR
        pool, a reserve for the adjacency fallback, and the best explorable beyond."""
        request, pipeline = query.request, query.pipeline
        first = request.first
        reserve = max(pool_size(first), first * RESERVE_FACTOR)
        exploring = pipeline.exploration and query.exploration > 0
        outside = explorable(slate, pipeline.personal) if exploring else np.zeros(len(slate), bool)
        chosen = order[:reserve]
        if exploring:
            beyond = order[reserve:]
            chosen = np.concatenate([chosen, beyond[outside[beyond]][: first * 2]])
        catalogue = query.catalogue
        scores = slate.scores if slate.scores is not None else np.zeros(len(slate))
        numbers = slate.numbers[chosen]
        vectors = has_vector = None
        if query.diversity > 0 and catalogue.vectors is not None:
            has_vector = catalogue.has_vector[numbers]
            if has_vector.any():
                raw = catalogue.vectors[numbers].astype(np.float64)
                norms = np.linalg.norm(raw, axis=1, keepdims=True)
                vectors = np.divide(raw, norms, out=np.zeros_like(raw), where=norms > 0)
        # Creators, sounds and hashtags by the read model's numbers (compared, not shown).
        shelf = Shelf(
            scores=scores[chosen],
            creators=slate.creators[chosen].astype(np.int64),
            sounds=slate.sounds[chosen].astype(np.int64),
            hashtags=[catalogue.hashtags[number] for number in numbers.tolist()],
            explorable=outside[chosen],
            vectors=vectors,
            has_vector=has_vector,
        )
        cursor = query.cursor
        rng = random.Random(f"{query.config.seed}:{request.user_id}:{cursor.now}:{cursor.offset}")
        placed = place(
            shelf,
            first,
            strength=query.diversity,
            exploration=query.exploration if exploring else 0.0,
            rng=rng,
        )
        return [Placed(int(chosen[index]), exploring) for index, exploring in placed]


DIVERSITY = DiversitySelector()
