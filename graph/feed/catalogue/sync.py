"""Keeps a process's catalogue read model in step with Neo4j.

A full load reads every video in id order (pages of ``page`` ids), then every video's
co-engagement neighbours. After that, each refresh *tick* is one ``catalogue/changes``
round trip plus, when something moved, the rows of what moved:

* videos and creators whose ``changedAt`` (the database clock, set by every write that
  shapes the catalogue: import, publish, status, embeddings, authenticity) is newer than
  the last tick, minus ``overlap_ms`` so a long write transaction, stamped when it began
  but committed later, is not missed;
* videos with engagement events since the last tick (their counters moved);
* one page of the background *sweep*, which walks the whole catalogue in id order, a page
  per tick: it refreshes counters that moved without events of their own (impressions,
  erasure) and notices deleted videos (ids gone from their place in the order);
* the co-engagement neighbours again, when ``fyp precompute`` recorded a newer run.

So a catalogue-shaping write reaches every process within one tick (``refresh_s``) plus
its query time; counters of videos being watched within a tick; everything else within
one sweep of the catalogue (``size / sweep_page`` ticks).
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import logging
import time
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from graph.db import AsyncGraph, Record
from graph.errors import DependencyError
from graph.feed.catalogue.neighbours import Neighbourhood, NeighbourhoodBuilder
from graph.feed.catalogue.store import Catalogue

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class SyncOptions:
    #: Seconds between refresh ticks of the background task.
    refresh_s: float = 1.0
    #: Re-read what changed this long before the last tick (a write transaction is stamped
    #: when it starts and seen when it commits).
    overlap_ms: int = 10_000
    #: Ids per query when loading.
    page: int = 2000
    #: Videos the sweep re-reads per tick.
    sweep_page: int = 500
    #: Engaged videos refreshed per tick at most (the sweep catches the rest).
    engaged_limit: int = 2000
    #: Seconds a load or tick query may take.
    timeout_s: float = 120.0
    #: After a failed refresh, requests do not try again for this long: with Neo4j down,
    #: each attempt waits out the driver's connection timeout, and requests queued on
    #: one refresh would each pay it in turn (the background task keeps trying).
    retry_after_failure_s: float = 2.0


@dataclass(frozen=True)
class TickReport:
    videos: int
    creators: int
    swept: int
    removed: int
    neighbours_reloaded: bool
    ms: float


class CatalogueSync:
    """One process's read model (:class:`Catalogue` plus neighbours) and its refresh."""

    def __init__(self, graph: AsyncGraph, options: SyncOptions | None = None) -> None:
        self.graph = graph
        self.options = options or SyncOptions()
        self.catalogue = Catalogue()
        self.neighbours = Neighbourhood.empty()
        #: The newest event's time (the feed's data clock).
        self.latest_event_at: int | None = None
        #: The settings ``fyp tune`` stored (JSON, graph.tune.settings), and their time.
        self.tuned_json: str | None = None
        self.tuned_at: int | None = None
        self.loaded = False
        self._since: int | None = None
        self._events_since: int | None = None
        self._refreshed_at = 0.0
        self._stale = False
        self._sweep_after = ""
        self._sorted_ids: list[str] = []
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None
        #: The last refresh's failure and when it happened (None after a success).
        self._failure: tuple[float, Exception] | None = None

    # -- public -------------------------------------------------------------------------

    async def ensure(self, max_age_s: float) -> None:
        """Load once; then refresh when the last tick is older than ``max_age_s`` (or a
        write of this process marked it stale). Concurrent callers share one refresh."""
        if self.loaded and not self._stale and self.age_s() <= max_age_s:
            return
        asked = time.monotonic()
        async with self._lock:
            if self._failed_since(asked - self.options.retry_after_failure_s):
                # The database failed us a moment ago (or while we waited for the lock):
                # answer now. A loaded read model serves as it is, and the viewer read
                # tells whether Neo4j is back; without one there is nothing to serve.
                if self.loaded:
                    return
                assert self._failure is not None
                raise DependencyError(
                    f"the feed's read model could not load yet ({self._failure[1]})"
                ) from self._failure[1]
            if not self.loaded:
                await self._attempt(self._load())
            elif self._stale or self.age_s() > max_age_s:
                await self._attempt(self._tick())

    def age_s(self) -> float:
        return time.monotonic() - self._refreshed_at

    def invalidate(self) -> None:
        """This process just wrote to the catalogue: the next request refreshes first."""
        self._stale = True

    async def refresh(self) -> TickReport:
        async with self._lock:
            if not self.loaded:
                await self._attempt(self._load())
                return TickReport(self.catalogue.size, 0, 0, 0, True, 0.0)
            return await self._attempt(self._tick())

    def start(self) -> None:
        """Refresh in the background every ``refresh_s`` (the API's lifespan)."""
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="catalogue-sync")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    # -- load ---------------------------------------------------------------------------

    async def _load(self) -> None:
        started = time.perf_counter()
        state = await self._changes(since=None)
        after = ""
        ids: list[str] = []
        while True:
            batch = await self._ids(after, self.options.page)
            if not batch:
                break
            await self._upsert(batch, with_vectors=True)
            ids.extend(batch)
            after = batch[-1]
            if len(batch) < self.options.page:
                break
        self._sorted_ids = ids  # id order, as read
        await self._load_neighbours(state.get("neighboursAt"))
        self._take_tuned(state)
        self.latest_event_at = state.get("latestEventAt")
        self._since = int(state["serverNow"]) - self.options.overlap_ms
        self._events_since = self._since
        self._mark_fresh()
        self.loaded = True
        log.info(
            "catalogue loaded: %d videos, %d neighbour edges, %.1f MB, %.0f ms",
            self.catalogue.size, self.neighbours.columns.size,
            (self.catalogue.memory().bytes + self.neighbours.nbytes) / 1e6,
            (time.perf_counter() - started) * 1000,
        )  # fmt: skip

    async def _load_neighbours(self, computed_at: int | None) -> None:
        catalogue = self.catalogue
        builder = NeighbourhoodBuilder(catalogue.size)
        for start in range(0, catalogue.size, self.options.page):
            found = await self._read(
                "catalogue/neighbours", ids=catalogue.ids[start : start + self.options.page]
            )
            builder.add(found[0]["videos"], catalogue.number)
        self.neighbours = builder.build(computed_at)

    # -- ticks --------------------------------------------------------------------------

    async def _tick(self) -> TickReport:
        started = time.perf_counter()
        assert self._since is not None and self._events_since is not None
        state = await self._changes(since=self._since)
        changed = list(state["videoIds"])
        engaged = [video for video in state["engagedIds"] if video is not None]
        erased = self.catalogue.remove_videos(state["deletedIds"])
        videos = await self._upsert(changed, with_vectors=True)
        videos += await self._upsert(sorted(set(engaged) - set(changed)), with_vectors=False)
        creators = 0
        if state["creatorIds"]:
            rows = await self._read("catalogue/creators", ids=list(state["creatorIds"]))
            creators = self.catalogue.update_creators(rows[0]["creators"])
        swept, removed = await self._sweep()
        removed += erased
        reloaded = False
        if state.get("neighboursAt") is not None and (
            state["neighboursAt"] != self.neighbours.computed_at
        ):
            await self._load_neighbours(state["neighboursAt"])
            reloaded = True
        self._take_tuned(state)
        self.latest_event_at = state.get("latestEventAt")
        server_now = int(state["serverNow"])
        self._since = server_now - self.options.overlap_ms
        self._events_since = server_now - self.options.overlap_ms
        self._mark_fresh()
        return TickReport(videos, creators, swept, removed, reloaded,
                          (time.perf_counter() - started) * 1000)  # fmt: skip

    async def _sweep(self) -> tuple[int, int]:
        """Re-read the next page of videos in id order; ids known to the read model that
        the page skipped over no longer exist (past the last page: every id after it)."""
        after, size = self._sweep_after, self.options.sweep_page
        ids = await self._ids(after, size)
        full = len(ids) == size
        low = bisect.bisect_right(self._sorted_ids, after)
        high = bisect.bisect_right(self._sorted_ids, ids[-1]) if full else len(self._sorted_ids)
        gone = set(self._sorted_ids[low:high]) - set(ids)
        removed = self.catalogue.remove_videos(gone)
        if gone:
            self._sorted_ids = [video for video in self._sorted_ids if video not in gone]
        if ids:
            await self._upsert(ids, with_vectors=False)
        # Wrapped around after the last page: the next tick starts over.
        self._sweep_after = ids[-1] if full else ""
        return len(ids), removed

    # -- helpers ------------------------------------------------------------------------

    async def _changes(self, since: int | None) -> Record:
        rows = await self._read(
            "catalogue/changes",
            since=since if since is not None else 1 << 62,
            eventsSince=self._events_since if self._events_since is not None else 1 << 62,
            engagedLimit=self.options.engaged_limit,
            tunedAt=self.tuned_at,
        )
        return rows[0]

    def _take_tuned(self, state: Record) -> None:
        if state.get("tunedAt") != self.tuned_at:
            self.tuned_at = state.get("tunedAt")
            self.tuned_json = state.get("tunedSettings")

    async def _upsert(self, ids: Sequence[str], *, with_vectors: bool) -> int:
        count = 0
        for start in range(0, len(ids), self.options.page):
            rows = await self._read(
                "catalogue/videos",
                ids=list(ids[start : start + self.options.page]),
                withVectors=with_vectors,
            )
            before = self.catalogue.size
            count += self.catalogue.upsert_videos(rows[0]["videos"], vectors=with_vectors)
            for video_id in self.catalogue.ids[before:]:
                bisect.insort(self._sorted_ids, video_id)
        return count

    async def _ids(self, after: str, limit: int) -> list[str]:
        rows = await self._read("catalogue/video_ids", after=after, limit=limit)
        return list(rows[0]["videoIds"])

    async def _read(self, name: str, **params: Any) -> list[Record]:
        return await self.graph.read(name, timeout_s=self.options.timeout_s, **params)

    async def _attempt(self, refresh: Awaitable[T]) -> T:
        """Run a load or tick (under the lock), remembering whether it failed."""
        try:
            result = await refresh
        except Exception as error:
            self._failure = (time.monotonic(), error)
            raise
        self._failure = None
        return result

    def _failed_since(self, moment: float) -> bool:
        return self._failure is not None and self._failure[0] >= moment

    def _mark_fresh(self) -> None:
        self._refreshed_at = time.monotonic()
        self._stale = False

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.options.refresh_s)
            try:
                await self.refresh()
            except asyncio.CancelledError:
                raise
            except Exception as error:  # the next tick tries again; serving goes on
                log.warning("catalogue refresh failed (%s: %s)", type(error).__name__, error)
