"""One evaluation end to end: sample users of a split, run every recommender, collect."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from graph.evaluate.datasets import Split
from graph.evaluate.recommenders.base import Recommender
from graph.evaluate.recommenders.feed import FeedAsServed
from graph.evaluate.report import Evaluation, source_breakdown
from graph.evaluate.runner import DEFAULT_KS, Progress, evaluate, sample_users

log = logging.getLogger(__name__)


def run_split(
    split: Split,
    recommenders: Sequence[Recommender],
    *,
    users: int | None = None,
    seed: int = 0,
    ks: Sequence[int] = DEFAULT_KS,
    progress: Progress | None = None,
) -> Evaluation:
    """Evaluate on ``users`` users of ``split`` drawn with ``seed`` (every user when None).

    Every recommender still trains on the whole train split; only the users asked
    for recommendations are sampled.
    """
    chosen = sample_users(split.relevance, users, seed)
    relevance = {user: split.relevance[user] for user in chosen}
    log.info(
        "evaluating %d recommenders on %d of %d users (%s)",
        len(recommenders), len(chosen), len(split.relevance), split.name,
    )  # fmt: skip
    results = evaluate(recommenders, split.train, relevance, ks, progress)
    diagnostics = {}
    for recommender in recommenders:
        if isinstance(recommender, FeedAsServed):
            diagnostics[recommender.name] = {
                "sources": source_breakdown(recommender.item_sources, relevance),
                "stages": dict(sorted(recommender.stage_statuses.items())),
                "retried_requests": recommender.retried_requests,
                "failed_requests": recommender.failed_requests,
            }
    return Evaluation(
        dataset=split.name,
        relevance_rule=split.relevance_rule,
        users=len(chosen),
        ks=tuple(ks),
        results=results,
        diagnostics=diagnostics,
    )
