"""Candidate sources: each a named query that proposes videos with a score and a reason.

A source returns ``None`` when it has nothing to ask (no follows, no history): that is
reported as *skipped*, not as a failure. Each source runs under its own time budget
(see :class:`graph.feed.config.Budgets`); the engine drops one that fails or overruns.
Fan-out is bounded inside every query (a LIMIT at each hop, sizes from
:class:`graph.feed.config.Sizes`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from graph.db import AsyncGraph, Record
from graph.feed.candidate import NON_PERSONAL_SOURCES, SourceHit
from graph.feed.config import FeedConfig
from graph.feed.model import FeedRequest
from graph.feed.profile import Tally, UserProfile
from graph.feed.scoring import DAY_MS
from graph.feed.shared import Shared
from graph.feed.trends import SAMPLED_TYPES, RecentActivity, trending, viral

log = logging.getLogger(__name__)

#: Computes a vector for a viewer who has none yet, from what they engaged with.
FoldIn = Callable[[AsyncGraph, UserProfile], Awaitable[Sequence[float] | None]]


@dataclass
class SharedFetches:
    """The engine's shared fetches (see :class:`Shared`); a TTL of 0 turns one off."""

    activity: Shared[RecentActivity] | None = None
    video_index: Shared[VectorIndexState] | None = None
    popular: Shared[list[SourceHit]] | None = None


@dataclass(frozen=True)
class VectorIndexState:
    online: bool
    dimensions: int | None = None


@dataclass
class RequestScope:
    """What one request's sources share: the viewer, the clock, and lazy shared fetches."""

    graph: AsyncGraph
    config: FeedConfig
    request: FeedRequest
    profile: UserProfile
    now: int
    fold_in: FoldIn | None = None
    shared: SharedFetches = field(default_factory=SharedFetches)
    _activity: asyncio.Future[RecentActivity] | None = field(default=None, repr=False)
    _vector: asyncio.Future[Sequence[float] | None] | None = field(default=None, repr=False)
    _index: asyncio.Future[VectorIndexState] | None = field(default=None, repr=False)

    def budget_s(self, source: str) -> float:
        budgets = self.config.budgets
        return budgets.non_personal_s if source in NON_PERSONAL_SOURCES else budgets.source_s

    async def recent_activity(self) -> RecentActivity:
        """The newest events, fetched once per request for trending and viral together."""
        if self._activity is None:
            if self.shared.activity is not None:
                self._activity = self.shared.activity.get(self._fetch_activity, self.now)
            else:
                self._activity = asyncio.ensure_future(self._fetch_activity())
        # Shielded: one source's timeout must not cancel the fetch the other awaits.
        return await asyncio.shield(self._activity)

    async def _fetch_activity(self) -> RecentActivity:
        config = self.config
        records = await self.graph.read(
            "feed/recent_activity",
            timeout_s=config.budgets.non_personal_s,
            types=list(SAMPLED_TYPES),
            now=self.now,
            since=self.now - config.windows.trending_ms,
            perType=config.sizes.trend_per_type,
            minEvents=config.sizes.trend_min_events,
            completeRatio=config.complete_ratio,
        )
        return RecentActivity.from_records(self.now, records, config.trends)

    async def video_index(self) -> VectorIndexState:
        """Whether the video vector index is online (and its dimensions), asked once."""
        if self._index is None:
            if self.shared.video_index is not None:
                self._index = self.shared.video_index.get(self._fetch_index)
            else:
                self._index = asyncio.ensure_future(self._fetch_index())
        return await asyncio.shield(self._index)

    async def _fetch_index(self) -> VectorIndexState:
        rows = await self.graph.read(
            "feed/vector_index",
            timeout_s=self.config.budgets.required_s,
            indexName=self.config.video_vector_index,
        )
        if not rows or rows[0]["state"] != "ONLINE":
            return VectorIndexState(online=False)
        dimensions = rows[0].get("dimensions")
        return VectorIndexState(True, int(dimensions) if dimensions is not None else None)

    async def user_vector(self) -> Sequence[float] | None:
        """The viewer's stored embedding, else a fold-in, computed once per request."""
        if self.profile.embedding is not None:
            return self.profile.embedding
        if self.fold_in is None or not self.profile.has_history:
            return None
        if self._vector is None:
            self._vector = asyncio.ensure_future(self.fold_in(self.graph, self.profile))
        return await asyncio.shield(self._vector)


class CandidateSource(Protocol):
    @property
    def name(self) -> str: ...

    async def fetch(self, scope: RequestScope) -> list[SourceHit] | None: ...


def _hits(name: str, rows: list[Record]) -> list[SourceHit]:
    return [
        SourceHit(row["videoId"], name, float(row["score"] or 0.0), dict(row["reason"] or {}))
        for row in rows
    ]


@dataclass(frozen=True)
class CypherSource:
    """A source that is one named query; ``params`` says what to ask, or None to skip."""

    name: str
    query: str
    params: Callable[[RequestScope], dict[str, Any] | None]

    async def fetch(self, scope: RequestScope) -> list[SourceHit] | None:
        params = self.params(scope)
        if params is None:
            return None
        rows = await scope.graph.read(self.query, timeout_s=scope.budget_s(self.name), **params)
        return _hits(self.name, rows)


def _following(scope: RequestScope) -> dict[str, Any] | None:
    if scope.profile.following == 0:
        return None
    sizes = scope.config.sizes
    return {
        "userId": scope.profile.user_id,
        "now": scope.now,
        "halfLifeMs": scope.config.windows.half_life_ms,
        "maxCreators": sizes.following_creators,
        "perCreator": sizes.following_per_creator,
        "limit": sizes.per_source,
    }


def _co_engagement(scope: RequestScope) -> dict[str, Any] | None:
    """Walks CO_ENGAGED from the viewer's live history, so it needs no profile seeds: a
    viewer whose only history is beyond the profile window still gets neighbours."""
    if not scope.profile.has_history:
        return None
    config = scope.config
    return {
        "userId": scope.profile.user_id,
        "seedLimit": config.sizes.co_engagement_seeds,
        "completeRatio": config.complete_ratio,
        "longViewMs": config.windows.long_view_ms,
        "seedHalfLifeMs": config.windows.seed_half_life_ms,
        "now": scope.now,
        "limit": config.sizes.per_source,
    }


def _personal(scope: RequestScope) -> dict[str, Any] | None:
    """The viewer's precomputed list; a viewer with no history has none worth asking for."""
    if not scope.profile.has_history:
        return None
    return {
        "userId": scope.profile.user_id,
        "now": scope.now,
        "limit": scope.config.sizes.per_source,
    }


def _weighted(top: list[Tally], key: str) -> list[dict[str, Any]]:
    """Query parameter maps with each weight relative to the strongest (0..1)."""
    best = top[0].weight if top else 1.0
    return [{key: tally.key, "weight": tally.weight / best} for tally in top]


def _hashtag_affinity(scope: RequestScope) -> dict[str, Any] | None:
    sizes = scope.config.sizes
    profile = scope.profile
    top = profile.top(profile.hashtags, sizes.affinity_hashtags)
    if not top:
        return None
    return {
        "userId": profile.user_id,
        "hashtags": _weighted(top, "name"),
        "perHashtag": sizes.affinity_per_hashtag,
        "halfLifeMs": scope.config.windows.half_life_ms,
        "now": scope.now,
        "limit": sizes.per_source,
    }


def _sound_affinity(scope: RequestScope) -> dict[str, Any] | None:
    sizes = scope.config.sizes
    profile = scope.profile
    top = profile.top(profile.sounds, sizes.affinity_sounds)
    if not top:
        return None
    return {
        "userId": profile.user_id,
        "sounds": _weighted(top, "id"),
        "perSound": sizes.affinity_per_sound,
        "halfLifeMs": scope.config.windows.half_life_ms,
        "now": scope.now,
        "limit": sizes.per_source,
    }


def _social(scope: RequestScope) -> dict[str, Any] | None:
    if scope.profile.following == 0:
        return None
    sizes = scope.config.sizes
    return {
        "userId": scope.profile.user_id,
        "maxFollowees": sizes.social_followees,
        "perFollowee": sizes.social_per_followee,
        "now": scope.now,
        "limit": sizes.per_source,
    }


def _fresh(scope: RequestScope) -> dict[str, Any]:
    config = scope.config
    return {
        "userId": scope.profile.user_id,
        "now": scope.now,
        "since": scope.now - config.windows.fresh_ms,
        "scan": config.sizes.fresh_scan,
        "halfLifeMs": config.windows.half_life_ms,
        "audience": config.windows.fresh_audience,
        "limit": config.sizes.per_source,
    }


@dataclass(frozen=True)
class EmbeddingSource:
    """Nearest videos to the viewer's vector; skipped when there is no index or no vector."""

    name: str = "embedding"

    async def fetch(self, scope: RequestScope) -> list[SourceHit] | None:
        config = scope.config
        index = await scope.video_index()
        if not index.online:
            return None
        vector = await scope.user_vector()
        if vector is None:
            return None
        if index.dimensions is not None and index.dimensions != len(vector):
            log.warning(
                "embedding source: viewer vector has %d dimensions, index %s has %d",
                len(vector), config.video_vector_index, index.dimensions,
            )  # fmt: skip
            return None
        rows = await scope.graph.read(
            "feed/source_embedding",
            timeout_s=scope.budget_s(self.name),
            indexName=config.video_vector_index,
            vector=list(vector),
            k=config.sizes.embedding_neighbours,
            userId=scope.profile.user_id,
            now=scope.now,
            limit=config.sizes.per_source,
        )
        return _hits(self.name, rows)


@dataclass(frozen=True)
class PopularSource:
    """Recent popularity: global, so one fetch serves the requests of a few minutes (a
    7-day count barely moves in that time); the viewer's filters drop what they saw."""

    name: str = "popular"

    async def fetch(self, scope: RequestScope) -> list[SourceHit] | None:
        shared = scope.shared.popular
        if shared is None:
            return await self._fetch(scope)
        return await asyncio.shield(shared.get(lambda: self._fetch(scope), scope.now))

    async def _fetch(self, scope: RequestScope) -> list[SourceHit]:
        config = scope.config
        window = config.windows.popular_ms
        rows = await scope.graph.read(
            "feed/source_popular",
            timeout_s=scope.budget_s(self.name),
            now=scope.now,
            since=scope.now - window,
            completeRatio=config.complete_ratio,
            longViewMs=config.windows.long_view_ms,
            days=window / DAY_MS,
            limit=config.sizes.popular,
        )
        return _hits(self.name, rows)


@dataclass(frozen=True)
class TrendSource:
    """Trending or viral: pure scoring over the request's shared recent-activity sample."""

    name: str
    rank: Callable[[RecentActivity, Any, int], list[SourceHit]]

    async def fetch(self, scope: RequestScope) -> list[SourceHit] | None:
        activity = await scope.recent_activity()
        return self.rank(activity, scope.config.trends, scope.config.sizes.per_source)


SOURCES: Mapping[str, CandidateSource] = {
    source.name: source
    for source in (
        CypherSource("following", "feed/source_following", _following),
        CypherSource("co_engagement", "feed/source_co_engagement", _co_engagement),
        CypherSource("personal", "feed/source_personal", _personal),
        CypherSource("hashtag_affinity", "feed/source_hashtag_affinity", _hashtag_affinity),
        CypherSource("sound_affinity", "feed/source_sound_affinity", _sound_affinity),
        EmbeddingSource(),
        TrendSource("trending", trending),
        TrendSource("viral", viral),
        PopularSource(),
        CypherSource("fresh", "feed/source_fresh", _fresh),
        CypherSource("social", "feed/source_social", _social),
    )
}
