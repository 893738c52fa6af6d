"""``fyp precompute`` on a real Neo4j: CO_ENGAGED edges, reruns, and the feed's walk."""

from __future__ import annotations

from typing import Any

from typer.testing import CliRunner

from graph.cli import app
from graph.db import AsyncGraph, Graph
from graph.feed import FeedConfig, FeedEngine, FeedRequest
from graph.feed.config import PATIENT
from graph.ingest import import_records, record_event
from graph.precompute import CoEngagementOptions, precompute_co_engagement
from graph.precompute.co_engagement import COSINE, EASE

NOW = 1_704_844_800_000


def world(graph: Graph) -> None:
    """v1 and v2 share three viewers, v1 and v3 one; v4 has a viewer of its own."""
    views = [("a", "v1"), ("b", "v1"), ("c", "v1"), ("a", "v2"), ("b", "v2"), ("c", "v2"),
             ("c", "v3"), ("d", "v4"), ("e", "v3")]  # fmt: skip
    report = import_records(
        graph,
        {
            "users": [{"id": u, "name": u} for u in "abcdef"],
            "creators": [{"id": "maker", "name": "maker"}],
            "videos": [
                {"id": f"v{i}", "creatorId": "maker", "createdAt": NOW - i, "durationMs": 9000,
                 "caption": f"Video {i}", "hashtags": [f"t{i}"]}
                for i in range(1, 5)
            ],
            "interactions": [
                {"eventId": f"e{n}", "type": "view", "userId": u, "videoId": v, "at": NOW - n,
                 "watchMs": 9000}
                for n, (u, v) in enumerate(views)
            ],
        },
    )  # fmt: skip
    assert not report.rejections


def edges(graph: Graph) -> dict[tuple[str, str], dict[str, Any]]:
    ids = [row["videoId"] for row in graph.read("precompute/video_ids")]
    return {
        (row["videoId"], row["neighbourId"]): row
        for row in graph.read("precompute/co_engaged", videoIds=ids)
    }


def test_writes_top_neighbours_with_scores_and_reruns_change_nothing(graph: Graph) -> None:
    world(graph)
    report = precompute_co_engagement(
        graph, CoEngagementOptions(method=COSINE, neighbours=1), now_ms=NOW
    )
    assert report.videos == 4 and report.edges == 3
    first = edges(graph)
    assert set(first) == {("v1", "v2"), ("v2", "v1"), ("v3", "v1")}
    assert first[("v1", "v2")]["viewers"] == 3 and first[("v1", "v2")]["rank"] == 1
    assert first[("v1", "v2")]["score"] == 1.0  # same three viewers: cosine 1
    precompute_co_engagement(graph, CoEngagementOptions(method=COSINE, neighbours=1), now_ms=NOW)
    assert edges(graph) == first


def test_ease_weights_favour_the_pair_with_more_shared_viewers(graph: Graph) -> None:
    world(graph)
    report = precompute_co_engagement(graph, CoEngagementOptions(method=EASE), now_ms=NOW)
    assert report.method == EASE
    found = edges(graph)
    assert found[("v3", "v1")]["score"] > 0 and found[("v1", "v2")]["score"] > 0
    assert found[("v1", "v2")]["score"] > found[("v1", "v3")]["score"]  # 3 shared vs 1
    assert not any("v4" in pair for pair in found)  # no shared viewer, no edge


def test_a_rerun_replaces_stale_neighbours(graph: Graph) -> None:
    world(graph)
    precompute_co_engagement(graph, CoEngagementOptions(method=COSINE, neighbours=5), now_ms=NOW)
    assert ("v4", "v3") not in edges(graph)
    for n, video in enumerate(["v4", "v3"]):
        record_event(graph, {"eventId": f"late{n}", "type": "view", "userId": "f",
                             "videoId": video, "at": NOW + n, "watchMs": 9000})  # fmt: skip
    precompute_co_engagement(
        graph, CoEngagementOptions(method=COSINE, neighbours=1, min_viewers=1), now_ms=NOW
    )
    after = edges(graph)
    assert ("v4", "v3") in after
    assert all(rank["rank"] == 1 for rank in after.values())  # the neighbours=5 edges are gone


async def test_the_feed_walks_from_the_viewers_live_history(graph: Graph) -> None:
    world(graph)
    precompute_co_engagement(graph, now_ms=NOW)
    async_graph = AsyncGraph(graph.conn)
    try:
        engine = FeedEngine(async_graph, FeedConfig(budgets=PATIENT))
        request = FeedRequest(user_id="f", first=10, record_impressions=False, now=NOW + 10)
        before = await engine.candidates(request)
        assert not any("co_engagement" in c.sources for c in before)  # no history yet
        record_event(graph, {"eventId": "like-v1", "type": "like", "userId": "f",
                             "videoId": "v1", "at": NOW + 1})  # fmt: skip
        after = {c.video_id: c for c in await engine.candidates(request)}
        assert "co_engagement" in after["v2"].sources  # v1's closest neighbour, at once
        assert "v1" not in after  # the seed itself is seen
        reason = after["v2"].hits["co_engagement"].reason
        assert reason["peers"] == 3 and reason["seeds"][0]["id"] == "v1"
    finally:
        await async_graph.close()


def test_cli_reports_the_edges(graph: Graph, cli_env: dict[str, str]) -> None:
    world(graph)
    result = CliRunner().invoke(
        app, ["precompute", "--method", "cosine", "--neighbours", "2"], env=cli_env
    )
    assert result.exit_code == 0, result.output
    # v4 shares no viewer with any video: no neighbour.
    assert "6 CO_ENGAGED edges for 3 of 4 videos" in " ".join(result.output.split())
