"""The feed engine: one request through the pipeline of its mode, over a read model.

Serving is two-tier. The expensive graph work runs nearline and is written into the
graph (``fyp precompute``: co-engagement neighbours and each viewer's personal list;
``fyp embed``: vectors); each process keeps a read model of the catalogue
(:mod:`graph.feed.catalogue`) refreshed from Neo4j in the background, and shares the
non-personal lists (:mod:`graph.feed.pools`). A request then does one indexed viewer
read (:mod:`graph.feed.viewer`) and everything else in memory:

viewer read (+ shared lists) -> sources -> merge -> filters -> widening, when the feed
runs dry (:mod:`graph.feed.widen`) -> candidate hydrators -> scorer -> selector ->
explanations -> impressions (behind the response in the API).

Every stage reports its name, counts kept / removed and its time in
:attr:`FeedPage.stages`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np
from numpy.typing import NDArray

from graph.db import AsyncGraph, Record
from graph.feed.candidate import Candidate, Proposal
from graph.feed.catalogue.store import Memory
from graph.feed.catalogue.sync import CatalogueSync
from graph.feed.config import FeedConfig
from graph.feed.cursor import Cursor
from graph.feed.explain import explain
from graph.feed.hydrators.vector import viewer_vector
from graph.feed.model import FeedItem, FeedPage, FeedRequest, StageReport
from graph.feed.pipeline import IMPRESSIONS, PIPELINES, SHARED_LISTS, VECTOR
from graph.feed.policy import effective_mode, merged_controls
from graph.feed.pools import PoolLists, SharedLists
from graph.feed.profile import UserProfile
from graph.feed.query import FeedQuery
from graph.feed.scorers import explain as put_features
from graph.feed.side_effects.impressions import ImpressionSink, InlineImpressions, impression_events
from graph.feed.slate import Slate
from graph.feed.sources import SOURCES, CandidateSource
from graph.feed.viewer import profile_of, read_viewer
from graph.feed.widen import (
    LONG_TAIL,
    RESURFACED,
    WIDEN_BELOW_PAGES,
    long_tail,
    page_ranking,
    resurfaced,
)

log = logging.getLogger(__name__)


@dataclass
class _Stages:
    """Collects stage reports with timings."""

    reports: list[StageReport] = field(default_factory=list)

    def add(self, name: str, kept: int, removed: int, started: float, status: str = "ok") -> None:
        ms = (time.perf_counter() - started) * 1000
        self.reports.append(StageReport(name, kept, removed, round(ms, 3), status))


@dataclass
class _Ranked:
    """One request after scoring: what the selector and the page need."""

    query: FeedQuery
    slate: Slate
    features: NDArray[np.float64]
    stages: _Stages


class FeedEngine:
    """Builds feed pages. One engine per process: it owns the catalogue read model, the
    shared non-personal lists and the impression writer; it holds no viewer state (the
    viewer read is fresh for every request, so a like or a follow shows on the next page).

    ``impressions``: where served pages are recorded (default: written before the page is
    returned; the API passes a background writer). Call :meth:`start` to refresh the read
    model in the background (the API); without it, a request refreshes it first whenever
    it is older than ``config.max_staleness_s``.
    """

    def __init__(
        self,
        graph: AsyncGraph,
        config: FeedConfig | None = None,
        *,
        impressions: ImpressionSink | None = None,
        catalogue: CatalogueSync | None = None,
    ) -> None:
        self.graph = graph
        #: The config as given; :attr:`config` adds the settings ``fyp tune`` stored.
        self.base_config = config or FeedConfig()
        self.config = self.base_config
        self._tuned_at: int | None = None
        self.catalogue = catalogue or CatalogueSync(graph, self.config.catalogue)
        self.shared = SharedLists(graph, self.config)
        self.impressions = impressions or InlineImpressions(graph, self.config.budgets.required_s)
        self.sources: dict[str, CandidateSource] = dict(SOURCES)
        self._task: asyncio.Task[None] | None = None
        self._memory: tuple[float, Memory | None] = (0.0, None)

    # -- lifecycle ----------------------------------------------------------------------

    async def start(self) -> None:
        """Load the read model and keep it (and the shared lists) fresh in the background.
        A database that is down now does not stop the start: requests answer UNAVAILABLE
        and the refresher keeps trying, so serving resumes by itself."""
        try:
            await self.catalogue.ensure(self.config.max_staleness_s)
        except Exception as error:  # the background refresh retries; requests report it
            log.warning("catalogue read model not loaded yet (%s: %s); will retry",
                        type(error).__name__, error)  # fmt: skip
        self.catalogue.start()
        self.impressions.start()
        if self._task is None:
            self._task = asyncio.create_task(self._warm_lists(), name="feed-shared-lists")

    async def close(self) -> None:
        """Stop the background work and write every impression still queued."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self.catalogue.stop()
        await self.impressions.close()

    async def warm_up(self) -> None:
        """Load the read model and the shared lists for the current time, recording nothing."""
        await self.catalogue.ensure(self.config.max_staleness_s)
        await self.shared.get(self._now(None, None))

    async def flush(self) -> None:
        """Write the impressions queued behind responses (before a privacy export, reset
        or erasure reads or deletes the viewer's data)."""
        await self.impressions.flush()

    def invalidate(self) -> None:
        """This process just changed the catalogue: the next request refreshes first."""
        self.catalogue.invalidate()

    def read_model_memory(self) -> Memory:
        """What the read model holds: the catalogue's columns and the neighbour lists
        (measured at most once a minute: it walks every string the catalogue holds)."""
        measured_at, memory = self._memory
        if memory is None or time.monotonic() - measured_at > 60:
            catalogue = self.catalogue.catalogue.memory()
            memory = Memory(catalogue.videos, catalogue.bytes + self.catalogue.neighbours.nbytes)
            self._memory = (time.monotonic(), memory)
        return memory

    def video_rows(self, video_ids: Sequence[str]) -> list[Record | None]:
        """Videos as the API's ``api/videos_by_id`` rows, from the read model (None for one
        it does not hold, or that was removed), so a page costs no second query."""
        catalogue = self.catalogue.catalogue
        return [catalogue.api_row(video_id) for video_id in video_ids]

    async def _warm_lists(self) -> None:
        while True:
            await asyncio.sleep(self.config.catalogue.refresh_s)
            with contextlib.suppress(Exception):
                self.shared.warm(self._now(None, None))

    # -- requests -----------------------------------------------------------------------

    async def candidates(self, request: FeedRequest) -> list[Candidate]:
        """Every candidate ``request`` would rank, filtered, hydrated and scored (features,
        contributions, score), best first: the feed before diversification, recording
        nothing. ``fyp train-ranker`` fits the scorer on exactly these features."""
        ranked = await self._rank(request)
        found = []
        for row in range(len(ranked.slate)):
            candidate = ranked.slate.candidate(row)
            put_features(candidate, ranked.features[row], ranked.query)
            found.append(candidate)
        return sorted(found, key=lambda c: (-c.score, c.video_id))

    async def feed(self, request: FeedRequest) -> FeedPage:
        ranked = await self._rank(request)
        query, slate, stages = ranked.query, ranked.slate, ranked.stages
        request_id = uuid.uuid4().hex
        started = time.perf_counter()
        ranking = page_ranking(slate)
        order = np.lexsort((slate.numbers, -ranking))
        ranked_slate = slate if ranking is slate.scores else replace(slate, scores=ranking)
        picks = query.pipeline.selector.select(query, ranked_slate, order)
        stages.add("diversify", len(picks), len(slate) - len(picks), started)

        items = []
        for position, pick in enumerate(picks):
            row = pick.row
            candidate = slate.candidate(row)
            put_features(candidate, ranked.features[row], query)
            items.append(self._item(candidate, query, query.cursor.offset + position,
                                    pick.exploration))  # fmt: skip
        if request.record_impressions and items and IMPRESSIONS in query.pipeline.side_effects:
            started = time.perf_counter()
            events = impression_events(
                request.user_id, [item.video_id for item in items], query.now, request_id
            )
            status = await self.impressions.record(events)
            stages.add("impressions", len(items), 0, started, status)

        next_cursor = query.cursor.next([item.video_id for item in items])
        page = FeedPage(
            items=items,
            end_cursor=next_cursor.encode(),
            # A widening feed goes on while anything can be shown (re-served, if need be).
            has_next_page=bool(items) if query.pipeline.widen else len(slate) > len(items),
            stages=stages.reports,
            request_id=request_id,
            mode=query.pipeline.mode,
            now=query.now,
        )
        log.debug(
            "feed %s mode=%s items=%d stages=%s", request_id, page.mode, len(items),
            " ".join(f"{s.name}:{s.kept}/{s.removed}/{s.ms}ms/{s.status}" for s in stages.reports),
        )  # fmt: skip
        return page

    async def _rank(self, request: FeedRequest) -> _Ranked:
        cursor = Cursor.decode(request.after) if request.after else None
        stages = _Stages()
        started = time.perf_counter()
        await self.catalogue.ensure(self.config.max_staleness_s)
        self._apply_tuned()
        stages.add("catalogue", self.catalogue.catalogue.size, 0, started)
        now = self._now(request, cursor)
        cursor = cursor or Cursor(now=now, offset=0)
        query = await self._hydrate_query(request, cursor, now, stages)
        pipeline = query.pipeline

        proposals = self._run_sources(query, stages)
        slate = self._merge_and_filter(query, proposals, stages)
        if pipeline.widen and len(slate) < request.first * WIDEN_BELOW_PAGES:
            started = time.perf_counter()
            proposals.append(long_tail(query, slate.numbers))
            stages.add(f"widen:{LONG_TAIL}", len(proposals[-1]), 0, started)
            slate = self._merge_and_filter(query, proposals, stages)
        if pipeline.widen and not len(slate):
            started = time.perf_counter()
            budget = self.config.budgets.required_s
            proposals.append(await resurfaced(self.graph, query, budget))
            stages.add(f"widen:{RESURFACED}", len(proposals[-1]), 0, started)
            slate = self._merge_and_filter(query, proposals, stages)

        for hydrator in pipeline.hydrators:
            if hydrator.personal and not pipeline.personal:
                continue
            started = time.perf_counter()
            hydrator.hydrate(query, slate)
            stages.add(f"hydrate:{hydrator.name}", len(slate), 0, started)

        started = time.perf_counter()
        features = pipeline.scorer.score(query, slate)
        stages.add("score", len(slate), 0, started)
        return _Ranked(query, slate, features, stages)

    def _merge_and_filter(
        self, query: FeedQuery, proposals: list[Proposal], stages: _Stages
    ) -> Slate:
        started = time.perf_counter()
        slate = Slate.merge(query.catalogue, proposals, self.config.sizes.max_candidates)
        proposed = sum(len(p) for p in proposals)
        stages.add("merge", len(slate), proposed - len(slate), started)
        for rule in query.pipeline.filters:
            started = time.perf_counter()
            mask = rule.keep(query, slate)
            kept = int(mask.sum())
            if kept < len(slate):
                slate = slate.keep(mask)
            stages.add(f"filter:{rule.name}", kept, len(mask) - kept, started)
        return slate

    async def _hydrate_query(
        self, request: FeedRequest, cursor: Cursor, now: int, stages: _Stages
    ) -> FeedQuery:
        """The viewer read (with the shared lists fetched meanwhile), then the policy: the
        viewer's settings may turn For You into the non-personalised feed."""
        asked = PIPELINES[request.mode]
        started = time.perf_counter()
        lists_task: asyncio.Task[PoolLists] | None = None
        if SHARED_LISTS in asked.query_hydrators:
            lists_task = asyncio.ensure_future(self.shared.get(now))
        try:
            viewer = await read_viewer(
                self.graph, self.config, request.user_id, personal=asked.personal, now=now
            )
        except BaseException:
            if lists_task is not None:
                lists_task.cancel()
            raise
        mode = effective_mode(request.mode, viewer.settings)
        pipeline = PIPELINES[mode]
        controls = merged_controls(request.controls, viewer.settings)
        catalogue = self.catalogue.catalogue
        if pipeline.personal:
            profile = profile_of(
                viewer, catalogue, interests=controls.interests, signals=self.config.signals
            )
        else:
            profile = UserProfile(user_id=request.user_id, name=viewer.name)
        stages.add("viewer", len(profile.recent), 0, started)

        lists: PoolLists | None = None
        if lists_task is not None:
            started = time.perf_counter()
            lists = await lists_task
            if SHARED_LISTS in pipeline.query_hydrators:
                status = "failed" if lists.errors else "ok"
                stages.add(SHARED_LISTS, 3 - len(lists.errors), len(lists.errors), started,
                           status)  # fmt: skip
        query = FeedQuery(
            request=request,
            pipeline=pipeline,
            config=self.config,
            catalogue=catalogue,
            neighbours=self.catalogue.neighbours,
            cursor=cursor,
            now=now,
            viewer=viewer,
            profile=profile,
            controls=controls,
            diversity=self.config.diversity if controls.diversity is None else controls.diversity,
            exploration=(
                self.config.exploration if controls.exploration is None else controls.exploration
            ),
            pools=lists,
            pending_served=self.impressions.pending(request.user_id),
        )
        if VECTOR in pipeline.query_hydrators:
            started = time.perf_counter()
            query.vector = viewer_vector(profile, catalogue)
            stages.add(VECTOR, int(query.vector is not None), 0, started)
        return query

    def _apply_tuned(self) -> None:
        """Use the settings ``fyp tune`` stored (the read model noticed them)."""
        tuned_at = self.catalogue.tuned_at
        if tuned_at == self._tuned_at:
            return
        self._tuned_at = tuned_at
        # Imported here: the tuning package builds on the precompute jobs, which build on
        # the feed's configuration.
        from graph.tune.settings import TunedSettings

        text = self.catalogue.tuned_json
        tuned = TunedSettings.from_json(text) if text else None
        self.config = tuned.feed_config(self.base_config) if tuned else self.base_config
        self.shared.config = self.config
        log.info("feed settings: %s", "tuned" if tuned else "defaults")

    def _now(self, request: FeedRequest | None, cursor: Cursor | None) -> int:
        """See graph.feed.config: request, cursor, config, latest activity, wall clock."""
        if request is not None and request.now is not None:
            return request.now
        if cursor is not None:
            return cursor.now
        if self.config.now_ms is not None:
            return self.config.now_ms
        wall = int(time.time() * 1000)
        if not self.config.follow_data_clock:
            return wall
        latest = [
            at
            for at in (self.catalogue.latest_event_at, self.catalogue.catalogue.latest_created_at)
            if at
        ]
        return min(wall, max(latest)) if latest else wall

    def _run_sources(self, query: FeedQuery, stages: _Stages) -> list[Proposal]:
        """Fail-open: a source that raises yields nothing for this request."""
        proposals: list[Proposal] = []
        for name in query.pipeline.sources:
            source = self.sources[name]
            started = time.perf_counter()
            try:
                found = source.fetch(query)
                status = "skipped" if found is None else "ok"
            except TimeoutError as error:
                log.warning("source %s timed out (%s); dropped", name, error)
                found, status = None, "timeout"
            except Exception as error:  # fail-open by design: one source never sinks the feed
                log.warning("source %s failed (%s: %s); dropped", name,
                            type(error).__name__, error)  # fmt: skip
                found, status = None, "failed"
            stages.add(f"source:{name}", len(found) if found else 0, 0, started, status)
            proposals.append(found if found is not None else Proposal.empty(name))
        return proposals

    def _item(
        self, candidate: Candidate, query: FeedQuery, position: int, exploration: bool
    ) -> FeedItem:
        catalogue, number = query.catalogue, candidate.number
        creator = catalogue.creator_of(number)
        sound = catalogue.sound_of(number)
        return FeedItem(
            video_id=candidate.video_id,
            score=round(candidate.score, 6),
            position=position,
            sources=candidate.sources,
            explanation=explain(candidate, query.profile, exploration=exploration),
            creator_id=creator.id if creator else None,
            sound_id=sound.key if sound else None,
            hashtags=catalogue.tag_names(number),
            caption=catalogue.captions[number] or None,
            created_at=int(catalogue.created_at[number]),
            exploration=exploration,
        )
