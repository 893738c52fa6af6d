"""Brand queries against a small planted graph, with hand-computed answers.

Four creators with videos:

- cDance (Dina): 2 dance videos, 7 views, 1 like + 1 comment, 6 completes; followers
  u1, u2, u3 from before and u6 two days ago; engaged audience {u1, u2, u4, u6}.
- cCook (Carl): 2 cooking videos ("easy pasta recipe", "pizza night"), 4 views, 1 like
  + 1 share + 1 comment, 3 completes; follower u4; engaged audience {u3, u4}.
- cFake (Fay): 1 dance video, 2 views, 1 complete; followers u1, u2 and six bought
  accounts b1..b6 that followed within minutes yesterday and never watched anything.
- cRing (Rex): 1 dance video, 1 view (complete + like by u5); followers u5 and a ring
  r1..r5 that follow each other (all 20 pairs) and cRing, three days ago.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from graph.analytics import ReadOnlyRunner
from graph.brands import (
    CreatorFilter,
    CreatorSort,
    audience_overlap,
    creator_authenticity,
    discover_creators,
    lookalike_creators,
    store_authenticity,
    suspicious_accounts,
)
from graph.db import Graph
from graph.embed.options import EmbedOptions
from graph.embed.pipeline import run_embedding
from graph.errors import ClientError, NotFoundError
from graph.ingest import import_records
from graph.schema import wipe

D0 = datetime(2024, 6, 10, tzinfo=UTC)


def at(day: int, hour: int = 0, minute: int = 0) -> int:
    return int((D0 + timedelta(days=day, hours=hour, minutes=minute)).timestamp() * 1000)


def planted_records() -> dict[str, list[dict[str, Any]]]:
    viewers = [{"id": f"u{i}", "name": f"viewer{i}", "createdAt": at(-400)} for i in range(1, 7)]
    bots = [{"id": f"b{i}", "createdAt": at(-2)} for i in range(1, 7)]
    creators = [
        {"id": "cDance", "name": "Dina", "createdAt": at(-400)},
        {"id": "cCook", "name": "Carl", "createdAt": at(-400)},
        {"id": "cFake", "name": "Fay", "createdAt": at(-400)},
        {"id": "cRing", "name": "Rex", "createdAt": at(-400)},
        # Ring members are followed, so they are creators (without videos).
        *({"id": f"r{i}", "createdAt": at(-5)} for i in range(1, 6)),
    ]

    def video(
        vid: str, creator: str, seconds: int, tags: list[str], caption: str
    ) -> dict[str, Any]:
        return {"id": vid, "creatorId": creator, "createdAt": at(-30), "durationMs": seconds * 1000,
                "hashtags": tags, "caption": caption}  # fmt: skip

    videos = [
        video("d1", "cDance", 15, ["dance", "fun"], "street dance tutorial"),
        video("d2", "cDance", 15, ["dance"], "dance challenge"),
        video("k1", "cCook", 60, ["cooking"], "easy pasta recipe"),
        video("k2", "cCook", 60, ["cooking", "fun"], "pizza night"),
        video("f1", "cFake", 30, ["dance"], "my moves"),
        video("x1", "cRing", 30, ["dance", "fun"], "party time"),
    ]
    follows = [
        {"userId": user, "creatorId": creator, "at": at(-40)}
        for user, creator in [("u1", "cDance"), ("u2", "cDance"), ("u3", "cDance"),
                              ("u4", "cCook"), ("u1", "cFake"), ("u2", "cFake"), ("u5", "cRing")]
    ]  # fmt: skip
    events: list[dict[str, Any]] = []

    def event(kind: str, user: str, when: int, **fields: Any) -> None:
        events.append({"eventId": f"e{len(events) + 1}", "type": kind, "userId": user,
                       "at": when, **fields})  # fmt: skip

    def view(user: str, vid: str, watch_s: float, day: int) -> None:
        event("view", user, at(day, 12, len(events)), videoId=vid, watchMs=int(watch_s * 1000))

    view("u1", "d1", 15, -5)
    event("like", "u1", at(-5, 13), videoId="d1")
    view("u1", "d2", 15, -5)
    view("u1", "f1", 30, -5)
    view("u1", "k1", 30, -5)  # half
    view("u2", "d1", 15, -5)
    view("u2", "f1", 15, -5)  # half
    view("u3", "d2", 7.5, -4)  # half
    view("u3", "k1", 60, -4)
    event("like", "u3", at(-4, 13), videoId="k1")
    view("u4", "k1", 60, -4)
    view("u4", "k2", 60, -4)
    event("share", "u4", at(-4, 13), videoId="k2")
    event("comment", "u4", at(-4, 14), videoId="k2")
    view("u4", "d1", 15, -4)
    view("u5", "x1", 30, -3)
    event("like", "u5", at(-3, 13), videoId="x1")
    view("u6", "d1", 15, -2)
    view("u6", "d2", 15, -2)
    event("comment", "u6", at(-2, 13), videoId="d2")
    event("follow", "u6", at(-2, 14), creatorId="cDance", videoId="d2")
    for i in range(1, 7):  # bought: six fresh accounts within minutes
        event("follow", f"b{i}", at(-1, 10, i), creatorId="cFake")
    for i in range(1, 6):  # the ring: everyone follows everyone, and cRing
        for j in [*range(1, 6), 0]:
            if i != j:
                target = "cRing" if j == 0 else f"r{j}"
                event("follow", f"r{i}", at(-3, 1 + i, j), creatorId=target)
    view("u2", "d1", 15, 0)  # the latest event: asOf = 2024-06-10 12:xx
    return {"users": viewers + bots, "creators": creators, "videos": videos,
            "follows": follows, "interactions": events}  # fmt: skip


@pytest.fixture(scope="module")
def brands_graph(session_graph: Graph) -> Iterator[Graph]:
    wipe(session_graph)
    report = import_records(session_graph, planted_records())
    assert not report.rejections, report.rejections
    yield session_graph
    wipe(session_graph)


def ids(graph: Graph, **kwargs: Any) -> list[str]:
    return [c.creator_id for c in discover_creators(graph, **kwargs).creators]


def test_metrics_of_each_creator(brands_graph: Graph) -> None:
    page = discover_creators(brands_graph, first=10)
    cards = {c.creator_id: c for c in page.creators}
    assert set(cards) == {"cDance", "cCook", "cFake", "cRing"}  # ring members post nothing
    assert page.total_count == 4
    dance = cards["cDance"]
    assert (dance.followers, dance.videos, dance.views) == (4, 2, 8)
    # 8 views (u2 watched d1 again today): 1 like + 1 comment; 7 completes; watch
    # ratios 1, 1, 1, 1, 1, 0.5, 1, 1.
    assert dance.engagement_rate == pytest.approx(2 / 8)
    assert dance.completion_rate == pytest.approx(7 / 8)
    assert dance.avg_completion == pytest.approx(7.5 / 8)
    assert (dance.new_followers, dance.growth_rate) == (1, pytest.approx(1 / 3))
    assert dance.engaged_audience == 4
    assert [(h.name, h.videos) for h in dance.top_hashtags] == [("dance", 2), ("fun", 1)]
    cook = cards["cCook"]
    assert (cook.followers, cook.views, cook.engaged_audience) == (1, 4, 2)
    assert cook.engagement_rate == pytest.approx(3 / 4)
    assert cook.avg_completion == pytest.approx(3.5 / 4)
    fake = cards["cFake"]
    assert (fake.followers, fake.new_followers, fake.growth_rate) == (8, 6, 3.0)
    assert (fake.engagement_rate, fake.completion_rate) == (0.0, 0.5)
    ring = cards["cRing"]
    assert (ring.followers, ring.new_followers, ring.growth_rate) == (6, 5, 5.0)


def test_sorts(brands_graph: Graph) -> None:
    assert ids(brands_graph) == ["cRing", "cCook", "cDance", "cFake"]  # 1.0, .75, .25, 0
    assert ids(brands_graph, sort=CreatorSort.GROWTH) == ["cRing", "cFake", "cDance", "cCook"]
    assert ids(brands_graph, sort=CreatorSort.FOLLOWERS) == ["cFake", "cRing", "cDance", "cCook"]
    # Jaccard with the engaged audience of cDance {u1, u2, u4, u6}: cFake {u1} 1/4,
    # cCook {u3, u4} 1/5, cRing {u5} 0. The reference itself is left out.
    page = discover_creators(
        brands_graph, CreatorFilter(reference_creator_id="cDance"), CreatorSort.OVERLAP
    )
    found = [(c.creator_id, c.shared_audience, c.overlap) for c in page.creators]
    assert found == [("cFake", 1, 0.25), ("cCook", 1, 0.2), ("cRing", 0, 0.0)]


def test_filters(brands_graph: Graph) -> None:
    assert ids(brands_graph, where=CreatorFilter(hashtags=("#Cooking",))) == ["cCook"]
    # A topic matches hashtag names and captions (fulltext): "pasta" is only a caption.
    assert ids(brands_graph, where=CreatorFilter(topic="Pasta!")) == ["cCook"]
    assert ids(brands_graph, where=CreatorFilter(topic="dance")) == ["cRing", "cDance", "cFake"]
    assert ids(brands_graph, where=CreatorFilter(min_followers=5)) == ["cRing", "cFake"]
    assert ids(brands_graph, where=CreatorFilter(max_followers=1)) == ["cCook"]
    assert ids(brands_graph, where=CreatorFilter(min_engagement_rate=0.5)) == ["cRing", "cCook"]
    assert ids(brands_graph, where=CreatorFilter(min_completion_rate=0.8)) == ["cRing", "cDance"]
    assert ids(brands_graph, where=CreatorFilter(min_views=3)) == ["cCook", "cDance"]
    assert ids(brands_graph, where=CreatorFilter(min_growth=1.0)) == ["cRing", "cFake"]
    # Growth over the last two days only: the bought followers of cFake.
    window = CreatorFilter(min_growth=1.0, growth_days=2)
    assert ids(brands_graph, where=window) == ["cFake"]


def test_pagination_with_cursors(brands_graph: Graph) -> None:
    first = discover_creators(brands_graph, first=3)
    assert [c.creator_id for c in first.creators] == ["cRing", "cCook", "cDance"]
    assert len(first.cursors) == 3
    assert first.has_more and first.next_after == first.cursors[-1]
    rest = discover_creators(brands_graph, first=3, after=first.next_after)
    assert [c.creator_id for c in rest.creators] == ["cFake"]
    assert not rest.has_more and rest.total_count == 4
    middle = discover_creators(brands_graph, first=1, after=first.cursors[0])
    assert [c.creator_id for c in middle.creators] == ["cCook"]
    with pytest.raises(ClientError, match="sorted by 'engagement', not 'growth'"):
        discover_creators(brands_graph, sort=CreatorSort.GROWTH, after=first.cursors[0])
    with pytest.raises(ClientError, match="not one this API gave out"):
        discover_creators(brands_graph, after="garbage")


def test_bad_requests_are_client_errors(brands_graph: Graph) -> None:
    with pytest.raises(ClientError, match="needs a reference creator"):
        discover_creators(brands_graph, sort=CreatorSort.SIMILARITY)
    with pytest.raises(NotFoundError, match="'nobody'"):
        discover_creators(brands_graph, CreatorFilter(reference_creator_id="nobody"))
    with pytest.raises(ClientError, match="between 1 and 100"):
        discover_creators(brands_graph, first=0)
    with pytest.raises(NotFoundError, match="'ghost'"):
        audience_overlap(brands_graph, ["cDance", "ghost"])


def test_authenticity(brands_graph: Graph) -> None:
    found = creator_authenticity(brands_graph, ["cDance", "cCook", "cFake", "cRing", "nobody"])
    assert set(found) == {"cDance", "cCook", "cFake", "cRing"}
    assert not found["cDance"].flagged and found["cDance"].score == 1.0
    assert not found["cCook"].flagged and found["cCook"].spike is None
    fake = found["cFake"]
    assert fake.flagged and fake.score == pytest.approx(1 - 6 / 8)
    assert (fake.ghost_followers, fake.ring_followers, fake.suspicious_followers) == (6, 0, 6)
    assert fake.spike is not None and (fake.spike.day, fake.spike.follows) == ("2024-06-09", 6)
    assert fake.spike.unengaged == 6
    assert any("6 of 8 followers (75%) never watched" in reason for reason in fake.reasons)
    ring = found["cRing"]
    assert ring.flagged and ring.score == pytest.approx(1 / 6, abs=1e-4)
    assert (ring.ghost_followers, ring.ring_followers) == (5, 5)
    assert any("dense follow ring" in reason for reason in ring.reasons)
    # The discovery card carries the same assessment.
    page = discover_creators(brands_graph, CreatorFilter(hashtags=("dance",)), first=10)
    cards = {c.creator_id: c for c in page.creators}
    assert cards["cFake"].authenticity == fake


def test_suspicious_accounts(brands_graph: Graph) -> None:
    flagged = {a.user_id: a for a in suspicious_accounts(brands_graph)}
    assert set(flagged) == {f"b{i}" for i in range(1, 7)} | {f"r{i}" for i in range(1, 6)}
    assert flagged["r1"].ring and flagged["r1"].ghost and flagged["r1"].following == 5
    assert flagged["b1"].ghost and not flagged["b1"].ring


def test_stored_authenticity_for_the_feed(brands_graph: Graph) -> None:
    stored = store_authenticity(brands_graph)
    assert set(stored) == {"cDance", "cCook", "cFake", "cRing"}
    assert stored["cFake"].flagged and not stored["cDance"].flagged
    # What the feed reads: the score on the creator node.
    on_nodes = ReadOnlyRunner(brands_graph).run_cypher(
        "MATCH (c:Creator) WHERE c.authenticity IS NOT NULL "
        "RETURN c.id AS id, c.authenticity AS score, c.authenticityFlagged AS flagged"
    )
    assert {row["id"]: (row["score"], row["flagged"]) for row in on_nodes.records()} == {
        cid: (a.score, a.flagged) for cid, a in stored.items()
    }


def test_audience_overlap_and_reach_optimiser(brands_graph: Graph) -> None:
    report = audience_overlap(brands_graph, ["cDance", "cCook"])
    assert report.audiences == {"cDance": 4, "cCook": 2}
    (pair,) = report.pairs
    assert (pair.creator_a, pair.creator_b, pair.shared, pair.jaccard) == (
        "cDance", "cCook", 1, pytest.approx(1 / 5)
    )  # fmt: skip
    assert report.union_reach == 5  # u1, u2, u3, u4, u6
    # cFake adds nobody new (u1 is reached); cRing adds u5.
    assert [(s.creator_id, s.added_reach) for s in report.suggestions] == [("cRing", 1)]
    trio = audience_overlap(brands_graph, ["cDance", "cFake", "cCook"], suggestions=0)
    assert [(p.creator_a, p.creator_b, p.shared) for p in trio.pairs] == [
        ("cDance", "cFake", 1), ("cDance", "cCook", 1), ("cFake", "cCook", 0),
    ]  # fmt: skip
    assert trio.union_reach == 5 and trio.suggestions == []


def test_lookalikes_from_shared_audiences(brands_graph: Graph) -> None:
    # No embeddings here: the shared engaged audience alone ranks them.
    found = lookalike_creators(brands_graph, "cDance")
    assert [(x.creator_id, x.shared_audience) for x in found] == [("cFake", 1), ("cCook", 1)]
    assert found[0].score == 1.0 and found[1].score == pytest.approx(0.2 / 0.25)
    assert found[0].similarity is None and "shares 1 engaged viewers" in found[0].reasons[0]


def test_with_embeddings_lookalikes_blend_and_similarity_sorts(brands_graph: Graph) -> None:
    # Last in this module: it adds creator embeddings (and the vector index) to the graph.
    run_embedding(brands_graph, EmbedOptions(dimensions=8, walk_length=10, walks_per_node=5))
    found = lookalike_creators(brands_graph, "cDance", limit=3)
    assert found and all(x.similarity is not None for x in found)
    assert all(x.reasons[0].startswith("embedding similarity") for x in found)
    assert {x.creator_id for x in found} <= {"cCook", "cFake", "cRing"}  # posters only
    page = discover_creators(
        brands_graph, CreatorFilter(reference_creator_id="cDance"), CreatorSort.SIMILARITY
    )
    similarities = [c.similarity for c in page.creators]
    assert len(similarities) == 3 and None not in similarities
    assert similarities == sorted(similarities, reverse=True)  # type: ignore[type-var]
