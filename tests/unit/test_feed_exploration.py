"""Which candidates may fill an exploration slot (no database)."""

from __future__ import annotations

import numpy as np
from feedworld import catalogue, slate, video

from graph.feed.selectors import explorable
from graph.feed.slate import Slate


def candidate(source: str, creator: float = 0.0, hashtag: float = 0.0) -> Slate:
    found = slate(catalogue(video("v1")), "v1", source=source)
    found.columns["creator_affinity"] = np.array([creator])
    found.columns["hashtag_affinity"] = np.array([hashtag])
    return found


def test_new_territory_is_explorable_whichever_source_found_it() -> None:
    # Creator and hashtags the viewer never engaged with: explorable, also when the
    # collaborative sources proposed it (they choose *which* new territory to show).
    assert explorable(candidate("trending"), personal=True)[0]
    assert explorable(candidate("personal"), personal=True)[0]


def test_the_viewers_own_creators_and_hashtags_are_not_exploration() -> None:
    assert not explorable(candidate("co_engagement", creator=0.4), personal=True)[0]
    assert not explorable(candidate("popular", hashtag=0.2), personal=True)[0]


def test_fresh_videos_are_explorable_even_within_the_bubble() -> None:
    assert explorable(candidate("fresh", hashtag=0.9), personal=True)[0]
    assert explorable(candidate("fresh"), personal=False)[0]


def test_without_a_profile_only_fresh_videos_explore() -> None:
    assert not explorable(candidate("trending"), personal=False)[0]
