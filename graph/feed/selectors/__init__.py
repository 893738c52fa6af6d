"""Selectors: turn the scored slate into a page (graph.feed.diversify's rules)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from graph.feed.diversify import Previous, Shelf, place
from graph.feed.query import FeedQuery
from graph.feed.slate import Slate


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
        """``order``: slate rows, best first. The whole slate goes on the shelf: the
        adjacency rule gives way only when no candidate at all keeps it, which a shelf cut
        to the best few cannot tell (one creator's videos can fill the top hundred), and
        the slate is already bounded (``sizes.max_candidates``)."""
        request, pipeline = query.request, query.pipeline
        first = request.first
        exploring = pipeline.exploration and query.exploration > 0
        outside = explorable(slate, pipeline.personal) if exploring else np.zeros(len(slate), bool)
        catalogue = query.catalogue
        scores = slate.scores if slate.scores is not None else np.zeros(len(slate))
        numbers = slate.numbers[order]
        vectors = has_vector = None
        if query.diversity > 0 and catalogue.vectors is not None:
            has_vector = catalogue.has_vector[numbers]
            if has_vector.any():
                raw = catalogue.vectors[numbers].astype(np.float64)
                norms = np.linalg.norm(raw, axis=1, keepdims=True)
                vectors = np.divide(raw, norms, out=np.zeros_like(raw), where=norms > 0)
        # Creators, sounds and hashtags by the read model's numbers (compared, not shown).
        shelf = Shelf(
            scores=scores[order],
            creators=slate.creators[order].astype(np.int64),
            sounds=slate.sounds[order].astype(np.int64),
            hashtags=[catalogue.hashtags[number] for number in numbers.tolist()],
            explorable=outside[order],
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
            previous=shown_before(query),
        )
        return [Placed(int(order[index]), exploring) for index, exploring in placed]


def shown_before(query: FeedQuery) -> Previous | None:
    """The last video of the previous page (the newest the cursor remembers), by the read
    model's creator and sound numbers (the shelf's codes), so the page's first item keeps
    the adjacency rule across the page boundary; None on a session's first page."""
    served = query.cursor.served
    number = query.catalogue.number.get(served[-1]) if served else None
    if number is None:
        return None
    catalogue = query.catalogue
    return Previous(int(catalogue.creator[number]), int(catalogue.sound[number]))


DIVERSITY = DiversitySelector()
