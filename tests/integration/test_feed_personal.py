"""Per-viewer RECOMMENDED lists (``fyp precompute``) and the feed's ``personal`` source."""

from __future__ import annotations

from typer.testing import CliRunner

from graph.cli import app
from graph.db import AsyncGraph, Graph
from graph.feed import FeedConfig, FeedEngine, FeedRequest
from graph.feed.config import PATIENT
from graph.ingest import import_records, record_event
from graph.precompute import CoEngagementOptions, precompute_co_engagement
from graph.precompute.co_engagement import COSINE

NOW = 1_704_844_800_000
COSINE_LISTS = CoEngagementOptions(method=COSINE)


def world(graph: Graph) -> None:
    """a, b and c watched v1 and v2; c also v3, which e watched too; d alone watched v4."""
    views = [("a", "v1"), ("b", "v1"), ("c", "v1"), ("a", "v2"), ("b", "v2"), ("c", "v2"),
             ("c", "v3"), ("d", "v4"), ("e", "v3")]  # fmt: skip
    report = import_records(
        graph,
        {
            "users": [{"id": u, "name": u} for u in "abcdef"],
            "creators": [{"id": f"maker{i}", "name": f"maker{i}"} for i in range(1, 5)],
            "videos": [
                {"id": f"v{i}", "creatorId": f"maker{i}", "createdAt": NOW - 10 * i,
                 "durationMs": 9000, "caption": f"Video {i}", "hashtags": [f"t{i}"]}
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


def lists(graph: Graph) -> dict[str, list[tuple[str, int]]]:
    found: dict[str, list[tuple[str, int]]] = {}
    for row in graph.read("precompute/recommended", userIds=list("abcdef")):
        found.setdefault(row["userId"], []).append((row["videoId"], row["rank"]))
    return found


def test_each_viewer_gets_their_unseen_top_videos_and_reruns_change_nothing(graph: Graph) -> None:
    world(graph)
    report = precompute_co_engagement(graph, COSINE_LISTS, now_ms=NOW)
    # a and b: v3 (a neighbour of both their videos); e: v1 and v2 (tied, by id); c has
    # seen every video with a neighbour, d's v4 has none, f has no history.
    expected = {"a": [("v3", 1)], "b": [("v3", 1)], "e": [("v1", 1), ("v2", 2)]}
    assert lists(graph) == expected
    assert report.viewers_with_recommendations == 3 and report.recommendations == 4
    precompute_co_engagement(graph, COSINE_LISTS, now_ms=NOW)
    assert lists(graph) == expected


def test_ease_lists_never_hold_a_video_the_viewer_engaged_with(graph: Graph) -> None:
    world(graph)
    report = precompute_co_engagement(graph, now_ms=NOW)
    found = lists(graph)
    assert report.recommendations > 0 and "v1" in dict(found["e"])
    assert all(video != "v3" for video, _ in found["e"])
    assert "c" not in found or all(video == "v4" for video, _ in found["c"])


def test_recommendations_can_be_turned_off(graph: Graph) -> None:
    world(graph)
    report = precompute_co_engagement(
        graph, CoEngagementOptions(method=COSINE, recommendations=0), now_ms=NOW
    )
    assert report.recommendations == 0 and lists(graph) == {}


async def test_the_personal_source_proposes_the_list_minus_what_was_watched_since(
    graph: Graph,
) -> None:
    world(graph)
    precompute_co_engagement(graph, COSINE_LISTS, now_ms=NOW)
    async_graph = AsyncGraph(graph.conn)
    try:
        rows = await async_graph.read("feed/source_personal", userId="e", now=NOW + 10, limit=10)
        assert [(row["videoId"], row["reason"]["rank"]) for row in rows] == [("v1", 1), ("v2", 2)]
        record_event(graph, {"eventId": "late", "type": "view", "userId": "e",
                             "videoId": "v1", "at": NOW + 1, "watchMs": 9000})  # fmt: skip
        rows = await async_graph.read("feed/source_personal", userId="e", now=NOW + 10, limit=10)
        assert [row["videoId"] for row in rows] == ["v2"]
        # Videos posted after the request time are not proposed.
        early = await async_graph.read("feed/source_personal", userId="e", now=NOW - 25, limit=10)
        assert early == []

        engine = FeedEngine(async_graph, FeedConfig(budgets=PATIENT))
        page = await engine.feed(
            FeedRequest(user_id="e", first=5, record_impressions=False, now=NOW + 10)
        )
        by_id = {item.video_id: item for item in page.items}
        assert "personal" in by_id["v2"].sources
        assert any("picked for you" in reason for reason in by_id["v2"].explanation.reasons)
    finally:
        await async_graph.close()


async def test_a_reset_history_silences_the_list_until_the_next_run_drops_it(
    graph: Graph,
) -> None:
    world(graph)
    precompute_co_engagement(graph, COSINE_LISTS, now_ms=NOW)
    graph.write("api/privacy_reset", userId="e", now=NOW + 5)
    async_graph = AsyncGraph(graph.conn)
    try:
        rows = await async_graph.read("feed/source_personal", userId="e", now=NOW + 10, limit=10)
        assert rows == []  # the list was computed from a history that is gone
    finally:
        await async_graph.close()
    precompute_co_engagement(graph, COSINE_LISTS, now_ms=NOW + 20)
    assert "e" not in lists(graph) and set(lists(graph)) == {"a", "b"}


def test_cli_writes_the_lists(graph: Graph, cli_env: dict[str, str]) -> None:
    world(graph)
    result = CliRunner().invoke(app, ["precompute", "--method", "cosine"], env=cli_env)
    assert result.exit_code == 0, result.output
    written = lists(graph)
    assert written["e"] == [("v1", 1), ("v2", 2)]
    edges = sum(len(videos) for videos in written.values())
    assert f"personal lists: {edges:,} RECOMMENDED edges for {len(written):,} viewers" in (
        " ".join(result.output.split())
    )
    off = ["precompute", "--method", "cosine", "--recommendations", "0"]
    result = CliRunner().invoke(app, off, env=cli_env)
    assert result.exit_code == 0, result.output
    assert "personal lists" not in result.output
