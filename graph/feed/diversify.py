"""Re-rank a scored slate for diversity and exploration (pure; no database).

Rules, strongest first:

1. never two in a row from the same creator, nor with the same sound: relaxed only when
   no candidate at all is left that keeps them (a Following feed of one creator still
   pages), never merely because the best-scored ones happen to share a creator. A page
   continues the one before: its first item keeps the rule against ``previous``, the
   last item of the previous page;
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
from dataclasses import dataclass
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


class Previous(NamedTuple):
    """The item shown just before the page (the previous page's last), as the shelf's
    codes (-1: none): the page's first slot keeps the adjacency rule against it."""

    creator: int = -1
    sound: int = -1


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


@dataclass
class Shelf:
    """The items to place as arrays, best first: what :func:`place` works on (the engine
    builds one straight from its slate; :func:`diversify` from :class:`SlateItem` s)."""

    scores: npt.NDArray[np.float64]
    #: Small integer codes (-1: none); equal codes mean the same creator / sound / hashtag.
    creators: npt.NDArray[np.int64]
    sounds: npt.NDArray[np.int64]
    hashtags: Sequence[tuple[int, ...]]
    explorable: npt.NDArray[np.bool_]
    #: Unit-length embeddings (rows of zeros where missing), or None when none has one.
    vectors: npt.NDArray[np.float64] | None = None
    has_vector: npt.NDArray[np.bool_] | None = None

    def __len__(self) -> int:
        return int(self.scores.size)


class _Similarity:
    """Each item's similarity to one placed item, computed when it is placed: embedding
    cosine where both have vectors, otherwise the Jaccard overlap of their creator, sound
    and hashtags (the same as :func:`content_similarity`), all in array operations."""

    def __init__(self, shelf: Shelf, rows: npt.NDArray[np.int64]) -> None:
        self.shelf, self.rows = shelf, rows
        self.creators, self.sounds = shelf.creators[rows], shelf.sounds[rows]
        tags = [shelf.hashtags[row] for row in rows.tolist()]
        self.by_tag: dict[int, list[int]] = {}
        for position, found in enumerate(tags):
            for tag in found:
                self.by_tag.setdefault(tag, []).append(position)
        self.sizes = (
            (self.creators >= 0).astype(np.float64)
            + (self.sounds >= 0)
            + np.array([len(found) for found in tags], dtype=np.float64)
        )

    def to(self, item: int) -> npt.NDArray[np.float64]:
        shelf = self.shelf
        creator, sound = shelf.creators[item], shelf.sounds[item]
        shared = np.zeros(self.rows.size)
        if creator >= 0:
            shared += self.creators == creator
        if sound >= 0:
            shared += self.sounds == sound
        for tag in shelf.hashtags[item]:
            shared[self.by_tag.get(tag, [])] += 1
        size = int(creator >= 0) + int(sound >= 0) + len(shelf.hashtags[item])
        union = self.sizes + size - shared
        found = np.divide(shared, union, out=np.zeros_like(shared), where=union > 0)
        if shelf.vectors is not None and shelf.has_vector is not None and shelf.has_vector[item]:
            both = shelf.has_vector[self.rows]
            cosine = shelf.vectors[self.rows] @ shelf.vectors[item]
            found = np.where(both, cosine, found)
        return found


def similarity_matrix(items: Sequence[SlateItem]) -> npt.NDArray[np.float64]:
    """Pairwise similarity of ``items`` (as the diversifier measures it)."""
    shelf = shelf_of(items)
    similarity = _Similarity(shelf, np.arange(len(shelf)))
    return np.array([similarity.to(i) for i in range(len(shelf))]).reshape(len(shelf), -1)


def shelf_of(items: Sequence[SlateItem]) -> Shelf:
    """Items (in the given order) as a :class:`Shelf`."""
    tag_codes: dict[Hashable, int] = {}
    hashtags = [tuple(tag_codes.setdefault(tag, len(tag_codes)) for tag in item.hashtags)
                for item in items]  # fmt: skip
    dims = {len(item.vector) for item in items if item.vector is not None}
    vectors = has = None
    if len(dims) == 1:
        vectors = np.zeros((len(items), dims.pop()))
        has = np.array([item.vector is not None for item in items], dtype=bool)
        for row, item in enumerate(items):
            if item.vector is not None:
                vectors[row] = item.vector
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        vectors = np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
    return Shelf(
        scores=np.array([item.score for item in items], dtype=np.float64),
        creators=_codes([item.creator for item in items]),
        sounds=_codes([item.sound for item in items]),
        hashtags=hashtags,
        explorable=np.array([item.explorable for item in items], dtype=bool),
        vectors=vectors,
        has_vector=has,
    )


def _codes(values: Sequence[Hashable | None]) -> npt.NDArray[np.int64]:
    """Small integer codes for equality tests (-1 for None)."""
    seen: dict[Hashable, int] = {}
    return np.array(
        [-1 if value is None else seen.setdefault(value, len(seen)) for value in values],
        dtype=np.int64,
    )


def _previous_codes(items: Sequence[SlateItem], previous: SlateItem) -> Previous:
    """``previous`` in the codes :func:`shelf_of` gives ``items``: codes go by first
    appearance, so coding it last leaves the items' codes as they are."""
    creators = _codes([*(item.creator for item in items), previous.creator])
    sounds = _codes([*(item.sound for item in items), previous.sound])
    return Previous(int(creators[-1]), int(sounds[-1]))


def diversify(
    items: Sequence[SlateItem],
    first: int,
    *,
    strength: float,
    exploration: float,
    rng: random.Random,
    previous: SlateItem | None = None,
) -> list[Pick]:
    """Pick up to ``first`` items in page order (see the module docstring); ``previous``:
    the item shown just before this page, if any."""
    ranked = sorted(items, key=lambda item: item.score, reverse=True)
    placed = place(
        shelf_of(ranked),
        first,
        strength=strength,
        exploration=exploration,
        rng=rng,
        previous=_previous_codes(ranked, previous) if previous is not None else None,
    )
    return [Pick(ranked[index], exploring) for index, exploring in placed]


def place(
    shelf: Shelf,
    first: int,
    *,
    strength: float,
    exploration: float,
    rng: random.Random,
    previous: Previous | None = None,
) -> list[tuple[int, bool]]:
    """Up to ``first`` (shelf index, filled an exploration slot) in page order. The shelf
    is best first and holds every candidate: the adjacency rule may only give way when
    none at all keeps it, so a caller that cuts the shelf short breaks rule 1."""
    count = len(shelf)
    if not count:
        return []
    pool = min(pool_size(first), count)
    creators, sounds, explorers = shelf.creators, shelf.sounds, shelf.explorable
    by_tag: dict[int, list[int]] = {}
    for i, found in enumerate(shelf.hashtags):
        for tag in found:
            by_tag.setdefault(tag, []).append(i)
    # MMR compares the pool with what joins the page, by score or by exploration.
    similarity = _Similarity(shelf, np.arange(pool)) if strength > 0 else None
    top_score = shelf.scores[0] or 1.0
    relevance = shelf.scores[:pool] / top_score
    relevance_weight = mmr_lambda(strength)
    closest = np.zeros(pool)  # each pool item's highest similarity to the page so far
    cap = hashtag_cap(first, strength)
    explore_at = exploration_positions(first, exploration, rng) if explorers.any() else set()

    picks: list[tuple[int, bool]] = []
    taken = np.zeros(count, dtype=bool)
    capped = np.zeros(count, dtype=bool)  # holds a hashtag already at its cap
    tags: Counter[int] = Counter()
    # The item just before the next slot: at the first slot, the previous page's last.
    last = previous or Previous()
    for position in range(first):
        free = ~taken
        allowed = free & _keeps_apart(shelf, last)
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
        last = Previous(int(creators[chosen]), int(sounds[chosen]))
        picks.append((chosen, exploring))
        taken[chosen] = True
        for tag in shelf.hashtags[chosen]:
            tags[tag] += 1
            if tags[tag] >= cap:
                capped[by_tag[tag]] = True
        if similarity is not None and relevance_weight < 1:
            closest = np.maximum(closest, similarity.to(chosen))
    return picks


def _keeps_apart(shelf: Shelf, last: Previous) -> npt.NDArray[np.bool_]:
    """Which items may follow ``last``: another creator and another sound (a missing one,
    code -1, matches nothing)."""
    creator_ok = (shelf.creators != last.creator) | (shelf.creators < 0)
    sound_ok = (shelf.sounds != last.sound) | (shelf.sounds < 0)
    found: npt.NDArray[np.bool_] = creator_ok & sound_ok
    return found
