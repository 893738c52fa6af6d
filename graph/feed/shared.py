"""A fetch of global data shared by requests close in time (see :class:`Shared`)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass
class Shared(Generic[T]):
    """One fetch of *global* data shared by requests close in time.

    Only for what holds no viewer: the trending sample, the vector index state. Requests
    within ``ttl_s`` of each other (and, when given, request times within ``ttl_s`` too)
    share one fetch; a failed fetch is not kept. Nothing personal is ever shared:
    profiles, filters and affinities are read per request, so a like, a follow or a
    "not interested" shows on the very next page.
    """

    ttl_s: float
    _entry: tuple[float, int, asyncio.Future[T]] | None = field(default=None, repr=False)

    def get(self, fetch: Callable[[], Awaitable[T]], now: int = 0) -> asyncio.Future[T]:
        clock = time.monotonic()
        if self._entry is not None:
            fetched_at, fetched_now, future = self._entry
            usable = (
                clock - fetched_at <= self.ttl_s
                and abs(now - fetched_now) <= self.ttl_s * 1000
                and future.get_loop() is asyncio.get_running_loop()
                and not (future.done() and (future.cancelled() or future.exception()))
            )
            if usable:
                return future
        future = asyncio.ensure_future(fetch())
        self._entry = (clock, now, future)
        return future
