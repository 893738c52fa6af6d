"""The non-personal lists every viewer shares: trending, viral and popular videos.

Each is one query over the graph's recent activity, the same for every viewer at a
given *now*; :class:`SharedLists` fetches them once per ``trend_cache_s`` /
``popular_cache_s`` (in the background while the API serves, see
:meth:`SharedLists.warm`) and ranks them once, so a request only filters them.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from graph.db import AsyncGraph
from graph.feed.candidate import Proposal, SourceHit
from graph.feed.catalogue.store import Catalogue
from graph.feed.config import FeedConfig
from graph.feed.scoring import DAY_MS
from graph.feed.shared import Pool
from graph.feed.trends import SAMPLED_TYPES, RecentActivity, trending, viral


@dataclass(frozen=True)
class Trends:
    trending: tuple[SourceHit, ...]
    viral: tuple[SourceHit, ...]


@dataclass(frozen=True)
class PoolLists:
    """The shared lists for one request time, best first (each source filters them); a
    list is None when its fetch failed or overran its budget (``errors`` says how)."""

    trending: tuple[SourceHit, ...] | None = ()
    viral: tuple[SourceHit, ...] | None = ()
    popular: tuple[SourceHit, ...] | None = ()
    errors: tuple[tuple[str, str], ...] = ()

    def proposal(self, name: str, catalogue: Catalogue) -> Proposal:
        """The list as a proposal over ``catalogue`` (built once per list and catalogue
        version: every request near in time filters the same one)."""
        hits = self.require(name)
        key = ("shared", name, id(hits))
        found: tuple[tuple[SourceHit, ...], Proposal] | None = catalogue.memo.get(key)
        if found is None:
            # The hits are kept with their proposal, so their id is not reused meanwhile.
            found = (hits, Proposal.from_hits(name, hits, catalogue.number))
            catalogue.remember(key, found)
        return found[1]

    def require(self, name: str) -> tuple[SourceHit, ...]:
        found: tuple[SourceHit, ...] | None = getattr(self, name)
        if found is None:
            why = dict(self.errors).get(name, "unavailable")
            if why == "timeout":
                raise TimeoutError(f"the shared {name} list overran its budget")
            raise PoolUnavailable(f"the shared {name} list is unavailable ({why})")
        return found


class PoolUnavailable(RuntimeError):
    """A shared list could not be fetched for this request (its sources are dropped)."""


class SharedLists:
    def __init__(self, graph: AsyncGraph, config: FeedConfig) -> None:
        self.graph = graph
        self.config = config
        self.trends: Pool[Trends] = Pool(self._fetch_trends, max(config.trend_cache_s, 1e-3))
        self.popular: Pool[tuple[SourceHit, ...]] = Pool(
            self._fetch_popular, max(config.popular_cache_s, 1e-3)
        )

    async def get(self, now: int) -> PoolLists:
        budget = self.config.budgets.non_personal_s
        trends, popular = await asyncio.gather(
            asyncio.wait_for(self.trends.get(now), budget),
            asyncio.wait_for(self.popular.get(now), budget),
            return_exceptions=True,
        )
        errors: list[tuple[str, str]] = []
        if isinstance(trends, BaseException):
            errors += [("trending", _why(trends)), ("viral", _why(trends))]
        if isinstance(popular, BaseException):
            errors.append(("popular", _why(popular)))
        return PoolLists(
            trending=None if isinstance(trends, BaseException) else trends.trending,
            viral=None if isinstance(trends, BaseException) else trends.viral,
            popular=None if isinstance(popular, BaseException) else popular,
            errors=tuple(errors),
        )

    def warm(self, now: int) -> None:
        """Refresh whichever list is due, in the background (requests keep the old one)."""
        self.trends.warm(now)
        self.popular.warm(now)

    async def _fetch_trends(self, now: int) -> Trends:
        config = self.config
        records = await self.graph.read(
            "feed/recent_activity",
            timeout_s=config.budgets.non_personal_s,
            types=list(SAMPLED_TYPES),
            now=now,
            since=now - config.windows.trending_ms,
            perType=config.sizes.trend_per_type,
            minEvents=config.sizes.trend_min_events,
            completeRatio=config.complete_ratio,
        )
        activity = RecentActivity.from_records(now, records, config.trends)
        # Every viewer filters these; rank deeper than one source's share of a page.
        depth = config.sizes.popular
        return Trends(
            tuple(trending(activity, config.trends, depth)),
            tuple(viral(activity, config.trends, depth)),
        )

    async def _fetch_popular(self, now: int) -> tuple[SourceHit, ...]:
        config = self.config
        window = config.windows.popular_ms
        rows = await self.graph.read(
            "feed/source_popular",
            timeout_s=config.budgets.non_personal_s,
            now=now,
            since=now - window,
            completeRatio=config.complete_ratio,
            longViewMs=config.windows.long_view_ms,
            days=window / DAY_MS,
            limit=config.sizes.popular,
        )
        return tuple(
            SourceHit(row["videoId"], "popular", float(row["score"] or 0.0),
                      dict(row["reason"] or {}))
            for row in rows
        )  # fmt: skip


def _why(error: BaseException) -> str:
    if isinstance(error, TimeoutError):
        return "timeout"
    return f"{type(error).__name__}: {error}"
