"""Re-rank a scored slate for diversity and exploration (pure; no database).

Rules, strongest first:

1. never two in a row from the same creator, nor with the same sound: relaxed only when
   no candidate at all is left that keeps them (a Following feed of one creator still
   pages), never merely because the best-scored ones happen to share a creator;
2. at most :func:`hashtag_cap` items per hashtag on a page (relaxed before rule 1);
3. Maximal Marginal Relevance: each slot takes the item of the pool (the best
   ``POOL_FACTOR`` x page size) that best trades its score against its similarity to
   what the page already holds (embedding cosine when both vectors exist, otherwise
   shared creator / sound / hashtags); when the pool has nothing that keeps rule 1,
   the best-scored item beyond it that does;
4. exploration slots, at seeded random positions (never the first), go to fresh or
   out-of-bubble items, so the viewer's feed can grow beyond what it already knows.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Hashable, Sequence
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

#: How many of the best-scored items MMR looks at for each slot (times the page size).
#: Small on purpose: MMR reorders and spreads the scorer's best, it does not reach far
#: down for novelty (README, "The For You feed"). Exploration slots reach beyond it.
POOL_FACTOR = 2
#: Exploration picks at random among this many best-scored eligible items.
EXPLORATION_SHORTLIST = 3


class SlateItem(NamedTuple):
    """One item to place; creators, sounds and hashtags are compared for equality only,
    so any hashable key does (the engine passes the read model's numbers)."""

    key: str
    score: float
    creator: Hashable | None = None
    sound: Hashable | None = None
    hashtags: tuple[Hashable, ...] = ()
    #: Fresh or out of the viewer's bubble: may fill an exploration slot.
    explorable: bool = False
    vector: Sequence[float] | npt.NDArray[np.float32] | None = None


class Pick(NamedTuple):
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


def pool_size(first: int) -> int:
    return max(first * POOL_FACTOR, 50)


def exploration_positions(first: int, rate: float, rng: random.Random) -> set[int]:
    """Seeded positions for exploration slots: ``round(first * rate)`` of them, never slot 0."""
    wanted = min(first - 1, math.floor(first * rate + 0.5))
    if wanted <= 0:
        return set()
    return set(rng.sample(range(1, first), wanted))


def _traits(item: SlateItem) -> frozenset[str]:
    return frozenset(
        [f"#{tag}" for tag in item.hashtags]
        + ([f"@{item.creator}"] if item.creator is not None else [])
        + ([f"~{item.sound}"] if item.sound is not None else [])
    )


def content_similarity(a: SlateItem, b: SlateItem) -> float:
    """Jaccard overlap of creator, sound and hashtags: a stand-in when embeddings are missing."""
    left, right = _traits(a), _traits(b)
    union = left | right
    return len(left & right) / len(union) if union else 0.0


def similarity_matrix(items: Sequence[SlateItem]) -> npt.NDArray[np.float64]:
    """Pairwise similarity of ``items``: embedding cosine where both have vectors of the
    common dimension, Jaccard of their traits otherwise (two matrix products)."""
    count = len(items)
    traits = [_traits(item) for item in items]
    vocabulary = {trait: i for i, trait in enumerate(sorted(set().union(*traits)))}
    membership = np.zeros((count, max(1, len(vocabulary))))
    for row, found in enumerate(traits):
        membership[row, [vocabulary[trait] for trait in found]] = 1.0
    shared = membership @ membership.T
    sizes = membership.sum(axis=1)
    union = sizes[:, None] + sizes[None, :] - shared
    result = np.divide(shared, union, out=np.zeros_like(shared), where=union > 0)
    dims = {len(item.vector) for item in items if item.vector is not None}
    if len(dims) == 1:
        dimension = dims.pop()
        has = np.array([item.vector is not None for item in items], dtype=bool)
        matrix = np.zeros((count, dimension))
        for row, item in enumerate(items):
            if item.vector is not None:
                matrix[row] = item.vector
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        matrix = np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)
        both = has[:, None] & has[None, :]
        result = np.where(both, matrix @ matrix.T, result)
    return result


def _codes(values: Sequence[Hashable | None]) -> npt.NDArray[np.int64]:
    """Small integer codes for equality tests (-1 for None)."""
    seen: dict[Hashable, int] = {}
    return np.array(
        [-1 if value is None else seen.setdefault(value, len(seen)) for value in values],
        dtype=np.int64,
    )


def diversify(
    items: Sequence[SlateItem],
    first: int,
    *,
    strength: float,
    exploration: float,
    rng: random.Random,
) -> list[Pick]:
    """Pick up to ``first`` items in page order (see the module docstring)."""
    ranked = sorted(items, key=lambda item: item.score, reverse=True)
    count = len(ranked)
    if not count:
        return []
    pool = min(pool_size(first), count)
    creators = _codes([item.creator for item in ranked])
    sounds = _codes([item.sound for item in ranked])
    explorers = np.array([item.explorable for item in ranked], dtype=bool)
    by_tag: dict[Hashable, list[int]] = {}
    for i, item in enumerate(ranked):
        for tag in item.hashtags:
            by_tag.setdefault(tag, []).append(i)
    # MMR compares the pool with everything that can join the page by score or by
    # exploration: the pool and the explorable items beyond it.
    universe = np.concatenate([np.arange(pool), pool + np.flatnonzero(explorers[pool:])])
    at = np.full(count, -1)
    at[universe] = np.arange(universe.size)
    similarity = similarity_matrix([ranked[i] for i in universe]) if strength > 0 else None
    top_score = ranked[0].score or 1.0
    relevance = np.array([item.score / top_score for item in ranked[:pool]])
    relevance_weight = mmr_lambda(strength)
    closest = np.zeros(pool)  # each pool item's highest similarity to the page so far
    cap = hashtag_cap(first, strength)
    explore_at = exploration_positions(first, exploration, rng) if explorers.any() else set()

    picks: list[Pick] = []
    taken = np.zeros(count, dtype=bool)
    capped = np.zeros(count, dtype=bool)  # holds a hashtag already at its cap
    tags: Counter[Hashable] = Counter()
    last: int | None = None
    for position in range(first):
        free = ~taken
        if last is not None:
            adjacent_ok = ((creators != creators[last]) | (creators < 0)) & (
                (sounds != sounds[last]) | (sounds < 0)
            )
            allowed = free & adjacent_ok
        else:
            allowed = free
        chosen: int | None = None
        exploring = False
        mmr = relevance_weight * relevance - (1 - relevance_weight) * closest
        # Rules relaxed one at a time: the hashtag cap first; then, before the adjacency
        # rule goes, the best-scored item beyond the pool that keeps it.
        for eligible in (allowed & ~capped, allowed, None, free):
            if eligible is None:
                beyond = np.flatnonzero(allowed)
                if beyond.size:
                    chosen = int(beyond[0])
                    break
                continue
            if position in explore_at:
                shortlist = np.flatnonzero(eligible & explorers)[:EXPLORATION_SHORTLIST]
                if shortlist.size:
                    chosen, exploring = int(rng.choice(shortlist.tolist())), True
                    break
            in_pool = eligible[:pool]
            if in_pool.any():
                chosen = int(np.argmax(np.where(in_pool, mmr, -np.inf)))
                break
        if chosen is None:
            # Only what this page already shows is left.
            rest = np.flatnonzero(free)
            if not rest.size:
                break
            chosen = int(rest[0])
        last = chosen
        picks.append(Pick(ranked[chosen], exploring))
        taken[chosen] = True
        for tag in ranked[chosen].hashtags:
            tags[tag] += 1
            if tags[tag] >= cap:
                capped[by_tag[tag]] = True
        if similarity is not None and at[chosen] >= 0 and relevance_weight < 1:
            closest = np.maximum(closest, similarity[at[chosen], :pool])
    return picks
