"""Selectors: turn the scored slate into a page (graph.feed.diversify's rules)."""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from graph.feed.diversify import Pick, SlateItem, diversify, pool_size
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


@dataclass(frozen=True)
class DiversitySelector:
    name: str = "diversify"

    def select(self, query: FeedQuery, slate: Slate, order: NDArray[np.int64]) -> list[Pick]:
        """``order``: slate rows, best first. Only the best few become slate items: the MMR
        pool, a reserve for the adjacency fallback, and the best explorable beyond."""
        request, pipeline = query.request, query.pipeline
        first = request.first
        reserve = max(pool_size(first), first * RESERVE_FACTOR)
        exploring = pipeline.exploration and query.controls.exploration > 0
        outside = explorable(slate, pipeline.personal) if exploring else np.zeros(len(slate), bool)
        chosen = order[:reserve]
        if exploring:
            beyond = order[reserve:]
            chosen = np.concatenate([chosen, beyond[outside[beyond]][: first * 2]])
        catalogue = query.catalogue
        mmr = query.controls.diversity > 0
        scores = slate.scores if slate.scores is not None else np.zeros(len(slate))
        # Creators, sounds and hashtags by the read model's numbers (compared, not shown).
        rows = chosen.tolist()
        numbers = slate.numbers[chosen].tolist()
        creators = slate.creators[chosen].tolist()
        sounds = slate.sounds[chosen].tolist()
        hashtags = catalogue.hashtags
        items = [
            SlateItem(
                key=str(row),
                score=float(scores[row]),
                creator=creator if creator >= 0 else None,
                sound=sound if sound >= 0 else None,
                hashtags=hashtags[number],
                explorable=bool(outside[row]),
                vector=catalogue.vector(number) if mmr else None,
            )
            for row, number, creator, sound in zip(rows, numbers, creators, sounds, strict=True)
        ]
        cursor = query.cursor
        rng = random.Random(f"{query.config.seed}:{request.user_id}:{cursor.now}:{cursor.offset}")
        return diversify(
            items,
            first,
            strength=query.controls.diversity,
            exploration=query.controls.exploration if exploring else 0.0,
            rng=rng,
        )


DIVERSITY = DiversitySelector()
