"""The feed as served: the real FeedEngine over Neo4j, judged like any other recommender.

``fit`` loads the train split's import-format records into an *empty* database
(never a database that holds anything: the adapter refuses rather than wipes),
then runs an optional ``prepare`` step (e.g. embeddings), and then the feed's batch
job (``fyp precompute``: co-engagement neighbours), as a deployment would. ``recommend`` asks the
engine for one page of K items per user with the default ranking settings,
``record_impressions=False`` (time budgets relaxed, see :func:`offline_config`)
and the request time pinned just after the last
train event, so trending / fresh windows see what was current when the test
period began.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from neo4j.exceptions import Neo4jError, ServiceUnavailable, SessionExpired

from graph.db import AsyncGraph, Connection, Graph
from graph.embed.options import EmbedOptions
from graph.errors import ClientError, NotFoundError
from graph.evaluate.database import EmptyDatabase, LoadProgress, require_empty
from graph.evaluate.interactions import Interactions
from graph.evaluate.recommenders.base import require_fit
from graph.feed import Budgets, FeedConfig, FeedPage, FeedRequest
from graph.ingest import import_records
from graph.precompute import CoEngagementOptions, precompute_co_engagement
from graph.tune.blend import BlendResult
from graph.tune.settings import TunedSettings
from graph.tune.settings import store as store_tuned
from graph.tune.split import Holdout
from graph.tune.tune import summarise, tune_pipeline

log = logging.getLogger(__name__)


#: Offline time budgets: generous, because a source that times out on a busy machine
#: would make the score a measure of load rather than of the recommender.
OFFLINE_BUDGETS = Budgets(required_s=60.0, non_personal_s=20.0)


def offline_config(weights: Path | None = None) -> FeedConfig:
    """The feed's default ranking with offline time budgets (and fitted weights, if given)."""
    return replace(FeedConfig(), budgets=OFFLINE_BUDGETS).with_weights_file(weights)


#: What a feed request may fail with on a busy or restarting database.
RETRYABLE = (Neo4jError, ServiceUnavailable, SessionExpired, TimeoutError)


def _transient(error: BaseException) -> bool:
    if isinstance(error, Neo4jError):
        return error.is_retryable() or "TimedOut" in (error.code or "")
    return True


@dataclass(frozen=True)
class FeedTuning:
    """What the adapter tunes the served pipeline with (graph.tune.tune)."""

    split: Holdout
    #: The item model chosen in memory (graph.tune.item_model).
    settings: TunedSettings
    seconds: float
    config: FeedConfig


class FeedEngineLike(Protocol):
    async def feed(self, request: FeedRequest) -> FeedPage: ...

    async def warm_up(self) -> None: ...


EngineFactory = Callable[[AsyncGraph], FeedEngineLike]
#: ``prepare(graph)``: run after the train data is loaded (embeddings, ...).
Prepare = Callable[[Graph], None]


def embedding_step(options: EmbedOptions | None = None) -> Prepare:
    """``fyp embed`` on the loaded train data, as a deployment runs it before serving."""

    def embed(graph: Graph) -> None:
        from graph.embed.pipeline import run_embedding  # the walks' kernels: only here

        report = run_embedding(graph, options or EmbedOptions())
        log.info("embedded the train data in %.1fs", report.total_seconds)

    return embed


def load_train(
    connection: Connection,
    train: Interactions,
    *,
    progress: LoadProgress | None = None,
    prepare: Prepare | None = None,
    empty: EmptyDatabase = EmptyDatabase(),
) -> None:
    """Load the train split's import-format records into an *empty* database (as
    ``empty`` says: offline into a local server it owns, online by default), then
    ``prepare`` it; a database that holds anything is refused, never wiped."""
    if train.records is None:
        raise ClientError("the feed adapter needs the train records to load into Neo4j")
    require_empty(connection)
    report = empty.load(connection, train.records, progress, size=train.seen.nnz)
    log.info("loaded the train split into Neo4j: %s", report)
    if prepare is not None:
        with Graph(connection) as graph:
            prepare(graph)


def precompute_train(
    connection: Connection,
    train: Interactions,
    options: CoEngagementOptions = CoEngagementOptions(),
) -> None:
    """The feed's batch job (``fyp precompute``) as of the train split's last event."""
    with Graph(connection) as graph:
        report = precompute_co_engagement(graph, options, now_ms=train.max_at)
    log.info("precomputed co-engagement neighbours: %s", report)


class FeedAsServed:
    name = "feed"

    def __init__(
        self,
        connection: Connection,
        engine_factory: EngineFactory,
        *,
        load: EmptyDatabase | None = EmptyDatabase(),
        prepare: Prepare | None = None,
        concurrency: int = 4,
        load_progress: LoadProgress | None = None,
        retries: int = 3,
        co_engagement: CoEngagementOptions | None = CoEngagementOptions(),
        tuning: FeedTuning | None = None,
    ) -> None:
        self.connection = connection
        self.engine_factory = engine_factory
        #: How to load the empty database (None: it holds the train split already).
        self.load = load
        self.prepare = prepare
        self.concurrency = concurrency
        self.load_progress = load_progress
        #: The batch job the feed serves from (``fyp precompute``), run after loading and
        #: on a reused server too (it replaces every list, so a rerun is harmless);
        #: None skips it (a server where it already ran on exactly this data).
        self.co_engagement = co_engagement
        #: Tune the served pipeline on a validation split of the train data before
        #: serving (the database must be loaded here: ``load``); the settings it chose
        #: are stored in the graph, where the engine and precompute read them.
        self.tuning = tuning
        self.tuned: TunedSettings | None = None
        self.tuning_report: tuple[BlendResult, list[dict[str, float]]] | None = None
        #: Seconds spent tuning the served pipeline (loading the fit part included).
        self.tuning_seconds = 0.0
        self._train: Interactions | None = None
        self._now = 0
        #: How each stage ended over every request (``"source:status"`` -> count).
        self.stage_statuses: Counter[str] = Counter()
        self.retries = retries
        #: Requests that needed a retry, and those that failed for good (served empty).
        self.retried_requests = 0
        self.failed_requests = 0
        #: Per user, per returned item, the candidate sources that proposed it.
        self.item_sources: dict[str, dict[str, tuple[str, ...]]] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._graph: AsyncGraph | None = None
        self._engine: FeedEngineLike | None = None

    def fit(self, train: Interactions) -> None:
        tuning = self.tuning
        if self.load is not None and tuning is not None:
            # Tune on the split's fit part first (prepared as it will be served, so the
            # search sees the embeddings it will serve with), then add the held-out
            # pairs and prepare again: the database then holds the whole train split, as
            # without tuning.
            began = time.perf_counter()
            self._load(tuning.split.fit, self.load)
            tuned, blend, controls = tune_pipeline(
                tuning.split, self.connection, tuning.settings, tuning.seconds,
                config=tuning.config, precompute=self.co_engagement,
            )  # fmt: skip
            self.tuned = summarise(tuned, blend, controls)
            self.tuning_report = (blend, controls)
            held = tuning.split.held_records
            with Graph(self.connection) as graph:
                store_tuned(graph, self.tuned)
                if held is not None:
                    import_records(graph, held(), source="train", progress=self.load_progress)
                if self.prepare is not None:
                    self.prepare(graph)
            self.tuning_seconds = time.perf_counter() - began
        elif self.load is not None:
            self._load(train, self.load)
        if self.co_engagement is not None:
            options = self.co_engagement
            if self.tuned is not None:
                options = self.tuned.precompute_options(options)
            precompute_train(self.connection, train, options)
        self._now = train.max_at + 1
        self._train = train

    def _load(self, train: Interactions, empty: EmptyDatabase) -> None:
        load_train(
            self.connection, train, progress=self.load_progress, prepare=self.prepare, empty=empty
        )

    def recommend(self, user_ids: Sequence[str], k: int) -> dict[str, list[str]]:
        require_fit(self._train, self.name)
        if self._loop is None:
            self._loop = asyncio.new_event_loop()
        return self._loop.run_until_complete(self._recommend(user_ids, k))

    async def _recommend(self, user_ids: Sequence[str], k: int) -> dict[str, list[str]]:
        if self._engine is None:
            self._graph = AsyncGraph(self.connection)
            self._engine = self.engine_factory(self._graph)
            # Compile query plans and warm caches first, so the first users' sources do
            # not time out on a cold database.
            await self._engine.warm_up()
        engine = self._engine
        gate = asyncio.Semaphore(self.concurrency)

        async def one(user: str) -> list[str]:
            request = FeedRequest(user_id=user, first=k, record_impressions=False, now=self._now)
            async with gate:
                try:
                    page = await self._serve(engine, request)
                except NotFoundError:
                    return []
                except RETRYABLE as error:
                    # Counted and reported: the user gets an empty list (a miss), so a
                    # flaky database can only make the feed look worse, never better.
                    log.warning("feed request for a user failed after retries: %s", error)
                    self.failed_requests += 1
                    return []
            for stage in page.stages:
                self.stage_statuses[f"{stage.name}:{stage.status}"] += 1
            self.item_sources[user] = {item.video_id: item.sources for item in page.items}
            return [item.video_id for item in page.items]

        # Let every request finish before raising, so none is left pending on the loop.
        outcomes = await asyncio.gather(*(one(user) for user in user_ids), return_exceptions=True)
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome
        return dict(zip(user_ids, outcomes, strict=True))  # type: ignore[arg-type]

    async def _serve(self, engine: FeedEngineLike, request: FeedRequest) -> FeedPage:
        """One page, retried with backoff on timeouts and transient database errors."""
        for attempt in range(self.retries + 1):
            try:
                return await engine.feed(request)
            except RETRYABLE as error:
                if attempt == self.retries or not _transient(error):
                    raise
                self.retried_requests += 1
                await asyncio.sleep(2**attempt)
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self._loop is None:
            return
        if self._graph is not None:
            self._loop.run_until_complete(self._graph.close())
        self._loop.close()
        self._loop = None
        self._graph = None
        self._engine = None
