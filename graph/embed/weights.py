"""Edge weights of the walk graph from engagement signals (pure logic, no database).

The export and the fold-in read the same relationship rows from Neo4j and weigh
them here, so a folded-in vector leans on the same signals as a trained one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from graph.embed.options import EdgeWeights

#: One relationship between a user and a video as the export queries return it:
#: ``[otherId, type, completion, rewatches]`` (completion / rewatches only on VIEWED).
SignalRow = Sequence[Any]


@dataclass
class Engagement:
    """Everything one user did with one video, folded from its relationships."""

    completion: float = 0.0
    rewatches: int = 0
    liked: bool = False
    shared: bool = False
    commented: bool = False
    skipped: bool = False
    not_interested: bool = False

    def absorb(self, rel_type: str, completion: Any, rewatches: Any) -> None:
        if rel_type == "VIEWED":
            self.completion = max(self.completion, float(completion or 0.0))
            self.rewatches += int(rewatches or 0)
        elif rel_type == "LIKED":
            self.liked = True
        elif rel_type == "SHARED":
            self.shared = True
        elif rel_type == "COMMENTED":
            self.commented = True
        elif rel_type == "SKIPPED":
            self.skipped = True
        elif rel_type == "NOT_INTERESTED":
            self.not_interested = True


def engagement_weight(engagement: Engagement, weights: EdgeWeights) -> float:
    """How strongly a user and a video are tied; 0 means no edge at all."""
    if engagement.not_interested:
        return 0.0
    watched = 0.0
    if not engagement.skipped and engagement.completion >= weights.min_completion:
        watched = weights.view * min(engagement.completion, 1.0) + weights.rewatch * min(
            engagement.rewatches, weights.max_rewatches
        )
    return (
        watched
        + (weights.like if engagement.liked else 0.0)
        + (weights.share if engagement.shared else 0.0)
        + (weights.comment if engagement.commented else 0.0)
    )


def engagements(rows: Iterable[SignalRow]) -> dict[str, Engagement]:
    """Group a user's (or a video's) relationship rows by the node at the other end."""
    grouped: dict[str, Engagement] = {}
    for other, rel_type, completion, rewatches in rows:
        found = grouped.get(other)
        if found is None:
            found = grouped[other] = Engagement()
        found.absorb(rel_type, completion, rewatches)
    return grouped


def weighted_engagements(rows: Iterable[SignalRow], weights: EdgeWeights) -> dict[str, float]:
    """Other end -> edge weight, leaving out pairs that weigh nothing."""
    result: dict[str, float] = {}
    for other, engagement in engagements(rows).items():
        weight = engagement_weight(engagement, weights)
        if weight > 0:
            result[other] = weight
    return result
