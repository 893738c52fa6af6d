"""Shared global lists (the trending sample, popular): reused while fresh, refreshed in
the background when stale, never kept after a failure."""

from __future__ import annotations

import asyncio

import pytest

from graph.feed.shared import Pool


class Fetcher:
    def __init__(self, fail: bool = False) -> None:
        self.calls: list[int] = []
        self.fail = fail

    async def __call__(self, now: int) -> int:
        self.calls.append(now)
        if self.fail:
            raise RuntimeError("database down")
        return now


async def test_requests_close_in_time_share_one_fetch() -> None:
    fetch = Fetcher()
    pool = Pool(fetch, ttl_s=60)
    assert await pool.get(1_000) == 1_000
    assert await pool.get(1_500) == 1_000  # within a minute of data time: the same list
    assert fetch.calls == [1_000]


async def test_a_distant_request_time_fetches_again() -> None:
    fetch = Fetcher()
    pool = Pool(fetch, ttl_s=1)
    await pool.get(0)
    await pool.get(5_000)  # five seconds of data time later
    assert fetch.calls == [0, 5_000]


async def test_a_failed_fetch_is_not_kept() -> None:
    pool = Pool(Fetcher(fail=True), ttl_s=60)
    with pytest.raises(RuntimeError):
        await pool.get(0)
    working = Fetcher()
    pool.fetch = working
    assert await pool.get(0) == 0
    assert working.calls == [0]


async def test_a_stale_list_is_served_while_a_new_one_is_fetched() -> None:
    fetch = Fetcher()
    pool = Pool(fetch, ttl_s=0.05)
    await pool.get(0)
    await asyncio.sleep(0.06)
    assert await pool.get(0) == 0  # stale, still served at once ...
    await asyncio.sleep(0)
    assert fetch.calls == [0, 0]  # ... while a refresh runs in the background
    pool.warm(0)
    assert fetch.calls == [0, 0]  # the new one is fresh: warm fetches nothing
