"""The ``feed`` query: one page of the engine's feed as a Relay connection with explanations.

Stored settings apply to every request (the engine applies them, graph.feed.policy):
``personalized: false`` turns the For You feed into the non-profiled one, keyword
filters and interests join the request's own controls. The page's videos come from the
engine's read model: a page costs the engine's one viewer read, and nothing more.
"""

from __future__ import annotations

from enum import Enum

import strawberry

from api.context import Info, gql_field
from api.limits import bounded_first
from api.pagination import PageInfo
from api.types import Video
from graph.errors import ClientError
from graph.feed.model import Controls, FeedItem, FeedPage, FeedRequest, Mode
from graph.settings_store import clean_interests, clean_keywords


@strawberry.enum
class FeedMode(Enum):
    FOR_YOU = "for_you"
    FOLLOWING = "following"
    NON_PERSONALIZED = "non_personalized"


@strawberry.input(description="Per-request tuning; stored settings apply as well.")
class FeedControls:
    diversity: float | None = strawberry.field(
        default=None, description="0 = by predicted engagement only, 1 = as varied as possible."
    )
    exploration: float | None = strawberry.field(
        default=None, description="Share of the page for fresh and out-of-bubble videos (0..1)."
    )
    keyword_filters: list[str] | None = strawberry.field(
        default=None, description="Extra words or hashtags to hide, on top of the settings."
    )
    interests: list[str] | None = None
    blocked_creators: list[strawberry.ID] | None = None


@strawberry.type(description="One scoring signal's contribution to the score.")
class Signal:
    name: str
    weight: float


@strawberry.type(description="Why a video is in the feed.")
class Explanation:
    reasons: list[str]
    signals: list[Signal]


@strawberry.type
class FeedEdge:
    cursor: str
    node: Video
    score: float = strawberry.field(description="Predicted engagement in (0, 1).")
    position: int = strawberry.field(description="0-based position in the feed session.")
    sources: list[str] = strawberry.field(description="Candidate sources that proposed it.")
    exploration: bool = strawberry.field(description="Fills an exploration slot.")
    explanation: Explanation


@strawberry.type(description="One pipeline stage of this request (sources, filters, ranking).")
class FeedStage:
    name: str
    kept: int
    removed: int
    ms: float
    status: str


@strawberry.type
class FeedConnection:
    edges: list[FeedEdge]
    page_info: PageInfo
    request_id: str
    mode: FeedMode = strawberry.field(description="The mode served (settings may change it).")
    stages: list[FeedStage]

    @strawberry.field
    def nodes(self) -> list[Video]:
        return [edge.node for edge in self.edges]


#: Blocked creators a request may carry (ids are checked against a set, but a client
#: should keep its block list server-side past this: ``notInterested(target: {creatorId})``).
MAX_BLOCKED_CREATORS = 500


def controls_for(asked: FeedControls | None) -> Controls:
    """The request's own controls (the engine adds the stored settings)."""
    asked = asked or FeedControls()
    blocked = list(dict.fromkeys(str(creator) for creator in asked.blocked_creators or ()))
    if len(blocked) > MAX_BLOCKED_CREATORS:
        raise ClientError(
            f"At most {MAX_BLOCKED_CREATORS} blocked creators per request (got {len(blocked)}); "
            "block creators for good with notInterested(target: {creatorId: ...})."
        )
    keywords = clean_keywords(asked.keyword_filters or [])
    interests = clean_interests(asked.interests or [])
    return Controls(
        diversity=asked.diversity,
        exploration=asked.exploration,
        keyword_filters=tuple(keywords),
        interests=tuple(interests),
        blocked_creators=tuple(blocked),
    )


def _edge(item: FeedItem, video: Video, cursor: str) -> FeedEdge:
    return FeedEdge(
        cursor=cursor,
        node=video,
        score=item.score,
        position=item.position,
        sources=list(item.sources),
        exploration=item.exploration,
        explanation=Explanation(
            reasons=list(item.explanation.reasons),
            signals=[
                Signal(name=name, weight=weight)
                for name, weight in sorted(item.explanation.weights.items())
            ],
        ),
    )


async def feed_page(
    info: Info,
    first: int,
    after: str | None,
    mode: FeedMode,
    controls: FeedControls | None,
    user_id: str | None,
) -> FeedConnection:
    context = info.context
    user = context.acting_user(user_id)
    first = bounded_first(first, context.max_first)
    request = FeedRequest(
        user_id=user,
        first=first,
        after=after,
        mode=Mode(mode.value),
        controls=controls_for(controls),
    )
    page: FeedPage = await context.services.feed.feed(request)
    context.services.metrics.observe_feed(page)
    rows = context.services.feed.video_rows([item.video_id for item in page.items])
    edges = [
        # The engine's cursor resumes after the whole page; every edge carries it so a
        # client that stops anywhere still continues without repeats.
        _edge(item, Video.from_row(row), page.end_cursor)
        for item, row in zip(page.items, rows, strict=True)
        if row is not None
    ]
    return FeedConnection(
        edges=edges,
        page_info=PageInfo(has_next_page=page.has_next_page, end_cursor=page.end_cursor),
        request_id=page.request_id,
        mode=FeedMode(page.mode.value),
        stages=[
            FeedStage(name=s.name, kept=s.kept, removed=s.removed, ms=s.ms, status=s.status)
            for s in page.stages
        ],
    )


@strawberry.type
class FeedQuery:
    @gql_field("A page of the person's feed; pass `pageInfo.endCursor` on.")
    async def feed(
        self,
        info: Info,
        first: int = 20,
        after: str | None = None,
        mode: FeedMode = FeedMode.FOR_YOU,
        controls: FeedControls | None = None,
        user_id: strawberry.ID | None = None,
    ) -> FeedConnection:
        return await feed_page(info, first, after, mode, controls, user_id)
