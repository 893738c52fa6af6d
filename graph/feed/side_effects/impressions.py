"""Impressions: what the engine served, recorded as ``SERVED`` like ingested impressions.

Written through ingestion's own statement (``ingest/events_impression``), so the
counters mean exactly what an imported impression means. Event ids derive from the
request, so a retried write records nothing twice.

Two ways to write them:

* :class:`InlineImpressions` writes before the page is returned (the CLI, tests);
* :class:`BackgroundImpressions` (the API) queues them and writes small batches behind
  the response, in one writer task, so a page costs no write round trip. Until its
  batch is written, each queued video stays in :meth:`pending` for its viewer, and the
  engine filters it out like a seen one, so a new feed session on this process never
  repeats it (pages of one session never do anyway: the cursor carries their ids). A
  failed write is retried with backoff, never dropped; :meth:`close` writes what is
  left, so a clean shutdown loses nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from graph.db import AsyncGraph
from graph.errors import DependencyError

log = logging.getLogger(__name__)

Event = dict[str, Any]


def impression_events(
    user_id: str, video_ids: Sequence[str], now: int, request_id: str
) -> list[Event]:
    return [
        {
            "id": f"impression:{request_id}:{video_id}",
            "type": "impression",
            "at": now,
            "userId": user_id,
            "videoId": video_id,
            "requestId": request_id,
        }
        for video_id in video_ids
    ]


class ImpressionSink(Protocol):
    async def record(self, events: list[Event]) -> str:
        """Record a page's impressions; returns the stage status (ok, queued, failed)."""
        ...

    def pending(self, user_id: str) -> frozenset[str]:
        """Videos served to ``user_id`` whose impressions are not written yet."""
        ...

    def start(self) -> None: ...

    async def flush(self) -> None:
        """Write everything queued so far (before a privacy export, reset or erasure)."""
        ...

    async def close(self) -> None: ...


@dataclass
class InlineImpressions:
    """Writes each page's impressions before the page is returned (fail-open: the page is
    still served, and the failure is logged and reported in the stage status)."""

    graph: AsyncGraph
    timeout_s: float = 10.0

    async def record(self, events: list[Event]) -> str:
        try:
            await self.graph.write("ingest/events_impression", timeout_s=self.timeout_s,
                                   events=events)  # fmt: skip
        except Exception as error:  # fail-open by design, see above
            log.warning("recording impressions failed (%s: %s)", type(error).__name__, error)
            return "failed"
        return "ok"

    def pending(self, user_id: str) -> frozenset[str]:
        return frozenset()

    def start(self) -> None:
        return None

    async def flush(self) -> None:
        return None

    async def close(self) -> None:
        return None


@dataclass
class BackgroundImpressions:
    """Queues impressions and writes them in batches behind the response (see module)."""

    graph: AsyncGraph
    timeout_s: float = 10.0
    #: Seconds the writer waits for more impressions before writing a batch.
    linger_s: float = 0.05
    #: Most events per write transaction.
    batch: int = 2000
    #: Backoff between retries of a failed batch (doubling, up to this many seconds).
    max_backoff_s: float = 5.0
    _queue: list[Event] = field(default_factory=list, repr=False)
    _pending: dict[str, dict[str, int]] = field(default_factory=dict, repr=False)
    _wake: asyncio.Event = field(default_factory=asyncio.Event, repr=False)
    _task: asyncio.Task[None] | None = field(default=None, repr=False)
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock, repr=False)
    _closing: bool = False
    #: Attempts :meth:`flush` makes before giving up (the writer keeps trying after).
    flush_attempts: int = 3
    #: Events written, and write attempts that failed (for logs and tests).
    written: int = 0
    failures: int = 0

    async def record(self, events: list[Event]) -> str:
        if self._closing:
            # Shutting down: nothing new is queued behind a response that has no future.
            return await InlineImpressions(self.graph, self.timeout_s).record(events)
        for event in events:
            counts = self._pending.setdefault(event["userId"], {})
            counts[event["videoId"]] = counts.get(event["videoId"], 0) + 1
        self._queue.extend(events)
        self._wake.set()
        if self._task is None:
            self.start()
        return "queued"

    def pending(self, user_id: str) -> frozenset[str]:
        found = self._pending.get(user_id)
        return frozenset(found) if found else frozenset()

    @property
    def queued(self) -> int:
        return len(self._queue)

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="impression-writer")

    async def flush(self) -> None:
        backoff = 0.1
        for attempt in range(self.flush_attempts):
            while self._queue:
                if not await self._write_batch():
                    break
            if not self._queue:
                return
            if attempt + 1 < self.flush_attempts:
                await asyncio.sleep(backoff)
                backoff *= 2
        raise DependencyError(
            f"{len(self._queue)} impressions could not be written yet; retry in a few seconds."
        )

    async def close(self) -> None:
        """Write everything queued (retrying), then stop the writer."""
        self._closing = True
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        backoff = 0.1
        while self._queue:
            if not await self._write_batch():
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, self.max_backoff_s)

    async def _run(self) -> None:
        backoff = 0.1
        while True:
            await self._wake.wait()
            await asyncio.sleep(self.linger_s)
            if await self._write_batch():
                backoff = 0.1
            else:
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, self.max_backoff_s)
            if not self._queue:
                self._wake.clear()

    async def _write_batch(self) -> bool:
        async with self._lock:
            return await self._write_locked()

    async def _write_locked(self) -> bool:
        batch = self._queue[: self.batch]
        if not batch:
            return True
        try:
            await self.graph.write("ingest/events_impression", timeout_s=self.timeout_s,
                                   events=sorted(batch, key=lambda e: e["at"]))  # fmt: skip
        except asyncio.CancelledError:
            raise
        except Exception as error:  # kept and retried: an accepted impression is never lost
            self.failures += 1
            log.warning("writing %d impressions failed (%s: %s); will retry",
                        len(batch), type(error).__name__, error)  # fmt: skip
            return False
        del self._queue[: len(batch)]
        self.written += len(batch)
        for event in batch:
            counts = self._pending.get(event["userId"])
            if counts is None:
                continue
            left = counts.get(event["videoId"], 0) - 1
            if left > 0:
                counts[event["videoId"]] = left
            else:
                counts.pop(event["videoId"], None)
            if not counts:
                del self._pending[event["userId"]]
        return True
