"""The feed engine: one request through the pipeline of its mode.

context -> sources (concurrent, each under its budget, fail-open) -> merge ->
filters (the cursor check, one batched hydration query, the rest) -> scorer ->
diversifier -> explanations -> impressions. Every stage reports its name, counts
kept / removed and its time, in :attr:`FeedPage.stages`.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from graph.db import AsyncGraph
from graph.errors import NotFoundError
from graph.feed.candidate import (
    Candidate,
    SourceHit,
    merge,
)
from graph.feed.config import PATIENT, FeedConfig
from graph.feed.cursor import Cursor
from graph.feed.diversify import Pick, SlateItem, diversify
from graph.feed.explain import explain
from graph.feed.filters import FilterContext
from graph.feed.hydrate import affinity_for, facts_from_record, normalise_source_scores
from graph.feed.model import FeedItem, FeedPage, FeedRequest, StageReport
from graph.feed.pipeline import PIPELINES, FeedPipeline
from graph.feed.profile import UserProfile, build_profile
from graph.feed.scoring import features, score
from graph.feed.shared import Shared
from graph.feed.sources import CandidateSource, FoldIn, RequestScope, SharedFetches

log = logging.getLogger(__name__)


@dataclass
class _Stages:
    """Collects stage reports with timings."""

    reports: list[StageReport] = field(default_factory=list)

    def add(self, name: str, kept: int, removed: int, started: float, status: str = "ok") -> None:
        ms = (time.perf_counter() - started) * 1000
        self.reports.append(StageReport(name, kept, removed, round(ms, 2), status))


async def fold_in_from_embeddings(
    graph: AsyncGraph, profile: UserProfile
) -> Sequence[float] | None:
    """A viewer without a stored vector gets one folded in from the embedded videos and
    creators they engaged with (graph.embed), computed per request, never stored here."""
    # Imported on first use: the embedding package pulls in the training stack.
    from graph.embed import fold_in_user_async

    return await fold_in_user_async(graph, profile.user_id)


@dataclass
class _Ranked:
    """One request after scoring: what the selector and the page need."""

    pipeline: FeedPipeline
    cursor: Cursor
    scope: RequestScope
    candidates: list[Candidate]
    stages: _Stages


class FeedEngine:
    """Builds feed pages from the graph. One engine per process; it holds no user state
    (nothing is cached between requests, so a like or a follow shows in the next page).

    ``fold_in`` gives a vector to a viewer who has none (default: graph.embed's fold-in).
    """

    def __init__(
        self, graph: AsyncGraph, config: FeedConfig | None = None, *, fold_in: FoldIn | None = None
    ) -> None:
        self.graph = graph
        self.config = config or FeedConfig()
        self.fold_in = fold_in if fold_in is not None else fold_in_from_embeddings
        config = self.config
        self.shared = SharedFetches(
            activity=Shared(config.trend_cache_s) if config.trend_cache_s > 0 else None,
            video_index=Shared(config.index_cache_s) if config.index_cache_s > 0 else None,
            popular=Shared(config.popular_cache_s) if config.popular_cache_s > 0 else None,
        )

    async def warm_up(self) -> None:
        """Run every mode once for some user, without recording anything, so query plans are
        compiled and connections open before the first real request meets its budgets."""
        rows = await self.graph.read("feed/any_user", timeout_s=self.config.budgets.required_s)
        if not rows:
            return
        patient = FeedEngine(
            self.graph, replace(self.config, budgets=PATIENT), fold_in=self.fold_in
        )
        for mode in PIPELINES:
            request = FeedRequest(rows[0]["userId"], mode=mode, record_impressions=False)
            await patient.feed(request)

    async def candidates(self, request: FeedRequest) -> list[Candidate]:
        """Every candidate ``request`` would rank, filtered, hydrated and scored (features,
        contributions, score), best first: the feed before diversification, recording
        nothing. ``fyp train-ranker`` fits the scorer on exactly these features."""
        ranked = await self._rank(request)
        return sorted(ranked.candidates, key=lambda c: (-c.score, c.video_id))

    async def _rank(self, request: FeedRequest) -> _Ranked:
        """Context, sources, merge, filters, hydration and scoring for one request."""
        pipeline = PIPELINES[request.mode]
        cursor = Cursor.decode(request.after) if request.after else None
        stages = _Stages()

        started = time.perf_counter()
        profile, now = await self._context(request, pipeline, cursor)
        stages.add("context", len(profile.recent), 0, started)
        cursor = cursor or Cursor(now=now, offset=0)

        scope = RequestScope(
            self.graph, self.config, request, profile, now, self.fold_in, self.shared
        )
        hits = await self._run_sources(pipeline.sources, scope, stages)

        started = time.perf_counter()
        candidates = self._merge(hits)
        stages.add("merge", len(candidates), len(hits) - len(candidates), started)

        context = FilterContext(request.user_id, request.controls, frozenset(cursor.served))
        candidates = self._filter(candidates, pipeline, context, stages, before_hydration=True)
        candidates = await self._hydrate(candidates, scope, pipeline, stages)
        candidates = self._filter(candidates, pipeline, context, stages, before_hydration=False)

        started = time.perf_counter()
        self._score(candidates, profile, now, pipeline)
        stages.add("score", len(candidates), 0, started)
        return _Ranked(pipeline, cursor, scope, candidates, stages)

    async def feed(self, request: FeedRequest) -> FeedPage:
        ranked = await self._rank(request)
        pipeline, cursor, scope = ranked.pipeline, ranked.cursor, ranked.scope
        candidates, stages = ranked.candidates, ranked.stages
        profile, now = scope.profile, scope.now
        request_id = uuid.uuid4().hex

        started = time.perf_counter()
        picks = await self._diversify(candidates, request, pipeline, cursor, scope)
        stages.add("diversify", len(picks), len(candidates) - len(picks), started)

        by_id = {candidate.video_id: candidate for candidate in candidates}
        items = [
            self._item(by_id[pick.item.key], cursor.offset + i, profile, pick.exploration)
            for i, pick in enumerate(picks)
        ]
        if request.record_impressions and items:
            started = time.perf_counter()
            status = await self._record_impressions(request.user_id, items, now, request_id)
            stages.add("impressions", len(items), 0, started, status)

        next_cursor = cursor.next([item.video_id for item in items])
        page = FeedPage(
            items=items,
            end_cursor=next_cursor.encode(),
            has_next_page=len(candidates) > len(items),
            stages=stages.reports,
            request_id=request_id,
            mode=request.mode,
            now=now,
        )
        log.debug(
            "feed %s mode=%s items=%d stages=%s", request_id, request.mode, len(items),
            " ".join(f"{s.name}:{s.kept}/{s.removed}/{s.ms}ms/{s.status}" for s in stages.reports),
        )  # fmt: skip
        return page

    # -- stages ------------------------------------------------------------------------

    async def _context(
        self, request: FeedRequest, pipeline: FeedPipeline, cursor: Cursor | None
    ) -> tuple[UserProfile, int]:
        records = await self.graph.read(
            "feed/context",
            timeout_s=self.config.budgets.required_s,
            userId=request.user_id,
            recentLimit=self.config.sizes.recent_interactions if pipeline.personal else 0,
        )
        if not records:
            raise NotFoundError(f"no user with id {request.user_id!r}")
        record = records[0]
        profile = build_profile(
            request.user_id,
            record,
            interests=request.controls.interests if pipeline.personal else (),
            signals=self.config.signals,
        )
        if not pipeline.personal:
            profile = UserProfile(user_id=request.user_id, name=profile.name)
        return profile, self._now(request, cursor, record)

    def _now(self, request: FeedRequest, cursor: Cursor | None, record: dict[str, Any]) -> int:
        """See graph.feed.config: request, cursor, config, latest activity, wall clock."""
        if request.now is not None:
            return request.now
        if cursor is not None:
            return cursor.now
        if self.config.now_ms is not None:
            return self.config.now_ms
        wall = int(time.time() * 1000)
        if not self.config.follow_data_clock:
            return wall
        latest = [int(record[k]) for k in ("latestEventAt", "latestVideoAt") if record.get(k)]
        return min(wall, max(latest)) if latest else wall

    async def _run_sources(
        self, sources: Sequence[CandidateSource], scope: RequestScope, stages: _Stages
    ) -> list[SourceHit]:
        results = await asyncio.gather(*(self._run_source(s, scope) for s in sources))
        hits: list[SourceHit] = []
        for source, (found, status, ms) in zip(sources, results, strict=True):
            stages.reports.append(
                StageReport(f"source:{source.name}", len(found), 0, round(ms, 2), status)
            )
            hits.extend(found)
        return hits

    async def _run_source(
        self, source: CandidateSource, scope: RequestScope
    ) -> tuple[list[SourceHit], str, float]:
        """Fail-open: a source that raises or overruns its budget yields nothing."""
        started = time.perf_counter()
        budget = scope.budget_s(source.name)
        try:
            found = await asyncio.wait_for(source.fetch(scope), timeout=budget)
            status = "skipped" if found is None else "ok"
            result = found or []
        except TimeoutError:
            log.warning("source %s timed out after %.0f ms; dropped", source.name, budget * 1000)
            result, status = [], "timeout"
        except Exception as error:  # fail-open by design: one source never sinks the feed
            log.warning("source %s failed (%s: %s); dropped", source.name,
                        type(error).__name__, error)  # fmt: skip
            result, status = [], "failed"
        return result, status, (time.perf_counter() - started) * 1000

    def _merge(self, hits: list[SourceHit]) -> list[Candidate]:
        """Dedupe keeping every reason, then keep the best ``max_candidates`` by their best
        rank within any source (so every source gets its top items through)."""
        rank: dict[str, int] = {}
        position: dict[str, int] = {}
        for hit in hits:
            position[hit.source] = position.get(hit.source, -1) + 1
            rank[hit.video_id] = min(rank.get(hit.video_id, 1 << 30), position[hit.source])
        candidates = list(merge(hits).values())
        candidates.sort(key=lambda c: (rank[c.video_id], -len(c.hits)))
        return candidates[: self.config.sizes.max_candidates]

    def _filter(
        self,
        candidates: list[Candidate],
        pipeline: FeedPipeline,
        context: FilterContext,
        stages: _Stages,
        *,
        before_hydration: bool,
    ) -> list[Candidate]:
        for rule in pipeline.filters:
            if rule.before_hydration != before_hydration:
                continue
            started = time.perf_counter()
            kept = [candidate for candidate in candidates if rule.keep(candidate, context)]
            stages.add(f"filter:{rule.name}", len(kept), len(candidates) - len(kept), started)
            candidates = kept
        return candidates

    async def _hydrate(
        self,
        candidates: list[Candidate],
        scope: RequestScope,
        pipeline: FeedPipeline,
        stages: _Stages,
    ) -> list[Candidate]:
        """One batched query for everything filters and scorer need."""
        started = time.perf_counter()
        vector = await scope.user_vector() if pipeline.personal else None
        records = await self.graph.read(
            "feed/hydrate",
            timeout_s=self.config.budgets.required_s,
            userId=scope.profile.user_id,
            videoIds=[candidate.video_id for candidate in candidates],
            userVector=list(vector) if vector is not None else None,
        )
        by_id = {record["videoId"]: record for record in records}
        for candidate in candidates:
            record = by_id.get(candidate.video_id)
            if record is not None:
                candidate.facts = facts_from_record(record, personal=pipeline.personal)
        stages.add("hydrate", len(records), len(candidates) - len(records), started)
        return candidates

    def _score(
        self, candidates: list[Candidate], profile: UserProfile, now: int, pipeline: FeedPipeline
    ) -> None:
        normalise_source_scores(candidates)
        for candidate in candidates:
            assert candidate.facts is not None  # the "unavailable" filter removed the rest
            candidate.age_ms = max(0, now - candidate.facts.created_at)
            if pipeline.personal:
                candidate.affinity = affinity_for(candidate.facts, profile)
            candidate.features = features(candidate, self.config.features)
            candidate.score, candidate.contributions = score(
                candidate.features, self.config.weights
            )

    async def _diversify(
        self,
        candidates: list[Candidate],
        request: FeedRequest,
        pipeline: FeedPipeline,
        cursor: Cursor,
        scope: RequestScope,
    ) -> list[Pick]:
        controls = request.controls
        ranked = sorted(candidates, key=lambda c: (-c.score, c.video_id))
        vectors: dict[str, list[float]] = {}
        # Embeddings only where MMR uses them and the graph has them (no index: none).
        if controls.diversity > 0 and ranked and (await scope.video_index()).online:
            pool = ranked[: request.first * self.config.sizes.mmr_pool_factor]
            rows = await self.graph.read(
                "feed/embeddings",
                timeout_s=self.config.budgets.required_s,
                videoIds=[c.video_id for c in pool],
            )
            vectors = {row["videoId"]: row["embedding"] for row in rows}
        items = [
            SlateItem(
                key=c.video_id,
                score=c.score,
                creator=c.facts.creator_id if c.facts else None,
                sound=c.facts.sound_id if c.facts else None,
                hashtags=c.facts.hashtags if c.facts else (),
                explorable=pipeline.exploration and explorable(c, pipeline.personal),
                vector=vectors.get(c.video_id),
            )
            for c in ranked
        ]
        rng = random.Random(f"{self.config.seed}:{request.user_id}:{cursor.now}:{cursor.offset}")
        return diversify(
            items,
            request.first,
            strength=controls.diversity,
            exploration=controls.exploration,
            rng=rng,
        )

    def _item(
        self, candidate: Candidate, position: int, profile: UserProfile, exploration: bool
    ) -> FeedItem:
        facts = candidate.facts
        assert facts is not None
        return FeedItem(
            video_id=candidate.video_id,
            score=round(candidate.score, 6),
            position=position,
            sources=candidate.sources,
            explanation=explain(candidate, profile, exploration=exploration),
            creator_id=facts.creator_id,
            sound_id=facts.sound_id,
            hashtags=facts.hashtags,
            caption=facts.caption or None,
            created_at=facts.created_at,
            exploration=exploration,
        )

    async def _record_impressions(
        self, user_id: str, items: list[FeedItem], now: int, request_id: str
    ) -> str:
        """SERVED + Video.impressions + one impression Event per item, through ingestion's
        own statement so the counters mean exactly what an imported impression means. Event
        ids derive from the request, so a retried transaction records nothing twice.

        A side effect, so fail-open: the page is still served (the cursor alone keeps the
        next page from repeating it), and the failure is logged and reported."""
        events = [
            {
                "id": f"impression:{request_id}:{item.video_id}",
                "type": "impression",
                "at": now,
                "userId": user_id,
                "videoId": item.video_id,
                "requestId": request_id,
            }
            for item in items
        ]
        try:
            await self.graph.write(
                "ingest/events_impression", timeout_s=self.config.budgets.required_s, events=events
            )
        except Exception as error:  # fail-open by design, see above
            log.warning("recording impressions failed (%s: %s)", type(error).__name__, error)
            return "failed"
        return "ok"


def explorable(candidate: Candidate, personal: bool) -> bool:
    """Outside the viewer's bubble: fresh (it needs a first audience), or, for a profiled
    viewer, by a creator and with hashtags they never engaged with.

    Whichever source proposed it: the diversifier fills an exploration slot with one of
    the best-scored explorable videos, so when a collaborative source (co_engagement,
    personal) proposes new territory, it is the new territory that viewers like this one
    took to, not a random one. On KuaiRand's validation week (500 users) exploration
    slots limited to videos *no* personal source proposed cost 0.014 of recall@50
    (0.286 against 0.299 without exploration); these cost nothing (0.300)."""
    if "fresh" in candidate.hits:
        return True
    return personal and candidate.affinity.creator == 0 and candidate.affinity.hashtag == 0
