"""The feed's public request and response types (the API and the evaluation code against these)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from graph.errors import ClientError
from graph.names import normalise_hashtag

#: Bounds of one page, so a client cannot ask the engine for the whole catalogue.
MAX_PAGE_SIZE = 100


class Mode(StrEnum):
    """Which feed to build."""

    #: Every source, personalised scoring, diversity and exploration.
    FOR_YOU = "for_you"
    #: Only new videos from the creators the user follows.
    FOLLOWING = "following"
    #: No profiling (the EU DSA option): trending, viral and fresh videos only, ranked
    #: without any personal signal. The user's explicit choices (blocks, "not interested",
    #: keyword filters) and what was already served still apply.
    NON_PERSONALIZED = "non_personalized"


def _unit_interval(name: str, value: float) -> None:
    if not 0.0 <= value <= 1.0:
        raise ClientError(f"{name} must be between 0 and 1, got {value}")


@dataclass(frozen=True)
class Controls:
    """What the viewer can tune about their own feed."""

    #: 0 = rank purely by predicted engagement; 1 = spread creators, sounds, hashtags and
    #: embedding neighbourhoods as much as possible. Never two in a row from the same
    #: creator or sound, whatever the value. None: the engine's default (``fyp tune``
    #: chooses it; ``FeedConfig.diversity`` otherwise).
    diversity: float | None = None
    #: Share of the page given to exploration slots (fresh and out-of-bubble videos);
    #: None: the engine's default, as for ``diversity``.
    exploration: float | None = None
    #: Words or hashtags the viewer never wants to see: a keyword matches a whole word of
    #: the caption or a hashtag (``"#cats"`` and ``"cats"`` both match the hashtag).
    keyword_filters: tuple[str, ...] = ()
    #: Hashtags the viewer picked (onboarding); they seed the hashtag source, so a user
    #: with no history still gets a feed about what they chose.
    interests: tuple[str, ...] = ()
    #: Creator ids never to show.
    blocked_creators: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.diversity is not None:
            _unit_interval("diversity", self.diversity)
        if self.exploration is not None:
            _unit_interval("exploration", self.exploration)
        for keyword in self.keyword_filters:
            if not normalise_hashtag(keyword):
                raise ClientError("keyword filters must not be empty")


@dataclass(frozen=True)
class FeedRequest:
    user_id: str
    first: int = 20
    #: ``FeedPage.end_cursor`` of the previous page, or None for the first page.
    after: str | None = None
    mode: Mode = Mode.FOR_YOU
    controls: Controls = field(default_factory=Controls)
    #: Write SERVED impressions for the page (off for offline evaluation and dry runs).
    record_impressions: bool = True
    #: The request time in epoch ms; None lets the engine pick (see FeedConfig.now_ms).
    now: int | None = None

    def __post_init__(self) -> None:
        if not self.user_id:
            raise ClientError("user_id must not be empty")
        if not 1 <= self.first <= MAX_PAGE_SIZE:
            raise ClientError(f"first must be between 1 and {MAX_PAGE_SIZE}, got {self.first}")


@dataclass(frozen=True)
class Explanation:
    """Why an item is in the feed."""

    #: Human sentences, each naming a real path in the graph.
    reasons: tuple[str, ...]
    #: Each scoring signal's contribution to the score (weight x feature value).
    weights: dict[str, float]


@dataclass(frozen=True)
class FeedItem:
    video_id: str
    #: Predicted engagement in (0, 1).
    score: float
    #: 0-based position in the whole feed session (continues across pages).
    position: int
    #: Names of the candidate sources that proposed the video.
    sources: tuple[str, ...]
    explanation: Explanation
    creator_id: str | None = None
    sound_id: str | None = None
    hashtags: tuple[str, ...] = ()
    caption: str | None = None
    created_at: int | None = None
    #: True when the video fills an exploration slot rather than winning on score.
    exploration: bool = False


@dataclass(frozen=True)
class StageReport:
    """One stage of one request, for logs and metrics."""

    name: str
    kept: int
    removed: int
    ms: float
    #: ``ok``, ``failed``, ``timeout`` or ``skipped`` (a source with nothing to ask).
    status: str = "ok"


@dataclass(frozen=True)
class FeedPage:
    items: list[FeedItem]
    end_cursor: str
    has_next_page: bool
    stages: list[StageReport]
    request_id: str
    mode: Mode
    #: The request time the windows were computed from (epoch ms).
    now: int
