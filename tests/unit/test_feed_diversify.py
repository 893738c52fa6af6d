"""Diversity and exploration rules of the page (no database)."""

from __future__ import annotations

import itertools
import random
from collections import Counter

import pytest

from graph.feed.diversify import (
    Pick,
    SlateItem,
    content_similarity,
    diversify,
    exploration_positions,
    hashtag_cap,
)


def slate(n: int, creators: int = 3, sounds: int = 4, tags: int = 2) -> list[SlateItem]:
    """``n`` items, best first, cycling through few creators, sounds and hashtags."""
    return [
        SlateItem(
            key=f"v{i}",
            score=1.0 - i / (2 * n),
            creator=f"c{i % creators}",
            sound=f"s{i % sounds}",
            hashtags=(f"t{i % tags}",),
        )
        for i in range(n)
    ]


def keys(picks: list) -> list[str]:  # type: ignore[type-arg]
    return [pick.item.key for pick in picks]


def run(
    items: list[SlateItem],
    first: int = 10,
    *,
    strength: float = 0.5,
    exploration: float = 0.0,
    previous: SlateItem | None = None,
) -> list[Pick]:
    rng = random.Random(7)
    return diversify(
        items, first, strength=strength, exploration=exploration, rng=rng, previous=previous
    )


@pytest.mark.parametrize("strength", [0.0, 0.5, 1.0])
def test_never_the_same_creator_or_sound_twice_in_a_row(strength: float) -> None:
    # The best items all come from one creator with one sound: the rule must break them up.
    items = [SlateItem(f"a{i}", 1.0 - i / 100, "star", "hit") for i in range(10)]
    items += slate(20, creators=5, sounds=5)
    picks = run(items, first=15, strength=strength)
    assert len(picks) == 15
    for before, after in itertools.pairwise(picks):
        assert before.item.creator != after.item.creator
        assert before.item.sound != after.item.sound


def test_adjacency_is_relaxed_only_when_nothing_else_is_left() -> None:
    items = [SlateItem(f"a{i}", 1.0 - i / 10, "only") for i in range(4)]
    assert keys(run(items, first=4)) == ["a0", "a1", "a2", "a3"]


def test_a_page_continues_the_one_before() -> None:
    # The previous page ended on the star's hit: the best item would repeat both.
    items = [SlateItem("a0", 1.0, "star", "hit"), SlateItem("b0", 0.5, "other", "tune")]
    before = SlateItem("end", 0.0, "star", "hit")
    assert keys(run(items, first=2, previous=before)) == ["b0", "a0"]
    assert keys(run(items, first=2)) == ["a0", "b0"]  # a session's first page


def test_hashtag_cap_per_page() -> None:
    # Eight #cats items outscore everything else.
    items = [SlateItem(f"cat{i}", 2.0 - i / 100, f"c{i}", None, ("cats",)) for i in range(8)] + [
        SlateItem(f"x{i}", 1.0 - i / 100, f"d{i}", None, (f"t{i}",)) for i in range(12)
    ]
    picks = run(items, first=10, strength=0.5)
    cats = sum("cats" in pick.item.hashtags for pick in picks)
    assert cats == hashtag_cap(10, 0.5) == 4


def test_no_cap_and_pure_score_order_at_strength_zero() -> None:
    items = slate(30, creators=10, sounds=10, tags=1)  # one hashtag for all
    picks = run(items, first=10, strength=0.0)
    assert keys(picks) == [f"v{i}" for i in range(10)]


def test_mmr_prefers_a_different_embedding_neighbourhood() -> None:
    north = [SlateItem(f"n{i}", 1.0 - i / 100, f"c{i}", vector=(1.0, 0.01 * i)) for i in range(5)]
    east = [SlateItem("e0", 0.9, "ce", vector=(0.0, 1.0))]
    plain = keys(run(north + east, first=3, strength=0.0))
    varied = keys(run(north + east, first=3, strength=1.0))
    assert "e0" not in plain
    assert varied[:2] == ["n0", "e0"]


def test_content_similarity_without_embeddings() -> None:
    a = SlateItem("a", 1, "c1", "s1", ("cats", "funny"))
    b = SlateItem("b", 1, "c1", "s2", ("cats",))
    c = SlateItem("c", 1, "c9", "s9", ("cars",))
    assert content_similarity(a, b) == pytest.approx(2 / 5)
    assert content_similarity(a, c) == 0.0
    assert content_similarity(a, a) == 1.0


def test_exploration_slots_go_to_explorable_items_at_seeded_positions() -> None:
    items = slate(40, creators=8, sounds=8, tags=8)
    items += [SlateItem(f"new{i}", 0.01, f"n{i}", explorable=True) for i in range(5)]
    picks = run(items, first=20, exploration=0.2)
    explored = [i for i, pick in enumerate(picks) if pick.exploration]
    assert len(explored) == 4
    assert 0 not in explored
    assert all(picks[i].item.key.startswith("new") for i in explored)
    assert explored == sorted(exploration_positions(20, 0.2, random.Random(7)))
    assert keys(picks) == keys(run(items, first=20, exploration=0.2))  # seeded: same page


def test_no_exploration_without_explorable_items_or_rate() -> None:
    items = slate(30, creators=8, sounds=8)
    assert not any(pick.exploration for pick in run(items, first=10, exploration=0.5))
    items.append(SlateItem("new", 0.0, "n", explorable=True))
    assert not any(pick.exploration for pick in run(items, first=10, exploration=0.0))


def test_exploration_positions_round_and_skip_the_first_slot() -> None:
    rng = random.Random(1)
    assert exploration_positions(20, 0.1, rng) <= set(range(1, 20))
    assert len(exploration_positions(20, 0.1, rng)) == 2
    assert exploration_positions(1, 1.0, rng) == set()
    assert exploration_positions(10, 0.0, rng) == set()


def test_short_slates_and_empty_input() -> None:
    assert run([], first=5) == []
    picks = run(slate(3, creators=3, sounds=3), first=10)
    assert sorted(keys(picks)) == ["v0", "v1", "v2"]
    assert len(Counter(keys(picks))) == len(picks)


def test_numeric_keys_count_like_names_zero_included() -> None:
    # The engine passes the read model's numbers: creator 0 is a creator like any other.
    named = [SlateItem("a", 1.0, creator="c0", sound="s0"), SlateItem("b", 0.9, creator="c0")]
    numbered = [SlateItem("a", 1.0, creator=0, sound=0), SlateItem("b", 0.9, creator=0)]
    assert content_similarity(*numbered) == content_similarity(*named) == 0.5
