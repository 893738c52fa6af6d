"""``fyp train-ranker``: fit the feed scorer's weights from what viewers did next.

The scorer is ``sigmoid(bias + sum(weight[f] * features(candidate)[f]))`` over
``graph.feed.FEATURE_NAMES``. To fit it without leaking the answer, the graph
holds the data up to a time T (the *train* records) and the labels come from
after T (the *label* records):

1. for each sampled labelled user, the real engine builds its candidates at T
   (``FeedEngine.candidates``: sources, merge, filters, hydration, features:
   exactly what it would score);
2. a candidate the user then engaged with positively is a 1; one the user was
   then shown and did not engage with (a short view, a skip) is a 0; candidates
   the user never met after T carry no label and are left out, unless
   ``negatives="all"``: then every candidate not engaged with is a 0. That is the
   question the feed actually answers (which of *my* candidates will this user
   engage with?), and the one to use when the logged impressions came from
   another recommender (KuaiRand), whose shown-but-skipped videos are a small,
   biased sample of the feed's candidates;
3. scikit-learn's L2 logistic regression fits one weight per feature plus the
   bias. Not class-balanced: the score stays a calibrated engagement probability,
   which the diversifier weighs against similarity.

The JSON written is what ``FeedConfig.with_weights_file`` loads:
``{"weights": {feature: float}, "bias": float}``.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from graph.db import AsyncGraph, Connection
from graph.errors import ClientError, NotFoundError
from graph.evaluate.database import FeedDatabase, LoadProgress
from graph.evaluate.datasets import RankerSplit
from graph.evaluate.interactions import Interactions
from graph.evaluate.recommenders.feed import (
    load_train,
    offline_config,
    precompute_train,
)
from graph.evaluate.runner import sample_users
from graph.feed import FEATURE_NAMES, FeedEngine, FeedRequest

log = logging.getLogger(__name__)

#: Labels per user: video id -> 1 (engaged positively) or 0 (shown, not engaged).
Labels = Mapping[str, Mapping[str, int]]
#: ``progress(users_done, users_total)``
Progress = Callable[[int, int], None]

SHOWN = "shown"
ALL = "all"
NEGATIVES = (SHOWN, ALL)


def labels_from(outcomes: Interactions) -> dict[str, dict[str, int]]:
    """1 for each positive pair of the label period, 0 for each other pair seen in it."""
    positive = outcomes.positive.tocsr()
    seen = outcomes.seen.tocsr()
    labels: dict[str, dict[str, int]] = {}
    for row, user in enumerate(outcomes.users):
        hits = {
            outcomes.items[j]
            for j in positive.indices[positive.indptr[row] : positive.indptr[row + 1]]
        }
        shown = seen.indices[seen.indptr[row] : seen.indptr[row + 1]]
        user_labels = {outcomes.items[j]: int(outcomes.items[j] in hits) for j in shown}
        if user_labels:
            labels[user] = user_labels
    return labels


@dataclass(frozen=True)
class Examples:
    features: NDArray[np.float64]
    labels: NDArray[np.int64]
    users: int
    #: Labelled pairs that no candidate source proposed (the ranker cannot see them).
    unreached_positives: int


async def _collect(
    connection: Connection,
    engine_factory: Callable[[AsyncGraph], FeedEngine],
    labels: Labels,
    users: Sequence[str],
    now: int,
    concurrency: int,
    progress: Progress | None,
    negatives: str,
) -> Examples:
    graph = AsyncGraph(connection)
    engine = engine_factory(graph)
    gate = asyncio.Semaphore(concurrency)
    rows: list[list[float]] = []
    targets: list[int] = []
    reached_positive = 0
    done = 0
    try:

        async def one(user: str) -> None:
            nonlocal done, reached_positive
            async with gate:
                request = FeedRequest(user_id=user, first=1, record_impressions=False, now=now)
                try:
                    candidates = await engine.candidates(request)
                except NotFoundError:
                    candidates = []
            for candidate in candidates:
                label = labels[user].get(candidate.video_id, 0 if negatives == ALL else None)
                if label is None:
                    continue
                rows.append([candidate.features[name] for name in FEATURE_NAMES])
                targets.append(label)
                reached_positive += label
            done += 1
            if progress is not None:
                progress(done, len(users))

        await asyncio.gather(*(one(user) for user in users))
    finally:
        await graph.close()
    all_positive = sum(sum(labels[user].values()) for user in users)
    return Examples(
        features=np.asarray(rows, dtype=np.float64).reshape(-1, len(FEATURE_NAMES)),
        labels=np.asarray(targets, dtype=np.int64),
        users=len(users),
        unreached_positives=all_positive - reached_positive,
    )


def collect_examples(
    connection: Connection,
    engine_factory: Callable[[AsyncGraph], FeedEngine],
    labels: Labels,
    users: Sequence[str],
    now: int,
    *,
    concurrency: int = 4,
    progress: Progress | None = None,
    negatives: str = SHOWN,
) -> Examples:
    """Features and labels of every labelled candidate of ``users`` at time ``now``."""
    if negatives not in NEGATIVES:
        raise ClientError(f"negatives must be one of {', '.join(NEGATIVES)}")
    return asyncio.run(
        _collect(connection, engine_factory, labels, users, now, concurrency, progress, negatives)
    )


@dataclass(frozen=True)
class RankerFit:
    weights: dict[str, float]
    bias: float
    examples: int
    positives: int
    users: int
    unreached_positives: int
    #: ROC AUC of the fitted model on its own training examples.
    train_auc: float

    def weights_json(self) -> dict[str, Any]:
        """The file the feed loads."""
        return {"weights": self.weights, "bias": self.bias}

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.weights_json(), indent=2) + "\n", encoding="utf-8")


def fit_ranker(examples: Examples, regularisation: float = 1.0, seed: int = 0) -> RankerFit:
    """L2 logistic regression over the feed's features; ``regularisation`` is 1 / C."""
    y = examples.labels
    if y.size == 0 or y.min() == y.max():
        raise ClientError(
            f"need both engaged and not-engaged candidates to fit the ranker; got "
            f"{int(y.sum())} positive and {int(y.size - y.sum())} negative examples "
            "(more users or a longer label period may help)"
        )
    model = LogisticRegression(C=1.0 / regularisation, max_iter=1000, random_state=seed)
    model.fit(examples.features, y)
    coefficients = model.coef_[0]
    auc = float(roc_auc_score(y, model.decision_function(examples.features)))
    return RankerFit(
        weights={
            name: round(float(w), 6) for name, w in zip(FEATURE_NAMES, coefficients, strict=True)
        },
        bias=round(float(model.intercept_[0]), 6),
        examples=int(y.size),
        positives=int(y.sum()),
        users=examples.users,
        unreached_positives=examples.unreached_positives,
        train_auc=auc,
    )


@dataclass(frozen=True)
class RankerOptions:
    #: Labelled users sampled (all when None).
    users: int | None = 500
    seed: int = 0
    #: L2 strength (1 / C).
    regularisation: float = 1.0
    #: Which candidates are 0-labels: :data:`SHOWN` or :data:`ALL`.
    negatives: str = SHOWN


def train_ranker(
    split: RankerSplit,
    database: FeedDatabase,
    options: RankerOptions = RankerOptions(),
    *,
    load_progress: LoadProgress | None = None,
    progress: Progress | None = None,
) -> RankerFit:
    """Fit the scorer on ``split`` (``fyp train-ranker``).

    The graph part is loaded into ``database`` when it asks for loading (then the feed's
    batch job runs on it, as the evaluation's feed does); the real engine then builds the
    candidates of each sampled labelled user at the split's time T. ``progress`` first
    hears ``(0, users)`` once the candidates are being collected.
    """
    labels = labels_from(split.outcomes)
    chosen = sample_users(labels, options.users, options.seed)
    config = offline_config()
    with database as (connection, empty):
        if empty is not None:
            load_train(connection, split.train, progress=load_progress, empty=empty)
            precompute_train(connection, split.train)
        if progress is not None:
            progress(0, len(chosen))
        examples = collect_examples(
            connection,
            lambda graph: FeedEngine(graph, config),
            labels,
            chosen,
            now=split.train.max_at + 1,
            progress=progress,
            negatives=options.negatives,
        )
    return fit_ranker(examples, regularisation=options.regularisation, seed=options.seed)
