"""Typed inputs and results of influencer discovery (the API and CLI present these)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class CreatorSort(StrEnum):
    """What discovery ranks by (always descending, ties by creator id)."""

    ENGAGEMENT = "engagement"  # (likes + comments + shares) / views
    GROWTH = "growth"  # new followers in the window / followers before it
    FOLLOWERS = "followers"
    OVERLAP = "overlap"  # Jaccard of engaged audiences with the reference creator
    SIMILARITY = "similarity"  # cosine of creator embeddings with the reference creator


@dataclass(frozen=True)
class CreatorFilter:
    """Which creators a brand is looking for; every field is optional."""

    #: Hashtag names (lower case, without ``#``); a creator qualifies with any of them.
    hashtags: tuple[str, ...] = ()
    #: Free text: matched inside hashtag names and against captions (fulltext index).
    topic: str | None = None
    min_followers: int = 0
    max_followers: int | None = None
    #: Fewest views over all the creator's videos (rates on 3 views mean little).
    min_views: int = 0
    min_engagement_rate: float = 0.0
    min_completion_rate: float = 0.0
    #: Smallest growth rate: new followers in the window / followers before it.
    min_growth: float = 0.0
    growth_days: int = 30
    #: The creator that ``overlap`` and ``similarity`` compare with (left out of results).
    reference_creator_id: str | None = None


@dataclass(frozen=True)
class HashtagCount:
    name: str
    videos: int


@dataclass(frozen=True)
class Spike:
    """The busiest day of new followers in the window, when it stands out."""

    day: str
    follows: int
    #: Average new followers per day over the other days of the window.
    baseline: float
    #: Of the day's new followers, those who never watched or engaged with the creator.
    unengaged: int


@dataclass(frozen=True)
class Authenticity:
    """How real a creator's following looks: a score in [0, 1] (1 = all real) and why."""

    score: float
    flagged: bool
    reasons: tuple[str, ...]
    followers: int
    #: Followers who never watched or engaged with any video.
    ghost_followers: int
    #: Followers in a dense follow ring (they follow each other and little else).
    ring_followers: int
    #: Ghosts, ring members and unengaged followers of a spike, counted once each.
    suspicious_followers: int
    spike: Spike | None = None


@dataclass(frozen=True)
class CreatorCard:
    """One creator as a brand sees it."""

    creator_id: str
    name: str | None
    followers: int
    videos: int
    views: int
    engagement_rate: float
    completion_rate: float
    #: Mean watch ratio per view (a loop counts more than 1, capped at 5 per view).
    avg_completion: float
    #: Follows made in the growth window that still stand.
    new_followers: int
    growth_rate: float
    #: Users who completed or liked one of the creator's videos.
    engaged_audience: int
    top_hashtags: tuple[HashtagCount, ...]
    authenticity: Authenticity
    #: Against the reference creator (0 / None without one).
    shared_audience: int = 0
    overlap: float = 0.0
    similarity: float | None = None


@dataclass(frozen=True)
class CreatorPage:
    """One page of creators, best first."""

    creators: list[CreatorCard]
    #: The cursor after each creator (pass one as ``after`` to go on from there).
    cursors: list[str]
    #: Whether creators come after this page.
    has_more: bool
    #: Creators matching the filter, all pages together.
    total_count: int
    #: The moment growth windows end at (the latest event unless given).
    as_of: int

    @property
    def next_after(self) -> str | None:
        """The ``after`` of the next page: the cursor of this page's last creator."""
        return self.cursors[-1] if self.cursors else None


@dataclass(frozen=True)
class PairOverlap:
    """Engaged audiences of two creators."""

    creator_a: str
    creator_b: str
    audience_a: int
    audience_b: int
    shared: int
    jaccard: float


@dataclass(frozen=True)
class ReachSuggestion:
    """A creator to add, and how many engaged viewers nobody in the set reaches yet."""

    creator_id: str
    name: str | None
    engaged_audience: int
    added_reach: int


@dataclass(frozen=True)
class AudienceOverlap:
    creator_ids: tuple[str, ...]
    #: Engaged audience of each creator of the set.
    audiences: dict[str, int]
    pairs: list[PairOverlap]
    #: Distinct engaged viewers of the whole set.
    union_reach: int
    #: Best additions first (the reach optimiser).
    suggestions: list[ReachSuggestion] = field(default_factory=list)


@dataclass(frozen=True)
class Lookalike:
    """A creator like the given one, with the evidence."""

    creator_id: str
    name: str | None
    score: float
    #: Cosine of creator embeddings (None when either has no embedding).
    similarity: float | None
    #: Jaccard of engaged audiences, and the shared engaged viewers.
    audience_overlap: float
    shared_audience: int
    reasons: tuple[str, ...]
