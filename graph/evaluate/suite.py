"""An evaluation as a deployment would run it: tune on the train data, then serve the test.

``fyp evaluate`` and ``bench/quality.py`` both run this: every recommender (the feed as
served and each baseline) gets the same validation split of the train data and the same
share of the tuning budget (graph.tune), is fitted on the whole train split with the
settings it chose, and is scored on the test split. The feed serves from a
``graph.evaluate.database.feed_database``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from graph.errors import ClientError
from graph.evaluate.database import FeedDatabase, LoadProgress
from graph.evaluate.datasets import Split
from graph.evaluate.pipeline import run_split
from graph.evaluate.recommenders.base import Recommender
from graph.evaluate.recommenders.feed import (
    FeedAsServed,
    FeedTuning,
    Prepare,
    offline_config,
)
from graph.evaluate.report import Evaluation
from graph.evaluate.runner import DEFAULT_KS, Progress
from graph.feed import FeedEngine
from graph.tune.baselines import BASELINE_NAMES, baselines
from graph.tune.search import SearchResult
from graph.tune.tune import TuneOptions, controls_json, split_for, tune_models

log = logging.getLogger(__name__)

FEED = "feed"
RECOMMENDERS = (*BASELINE_NAMES, FEED)


def parse_recommenders(text: str) -> list[str]:
    """Comma-separated recommender names, each one of :data:`RECOMMENDERS`."""
    names = [name.strip() for name in text.split(",") if name.strip()]
    _check_recommenders(names)
    return names


def _check_recommenders(names: Sequence[str]) -> None:
    unknown = sorted(set(names) - set(RECOMMENDERS))
    if unknown or not names:
        raise ClientError(f"unknown recommenders {unknown}; choose from {', '.join(RECOMMENDERS)}")


@dataclass(frozen=True)
class SuiteOptions:
    recommenders: Sequence[str] = RECOMMENDERS
    #: Test users sampled (all when None).
    users: int | None = None
    seed: int = 0
    ks: Sequence[int] = DEFAULT_KS
    #: None: every recommender with its defaults.
    tune: TuneOptions | None = field(default_factory=TuneOptions)
    #: Fitted scorer weights (``fyp train-ranker``) for the feed.
    weights: Path | None = None
    concurrency: int = 4


@dataclass(frozen=True)
class SuiteResult:
    evaluation: Evaluation
    #: Per recommender, the settings it was fitted with (tuned or default).
    settings: dict[str, dict[str, Any]]
    #: What tuning tried, per recommender (empty without tuning).
    searches: dict[str, Any]
    tuning_seconds: float

    def to_json(self) -> dict[str, Any]:
        return {
            **self.evaluation.to_json(),
            "settings": self.settings,
            "tuning": self.searches,
            "tuning_seconds": round(self.tuning_seconds, 1),
        }


def run_suite(
    split: Split,
    options: SuiteOptions,
    database: FeedDatabase | None,
    *,
    progress: Progress | None = None,
    load_progress: LoadProgress | None = None,
    prepare: Prepare | None = None,
) -> SuiteResult:
    """Tune, fit and score every recommender of ``options`` on ``split``; the feed (when
    asked for) serves from ``database``, entered only then."""
    _check_recommenders(options.recommenders)
    started = time.perf_counter()
    known = baselines(options.seed)
    searches: dict[str, SearchResult] = {}
    feed_tuning: FeedTuning | None = None
    config = offline_config(options.weights)
    if options.tune is not None:
        tune = options.tune
        holdout = split_for(split.train, tune)
        wanted = tuple(name for name in options.recommenders if name != FEED)
        searches, item_model, item_settings = tune_models(holdout, _with(tune, wanted))
        searches["feed:item_model"] = item_model
        seconds = tune.seconds * (1 - tune.baseline_share)
        feed_tuning = FeedTuning(holdout, item_settings, seconds, config)
    tuning_seconds = time.perf_counter() - started
    settings: dict[str, dict[str, Any]] = {}
    recommenders: list[Recommender] = []
    feed: FeedAsServed | None = None
    for name in options.recommenders:
        if name == FEED:
            continue
        params = dict(searches[name].best.params) if name in searches else {}
        settings[name] = params
        recommenders.append(known[name].build(params))
    with database if FEED in options.recommenders and database else _none() as found:
        if FEED in options.recommenders:
            if found is None:
                raise ClientError("the feed needs a Neo4j to serve from")
            connection, load = found
            if feed_tuning is not None and load is None:
                log.warning(
                    "the database already holds the whole train split: the feed's pipeline "
                    "is served untuned (only a throwaway server can be tuned on)"
                )
                feed_tuning = None
            feed = FeedAsServed(
                connection,
                lambda graph: FeedEngine(graph, config),
                load=load,
                prepare=prepare,
                concurrency=options.concurrency,
                load_progress=load_progress,
                tuning=feed_tuning,
            )
            recommenders.append(feed)
        try:
            evaluation = run_split(split, recommenders, users=options.users, seed=options.seed,
                                   ks=tuple(options.ks), progress=progress)  # fmt: skip
        finally:
            if feed is not None:
                feed.close()
    if feed is not None:
        settings[FEED] = dict(feed.tuned.summary) if feed.tuned else {}
        if feed_tuning is not None:
            settings[FEED]["validation"] = feed_tuning.split.describe()
        tuning_seconds += feed.tuning_seconds
        if feed.tuning_report is not None:
            blend, controls = feed.tuning_report
            searches_json: dict[str, Any] = {n: r.to_json() for n, r in searches.items()}
            searches_json["feed:blend"] = {
                "recall_at_20": round(blend.recall_at_20, 5),
                "recall_at_50": round(blend.recall_at_50, 5),
                "defaults": [round(x, 5) for x in blend.start],
                "sources_alone": {n: [round(x, 5) for x in at] for n, at in blend.sources.items()},
            }
            searches_json["feed:controls"] = controls_json(controls)
            return SuiteResult(evaluation, settings, searches_json, tuning_seconds)
    return SuiteResult(
        evaluation, settings, {n: r.to_json() for n, r in searches.items()}, tuning_seconds
    )


def _with(tune: TuneOptions, baselines: Sequence[str]) -> TuneOptions:
    return replace(tune, baselines=tuple(baselines))


class _none(AbstractContextManager[None]):
    def __exit__(self, *exc: object) -> None:
        return None
