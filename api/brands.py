"""Influencer discovery for brands: find creators, compare audiences, find lookalikes.

Every field needs the brand role (or admin). The engine functions in
:mod:`graph.brands` do the work on the synchronous driver, in a worker thread; the
types here only mirror their frozen results for GraphQL.
"""

from __future__ import annotations

from datetime import datetime

import strawberry
from starlette.concurrency import run_in_threadpool

from api.auth import Role
from api.context import Info, gql_field
from api.pagination import PageInfo
from api.types import to_datetime
from graph.brands import audience_overlap, discover_creators, lookalike_creators
from graph.brands import models as m

# The engine's own enum, registered with GraphQL as it is (strawberry marks the class
# itself, so resolvers annotate with m.CreatorSort); no mirror to keep in step.
CreatorSort = strawberry.enum(
    m.CreatorSort, description="What discovery ranks by, best first (ties by creator id)."
)


@strawberry.input(description="Which creators to look for; every field is optional.")
class CreatorFilter:
    hashtags: list[str] = strawberry.field(
        default_factory=list, description="A niche: creators posting with any of these hashtags."
    )
    topic: str | None = strawberry.field(
        default=None, description="Free text, matched in hashtag names and captions."
    )
    min_followers: int = 0
    max_followers: int | None = None
    min_views: int = strawberry.field(
        default=0, description="Fewest views over all videos (rates on 3 views mean little)."
    )
    min_engagement_rate: float = 0.0
    min_completion_rate: float = 0.0
    min_growth: float = strawberry.field(
        default=0.0, description="New followers in the growth window / followers before it."
    )
    growth_days: int = 30
    reference_creator_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The creator that OVERLAP and SIMILARITY compare with (left out of results).",
    )

    def to_model(self) -> m.CreatorFilter:
        return m.CreatorFilter(
            hashtags=tuple(self.hashtags),
            topic=self.topic,
            min_followers=self.min_followers,
            max_followers=self.max_followers,
            min_views=self.min_views,
            min_engagement_rate=self.min_engagement_rate,
            min_completion_rate=self.min_completion_rate,
            min_growth=self.min_growth,
            growth_days=self.growth_days,
            reference_creator_id=self.reference_creator_id,
        )


@strawberry.type
class HashtagCount:
    name: str
    videos: int


@strawberry.type(description="The busiest day of new followers in the window, when it stands out.")
class FollowerSpike:
    day: str
    follows: int
    baseline: float = strawberry.field(description="Average new followers per other day.")
    unengaged: int = strawberry.field(
        description="Of the day's new followers, those who never watched or engaged."
    )


@strawberry.type(description="How real a creator's following looks, and why.")
class Authenticity:
    score: float = strawberry.field(description="1 = every follower looks real.")
    flagged: bool
    reasons: list[str]
    followers: int
    ghost_followers: int = strawberry.field(description="Followers who never watch or engage.")
    ring_followers: int = strawberry.field(
        description="Followers in a dense follow ring (they follow each other and little else)."
    )
    suspicious_followers: int
    spike: FollowerSpike | None

    @classmethod
    def of(cls, a: m.Authenticity) -> Authenticity:
        spike = a.spike
        return cls(
            score=a.score,
            flagged=a.flagged,
            reasons=list(a.reasons),
            followers=a.followers,
            ghost_followers=a.ghost_followers,
            ring_followers=a.ring_followers,
            suspicious_followers=a.suspicious_followers,
            spike=FollowerSpike(
                day=spike.day,
                follows=spike.follows,
                baseline=spike.baseline,
                unengaged=spike.unengaged,
            )
            if spike
            else None,
        )


@strawberry.type(description="A creator as a brand sees it.")
class CreatorCard:
    creator_id: strawberry.ID
    name: str | None
    followers: int
    videos: int
    views: int
    engagement_rate: float = strawberry.field(description="(likes + comments + shares) / views.")
    completion_rate: float = strawberry.field(description="Share of views watched to the end.")
    avg_completion: float = strawberry.field(
        description="Mean watch ratio per view (loops count more than 1, capped at 5)."
    )
    new_followers: int = strawberry.field(description="Standing follows made in the window.")
    growth_rate: float
    engaged_audience: int = strawberry.field(
        description="Viewers who completed or liked one of the creator's videos."
    )
    top_hashtags: list[HashtagCount] = strawberry.field(description="The creator's niche.")
    authenticity: Authenticity
    shared_audience: int = strawberry.field(description="Shared with the reference creator.")
    overlap: float = strawberry.field(
        description="Jaccard of engaged audiences with the reference."
    )
    similarity: float | None = strawberry.field(
        description="Cosine of creator embeddings with the reference."
    )

    @classmethod
    def of(cls, c: m.CreatorCard) -> CreatorCard:
        return cls(
            creator_id=strawberry.ID(c.creator_id),
            name=c.name,
            followers=c.followers,
            videos=c.videos,
            views=c.views,
            engagement_rate=c.engagement_rate,
            completion_rate=c.completion_rate,
            avg_completion=c.avg_completion,
            new_followers=c.new_followers,
            growth_rate=c.growth_rate,
            engaged_audience=c.engaged_audience,
            top_hashtags=[HashtagCount(name=h.name, videos=h.videos) for h in c.top_hashtags],
            authenticity=Authenticity.of(c.authenticity),
            shared_audience=c.shared_audience,
            overlap=c.overlap,
            similarity=c.similarity,
        )


@strawberry.type
class CreatorCardEdge:
    cursor: str
    node: CreatorCard


@strawberry.type
class CreatorCardConnection:
    edges: list[CreatorCardEdge]
    page_info: PageInfo
    total_count: int = strawberry.field(description="Creators matching the filter, all pages.")
    as_of: datetime | None = strawberry.field(description="When growth windows end.")

    @strawberry.field(description="The nodes of `edges`, for clients that need no cursors.")  # type: ignore[untyped-decorator]
    def nodes(self) -> list[CreatorCard]:
        return [edge.node for edge in self.edges]


@strawberry.type
class CreatorAudience:
    creator_id: strawberry.ID
    engaged_audience: int


@strawberry.type(description="Engaged audiences of two creators.")
class PairOverlap:
    creator_a: strawberry.ID
    creator_b: strawberry.ID
    audience_a: int
    audience_b: int
    shared: int
    jaccard: float


@strawberry.type(description="A creator to add, and the engaged viewers nobody in the set reaches.")
class ReachSuggestion:
    creator_id: strawberry.ID
    name: str | None
    engaged_audience: int
    added_reach: int


@strawberry.type
class AudienceOverlap:
    creator_ids: list[strawberry.ID]
    audiences: list[CreatorAudience]
    pairs: list[PairOverlap]
    union_reach: int = strawberry.field(description="Distinct engaged viewers of the whole set.")
    suggestions: list[ReachSuggestion] = strawberry.field(
        description="Best creators to add first (the reach optimiser)."
    )

    @classmethod
    def of(cls, o: m.AudienceOverlap) -> AudienceOverlap:
        return cls(
            creator_ids=[strawberry.ID(cid) for cid in o.creator_ids],
            audiences=[
                CreatorAudience(creator_id=strawberry.ID(cid), engaged_audience=n)
                for cid, n in o.audiences.items()
            ],
            pairs=[
                PairOverlap(
                    creator_a=strawberry.ID(p.creator_a),
                    creator_b=strawberry.ID(p.creator_b),
                    audience_a=p.audience_a,
                    audience_b=p.audience_b,
                    shared=p.shared,
                    jaccard=p.jaccard,
                )
                for p in o.pairs
            ],
            union_reach=o.union_reach,
            suggestions=[
                ReachSuggestion(
                    creator_id=strawberry.ID(s.creator_id),
                    name=s.name,
                    engaged_audience=s.engaged_audience,
                    added_reach=s.added_reach,
                )
                for s in o.suggestions
            ],
        )


@strawberry.type(description="A creator like the given one, with the evidence.")
class LookalikeCreator:
    creator_id: strawberry.ID
    name: str | None
    score: float
    similarity: float | None = strawberry.field(
        description="Cosine of creator embeddings (null before `fyp embed`)."
    )
    audience_overlap: float = strawberry.field(description="Jaccard of engaged audiences.")
    shared_audience: int
    reasons: list[str]

    @classmethod
    def of(cls, x: m.Lookalike) -> LookalikeCreator:
        return cls(
            creator_id=strawberry.ID(x.creator_id),
            name=x.name,
            score=x.score,
            similarity=x.similarity,
            audience_overlap=x.audience_overlap,
            shared_audience=x.shared_audience,
            reasons=list(x.reasons),
        )


@strawberry.type
class BrandQuery:
    @gql_field("Creators matching a brand's filter, best first by `sort` (brand role).")
    async def discover_creators(
        self,
        info: Info,
        filter: CreatorFilter | None = None,
        sort: m.CreatorSort = m.CreatorSort.ENGAGEMENT,
        first: int = 20,
        after: str | None = None,
    ) -> CreatorCardConnection:
        info.context.caller().require(Role.BRAND)
        where = filter.to_model() if filter else None
        page = await run_in_threadpool(
            discover_creators,
            info.context.services.sync_graph,
            where,
            sort,
            first=first,
            after=after,
        )
        return CreatorCardConnection(
            edges=[
                CreatorCardEdge(cursor=cursor, node=CreatorCard.of(creator))
                for creator, cursor in zip(page.creators, page.cursors, strict=True)
            ],
            page_info=PageInfo(has_next_page=page.has_more, end_cursor=page.next_after),
            total_count=page.total_count,
            as_of=to_datetime(page.as_of),
        )

    @gql_field(
        "Engaged audiences of a set of creators: each, pairwise, the union, and whom to add "
        "for the most new engaged viewers (brand role)."
    )
    async def audience_overlap(
        self, info: Info, creator_ids: list[strawberry.ID], suggestions: int = 5
    ) -> AudienceOverlap:
        info.context.caller().require(Role.BRAND)
        found = await run_in_threadpool(
            audience_overlap,
            info.context.services.sync_graph,
            [str(cid) for cid in creator_ids],
            suggestions=suggestions,
        )
        return AudienceOverlap.of(found)

    @gql_field("Creators most like this one, by embeddings and shared audiences (brand role).")
    async def lookalike_creators(
        self, info: Info, creator_id: strawberry.ID, first: int = 10
    ) -> list[LookalikeCreator]:
        info.context.caller().require(Role.BRAND)
        found = await run_in_threadpool(
            lookalike_creators, info.context.services.sync_graph, str(creator_id), limit=first
        )
        return [LookalikeCreator.of(x) for x in found]
