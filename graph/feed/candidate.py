"""A candidate video as it moves through the pipeline, gaining facts at each stage."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

#: Every candidate source, by the name used in logs, metrics, features and explanations.
SOURCE_NAMES = (
    "following",
    "co_engagement",
    "personal",
    "hashtag_affinity",
    "sound_affinity",
    "embedding",
    "trending",
    "viral",
    "popular",
    "fresh",
    "social",
)
#: Sources that use no personal data (the NON_PERSONALIZED mode runs only these).
NON_PERSONAL_SOURCES = ("trending", "viral", "popular", "fresh")
#: The reason of a hit that gives none (shared, never mutated).
NO_REASON: Mapping[str, Any] = {}


class SourceHit(NamedTuple):
    """One source's vote for a video: its raw score and the data to explain it (a tuple:
    a request makes hundreds of them)."""

    video_id: str
    source: str
    score: float
    reason: Mapping[str, Any] = NO_REASON


@dataclass(frozen=True)
class Proposal:
    """One source's candidates for one request: video numbers (the read model's) with
    their raw scores, best first, and the reason of any one of them, built only when an
    item is explained (a request proposes hundreds; a page explains twenty)."""

    source: str
    numbers: NDArray[np.int64]
    scores: NDArray[np.float64]
    reason: Callable[[int], Mapping[str, Any]]

    def __len__(self) -> int:
        return int(self.numbers.size)

    @classmethod
    def empty(cls, source: str) -> Proposal:
        return cls(source, np.zeros(0, dtype=np.int64), np.zeros(0), _no_reason)

    @classmethod
    def from_hits(
        cls, source: str, hits: Sequence[SourceHit], number: Mapping[str, int]
    ) -> Proposal:
        """From hits with their reasons (ids the read model does not know are dropped)."""
        kept = [(number[hit.video_id], hit) for hit in hits if hit.video_id in number]
        reasons = {video: hit.reason for video, hit in kept}
        return cls(
            source,
            np.array([video for video, _ in kept], dtype=np.int64),
            np.array([hit.score for _, hit in kept], dtype=np.float64),
            lambda video: reasons.get(video, NO_REASON),
        )

    def take(self, keep: NDArray[np.bool_], limit: int) -> Proposal:
        """The first ``limit`` proposals where ``keep`` holds (same reasons)."""
        numbers, scores = self.numbers[keep][:limit], self.scores[keep][:limit]
        return Proposal(self.source, numbers, scores, self.reason)


def _no_reason(number: int) -> Mapping[str, Any]:
    return NO_REASON


@dataclass
class Candidate:
    video_id: str
    hits: dict[str, SourceHit] = field(default_factory=dict)
    #: The video's number in the catalogue read model (-1: unknown to it).
    number: int = -1
    #: Age of the video at request time, in ms (set for the page's items).
    age_ms: int = 0
    #: Features by name and their contributions to the score: filled in for the page's
    #: items (explanations) and by ``FeedEngine.candidates`` (the ranker's training data).
    features: dict[str, float] = field(default_factory=dict)
    contributions: dict[str, float] = field(default_factory=dict)
    score: float = 0.0

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(self.hits)

    def add(self, hit: SourceHit) -> None:
        """Merge another source's vote, keeping the best score per source."""
        current = self.hits.get(hit.source)
        if current is None or hit.score > current.score:
            self.hits[hit.source] = hit
