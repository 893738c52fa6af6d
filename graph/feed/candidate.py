"""A candidate video as it moves through the pipeline, gaining facts at each stage."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

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


@dataclass(frozen=True)
class SourceHit:
    """One source's vote for a video: its raw score and the data to explain it."""

    video_id: str
    source: str
    score: float
    reason: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class VideoFacts:
    """What the batched hydration query knows about a video and the viewer's relation to it."""

    status: str | None = "active"
    caption: str = ""
    created_at: int = 0
    duration_ms: int = 0
    creator_id: str | None = None
    creator_name: str | None = None
    #: How real the creator's following looks (1 = all real), when it has been assessed.
    creator_authenticity: float | None = None
    sound_id: str | None = None
    sound_title: str | None = None
    hashtags: tuple[str, ...] = ()
    views: int = 0
    completes: int = 0
    likes: int = 0
    shares: int = 0
    skips: int = 0
    impressions: int = 0
    # The viewer's own relationships to this video and what surrounds it.
    served: bool = False
    viewed: bool = False
    skipped: bool = False
    liked: bool = False
    not_interested_video: bool = False
    not_interested_creator: bool = False
    not_interested_sound: bool = False
    not_interested_hashtags: tuple[str, ...] = ()
    follows_creator: bool = False
    #: Cosine similarity between the viewer's vector and the video's embedding, if both exist.
    similarity: float | None = None


@dataclass(frozen=True)
class Affinity:
    """The viewer's affinity (0..1, 1 = their strongest) to the video's creator, tags, sound."""

    creator: float = 0.0
    hashtag: float = 0.0
    sound: float = 0.0
    #: How many of this creator's videos the viewer swiped away early (recent history).
    creator_skips: int = 0


@dataclass
class Candidate:
    video_id: str
    hits: dict[str, SourceHit] = field(default_factory=dict)
    facts: VideoFacts | None = None
    #: Each source's score scaled to 0..1 within this request (1 = that source's best).
    source_scores: dict[str, float] = field(default_factory=dict)
    affinity: Affinity = field(default_factory=Affinity)
    #: Age of the video at request time, in ms.
    age_ms: int = 0
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


def merge(hits: Iterable[SourceHit]) -> dict[str, Candidate]:
    """Dedupe hits by video id, keeping every source's reason (order of first appearance)."""
    candidates: dict[str, Candidate] = {}
    for hit in hits:
        candidate = candidates.get(hit.video_id)
        if candidate is None:
            candidate = candidates[hit.video_id] = Candidate(hit.video_id)
        candidate.add(hit)
    return candidates
