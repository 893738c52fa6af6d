"""Run recommenders over a train / test split and score their top-K lists."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from graph.errors import ClientError
from graph.evaluate import metrics
from graph.evaluate.interactions import FRESH_CREATOR_MAX_VIEWS, Interactions
from graph.evaluate.recommenders.base import Recommender

log = logging.getLogger(__name__)

DEFAULT_KS = (20, 50)
#: Users per ``recommend`` call: small enough for a live progress bar.
BATCH_USERS = 50

#: ``progress(recommender, users_done, users_total)``
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class RecommenderResult:
    name: str
    metrics: dict[str, float]
    users: int
    fit_s: float
    recommend_s: float
    lists: dict[str, list[str]] = field(repr=False, compare=False)


def relevance_from(test: Interactions, train: Interactions) -> dict[str, frozenset[str]]:
    """Per warm user, the test positives a recommender could have found.

    Kept: users with at least one train engagement (cold-start is another
    question); items in the train catalog that the user had not seen in train
    (every recommender here filters seen items, so those are unreachable for all).
    """
    relevance: dict[str, frozenset[str]] = {}
    engaged_rows = np.flatnonzero(np.diff(train.strength.indptr) > 0)
    warm = {train.users[row] for row in engaged_rows}
    positive = test.positive.tocsr()
    for row, user in enumerate(test.users):
        if user not in warm:
            continue
        columns = positive.indices[positive.indptr[row] : positive.indptr[row + 1]]
        seen = train.seen_items(user)
        items = (
            frozenset(test.items[j] for j in columns if test.items[j] in train.item_index) - seen
        )
        if items:
            relevance[user] = items
    return relevance


def sample_users(relevance: Mapping[str, Collection[str]], n: int | None, seed: int) -> list[str]:
    """``n`` users drawn without replacement with ``seed`` (all of them when ``n`` is None)."""
    users = sorted(relevance)
    if n is None or n >= len(users):
        return users
    if n < 1:
        raise ClientError("--users must be at least 1")
    chosen = np.random.default_rng(seed).choice(len(users), size=n, replace=False)
    return [users[i] for i in sorted(chosen)]


def score_lists(
    lists: Mapping[str, Sequence[str]],
    relevance: Mapping[str, Collection[str]],
    train: Interactions,
    ks: Sequence[int] = DEFAULT_KS,
    fresh_creator_max_views: int = FRESH_CREATOR_MAX_VIEWS,
) -> dict[str, float]:
    """Every metric for one recommender's lists (accuracy per K, the rest at max K)."""
    users = sorted(relevance)
    scores: dict[str, float] = {}
    for k in ks:
        scores[f"recall_at_{k}"] = _mean(
            metrics.recall_at_k(lists.get(u, []), relevance[u], k) for u in users
        )
        scores[f"ndcg_at_{k}"] = _mean(
            metrics.ndcg_at_k(lists.get(u, []), relevance[u], k) for u in users
        )
    k = max(ks)
    top = [list(lists.get(u, []))[:k] for u in users]
    creator_of = {item: facts.creator for item, facts in train.videos.items()}
    creators = set(creator_of.values())
    exposure = metrics.creator_exposure(top, creator_of)
    vectors = metrics.ItemVectors({item: facts.hashtags for item, facts in train.videos.items()})
    scores["coverage"] = metrics.catalog_coverage(top, train.items)
    scores["intra_list_diversity"] = _mean(metrics.intra_list_diversity(t, vectors) for t in top)
    scores["creator_coverage"] = metrics.creator_coverage(exposure, creators)
    scores["creator_gini"] = metrics.gini([exposure.get(c, 0) for c in sorted(creators)])
    scores["fresh_creator_share"] = metrics.fresh_creator_share(
        exposure, train.fresh_creators(fresh_creator_max_views)
    )
    scores["mean_list_length"] = _mean(len(t) for t in top)
    return scores


def evaluate(
    recommenders: Sequence[Recommender],
    train: Interactions,
    relevance: Mapping[str, Collection[str]],
    ks: Sequence[int] = DEFAULT_KS,
    progress: Progress | None = None,
) -> list[RecommenderResult]:
    """Fit each recommender on ``train``, ask for max(ks) items per user, score the lists."""
    if not relevance:
        raise ClientError("no test user has a relevant item left to find; nothing to evaluate")
    if not ks or min(ks) < 1:
        raise ClientError("cutoffs K must be positive")
    users = sorted(relevance)
    depth = max(ks)
    results = []
    for recommender in recommenders:
        started = time.perf_counter()
        recommender.fit(train)
        fitted = time.perf_counter()
        lists: dict[str, list[str]] = {}
        for start in range(0, len(users), BATCH_USERS):
            batch = users[start : start + BATCH_USERS]
            lists.update(recommender.recommend(batch, depth))
            if progress is not None:
                progress(recommender.name, min(start + BATCH_USERS, len(users)), len(users))
        done = time.perf_counter()
        scores = score_lists(lists, relevance, train, ks)
        log.info(
            "evaluated %s on %d users: fit %.1fs, recommend %.1fs",
            recommender.name, len(users), fitted - started, done - fitted,
        )  # fmt: skip
        results.append(
            RecommenderResult(
                name=recommender.name,
                metrics=scores,
                users=len(users),
                fit_s=fitted - started,
                recommend_s=done - fitted,
                lists=lists,
            )
        )
    return results


def _mean(values: Iterable[float]) -> float:
    collected = list(values)
    return sum(collected) / len(collected) if collected else 0.0
