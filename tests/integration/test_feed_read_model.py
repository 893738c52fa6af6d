"""The read model on a real Neo4j: replicas converge after writes, and impressions written
behind the response are neither lost nor repeated."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from neo4j.exceptions import ServiceUnavailable

from graph.db import AsyncGraph, Connection, Graph
from graph.errors import DependencyError
from graph.feed import BackgroundImpressions, FeedConfig, FeedEngine, FeedRequest
from graph.feed.catalogue.sync import CatalogueSync, SyncOptions
from graph.feed.config import Budgets
from graph.ingest import import_records
from graph.local_neo4j import free_port
from graph.precompute import precompute_co_engagement
from graph.privacy import delete_user_data

HOUR = 3_600_000
NOW = 1_704_844_800_000
#: The bound the README states for a write to reach every replica.
CONVERGENCE_S = 2.0
FAST = SyncOptions(refresh_s=0.2, sweep_page=50)


def world(videos: int = 30) -> dict[str, list[dict[str, Any]]]:
    return {
        "users": [
            {"id": f"u{i}", "name": f"u{i}", "createdAt": NOW - 100 * HOUR} for i in range(6)
        ],
        "creators": [{"id": "c1", "name": "Cee", "createdAt": NOW - 100 * HOUR}],
        "videos": [
            {
                "id": f"v{i:02d}",
                "creatorId": "c1",
                "createdAt": NOW - (i + 1) * HOUR,
                "durationMs": 10_000,
                "caption": f"video {i}",
                "hashtags": ["misc"],
            }
            for i in range(videos)
        ],
        "interactions": [
            {
                "eventId": f"e{u}-{i}",
                "type": "view",
                "userId": f"u{u}",
                "videoId": f"v{i:02d}",
                "at": NOW - HOUR + u,
                "watchMs": 10_000,
            }
            for u in range(1, 6)
            for i in range(3)
        ],
    }


@pytest.fixture
def loaded(graph: Graph) -> Graph:
    report = import_records(graph, world())
    assert not report.rejections
    return graph


@pytest.fixture
async def replicas(loaded: Graph) -> AsyncIterator[tuple[CatalogueSync, CatalogueSync]]:
    """Two API processes' read models over the same database, refreshing in the background."""
    graphs = [AsyncGraph(loaded.conn) for _ in range(2)]
    syncs = [CatalogueSync(graph, FAST) for graph in graphs]
    for sync in syncs:
        await sync.refresh()
        sync.start()
    yield syncs[0], syncs[1]
    for sync, graph in zip(syncs, graphs, strict=True):
        await sync.stop()
        await graph.close()


async def converged(check: Callable[[], bool], within_s: float = CONVERGENCE_S) -> float:
    """Seconds until ``check`` holds (fails past ``within_s``)."""
    started = time.monotonic()
    while not check():
        if time.monotonic() - started > within_s:
            raise AssertionError(f"not converged within {within_s} s")
        await asyncio.sleep(0.02)
    return time.monotonic() - started


async def test_a_new_video_reaches_every_replica_within_the_bound(
    loaded: Graph, replicas: tuple[CatalogueSync, CatalogueSync]
) -> None:
    first, second = replicas
    video = {
        "id": "fresh1",
        "creatorId": "c1",
        "createdAt": NOW,
        "durationMs": 5_000,
        "caption": "brand new",
        "hashtags": ["new"],
    }
    import_records(loaded, {"videos": [video]})
    for replica in (first, second):
        await converged(lambda replica=replica: replica.catalogue.get("fresh1") is not None)
    number = second.catalogue.get("fresh1")
    assert number is not None and second.catalogue.tag_names(number) == ("new",)


async def test_a_takedown_and_a_deletion_reach_every_replica(
    loaded: Graph, replicas: tuple[CatalogueSync, CatalogueSync]
) -> None:
    _, replica = replicas
    removed = {**world()["videos"][0], "status": "removed"}
    import_records(loaded, {"videos": [removed]})
    number = replica.catalogue.get("v00")
    assert number is not None
    await converged(lambda: replica.catalogue.api_row("v00") is None)
    # Erasing the creator deletes their videos: their tombstones say so at once.
    async_graph = AsyncGraph(loaded.conn)
    try:
        await delete_user_data(async_graph, "c1")
    finally:
        await async_graph.close()
    await converged(lambda: replica.catalogue.api_row("v05") is None)


async def test_the_sweep_notices_deletions_nobody_announced(
    loaded: Graph, replicas: tuple[CatalogueSync, CatalogueSync]
) -> None:
    _, replica = replicas
    assert replica.catalogue.api_row("v07") is not None
    loaded.write("admin/wipe", batch=100_000)  # no tombstones: only the sweep can tell
    await converged(lambda: replica.catalogue.api_row("v07") is None, within_s=3 * CONVERGENCE_S)


async def test_counters_and_neighbours_follow_the_graph(
    loaded: Graph, replicas: tuple[CatalogueSync, CatalogueSync]
) -> None:
    _, replica = replicas
    number = replica.catalogue.get("v03")
    assert number is not None and replica.catalogue.counter(number, "views") == 0
    import_records(
        loaded,
        {
            "interactions": [
                {
                    "eventId": "late-view",
                    "type": "view",
                    "userId": "u1",
                    "videoId": "v03",
                    "at": int(time.time() * 1000),
                    "watchMs": 1_000,
                },
            ]
        },
    )
    await converged(lambda: replica.catalogue.counter(number, "views") == 1)
    assert replica.neighbours.computed_at is None
    precompute_co_engagement(loaded, now_ms=NOW)
    await converged(lambda: replica.neighbours.computed_at == NOW)
    assert replica.neighbours.columns.size > 0


CONFIG = FeedConfig(budgets=Budgets(required_s=60.0, non_personal_s=30.0), max_staleness_s=0.0)


async def test_impressions_behind_the_response_never_repeat_and_survive_shutdown(
    loaded: Graph,
) -> None:
    async_graph = AsyncGraph(loaded.conn)
    writer = BackgroundImpressions(async_graph, linger_s=60.0)  # nothing written meanwhile
    engine = FeedEngine(async_graph, CONFIG, impressions=writer)
    try:
        await engine.start()
        shown: list[str] = []
        for _ in range(3):  # three new sessions: no cursor links them
            page = await engine.feed(FeedRequest("u1", first=5))
            shown += [item.video_id for item in page.items]
        assert len(shown) == len(set(shown)) == 15  # queued impressions already count
        assert writer.queued == 15 and writer.written == 0
    finally:
        await engine.close()  # a clean shutdown writes what is queued
        await async_graph.close()
    assert writer.queued == 0 and writer.written == 15
    rows = loaded.read("api/videos_by_id", ids=shown)
    assert all(row["video"]["impressions"] == 1 for row in rows)


async def test_requests_share_one_failed_refresh_when_neo4j_is_down() -> None:
    """Nothing listens where the graph should be: eight requests at once make one attempt
    between them (each would otherwise wait out the driver's connection timeout in turn,
    queued on the refresh lock), all of them fail as a dependency outage, and the next
    attempt waits for ``retry_after_failure_s``."""
    down = Connection(f"bolt://127.0.0.1:{free_port()}", "neo4j", "unused", "neo4j", 5.0)
    graph = AsyncGraph(down, driver_options={"max_transaction_retry_time": 0.5})
    attempts = 0

    class CountingSync(CatalogueSync):
        async def _load(self) -> None:
            nonlocal attempts
            attempts += 1
            await super()._load()

    sync = CountingSync(graph, SyncOptions(retry_after_failure_s=60.0))
    try:
        results = await asyncio.gather(*(sync.ensure(5.0) for _ in range(8)),
                                       return_exceptions=True)  # fmt: skip
        assert attempts == 1
        assert all(isinstance(result, ServiceUnavailable | DependencyError) for result in results)
        with pytest.raises(DependencyError, match="could not load yet"):
            await sync.ensure(5.0)
        assert attempts == 1
    finally:
        await graph.close()
