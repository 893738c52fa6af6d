"""An evaluation's outcome as data: the JSON the CLI writes and the bench reads."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from graph.evaluate.runner import RecommenderResult

#: Beyond-accuracy columns of the CLI table: (metric key, header).
LIST_COLUMNS = (
    ("coverage", "cov"),
    ("intra_list_diversity", "ILD"),
    ("creator_coverage", "cr.cov"),
    ("creator_gini", "cr.Gini"),
    ("fresh_creator_share", "fresh"),
)


def columns(ks: tuple[int, ...]) -> list[tuple[str, str]]:
    """(metric key, header) of every column: accuracy per K, then the list metrics."""
    accuracy = [(f"recall_at_{k}", f"R@{k}") for k in ks]
    accuracy += [(f"ndcg_at_{k}", f"N@{k}") for k in ks]
    return [*accuracy, *LIST_COLUMNS]


@dataclass(frozen=True)
class Evaluation:
    dataset: str
    relevance_rule: str
    users: int
    ks: tuple[int, ...]
    results: list[RecommenderResult]
    #: Extra facts about a recommender (the feed's sources and stage outcomes).
    diagnostics: dict[str, dict[str, Any]] = field(default_factory=dict)

    def metric(self, recommender: str, key: str) -> float:
        for result in self.results:
            if result.name == recommender:
                return result.metrics[key]
        raise KeyError(recommender)

    def to_json(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            "relevance": self.relevance_rule,
            "users": self.users,
            "ks": list(self.ks),
            "definitions": DEFINITIONS,
            "recommenders": {
                result.name: {
                    **{key: round(value, 6) for key, value in result.metrics.items()},
                    "fit_s": round(result.fit_s, 2),
                    "recommend_s": round(result.recommend_s, 2),
                }
                for result in self.results
            },
            "diagnostics": self.diagnostics,
        }


DEFINITIONS = {
    "recall_at_k": "hits in the top K / relevant items, averaged over users",
    "ndcg_at_k": "binary-relevance NDCG@K (ideal list capped at K hits), averaged over users",
    "coverage": "share of catalog videos recommended to at least one user (top max-K lists)",
    "intra_list_diversity": (
        "1 - mean pairwise cosine similarity of hashtag (KuaiRand: category) multi-hot "
        "vectors within a top max-K list, averaged over users"
    ),
    "creator_coverage": "share of catalog creators recommended at least once",
    "creator_gini": "Gini coefficient of recommended slots over all catalog creators",
    "fresh_creator_share": (
        "share of recommended slots whose creator had at most 10 train views in total"
    ),
}


def source_breakdown(
    item_sources: Mapping[str, Mapping[str, tuple[str, ...]]],
    relevance: Mapping[str, Collection[str]],
) -> dict[str, Any]:
    """Which candidate sources proposed the served items, and the hits among them.

    An item proposed by several sources counts once for each, so shares can sum
    past 1.
    """
    served: Counter[str] = Counter()
    hits: Counter[str] = Counter()
    total_items = total_hits = 0
    for user, items in item_sources.items():
        relevant = relevance.get(user, ())
        for item, sources in items.items():
            total_items += 1
            served.update(sources)
            if item in relevant:
                total_hits += 1
                hits.update(sources)
    return {
        "items": total_items,
        "hits": total_hits,
        "items_by_source": dict(served.most_common()),
        "hits_by_source": dict(hits.most_common()),
        "hit_rate_by_source": {
            source: round(hits[source] / count, 5) for source, count in served.most_common()
        },
    }
