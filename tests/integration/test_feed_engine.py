"""The feed engine on a real Neo4j, over a small planted world where every source,
filter and mode has one video that only it explains.

The world (``NOW`` is the latest activity in it):

* ``u1`` follows ``maya`` (posted ``m1`` 5 h ago) and ``li`` (liked ``d1``); u1
  finished and liked ``c1`` and finished ``c2`` (#cats, sound ``purr``), and posted
  ``own1``; ``catlady`` also posted ``c3``..``c6`` (#cats) and ``r1`` (removed).
* peers ``p1``..``p5`` finished ``c1`` and also finished ``k1`` (#cooking):
  co-engagement (the ``CO_ENGAGED`` neighbours that ``fyp precompute`` writes).
* ``mix1`` (#cooking) uses the ``purr`` sound: sound affinity only.
* ``p1``..``p8`` viewed and liked ``d2`` (#dogs, a month old) in the last hours: trending.
* ``k2`` was shown 40 times with no engagement long ago, and just now 10 impressions
  brought 6 likes: viral.
* ``newbie`` posted ``n1`` an hour ago, never shown: fresh.
* ``newcomer`` has no history at all: cold start.
* ``e1`` (#art) is reached by no graph path: only its planted embedding, next to
  u1's, can bring it (when the embedding fixture writes vectors).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from itertools import count
from typing import Any

import numpy as np
import pytest

from graph.db import AsyncGraph, Graph
from graph.embed.nodes import NodeKind, node_key
from graph.embed.store import ensure_indexes, write_vectors
from graph.errors import ClientError, NotFoundError
from graph.feed import (
    FEATURE_NAMES,
    Controls,
    FeedConfig,
    FeedEngine,
    FeedItem,
    FeedPage,
    FeedRequest,
    Mode,
)
from graph.feed.candidate import NON_PERSONAL_SOURCES
from graph.feed.config import Budgets
from graph.feed.sources import Source
from graph.ingest import import_records, record_event
from graph.precompute import precompute_co_engagement

HOUR = 3_600_000
DAY = 24 * HOUR
NOW = 1_704_844_800_000  # 2024-01-10T00:00:00Z: the world's latest activity
LONG_AGO = NOW - 20 * DAY
#: What a feed without a profile may show: the non-personal sources and the long tail
#: the feed widens to in a world this small.
NON_PERSONAL = {*NON_PERSONAL_SOURCES, "long_tail"}

# Generous budgets: a loaded CI machine must not turn a slow query into a missing source.
# The tests write to the graph between requests: the read model refreshes before each.
CONFIG = FeedConfig(budgets=Budgets(required_s=60.0, non_personal_s=30.0), max_staleness_s=0.0)


def _video(
    vid: str, creator: str, created: int, caption: str, tags: list[str], sound: str | None,
    status: str = "active",
) -> dict[str, Any]:  # fmt: skip
    return {
        "id": vid, "creatorId": creator, "createdAt": created, "durationMs": 10_000,
        "caption": caption, "hashtags": tags, "soundId": sound,
        "soundTitle": {"purr": "Purr beat", "bark": "Bark loop"}.get(sound or ""),
        "status": status,
    }  # fmt: skip


def world() -> dict[str, list[dict[str, Any]]]:
    ids = count()

    def event(kind: str, user: str, at: int, **fields: Any) -> dict[str, Any]:
        return {"eventId": f"e{next(ids)}", "type": kind, "userId": user, "at": at, **fields}

    def finished(user: str, video: str, at: int) -> dict[str, Any]:
        return event("view", user, at, videoId=video, watchMs=10_000)

    peers = [f"p{i}" for i in range(1, 9)]
    creators = ["maya", "li", "catlady", "dogguy", "chef", "newbie", "artist", "u1"]
    videos = [
        _video("m1", "maya", NOW - 5 * HOUR, "Salsa steps for beginners", ["dance"], None),
        _video("m2", "maya", NOW - 2 * DAY, "Bachata basics", ["dance"], None),
        *(
            _video(f"c{i}", "catlady", LONG_AGO + i * HOUR, f"Cat video {i}", ["cats"], "purr")
            for i in range(1, 7)
        ),
        _video("r1", "catlady", NOW - DAY, "Removed cat video", ["cats"], "purr", "removed"),
        _video("own1", "u1", NOW - DAY, "My own cat", ["cats"], "purr"),
        _video("d1", "dogguy", LONG_AGO, "Dog learns to surf", ["dogs"], "bark"),
        _video("d2", "dogguy", NOW - 30 * DAY, "Dog opens the fridge", ["dogs"], "bark"),
        _video("k1", "chef", LONG_AGO, "Five minute ramen", ["cooking"], None),
        _video("k2", "chef", LONG_AGO, "Knife skills", ["cooking"], None),
        _video("mix1", "chef", LONG_AGO, "Cooking to a purring beat", ["cooking"], "purr"),
        _video("n1", "newbie", NOW - HOUR, "My first video", ["hello"], None),
        _video("e1", "artist", LONG_AGO, "Watercolour cat", ["art"], None),
    ]
    interactions = [
        finished("u1", "c1", NOW - 3 * DAY),
        event("like", "u1", NOW - 3 * DAY + 1, videoId="c1"),
        finished("u1", "c2", NOW - 3 * DAY + 2),
        event("like", "li", LONG_AGO + HOUR, videoId="d1"),
    ]
    for i, peer in enumerate(peers[:5]):
        interactions += [
            finished(peer, "c1", LONG_AGO + i),
            finished(peer, "k1", LONG_AGO + 10 + i),
        ]
    for i, peer in enumerate(peers):
        at = NOW - 3 * HOUR + i * 10 * 60_000
        interactions += [
            event("view", peer, at, videoId="d2", watchMs=5_000),
            event("like", peer, at + 1, videoId="d2"),
        ]
    for i in range(40):
        interactions.append(
            event("impression", peers[i % 8], LONG_AGO + i, videoId="k2", requestId=f"old{i}")
        )
    for i in range(10):
        at = NOW - 2 * HOUR + i * 60_000
        interactions.append(
            event("impression", peers[i % 8], at, videoId="k2", requestId=f"new{i}")
        )
        if i < 6:
            interactions.append(event("like", peers[i % 8], at + 1, videoId="k2"))
    interactions.append(event("view", "p8", NOW, videoId="c6", watchMs=1_000))  # latest event
    return {
        "users": [
            {"id": user, "name": user, "createdAt": LONG_AGO} for user in [*peers, "newcomer"]
        ],
        "creators": [{"id": c, "name": c, "createdAt": LONG_AGO} for c in creators],
        "videos": videos,
        "follows": [
            {"userId": "u1", "creatorId": "maya", "at": LONG_AGO},
            {"userId": "u1", "creatorId": "li", "at": LONG_AGO + 1},
        ],
        "interactions": interactions,
    }


@pytest.fixture
def planted(graph: Graph) -> Graph:
    report = import_records(graph, world())
    assert not report.rejections, report.rejections
    precompute_co_engagement(graph)
    return graph


#: Planted 4-d vectors: u1 and the cat videos point one way, e1 close to them.
VECTORS = {
    (NodeKind.USER, "u1"): [1.0, 0.0, 0.0, 0.0],
    (NodeKind.VIDEO, "e1"): [0.9, 0.2, 0.0, 0.0],
    **{(NodeKind.VIDEO, f"c{i}"): [0.6, 0.8, 0.0, 0.1 * i] for i in range(1, 7)},
    (NodeKind.VIDEO, "d2"): [0.0, 0.0, 1.0, 0.0],
    (NodeKind.VIDEO, "k2"): [0.0, 0.1, 0.0, 1.0],
}


@pytest.fixture
def embedded(planted: Graph) -> Graph:
    """The planted world plus planted vectors and the vector indexes (graph.embed's store)."""
    keys = [node_key(kind, node) for kind, node in VECTORS]
    write_vectors(planted, keys, np.array(list(VECTORS.values()), dtype=np.float32), "planted", 100)
    ensure_indexes(planted, dimensions=4)
    return planted


@pytest.fixture
async def engine(planted: Graph) -> AsyncIterator[FeedEngine]:
    async_graph = AsyncGraph(planted.conn)
    yield FeedEngine(async_graph, CONFIG)
    await async_graph.close()


async def page_of(engine: FeedEngine, user: str = "u1", **options: Any) -> FeedPage:
    options.setdefault("first", 50)
    options.setdefault("record_impressions", False)
    return await engine.feed(FeedRequest(user_id=user, **options))


def by_id(page: FeedPage) -> dict[str, FeedItem]:
    return {item.video_id: item for item in page.items}


def status_of(page: FeedPage, stage: str) -> str:
    return next(s.status for s in page.stages if s.name == stage)


def reasons(page: FeedPage, video: str) -> tuple[str, ...]:
    return by_id(page)[video].explanation.reasons


def served(graph: Graph, user: str, videos: list[str]) -> dict[str, dict[str, Any]]:
    """Whether each video is among what the user has seen (for these never-watched videos:
    was served), and its impressions counter."""
    viewer = graph.read(
        "feed/viewer", userId=user, personal=False, recentLimit=0, seenLimit=10_000,
        followLimit=0, recommendedLimit=0, socialFollowees=0, socialPerFollowee=0, now=NOW,
    )[0]  # fmt: skip
    rows = graph.read("api/videos_by_id", ids=videos)
    return {
        row["video"]["id"]: {
            "served": row["video"]["id"] in viewer["seen"],
            "impressions": row["video"]["impressions"],
        }
        for row in rows
    }


# -- sources and explanations -------------------------------------------------------------


async def test_each_source_brings_its_planted_video(engine: FeedEngine) -> None:
    page = await page_of(engine)
    items = by_id(page)
    expected = {
        "m1": "following",
        "k1": "co_engagement",
        "c3": "hashtag_affinity",
        "mix1": "sound_affinity",
        "d1": "social",
        "d2": "trending",
        "k2": "viral",
        "n1": "fresh",
    }
    for video, source in expected.items():
        assert video in items, f"{video} missing; page has {sorted(items)}"
        assert source in items[video].sources, (video, items[video].sources)
    statuses = {s.name: s.status for s in page.stages if s.name.startswith("source:")}
    assert statuses.pop("source:embedding") == "skipped"  # no vector index in this world
    assert set(statuses.values()) == {"ok"}
    assert page.now == NOW  # windows follow the latest activity of the data


async def test_explanations_name_real_graph_paths(engine: FeedEngine) -> None:
    page = await page_of(engine)
    assert "@maya, whom you follow, posted this 5 h ago" in reasons(page, "m1")
    assert "5 viewers who watched “Cat video 1” also watched this" in reasons(page, "k1")
    assert "you completed 2 videos and liked 1 with #cats" in reasons(page, "c3")
    assert "you completed 2 videos and liked 1 using the sound “Purr beat”" in reasons(page, "mix1")
    assert "@li, whom you follow, liked this" in reasons(page, "d1")
    assert any(r.startswith("going viral: 60% of its last 10 viewers") for r in reasons(page, "k2"))
    assert any("from @newbie, a new creator" in r for r in reasons(page, "n1"))
    for item in page.items:
        assert item.explanation.reasons, item.video_id
        assert set(item.explanation.weights) <= set(FEATURE_NAMES)
        assert 0 < item.score < 1


async def test_stages_report_counts_and_times(engine: FeedEngine) -> None:
    page = await engine.feed(FeedRequest(user_id="u1", first=5))
    names = [stage.name for stage in page.stages]
    assert names[:2] == ["catalogue", "viewer"]
    for name in ("merge", "hydrate:age", "filter:already_seen", "score", "diversify",
                 "impressions"):  # fmt: skip
        assert name in names
    assert names.index("filter:already_in_session") < names.index("hydrate:age")
    assert all(stage.ms >= 0 and stage.kept >= 0 and stage.removed >= 0 for stage in page.stages)
    own = next(stage for stage in page.stages if stage.name == "filter:own_video")
    assert own.removed == 1  # own1 came from the fresh source


# -- filters ------------------------------------------------------------------------------


async def test_seen_own_and_removed_videos_never_show(engine: FeedEngine) -> None:
    items = by_id(await page_of(engine))
    for video in ("c1", "c2", "own1", "r1"):
        assert video not in items


@pytest.mark.parametrize(
    ("controls", "gone"),
    [
        (Controls(blocked_creators=("catlady",)), {"c3", "c4", "c5", "c6"}),
        (Controls(keyword_filters=("#dogs",)), {"d1", "d2"}),
        (Controls(keyword_filters=("ramen",)), {"k1"}),
        (Controls(keyword_filters=("purring beat",)), {"mix1"}),
    ],
)
async def test_viewer_controls_filter_the_feed(
    engine: FeedEngine, controls: Controls, gone: set[str]
) -> None:
    before = by_id(await page_of(engine))
    assert gone <= set(before)
    after = await page_of(engine, controls=controls)
    assert not gone & set(by_id(after))
    assert by_id(after), "the rest of the feed is still there"


@pytest.mark.parametrize(
    ("target", "gone"),
    [
        ({"videoId": "n1"}, {"n1"}),
        ({"creatorId": "chef"}, {"k1", "k2", "mix1"}),
        ({"hashtag": "dogs"}, {"d1", "d2"}),
        ({"soundId": "purr"}, {"c3", "c4", "c5", "c6", "mix1"}),
    ],
)
async def test_not_interested_takes_effect_on_the_next_feed(
    engine: FeedEngine, planted: Graph, target: dict[str, str], gone: set[str]
) -> None:
    assert gone <= set(by_id(await page_of(engine)))
    record_event(
        planted,
        {"eventId": "ni1", "type": "not_interested", "userId": "u1", "at": NOW, **target},
    )
    after = await page_of(engine)
    assert not gone & set(by_id(after))
    removed = next(s for s in after.stages if s.name == "filter:not_interested").removed
    assert removed >= 1 or not gone & {"n1", "mix1"}  # sources may pre-filter; the filter holds


# -- modes and cold start -----------------------------------------------------------------


async def test_following_mode_shows_only_followed_creators(engine: FeedEngine) -> None:
    page = await page_of(engine, mode=Mode.FOLLOWING)
    assert [item.video_id for item in page.items] == ["m1", "m2"]  # newest first
    assert all(item.sources == ("following",) for item in page.items)
    assert [s.name for s in page.stages if s.name.startswith("source:")] == ["source:following"]


async def test_non_personalized_mode_uses_no_profile(engine: FeedEngine) -> None:
    page = await page_of(engine, mode=Mode.NON_PERSONALIZED, controls=Controls(interests=("cats",)))
    sources = {source for item in page.items for source in item.sources}
    assert sources <= NON_PERSONAL
    assert {"d2", "k2", "n1"} <= set(by_id(page))
    assert next(s for s in page.stages if s.name == "viewer").kept == 0  # no history read
    for item in page.items:
        assert not item.exploration
        personal = ("affinity", "similarity", "follows", "skips")
        assert not any(key.endswith(personal) for key in item.explanation.weights)
        assert not any(reason.startswith("you ") for reason in item.explanation.reasons)
    # What was watched or posted still stays out: explicit choices, not profiling.
    assert not {"c1", "c2", "own1"} & set(by_id(page))


async def test_stored_settings_apply_whoever_asks(engine: FeedEngine, planted: Graph) -> None:
    planted.write(
        "api/settings_update", userId="u1", personalized=False, keywordFilters=["#dogs"],
        interests=None,
    )  # fmt: skip
    page = await page_of(engine)  # asked for For You, as the evaluation and the CLI do
    assert page.mode is Mode.NON_PERSONALIZED
    sources = {source for item in page.items for source in item.sources}
    assert sources <= NON_PERSONAL
    assert not {"d1", "d2"} & set(by_id(page))  # the stored keyword filter holds
    assert next(s for s in page.stages if s.name == "viewer").kept == 0  # no history read


async def test_cold_start_from_chosen_interests(engine: FeedEngine) -> None:
    page = await page_of(engine, user="newcomer", controls=Controls(interests=("#Cooking",)))
    from_interest = [item for item in page.items if "hashtag_affinity" in item.sources]
    assert {item.video_id for item in from_interest} == {"k1", "k2", "mix1"}
    assert all("you picked #cooking as an interest" in item.explanation.reasons
               for item in from_interest)  # fmt: skip


async def test_cold_start_without_interests_falls_back_to_trending_and_fresh(
    engine: FeedEngine,
) -> None:
    page = await page_of(engine, user="newcomer")
    assert page.items
    sources = {source for item in page.items for source in item.sources}
    assert sources <= NON_PERSONAL
    assert {"d2", "k2", "n1"} <= set(by_id(page))


async def test_unknown_user_is_not_found(engine: FeedEngine) -> None:
    with pytest.raises(NotFoundError, match="nobody"):
        await page_of(engine, user="nobody")


async def test_bad_cursor_is_a_client_error(engine: FeedEngine) -> None:
    with pytest.raises(ClientError, match="invalid cursor"):
        await page_of(engine, after="not-a-cursor")


# -- pages, impressions, time -------------------------------------------------------------


#: What u1 may be shown and has not seen: every active video posted by NOW but their own
#: (own1), the removed one (r1) and the two they watched (c1, c2).
#: Ranked plainly (no MMR, no exploration): the order of re-served items is then exact.
PLAIN = Controls(diversity=0.0, exploration=0.0)
UNSEEN_BY_U1 = {"m1", "m2", "c3", "c4", "c5", "c6", "d1", "d2", "k1", "k2", "mix1", "n1", "e1"}


@pytest.mark.parametrize("record", [False, True])
async def test_the_feed_never_ends_and_repeats_only_what_it_must(
    engine: FeedEngine, record: bool
) -> None:
    """Pages of 3 over a world of 13 unseen videos: all 13 once (the fifth page holds the
    last one), then re-served ones (those seen longest ago first), never an empty page,
    never the end."""
    items: list[FeedItem] = []
    sizes: list[int] = []
    after: str | None = None
    for _ in range(10):
        page = await page_of(
            engine, first=3, after=after, record_impressions=record, controls=PLAIN
        )
        assert page.items and page.has_next_page
        items += page.items
        sizes.append(len(page.items))
        after = page.end_cursor
    assert sizes == [3, 3, 3, 3, 1, 3, 3, 3, 3, 3]
    assert [item.position for item in items] == list(range(len(items)))
    new = [item.video_id for item in items if "resurfaced" not in item.sources]
    again = [item for item in items if "resurfaced" in item.sources]
    assert new == [item.video_id for item in items[:13]]
    assert len(new) == len(set(new)) and set(new) == UNSEEN_BY_U1
    # Re-served: first what u1 saw three days ago, then this session's items (c1 and c2
    # share a creator, so one of this session's comes between them).
    assert again[0].video_id == "c1" and again[2].video_id == "c2"
    assert all(item.sources == ("resurfaced",) for item in again)
    assert all("seen before" in item.explanation.reasons[0] for item in again)
    assert not {"r1", "own1"} & {item.video_id for item in items}


async def test_the_feed_widens_to_the_long_tail_and_says_so(engine: FeedEngine) -> None:
    # Without embeddings no source reaches e1: only the widening step does.
    page = await page_of(engine, first=20)
    assert status_of(page, "widen:long_tail") == "ok"
    e1 = by_id(page)["e1"]
    assert e1.sources == ("long_tail",)
    assert "further afield" in e1.explanation.reasons[0]


async def test_sources_failing_never_leave_a_page_empty(engine: FeedEngine) -> None:
    def broken(query: object) -> None:
        raise RuntimeError("every source down")

    for name in list(engine.sources):
        engine.sources[name] = Source(name, broken)
    page = await page_of(engine, first=10)
    assert len(page.items) == 10 and page.has_next_page
    assert {source for item in page.items for source in item.sources} == {"long_tail"}


async def test_following_runs_out_instead_of_widening(engine: FeedEngine) -> None:
    page = await page_of(engine, first=10, mode=Mode.FOLLOWING)
    assert {item.video_id for item in page.items} == {"m1", "m2"}
    assert not page.has_next_page
    assert not any(stage.name.startswith("widen:") for stage in page.stages)


async def test_blocked_and_muted_videos_are_never_re_served(engine: FeedEngine) -> None:
    controls = Controls(blocked_creators=("catlady",), keyword_filters=("dog",))
    shown: set[str] = set()
    after: str | None = None
    for _ in range(8):
        page = await page_of(engine, first=4, after=after, controls=controls)
        assert page.items
        shown |= {item.video_id for item in page.items}
        after = page.end_cursor
    assert not {video for video in shown if video.startswith(("c", "d"))}


async def test_impressions_are_recorded_like_ingested_ones(
    engine: FeedEngine, planted: Graph
) -> None:
    before = served(planted, "u1", ["k2", "n1"])
    assert not before["n1"]["served"]
    page = await engine.feed(FeedRequest(user_id="u1", first=50))
    shown = {item.video_id for item in page.items}
    assert {"k2", "n1"} <= shown
    after = served(planted, "u1", ["k2", "n1"])
    for video in ("k2", "n1"):
        assert after[video]["served"]
        assert after[video]["impressions"] == before[video]["impressions"] + 1
    # Without a cursor, the next request knows everything was served: all it has left is
    # to re-serve, what u1 saw longest ago (c1, three days ago) first.
    fresh_start = await page_of(engine, controls=PLAIN)
    assert all(item.sources == ("resurfaced",) for item in fresh_start.items)
    assert fresh_start.items[0].video_id == "c1"


async def test_request_time_moves_every_window(engine: FeedEngine) -> None:
    earlier = await page_of(engine, now=NOW - 10 * DAY)
    assert earlier.now == NOW - 10 * DAY
    items = by_id(earlier)
    assert not {"m1", "m2", "n1"} & set(items)  # not posted yet at that time
    assert "d2" not in items or "trending" not in items["d2"].sources  # not trending yet


async def test_a_failing_source_is_dropped_not_the_feed(engine: FeedEngine) -> None:
    def broken(query: object) -> None:
        raise RuntimeError("a bug in one source")

    for name in ("following", "co_engagement", "personal", "hashtag_affinity",
                 "sound_affinity", "social"):  # fmt: skip
        engine.sources[name] = Source(name, broken)
    page = await page_of(engine, first=20)
    assert status_of(page, "source:following") == "failed"
    assert status_of(page, "source:fresh") == "ok"
    assert page.items
    assert {s for item in page.items for s in item.sources} <= NON_PERSONAL


async def test_the_shared_lists_overrunning_their_budget_leave_fresh_videos(
    planted: Graph,
) -> None:
    tight = FeedConfig(budgets=Budgets(required_s=60.0, non_personal_s=1e-6), max_staleness_s=0)
    async_graph = AsyncGraph(planted.conn)
    try:
        page = await FeedEngine(async_graph, tight).feed(
            FeedRequest(user_id="u1", first=20, record_impressions=False)
        )
    finally:
        await async_graph.close()
    assert status_of(page, "source:trending") == "timeout"
    assert status_of(page, "source:fresh") == "ok"
    assert "n1" in by_id(page)


# -- real time ----------------------------------------------------------------------------


async def test_a_like_changes_the_very_next_feed(engine: FeedEngine, planted: Graph) -> None:
    before = await page_of(engine, user="newcomer")
    assert not any("hashtag_affinity" in item.sources for item in before.items)
    record_event(
        planted, {"eventId": "like1", "type": "like", "userId": "newcomer", "at": NOW,
                  "videoId": "k1"},
    )  # fmt: skip
    after = await page_of(engine, user="newcomer")
    items = by_id(after)
    assert "k1" not in items
    assert "you liked 1 video with #cooking" in reasons(after, "k2")
    assert "co_engagement" in items["c1"].sources  # peers who finished k1 finished c1


async def test_a_follow_changes_the_very_next_feed(engine: FeedEngine, planted: Graph) -> None:
    before = await page_of(engine)
    assert "following" not in by_id(before)["d2"].sources
    record_event(
        planted, {"eventId": "follow1", "type": "follow", "userId": "u1", "at": NOW,
                  "creatorId": "dogguy"},
    )  # fmt: skip
    after = await page_of(engine)
    assert "following" in by_id(after)["d2"].sources
    assert any(r.startswith("@dogguy, whom you follow, posted this") for r in reasons(after, "d2"))


async def test_embedding_neighbours_come_from_the_read_models_vectors(embedded: Graph) -> None:
    async_graph = AsyncGraph(embedded.conn)
    try:
        page = await page_of(FeedEngine(async_graph, CONFIG))
    finally:
        await async_graph.close()
    assert status_of(page, "source:embedding") == "ok"
    item = by_id(page)["e1"]
    assert item.sources == ("embedding",)
    assert item.explanation.reasons[0].startswith(
        "close to what you watch in the graph's random-walk embedding (similarity 0.9"
    )
    assert item.explanation.weights["embedding_similarity"] > 0


async def test_a_viewer_without_a_vector_gets_one_folded_in(embedded: Graph) -> None:
    async_graph = AsyncGraph(embedded.conn)
    engine = FeedEngine(async_graph, CONFIG)
    try:
        before = await page_of(engine, user="newcomer")
        assert status_of(before, "source:embedding") == "skipped"  # no history, no vector
        record_event(
            embedded, {"eventId": "like-c3", "type": "like", "userId": "newcomer", "at": NOW,
                       "videoId": "c3"},
        )  # fmt: skip
        after = await page_of(engine, user="newcomer")
    finally:
        await async_graph.close()
    assert status_of(after, "source:embedding") == "ok"
    assert "embedding" in by_id(after)["e1"].sources


async def test_candidates_are_the_scored_slate_before_diversity(
    engine: FeedEngine, planted: Graph
) -> None:
    request = FeedRequest(user_id="u1", first=3)
    candidates = await engine.candidates(request)
    assert len(candidates) > 3  # the whole slate, not one page
    assert [c.score for c in candidates] == sorted((c.score for c in candidates), reverse=True)
    assert all(set(c.features) == set(FEATURE_NAMES) for c in candidates)
    assert not {"c1", "own1", "r1"} & {c.video_id for c in candidates}  # filtered
    assert not served(planted, "u1", [candidates[0].video_id])[candidates[0].video_id]["served"]


async def test_a_creator_with_a_fake_following_is_demoted(
    engine: FeedEngine, planted: Graph
) -> None:
    request = FeedRequest(user_id="u1", first=3)
    before = {c.video_id: c for c in await engine.candidates(request)}
    assert before["c3"].features["creator_inauthenticity"] == 0.0  # never assessed
    # What `fyp creators authenticity --store` writes for a creator with bought followers.
    planted.write(
        "brands/store_authenticity",
        rows=[{"creatorId": "catlady", "score": 0.2, "flagged": True, "at": NOW}],
    )
    after = {c.video_id: c for c in await engine.candidates(request)}
    assert after["c3"].features["creator_inauthenticity"] == pytest.approx(0.8)
    assert after["c3"].score < before["c3"].score
    assert after["m1"].score == pytest.approx(before["m1"].score)  # maya is untouched


async def test_warm_up_runs_every_mode_and_records_nothing(
    engine: FeedEngine, planted: Graph
) -> None:
    await engine.warm_up()
    assert not any(row["served"] for row in served(planted, "u1", ["m1", "k2", "n1"]).values())
