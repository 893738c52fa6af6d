"""The shared trending sample: reused only while fresh, refetched after a failure."""

from __future__ import annotations

import pytest

from graph.feed.sources import ActivityCache
from graph.feed.trends import RecentActivity


class Fetcher:
    def __init__(self, fail: bool = False) -> None:
        self.calls = 0
        self.fail = fail

    async def __call__(self) -> RecentActivity:
        self.calls += 1
        if self.fail:
            raise RuntimeError("database down")
        return RecentActivity.from_records(0, [])


async def test_requests_close_in_time_share_one_fetch() -> None:
    cache, fetch = ActivityCache(ttl_s=60), Fetcher()
    first = await cache.get(1_000, fetch)
    second = await cache.get(1_500, fetch)
    assert first is second and fetch.calls == 1


async def test_a_distant_request_time_fetches_again() -> None:
    cache, fetch = ActivityCache(ttl_s=1), Fetcher()
    await cache.get(0, fetch)
    await cache.get(5_000, fetch)  # five seconds of data time later
    assert fetch.calls == 2


async def test_a_failed_fetch_is_not_kept() -> None:
    cache, failing = ActivityCache(ttl_s=60), Fetcher(fail=True)
    with pytest.raises(RuntimeError):
        await cache.get(0, failing)
    working = Fetcher()
    await cache.get(0, working)
    assert working.calls == 1
