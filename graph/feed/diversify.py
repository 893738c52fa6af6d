"""Re-rank a scored slate for diversity and exploration (pure; no database).

Rules, strongest first:

1. never two in a row from the same creator, nor with the same sound (relaxed only
   when nothing else is left, so a Following feed of one creator still pages);
2. at most :func:`hashtag_cap` items per hashtag on a page (relaxed before rule 1);
3. Maximal Marginal Relevance: each slot takes the item that best trades its score
   against its similarity to what the page already holds (embedding cosine when both
   vectors exist, otherwise shared creator / sound / hashtags);
4. exploration slots, at seeded random positions (never the first), go to fresh or
   out-of-bubble items, so the viewer's feed can grow beyond what it already knows.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

#: How many of the best-scored items MMR looks at for each slot (times the page size).
#: Small on purpose: MMR reorders and spreads the scorer's best, it does not reach far
#: down for novelty (on KuaiRand's validation week a pool of 5x the page cost 9% of
#: recall@50 against the undiversified list; 2x cost nothing and still raised the
#: intra-list diversity from 0.84 to 0.89). Exploration slots reach beyond it.
POOL_FACTOR = 2
#: Exploration picks at random among this many best-scored eligible items.
EXPLORATION_SHORTLIST = 3


@dataclass(frozen=True)
class SlateItem:
    key: str
    score: float
    creator: str | None = None
    sound: str | None = None
    hashtags: tuple[str, ...] = ()
    #: Fresh or out of the viewer's bubble: may fill an exploration slot.
    explorable: bool = False
    vector: Sequence[float] | None = None


@dataclass(frozen=True)
class Pick:
    item: SlateItem
    exploration: bool


def hashtag_cap(first: int, strength: float) -> int:
    """Most items per hashtag on a page of ``first``: unlimited at strength 0, tighter above."""
    if strength <= 0:
        return first
    return max(2, math.ceil(first * (0.5 - 0.35 * strength)))


def mmr_lambda(strength: float) -> float:
    """Weight of relevance against novelty: 1 at strength 0 (pure score), 0.3 at strength 1."""
    return 1.0 - 0.7 * strength


def exploration_positions(first: int, rate: float, rng: random.Random) -> set[int]:
    """Seeded positions for exploration slots: ``round(first * rate)`` of them, never slot 0."""
    wanted = min(first - 1, math.floor(first * rate + 0.5))
    if wanted <= 0:
        return set()
    return set(rng.sample(range(1, first), wanted))


def _traits(item: SlateItem) -> frozenset[str]:
    return frozenset(
        [f"#{tag}" for tag in item.hashtags]
        + ([f"@{item.creator}"] if item.creator else [])
        + ([f"~{item.sound}"] if item.sound else [])
    )


def content_similarity(a: SlateItem, b: SlateItem) -> float:
    """Jaccard overlap of creator, sound and hashtags: a stand-in when embeddings are missing."""
    left, right = _traits(a), _traits(b)
    union = left | right
    return len(left & right) / len(union) if union else 0.0


class _Similarity:
    """Similarity of every item to a given one: embedding cosine where both have vectors
    (one matrix product for the whole pool), shared traits otherwise."""

    def __init__(self, items: Sequence[SlateItem]) -> None:
        self.items = items
        self.traits = [_traits(item) for item in items]
        self.has_vector = np.array([item.vector is not None for item in items], dtype=bool)
        self.cosine: npt.NDArray[np.float64] | None = None
        dims = {len(item.vector) for item in items if item.vector is not None}
        if len(dims) == 1:
            matrix = np.zeros((len(items), dims.pop()))
            for i, item in enumerate(items):
                if item.vector is not None:
                    matrix[i] = item.vector
            norms = np.linalg.norm(matrix, axis=1, keepdims=True)
            matrix = np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)
            self.cosine = matrix @ matrix.T
        else:
            self.has_vector[:] = False

    def row(self, j: int) -> npt.NDArray[np.float64]:
        """Similarity of every item to item ``j``."""
        values = np.zeros(len(self.items))
        by_traits = np.ones(len(self.items), dtype=bool)
        if self.cosine is not None and self.has_vector[j]:
            values[self.has_vector] = self.cosine[j, self.has_vector]
            by_traits = ~self.has_vector
        other = self.traits[j]
        for i in np.flatnonzero(by_traits):
            union = self.traits[i] | other
            values[i] = len(self.traits[i] & other) / len(union) if union else 0.0
        return values


def _allowed(
    item: SlateItem, previous: SlateItem | None, tags: Counter[str], cap: int, level: int
) -> bool:
    """Level 0 enforces every rule, 1 drops the hashtag cap, 2 drops the adjacency rules."""
    if level < 2 and previous is not None:
        if item.creator is not None and item.creator == previous.creator:
            return False
        if item.sound is not None and item.sound == previous.sound:
            return False
    return level >= 1 or all(tags[tag] < cap for tag in item.hashtags)


def diversify(
    items: Sequence[SlateItem],
    first: int,
    *,
    strength: float,
    exploration: float,
    rng: random.Random,
) -> list[Pick]:
    """Pick up to ``first`` items in page order."""
    ranked = sorted(items, key=lambda item: item.score, reverse=True)
    if not ranked:
        return []
    pool_size = max(first * POOL_FACTOR, 50)
    # Exploration reaches beyond the pool: that is where out-of-bubble items rank.
    universe = ranked[:pool_size] + [item for item in ranked[pool_size:] if item.explorable]
    in_pool = [i < pool_size for i in range(len(universe))]
    explorers = [i for i, item in enumerate(universe) if item.explorable]
    similarity = _Similarity(universe)
    top_score = ranked[0].score or 1.0
    relevance = np.array([item.score / top_score for item in universe])
    relevance_weight = mmr_lambda(strength)
    closest = np.zeros(len(universe))  # each item's highest similarity to the page so far
    cap = hashtag_cap(first, strength)
    explore_at = exploration_positions(first, exploration, rng) if explorers else set()

    picks: list[Pick] = []
    taken: set[int] = set()
    tags: Counter[str] = Counter()
    for position in range(first):
        previous = picks[-1].item if picks else None
        chosen: int | None = None
        exploring = False
        for level in range(3):
            if position in explore_at:
                eligible = [
                    i
                    for i in explorers
                    if i not in taken and _allowed(universe[i], previous, tags, cap, level)
                ]
                if eligible:
                    chosen = rng.choice(eligible[:EXPLORATION_SHORTLIST])
                    exploring = True
                    break
            eligible = [
                i
                for i in range(len(universe))
                if in_pool[i]
                and i not in taken
                and _allowed(universe[i], previous, tags, cap, level)
            ]
            if eligible:
                chosen = max(
                    eligible,
                    key=lambda i: (
                        relevance_weight * relevance[i] - (1 - relevance_weight) * closest[i]
                    ),
                )
                break
        if chosen is None:
            break
        picks.append(Pick(universe[chosen], exploring))
        taken.add(chosen)
        tags.update(universe[chosen].hashtags)
        if relevance_weight < 1:
            closest = np.maximum(closest, similarity.row(chosen))
    return picks
