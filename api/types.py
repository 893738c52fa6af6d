"""The graph's entities as GraphQL types, built from DataLoader rows.

Times are epoch ms in the graph and ``DateTime`` here (GraphQL ``Int`` is 32-bit).
Relationships resolve through the request's loaders, so a list of videos costs one
query per related kind, not one per video.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import strawberry

from api.context import Info, gql_field
from api.limits import bounded_first
from api.loaders import PageKey, PageLoader, load_existing
from api.pagination import Connection, connection, decode_cursor
from graph.db import Record
from graph.settings_store import UserSettings, load_settings

PAGE_DEFAULT = 20


def to_datetime(ms: int | float | None) -> datetime | None:
    return None if ms is None else datetime.fromtimestamp(ms / 1000.0, tz=UTC)


def to_ms(moment: datetime) -> int:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


def _count(row: Record, name: str) -> int:
    return int(row.get(name) or 0)


@strawberry.type(description="Engagement counters, updated with every event.")
class VideoStats:
    views: int
    viewers: int
    completes: int
    likes: int
    shares: int
    comments: int
    skips: int
    not_interested: int
    impressions: int
    follows: int = strawberry.field(description="Follows of the creator attributed to it.")
    average_completion: float | None = strawberry.field(
        description="Mean watch time / duration over views (loops count, capped at 5)."
    )
    average_watch_ms: float | None

    @classmethod
    def from_row(cls, row: Record) -> VideoStats:
        views = _count(row, "views")
        return cls(
            views=views,
            viewers=_count(row, "viewers"),
            completes=_count(row, "completes"),
            likes=_count(row, "likes"),
            shares=_count(row, "shares"),
            comments=_count(row, "comments"),
            skips=_count(row, "skips"),
            not_interested=_count(row, "notInterested"),
            impressions=_count(row, "impressions"),
            follows=_count(row, "follows"),
            average_completion=(row.get("completionSum") or 0.0) / views if views else None,
            average_watch_ms=(row.get("watchMsSum") or 0.0) / views if views else None,
        )


@strawberry.type
class Video:
    id: strawberry.ID
    caption: str
    created_at: datetime | None
    duration_ms: int
    status: str
    stats: VideoStats
    # The video loader's query brings these along, so resolving them costs nothing.
    creator_row: strawberry.Private[Record | None]
    sound_row: strawberry.Private[Record | None]
    hashtag_rows: strawberry.Private[list[Record]]
    created_ms: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: Record) -> Video:
        """A video from an ``api/videos_by_id`` row (creator, sound and hashtags inline)."""
        return cls(
            id=strawberry.ID(row["id"]),
            caption=row.get("caption") or "",
            created_at=to_datetime(row.get("createdAt")),
            duration_ms=_count(row, "durationMs"),
            status=row.get("status") or "active",
            stats=VideoStats.from_row(row),
            creator_row=row.get("creator"),
            sound_row=row.get("sound"),
            hashtag_rows=sorted(row.get("hashtagRows") or [], key=lambda tag: str(tag["name"])),
            created_ms=row.get("createdAt"),
        )

    @strawberry.field
    def creator(self) -> Creator | None:
        return Creator.from_row(self.creator_row) if self.creator_row else None

    @strawberry.field
    def hashtags(self) -> list[Hashtag]:
        return [Hashtag.from_row(row) for row in self.hashtag_rows]

    @strawberry.field
    def sound(self) -> Sound | None:
        return Sound.from_row(self.sound_row) if self.sound_row else None


async def video_page(
    info: Info, loader: PageLoader, owner: str, first: int, after: str | None
) -> Connection[Video]:
    """A page of an entity's videos, newest first (two batched queries: ids, then videos)."""
    first = bounded_first(first, info.context.max_first)
    before_at, before_id = decode_cursor(after)
    ids: list[str] = await loader.load(PageKey(owner, before_at, before_id, first + 1))
    videos: list[Video] = await load_existing(info.context.loaders.video, ids, Video.from_row)
    return connection(videos, first, node=_same, sort_key=lambda v: (v.created_ms, str(v.id)))


def _same(item: Any) -> Any:
    return item


@strawberry.type(description="A user who posts videos.")
class Creator:
    id: strawberry.ID
    name: str | None
    created_at: datetime | None
    follower_count: int
    following_count: int
    video_count: int

    @classmethod
    def from_row(cls, row: Record) -> Creator:
        return cls(
            id=strawberry.ID(row["id"]),
            name=row.get("name"),
            created_at=to_datetime(row.get("createdAt")),
            follower_count=_count(row, "followers"),
            following_count=_count(row, "following"),
            video_count=_count(row, "videos"),
        )

    @gql_field("Active videos, newest first.")
    async def videos(
        self, info: Info, first: int = PAGE_DEFAULT, after: str | None = None
    ) -> Connection[Video]:
        return await video_page(info, info.context.loaders.creator_videos, self.id, first, after)


@strawberry.type(description="Preferences that shape a person's own feed.")
class FeedSettings:
    personalized: bool = strawberry.field(
        description="False gives the feed not based on profiling (trending and fresh videos)."
    )
    keyword_filters: list[str] = strawberry.field(
        description="Words or hashtags never to show (whole words of captions, or hashtags)."
    )
    interests: list[str] = strawberry.field(
        description="Hashtags picked by the person; they seed the feed before any history."
    )

    @classmethod
    def of(cls, settings: UserSettings) -> FeedSettings:
        return cls(
            personalized=settings.personalized,
            keyword_filters=list(settings.keyword_filters),
            interests=list(settings.interests),
        )


@strawberry.type
class User:
    id: strawberry.ID
    name: str | None
    created_at: datetime | None
    follower_count: int
    following_count: int
    is_creator: bool
    row: strawberry.Private[Record]

    @classmethod
    def from_row(cls, row: Record) -> User:
        return cls(
            id=strawberry.ID(row["id"]),
            name=row.get("name"),
            created_at=to_datetime(row.get("createdAt")),
            follower_count=_count(row, "followers"),
            following_count=_count(row, "following"),
            is_creator=bool(row.get("isCreator")),
            row=row,
        )

    @gql_field("This user as a creator, when they post.")
    def creator(self) -> Creator | None:
        return Creator.from_row(self.row) if self.is_creator else None

    @gql_field("Creators this user follows, latest first (the user only).")
    async def following(
        self, info: Info, first: int = PAGE_DEFAULT, after: str | None = None
    ) -> Connection[Creator]:
        owner = info.context.acting_user(self.id)
        first = bounded_first(first, info.context.max_first)
        before_at, before_id = decode_cursor(after)
        key = PageKey(owner, before_at, before_id, first + 1)
        follows: list[Record] = await info.context.loaders.user_following.load(key)
        times = {row["creatorId"]: row["at"] for row in follows}
        creators = await load_existing(
            info.context.loaders.user, [row["creatorId"] for row in follows], Creator.from_row
        )
        return connection(
            creators, first, node=_same, sort_key=lambda c: (times.get(c.id), str(c.id))
        )

    @gql_field("Feed preferences (the user only).")
    async def settings(self, info: Info) -> FeedSettings:
        owner = info.context.acting_user(self.id)
        return FeedSettings.of(await load_settings(info.context.graph, owner))


@strawberry.type
class Hashtag:
    name: str
    video_count: int

    @classmethod
    def from_row(cls, row: Record) -> Hashtag:
        return cls(name=row["name"], video_count=_count(row, "videos"))

    @gql_field("Active videos with this hashtag, newest first.")
    async def videos(
        self, info: Info, first: int = PAGE_DEFAULT, after: str | None = None
    ) -> Connection[Video]:
        return await video_page(info, info.context.loaders.hashtag_videos, self.name, first, after)


@strawberry.type
class Sound:
    id: strawberry.ID
    title: str | None
    video_count: int

    @classmethod
    def from_row(cls, row: Record) -> Sound:
        return cls(
            id=strawberry.ID(row["id"]), title=row.get("title"), video_count=_count(row, "videos")
        )

    @gql_field("Active videos using this sound, newest first.")
    async def videos(
        self, info: Info, first: int = PAGE_DEFAULT, after: str | None = None
    ) -> Connection[Video]:
        return await video_page(info, info.context.loaders.sound_videos, self.id, first, after)
