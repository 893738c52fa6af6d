"""Properties of the page rules over many random slates (hypothesis; no database).

The rule under test (graph.feed.diversify): never two in a row from the same creator,
nor with the same sound, relaxed only when no candidate at all is left that keeps it.
The oracle below replays a page: wherever two neighbours share a creator or a sound, no
candidate still unplaced at that moment (anywhere in the input, not only the MMR pool)
may have differed from the first of them in both. Pages continue across page boundaries:
the first item of a page follows the last item of the page before.
"""

from __future__ import annotations

import random
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

import numpy as np
from feedworld import catalogue, query, video
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.feed.candidate import Proposal
from graph.feed.catalogue.store import Catalogue
from graph.feed.diversify import Pick, SlateItem, diversify
from graph.feed.selectors import DIVERSITY
from graph.feed.slate import Slate

# Moderate: the whole file runs in seconds, and CI reruns find new worlds each time.
PROPERTIES = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class Shown(NamedTuple):
    """What the adjacency rule looks at in one item."""

    key: str
    creator: Hashable | None
    sound: Hashable | None


def keeps_apart(before: Shown | SlateItem, after: Shown | SlateItem) -> bool:
    """Whether ``after`` may follow ``before``: a different creator and a different sound
    (a missing creator or sound is different from every other)."""
    creator_ok = before.creator is None or after.creator is None or before.creator != after.creator
    sound_ok = before.sound is None or after.sound is None or before.sound != after.sound
    return creator_ok and sound_ok


def assert_adjacency_kept(
    pages: Sequence[Sequence[Shown]], candidates: Sequence[Sequence[Shown]], before: Shown | None
) -> None:
    """``pages[i]`` was chosen from ``candidates[i]``; ``before`` was shown just before the
    first page. Every relaxation of the rule must have been forced."""
    for page, pool in zip(pages, candidates, strict=True):
        left = {item.key: item for item in pool}
        for position, item in enumerate(page):
            if before is not None and not keeps_apart(before, item):
                keeper = next((c for c in left.values() if keeps_apart(before, c)), None)
                assert keeper is None, (
                    f"slot {position}: {item} follows {before} although {keeper} was left"
                )
            before = left.pop(item.key)


def shown(item: SlateItem) -> Shown:
    return Shown(item.key, item.creator, item.sound)


# -- random slates ------------------------------------------------------------------------


@dataclass(frozen=True)
class World:
    """A random slate and the request's settings."""

    items: list[SlateItem]
    first: int
    strength: float
    exploration: float
    seed: int
    previous: SlateItem | None


def skewed(prefix: str, kinds: int, none: bool = False) -> st.SearchStrategy[str | None]:
    """A name of ``kinds`` (or None), with ``{prefix}0`` taking about half of the draws: a
    star creator, a hit sound, a trending hashtag, as real slates have. One integer per
    draw: slates of a hundred items stay cheap to generate."""

    def name(i: int) -> str | None:
        return None if i < 0 else f"{prefix}{max(0, i - kinds + 1)}"

    return st.integers(-1 if none else 0, 2 * kinds - 2).map(name)


@st.composite
def slate_items(draw: st.DrawFn) -> tuple[list[SlateItem], SlateItem | None]:
    """Up to 100 items (beyond the MMR pool of 50 or more), with skewed creators, sounds
    and hashtags, and the item shown before the page (None: the session's first page)."""
    creators = skewed("c", draw(st.integers(1, 8)), none=draw(st.booleans()))
    sounds = skewed("s", draw(st.integers(1, 6)), none=True)
    tags = st.lists(skewed("t", draw(st.integers(1, 5))), max_size=3)
    dims = draw(st.sampled_from([0, 3]))
    # The star creator's items often score best: the case the rule exists for.
    star_bonus = draw(st.sampled_from([0.0, 0.5, 2.0]))
    vector = st.none() if not dims else st.none() | st.tuples(*[st.floats(-1, 1)] * dims)

    def item(key: str) -> SlateItem:
        creator = draw(creators)
        return SlateItem(
            key=key,
            score=draw(st.floats(0, 1)) + (star_bonus if creator == "c0" else 0.0),
            creator=creator,
            sound=draw(sounds),
            hashtags=tuple(sorted({tag for tag in draw(tags) if tag is not None})),
            explorable=draw(st.booleans()),
            vector=draw(vector),
        )

    items = [item(f"v{i}") for i in range(draw(st.integers(0, 100)))]
    previous = item("before") if draw(st.booleans()) else None
    return items, previous


@st.composite
def worlds(draw: st.DrawFn) -> World:
    items, previous = draw(slate_items())
    return World(
        items=items,
        first=draw(st.integers(1, 30)),
        strength=draw(st.one_of(st.sampled_from([0.0, 0.5, 1.0]), st.floats(0, 1))),
        exploration=draw(st.one_of(st.sampled_from([0.0, 0.1, 0.5]), st.floats(0, 1))),
        seed=draw(st.integers(0, 2**32)),
        previous=previous,
    )


def picks_of(world: World, items: Sequence[SlateItem], previous: SlateItem | None) -> list[Pick]:
    return diversify(
        items,
        world.first,
        strength=world.strength,
        exploration=world.exploration,
        rng=random.Random(world.seed),
        previous=previous,
    )


def page_of(
    world: World, items: Sequence[SlateItem], previous: SlateItem | None
) -> list[SlateItem]:
    return [pick.item for pick in picks_of(world, items, previous)]


# -- the SlateItem API --------------------------------------------------------------------


@PROPERTIES
@given(worlds())
def test_a_page_relaxes_adjacency_only_when_forced(world: World) -> None:
    page = page_of(world, world.items, world.previous)
    before = shown(world.previous) if world.previous else None
    assert_adjacency_kept([[shown(i) for i in page]], [[shown(i) for i in world.items]], before)


@PROPERTIES
@given(worlds(), st.integers(2, 6))
def test_pages_in_a_row_keep_adjacency_across_their_boundaries(world: World, pages: int) -> None:
    left, before = list(world.items), world.previous
    served: list[list[Shown]] = []
    offered: list[list[Shown]] = []
    for _ in range(pages):
        page = page_of(world, left, before)
        served.append([shown(item) for item in page])
        offered.append([shown(item) for item in left])
        placed = {item.key for item in page}
        left = [item for item in left if item.key not in placed]
        before = page[-1] if page else before
    first_before = shown(world.previous) if world.previous else None
    assert_adjacency_kept(served, offered, first_before)


@PROPERTIES
@given(worlds())
def test_every_item_is_placed_once_unchanged_and_the_page_is_full(world: World) -> None:
    picks = picks_of(world, world.items, world.previous)
    keys = [pick.item.key for pick in picks]
    assert len(keys) == len(set(keys)) == min(world.first, len(world.items))
    given_items = {item.key: item for item in world.items}
    assert all(pick.item == given_items[pick.item.key] for pick in picks)  # score kept too
    assert all(pick.item.explorable for pick in picks if pick.exploration)
    assert not (picks and picks[0].exploration)  # never the first slot


@PROPERTIES
@given(worlds())
def test_the_first_slot_takes_the_best_score_that_keeps_adjacency(world: World) -> None:
    page = page_of(world, world.items, world.previous)
    if not page:
        return
    kept = [i for i in world.items if world.previous is None or keeps_apart(world.previous, i)]
    assert page[0].score == max(item.score for item in kept or world.items)


@PROPERTIES
@given(st.lists(st.floats(0, 1), max_size=80), st.integers(1, 30))
def test_without_diversity_or_exploration_the_page_is_the_best_scores(
    scores: list[float], first: int
) -> None:
    # Nothing shared, so no rule applies: no score may be passed over.
    items = [SlateItem(f"v{i}", s, f"c{i}", f"s{i}", (f"t{i}",)) for i, s in enumerate(scores)]
    page = diversify(items, first, strength=0.0, exploration=0.0, rng=random.Random(0))
    assert [pick.item.score for pick in page] == sorted(scores, reverse=True)[:first]


# -- the engine's selector: the whole scored slate, continuing after the cursor ------------


@dataclass(frozen=True)
class Selection:
    """A random scored slate over a catalogue, and the video the viewer saw last."""

    rows: list[dict[str, Any]]
    scores: list[float]
    previous: dict[str, Any] | None
    first: int
    strength: float
    exploration: float


def catalogue_row(item: SlateItem) -> dict[str, Any]:
    """``item`` as a ``catalogue/videos`` row (a missing creator or sound stays missing)."""
    creator = {"id": item.creator, "name": item.creator, "videos": 1} if item.creator else None
    sound = {"id": item.sound, "title": item.sound, "videos": 1} if item.sound else None
    hashtags = [{"name": tag, "videos": 1} for tag in item.hashtags]
    return video(item.key, creator=creator, sound=sound, hashtags=hashtags)


@st.composite
def selections(draw: st.DrawFn) -> Selection:
    items, previous = draw(slate_items())
    return Selection(
        rows=[catalogue_row(item) for item in items],
        scores=[item.score for item in items],
        previous=catalogue_row(previous) if previous else None,
        first=draw(st.integers(1, 20)),
        strength=draw(st.sampled_from([0.0, 0.5, 1.0])),
        exploration=draw(st.sampled_from([0.0, 0.2])),
    )


def shown_in(videos: Catalogue, number: int) -> Shown:
    """A read-model video as the rule sees it (by the catalogue's own numbers)."""
    creator, sound = int(videos.creator[number]), int(videos.sound[number])
    return Shown(
        videos.ids[number], creator if creator >= 0 else None, sound if sound >= 0 else None
    )


def scored_slate(videos: Catalogue, case: Selection) -> Slate:
    numbers = np.array([videos.number[row["id"]] for row in case.rows], dtype=np.int64)
    proposal = Proposal("trending", numbers, np.ones(numbers.size), lambda n: {})
    found = Slate.merge(videos, [proposal], limit=numbers.size)
    score_of = dict(zip(numbers.tolist(), case.scores, strict=True))
    found.scores = np.array([score_of[n] for n in found.numbers.tolist()], dtype=np.float64)
    return found


@PROPERTIES
@given(selections())
def test_the_selector_keeps_adjacency_over_the_whole_slate_and_after_the_cursor(
    case: Selection,
) -> None:
    videos = catalogue(*case.rows, *([case.previous] if case.previous else []))
    slate = scored_slate(videos, case)
    # The previous page's last video is in the cursor (and filtered out of the slate).
    served = (str(case.previous["id"]),) if case.previous else ()
    base = query(videos, served=served)
    asked = replace(
        base,
        request=replace(base.request, first=case.first),
        diversity=case.strength,
        exploration=case.exploration,
    )
    assert slate.scores is not None
    order = np.lexsort((slate.numbers, -slate.scores))
    rows = [pick.row for pick in DIVERSITY.select(asked, slate, order)]

    assert len(rows) == len(set(rows)) == min(case.first, len(slate))
    page = [shown_in(videos, int(slate.numbers[row])) for row in rows]
    pool = [shown_in(videos, number) for number in slate.numbers.tolist()]
    before = shown_in(videos, videos.number[served[0]]) if served else None
    assert_adjacency_kept([page], [pool], before)
