"""Shared global fetches (the trending sample): reused only while fresh, not after a failure."""

from __future__ import annotations

import pytest

from graph.feed.shared import Shared
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
    cache, fetch = Shared[RecentActivity](ttl_s=60), Fetcher()
    first = await cache.get(fetch, 1_000)
    second = await cache.get(fetch, 1_500)
    assert first is second and fetch.calls == 1


async def test_a_distant_request_time_fetches_again() -> None:
    cache, fetch = Shared[RecentActivity](ttl_s=1), Fetcher()
    await cache.get(fetch, 0)
    await cache.get(fetch, 5_000)  # five seconds of data time later
    assert fetch.calls == 2


async def test_a_failed_fetch_is_not_kept() -> None:
    cache, failing = Shared[RecentActivity](ttl_s=60), Fetcher(fail=True)
    with pytest.raises(RuntimeError):
        await cache.get(failing, 0)
    working = Fetcher()
    await cache.get(working, 0)
    assert working.calls == 1
