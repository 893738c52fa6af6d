"""Global, non-personal data shared by every request near in time (see :class:`Pool`)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

T = TypeVar("T")

log = logging.getLogger(__name__)


@dataclass
class _Entry(Generic[T]):
    now: int
    fetched_at: float
    future: asyncio.Future[T]


@dataclass
class Pool(Generic[T]):
    """One fetch of *global* data (the trending sample, the popular list) for a request
    time ``now``, shared by every request whose ``now`` is within ``ttl_s`` of it, for
    ``ttl_s`` seconds, and served a while longer (up to ``2 * ttl_s``) while a newer one
    is fetched in the background (:meth:`warm`), so requests rarely wait for it.

    Nothing personal is ever pooled: profiles, filters and affinities come from the
    viewer read of each request. A failed fetch is not kept.
    """

    fetch: Callable[[int], Awaitable[T]]
    ttl_s: float
    #: The newest entries kept (requests pinned to a few distinct times share them too).
    keep: int = 4
    _entries: list[_Entry[T]] = field(default_factory=list, repr=False)

    async def get(self, now: int) -> T:
        entry = self._usable(now, max_age_s=2 * self.ttl_s)
        if entry is None:
            entry = self._start(now)
        elif time.monotonic() - entry.fetched_at > self.ttl_s:
            self.warm(now)
        # Shielded: one request's cancellation must not cancel the fetch others await.
        return await asyncio.shield(entry.future)

    def warm(self, now: int) -> None:
        """Start a fetch for ``now`` unless a fresh one (or one under way) serves it."""
        clock = time.monotonic()
        under_way_or_fresh = any(
            abs(now - entry.now) <= self.ttl_s * 1000
            and not _failed(entry)
            and (not entry.future.done() or clock - entry.fetched_at <= self.ttl_s)
            for entry in self._entries
        )
        if not under_way_or_fresh:
            self._start(now)

    def _usable(self, now: int, max_age_s: float) -> _Entry[T] | None:
        clock = time.monotonic()
        loop = asyncio.get_running_loop()
        best: _Entry[T] | None = None
        for entry in self._entries:
            if (
                not _failed(entry)
                and entry.future.get_loop() is loop
                and clock - entry.fetched_at <= max_age_s
                and abs(now - entry.now) <= self.ttl_s * 1000
                and (best is None or _rank(entry) > _rank(best))
            ):
                best = entry
        return best

    def _start(self, now: int) -> _Entry[T]:
        future = asyncio.ensure_future(self.fetch(now))
        future.add_done_callback(_log_failure)
        entry = _Entry(now, time.monotonic(), future)
        self._entries = [*self._entries[-(self.keep - 1) :], entry] if self.keep > 1 else [entry]
        return entry


def _rank(entry: _Entry[T]) -> tuple[bool, float]:
    """A finished fetch beats one under way (no wait), then the newest wins."""
    return entry.future.done(), entry.fetched_at


def _failed(entry: _Entry[T]) -> bool:
    future = entry.future
    return future.done() and (future.cancelled() or future.exception() is not None)


def _log_failure(future: asyncio.Future[Any]) -> None:
    """A background fetch nobody awaited still has its failure seen (and logged once)."""
    if not future.cancelled() and (error := future.exception()) is not None:
        log.warning("shared list fetch failed (%s: %s)", type(error).__name__, error)
