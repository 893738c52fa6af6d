"""One tuning run: a validation split of the train data, then every search on it.

1. **Split**: a validation split of the train data (graph.tune.split): each sampled
   viewer's newest positive engagements held out, or everything after a time cut.
2. **Baselines**: each searched over its grid on the split, and past its edges
   (graph.tune.baselines, graph.tune.search); the
   EASE and RP3beta searches double as the feed's item-model search.
3. **Item model**: the weight of RP3beta in the personal lists' blend, then the
   low-pass filter's weight and rank on top (graph.tune.item_model), with an equal
   share of the baselines' budget kept for it.
4. **Served pipeline**: a Neo4j that holds only the split's ``fit`` part (the caller
   provides it, loaded), ``fyp precompute`` with the chosen item model, the engine's
   candidates for every validation viewer, and the scoring weights searched on them
   (graph.tune.blend); then the default diversity and exploration, over whole pages.

The searches share one time budget; the loading and precompute are fixed costs on top.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from graph.db import AsyncGraph, Connection, Graph
from graph.embed.options import EmbedOptions
from graph.embed.runs import latest_run
from graph.errors import ClientError, NotFoundError
from graph.evaluate.database import EmptyDatabase
from graph.evaluate.datasets import build_interactions
from graph.evaluate.interactions import Interactions
from graph.export import graph_records
from graph.feed import Candidate, Controls, FeedConfig, FeedEngine, FeedRequest
from graph.feed.config import PATIENT
from graph.precompute import CoEngagementOptions, precompute_co_engagement
from graph.tune.baselines import BASELINE_NAMES, tune_baselines
from graph.tune.blend import BlendResult, Slates, search_weights
from graph.tune.item_model import search_blend, settings_from
from graph.tune.search import Budget, SearchResult, objective, recall
from graph.tune.settings import TunedSettings, store
from graph.tune.split import SPLITS, Holdout, holdout, time_carries_signal, time_holdout

log = logging.getLogger(__name__)

#: Default diversity and exploration tried over whole pages. Both off comes first: it
#: serves the ranking the blend was just tuned for, which a search cut short by its
#: budget (each setting serves every validation viewer a page) must still have measured;
#: then the usual defaults and their neighbours.
CONTROLS = ((0.0, 0.0), (0.5, 0.1), (0.25, 0.1), (0.5, 0.05), (0.25, 0.05), (0.5, 0.0))

#: The fewest validation viewers a time cut may leave before the split falls back to
#: each viewer's newest positives.
MIN_TIME_VIEWERS = 50

#: ``progress(step, done, total)``
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class TuneOptions:
    #: Seconds for the searches (loading the split and precompute come on top).
    seconds: float = 600.0
    #: Validation viewers sampled: the more, the less the blend's search fits noise (each
    #: one's candidates are served once).
    users: int = 3000
    #: How the validation split is carved (graph.tune.split): ``time`` (as a served
    #: feed is judged: on what comes later, for everyone), ``newest``, or ``auto``: the
    #: time cut where time order carries signal, else ``newest``.
    split: str = "auto"
    fraction: float = 0.2
    min_positives: int = 3
    baselines: Sequence[str] = BASELINE_NAMES
    seed: int = 0
    #: The share of ``seconds`` for the baselines (and with them the item models).
    baseline_share: float = 0.5


@dataclass(frozen=True)
class TuneReport:
    settings: TunedSettings
    split: Holdout
    baselines: Mapping[str, SearchResult]
    item_model: SearchResult | None
    blend: BlendResult | None
    controls: Sequence[dict[str, float]] = field(default_factory=tuple)
    seconds: Mapping[str, float] = field(default_factory=dict)

    def baseline_params(self, name: str) -> dict[str, Any]:
        return dict(self.baselines[name].best.params) if name in self.baselines else {}

    def to_json(self) -> dict[str, Any]:
        return {
            "validation": {
                "users": self.split.users,
                "fraction": self.split.fraction,
                "split": self.split.kind,
            },
            "chosen": self.settings.summary,
            "baselines": {name: result.to_json() for name, result in self.baselines.items()},
            "item_model": self.item_model.to_json() if self.item_model else None,
            "blend": None
            if self.blend is None
            else {
                "recall_at_20": round(self.blend.recall_at_20, 5),
                "recall_at_50": round(self.blend.recall_at_50, 5),
                "defaults": [round(x, 5) for x in self.blend.start],
                "sources_alone": {
                    name: [round(x, 5) for x in at] for name, at in self.blend.sources.items()
                },
                "evaluations": self.blend.evaluations,
            },
            "controls": controls_json(self.controls),
            "seconds": {name: round(value, 1) for name, value in self.seconds.items()},
        }


def controls_json(controls: Sequence[Mapping[str, float]]) -> list[dict[str, float]]:
    """The trials of diversity and exploration, for a report (recalls to 5 places)."""
    return [{name: round(value, 5) for name, value in trial.items()} for trial in controls]


def split_for(train: Interactions, options: TuneOptions) -> Holdout:
    """The validation split ``options`` ask for. A time cut that leaves too few viewers
    (:data:`MIN_TIME_VIEWERS`), or (``auto``) one where time order carries no signal, or
    one asked of interactions whose records cannot be re-read, gives way to each viewer's
    newest positives."""
    if options.split not in SPLITS:
        raise ClientError(
            f"unknown validation split {options.split!r} (expected one of {', '.join(SPLITS)})"
        )

    def carve(how: Callable[..., Holdout]) -> Holdout:
        return how(
            train,
            fraction=options.fraction,
            min_positives=options.min_positives,
            max_users=options.users,
            seed=options.seed,
        )

    if options.split == "time" and train.records is None:
        log.warning("the log's records cannot be re-read, so it cannot be cut in time: "
                    "holding out each viewer's newest positives instead")  # fmt: skip
    if options.split != "newest" and train.records is not None:
        split = carve(time_holdout)
        wanted = min(options.users, MIN_TIME_VIEWERS)
        if split.users < wanted:
            # A log whose viewers do not span the cut (each one's history in a burst, or
            # no times at all) leaves too few to judge by: their newest engagements will.
            log.warning(
                "a time cut leaves %d validation viewers (fewer than %d): holding out "
                "each viewer's newest positives instead", split.users, wanted,
            )  # fmt: skip
        elif options.split == "time" or time_carries_signal(split):
            return split
        else:
            log.info("time order carries no signal here: holding out each viewer's newest "
                     "positives instead of cutting the log")  # fmt: skip
    return carve(holdout)


def tune_models(
    split: Holdout, options: TuneOptions
) -> tuple[dict[str, SearchResult], SearchResult, TunedSettings]:
    """Steps 2 and 3: the baselines and the feed's item model, in memory."""
    budget = Budget(options.seconds * options.baseline_share)
    names = list(dict.fromkeys([*options.baselines, "ease", "rp3beta"]))
    # The feed's own item-model search comes last (it starts from EASE's and RP3beta's
    # settings); it keeps an equal share however far a baseline's slow trial overran.
    reserved = budget.seconds / (len(names) + 1)
    baselines = tune_baselines(names, split, Budget(budget.seconds - reserved), options.seed)
    start = settings_from(baselines.get("ease"), baselines.get("rp3beta"))
    item_model, blend = search_blend(split, start, max(reserved, budget.left))
    settings = TunedSettings(item_model=item_model)
    return {n: baselines[n] for n in options.baselines}, blend, settings


def tune_pipeline(
    split: Holdout,
    connection: Connection,
    settings: TunedSettings,
    seconds: float,
    *,
    config: FeedConfig | None = None,
    precompute: CoEngagementOptions | None = None,
) -> tuple[TunedSettings, BlendResult, list[dict[str, float]]]:
    """Step 4, on ``connection``: a database holding exactly ``split.fit``."""
    config = replace(config or FeedConfig(), budgets=PATIENT)
    options = settings.precompute_options(precompute or CoEngagementOptions())
    now = split.fit.max_at + 1
    with Graph(connection) as graph:
        precompute_co_engagement(
            graph, options, now_ms=split.fit.max_at, viewers=list(split.relevance)
        )
    users = sorted(split.relevance)
    candidates = asyncio.run(_candidates(connection, config, users, now))
    slates = Slates.of(candidates, split.relevance)
    began = time.monotonic()
    blend = search_weights(slates, config.weights, seconds * 0.7)
    weights_config = replace(config, weights=blend.weights)
    left = max(0.0, seconds - (time.monotonic() - began))
    controls = asyncio.run(_controls(connection, weights_config, split, now, left))
    best = max(controls, key=lambda trial: objective(trial["recall_at_20"], trial["recall_at_50"]))
    tuned = replace(
        settings,
        weights=blend.weights,
        diversity=best["diversity"],
        exploration=best["exploration"],
    )
    return tuned, blend, controls


async def _candidates(
    connection: Connection, config: FeedConfig, users: Sequence[str], now: int
) -> dict[str, list[Candidate]]:
    graph = AsyncGraph(connection)
    engine = FeedEngine(graph, config)
    found: dict[str, list[Candidate]] = {}
    try:
        for user in users:
            request = FeedRequest(user, first=50, record_impressions=False, now=now)
            try:
                found[user] = await engine.candidates(request)
            except NotFoundError:
                found[user] = []
    finally:
        await graph.close()
    return found


async def _controls(
    connection: Connection, config: FeedConfig, split: Holdout, now: int, seconds: float
) -> list[dict[str, float]]:
    """Whole pages of 50 (the diversifier and exploration slots included) per setting."""
    graph = AsyncGraph(connection)
    engine = FeedEngine(graph, config)
    users = sorted(split.relevance)
    trials: list[dict[str, float]] = []
    began = time.monotonic()
    try:
        for diversity, exploration in CONTROLS:
            if trials and time.monotonic() - began > seconds:
                break
            controls = Controls(diversity=diversity, exploration=exploration)
            lists: dict[str, list[str]] = {}
            for user in users:
                request = FeedRequest(
                    user, first=50, record_impressions=False, now=now, controls=controls
                )
                try:
                    page = await engine.feed(request)
                except NotFoundError:
                    continue
                lists[user] = [item.video_id for item in page.items]
            at_20, at_50 = recall(lists, split.relevance)
            trials.append(
                {
                    "diversity": diversity,
                    "exploration": exploration,
                    "recall_at_20": at_20,
                    "recall_at_50": at_50,
                }
            )
            log.info(
                "feed diversity %.2f exploration %.2f: recall@20 %.4f, recall@50 %.4f",
                diversity,
                exploration,
                at_20,
                at_50,
            )
    finally:
        await graph.close()
    return trials


def summarise(
    settings: TunedSettings, blend: BlendResult | None, controls: Sequence[dict[str, float]]
) -> TunedSettings:
    """The settings with a summary of what was chosen, for people reading them later."""
    summary: dict[str, Any] = {"item_model": asdict(settings.item_model)}
    if blend is not None:
        summary["validation_recall"] = {
            "recall_at_20": round(blend.recall_at_20, 5),
            "recall_at_50": round(blend.recall_at_50, 5),
            "defaults": [round(x, 5) for x in blend.start],
        }
    if controls:
        summary["controls"] = {"diversity": settings.diversity, "exploration": settings.exploration}
    return replace(settings, summary=summary)


#: A fresh, empty database to load the split's fit part into, for as long as it is open,
#: and how to load it (graph.evaluate.database).
ScratchDatabase = Callable[[], AbstractContextManager[tuple[Connection, EmptyDatabase]]]


def tune_graph(
    graph: Graph,
    scratch: ScratchDatabase,
    options: TuneOptions,
    *,
    load_progress: Callable[[str, int], None] | None = None,
) -> TuneReport:
    """Tune on everything ``graph`` holds and store the chosen settings in it (``fyp tune``).

    The served pipeline is tuned on a scratch database loaded with the split's fit part:
    ``graph`` itself holds the held-out engagements, which would leak into every
    candidate the engine builds."""
    began = time.perf_counter()
    seconds: dict[str, float] = {}
    train = build_interactions(graph_records(graph))
    split = split_for(train, options)
    seconds["read"] = time.perf_counter() - began
    started = time.perf_counter()
    baselines, item_model, settings = tune_models(split, options)
    seconds["models"] = time.perf_counter() - started
    started = time.perf_counter()
    if split.fit.records is None:
        raise ClientError("the graph's records could not be read")
    with scratch() as (connection, empty):
        empty.load(
            connection, split.fit.records, load_progress, source="tune", size=split.fit.seen.nnz
        )
        seconds["load"] = time.perf_counter() - started
        embedded = latest_run(graph)
        if embedded is not None:
            from graph.embed.pipeline import run_embedding  # the walks' kernels: only here

            # The graph serves with embeddings: the pipeline is tuned with them too, in the
            # same space (the run's dimensions, p, q and seed; walks as fyp embed's).
            started = time.perf_counter()
            with Graph(connection) as scratch_graph:
                run_embedding(scratch_graph, EmbedOptions(
                    dimensions=embedded.dimensions, p=embedded.p, q=embedded.q,
                    seed=embedded.seed,
                ))  # fmt: skip
            seconds["embed"] = time.perf_counter() - started
        started = time.perf_counter()
        tuned, blend, controls = tune_pipeline(
            split, connection, settings, options.seconds * (1 - options.baseline_share)
        )
        seconds["pipeline"] = time.perf_counter() - started
    tuned = store(graph, summarise(tuned, blend, controls))
    return TuneReport(tuned, split, baselines, item_model, blend, controls, seconds)
