"""Which candidates may fill an exploration slot (no database)."""

from __future__ import annotations

from graph.feed.candidate import Affinity, Candidate, SourceHit, VideoFacts
from graph.feed.engine import explorable


def candidate(*sources: str, creator: float = 0.0, hashtag: float = 0.0) -> Candidate:
    found = Candidate("v1", facts=VideoFacts(), affinity=Affinity(creator=creator, hashtag=hashtag))
    for source in sources:
        found.add(SourceHit("v1", source, 1.0))
    return found


def test_new_territory_is_explorable_whichever_source_found_it() -> None:
    # Creator and hashtags the viewer never engaged with: explorable, also when the
    # collaborative sources proposed it (they choose *which* new territory to show).
    assert explorable(candidate("trending"), personal=True)
    assert explorable(candidate("co_engagement", "personal"), personal=True)


def test_the_viewers_own_creators_and_hashtags_are_not_exploration() -> None:
    assert not explorable(candidate("co_engagement", creator=0.4), personal=True)
    assert not explorable(candidate("popular", hashtag=0.2), personal=True)


def test_fresh_videos_are_explorable_even_within_the_bubble() -> None:
    assert explorable(candidate("fresh", "hashtag_affinity", hashtag=0.9), personal=True)
    assert explorable(candidate("fresh"), personal=False)


def test_without_a_profile_only_fresh_videos_explore() -> None:
    assert not explorable(candidate("trending"), personal=False)
