"""The adjacency rule through the whole engine, page after page (a real Neo4j).

"Never two in a row from the same creator, nor with the same sound" (graph.feed.diversify)
may only give way when no candidate at all is left that keeps it. The world makes that
hard: one prolific creator (``star``, 70 videos, most with the sound ``hit``) outscores
everyone for viewers who like their videos or follow them, so the best hundred candidates
are nearly all theirs, and pages are short, so many page boundaries fall between two of
their videos. Checked over every item a viewer is served, boundaries included, against
the scored candidates of each request (:meth:`FeedEngine.candidates`, the same cursor).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from itertools import count
from typing import Any, NamedTuple

import pytest

from graph.db import AsyncGraph, Graph
from graph.feed import FeedConfig, FeedEngine, FeedRequest, Mode
from graph.feed.catalogue.store import Catalogue
from graph.feed.config import Budgets
from graph.ingest import import_records

HOUR = 3_600_000
DAY = 24 * HOUR
NOW = 1_704_844_800_000  # the world's latest activity
STAR_VIDEOS = 70
OTHERS = [f"maker{i}" for i in range(8)]
VIEWERS = ["fan", "follower", "casual"]
CONFIG = FeedConfig(budgets=Budgets(required_s=60.0, non_personal_s=30.0), max_staleness_s=0.0)


def world() -> dict[str, list[dict[str, Any]]]:
    """Every video is fresh (so every one is a candidate); the star's score best."""
    ids = count()

    def event(kind: str, user: str, video: str, at: int, **fields: Any) -> dict[str, Any]:
        return {
            "eventId": f"e{next(ids)}",
            "type": kind,
            "userId": user,
            "videoId": video,
            "at": at,
            **fields,
        }

    def posted(
        vid: str, creator: str, hours_ago: float, tag: str, sound: str | None
    ) -> dict[str, Any]:
        return {
            "id": vid,
            "creatorId": creator,
            "createdAt": NOW - int(hours_ago * HOUR),
            "durationMs": 10_000,
            "caption": f"{creator} {vid}",
            "hashtags": [tag],
            "soundId": sound,
            "soundTitle": sound,
            "status": "active",
        }

    star = [
        posted(f"s{i}", "star", 1 + i, "dance", "hit" if i % 5 else f"star-sound{i}")
        for i in range(STAR_VIDEOS)
    ]
    # Other creators: three videos each, some sharing the star's sound, some silent.
    others = [
        posted(f"{maker}-{j}", maker, 2 + 7 * i + j, f"topic{i}", ("hit", None, f"own{i}")[j])
        for i, maker in enumerate(OTHERS)
        for j in range(3)
    ]
    interactions = []
    for i in range(6):  # the fan finished and liked some of the star's videos
        at = NOW - 2 * DAY + i * HOUR
        interactions += [
            event("view", "fan", f"s{60 + i}", at, watchMs=10_000),
            event("like", "fan", f"s{60 + i}", at + 1),
        ]
    interactions += [
        event("view", "casual", "s69", NOW - DAY, watchMs=10_000),
        event("view", "casual", f"{OTHERS[0]}-2", NOW - DAY + 1, watchMs=10_000),
        event("view", "follower", "s68", NOW, watchMs=1_000),  # the latest activity
    ]
    return {
        "users": [{"id": user, "name": user, "createdAt": NOW - 30 * DAY} for user in VIEWERS],
        "creators": [{"id": c, "name": c, "createdAt": NOW - 30 * DAY} for c in ["star", *OTHERS]],
        "videos": star + others,
        "follows": [{"userId": "follower", "creatorId": "star", "at": NOW - 20 * DAY}],
        "interactions": interactions,
    }


@pytest.fixture
async def engine(graph: Graph) -> AsyncIterator[FeedEngine]:
    report = import_records(graph, world())
    assert not report.rejections, report.rejections
    async_graph = AsyncGraph(graph.conn)
    yield FeedEngine(async_graph, CONFIG)
    await async_graph.close()


class Shown(NamedTuple):
    """What the adjacency rule looks at in one video (the read model's numbers; -1: none)."""

    video_id: str
    creator: int
    sound: int


def shown(videos: Catalogue, video_id: str) -> Shown:
    number = videos.number[video_id]
    return Shown(video_id, int(videos.creator[number]), int(videos.sound[number]))


def keeps_apart(before: Shown, after: Shown) -> bool:
    creator_ok = before.creator < 0 or before.creator != after.creator
    sound_ok = before.sound < 0 or before.sound != after.sound
    return creator_ok and sound_ok


async def session(engine: FeedEngine, user: str, mode: Mode, first: int, pages: int) -> int:
    """Page through ``user``'s feed; assert every same-creator or same-sound neighbour was
    forced; return how many items were served."""
    videos = engine.catalogue.catalogue
    before: Shown | None = None
    after: str | None = None
    served = 0
    for page_number in range(pages):
        request = FeedRequest(user, first=first, after=after, mode=mode, record_impressions=False)
        left = {c.video_id: shown(videos, c.video_id) for c in await engine.candidates(request)}
        page = await engine.feed(request)
        for item in page.items:
            current = left.pop(item.video_id)
            if before is not None and not keeps_apart(before, current):
                keeper = next((c for c in left.values() if keeps_apart(before, c)), None)
                assert keeper is None, (
                    f"{user} page {page_number} slot {item.position}: {current} follows {before}"
                    f" although {keeper} was a candidate"
                )
            before = current
        served += len(page.items)
        after = page.end_cursor
        if not page.has_next_page:
            break
    return served


@pytest.mark.parametrize("first", [3, 5, 8])
async def test_no_avoidable_repeat_of_a_creator_or_sound_across_pages(
    engine: FeedEngine, first: int
) -> None:
    for user in VIEWERS:
        assert await session(engine, user, Mode.FOR_YOU, first, pages=8) == 8 * first


async def test_a_following_feed_of_one_creator_still_pages(engine: FeedEngine) -> None:
    # Only the star's videos are candidates: the rule gives way, the feed goes on.
    assert await session(engine, "follower", Mode.FOLLOWING, first=4, pages=3) > 4
