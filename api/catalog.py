"""Public catalogue reads: entities by id, trends, similar videos, and ``me``.

Every role may read the catalogue (it holds no one's private data); ``me`` and a
user's own lists need the person themselves, a service acting for them, or an admin.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import Enum
from typing import Annotated

import strawberry

from api.context import Info, gql_field
from api.limits import bounded_first
from api.loaders import EntityLoader
from api.types import Creator, Hashtag, Sound, User, Video, to_datetime
from graph.db import Record
from graph.embed.similar import similar_videos_async
from graph.errors import NotFoundError
from graph.names import normalise_hashtag

HOUR_MS = 3_600_000


@strawberry.enum
class TrendingKind(Enum):
    VIDEO = "video"
    CREATOR = "creator"
    HASHTAG = "hashtag"
    SOUND = "sound"


@strawberry.enum(description="Window length, ending at the newest event in the graph.")
class TrendingWindow(Enum):
    HOUR = HOUR_MS
    DAY = 24 * HOUR_MS
    WEEK = 7 * 24 * HOUR_MS
    MONTH = 30 * 24 * HOUR_MS


TrendingNode = Annotated[Video | Creator | Hashtag | Sound, strawberry.union("TrendingNode")]


@strawberry.type
class TrendingEntry:
    rank: int
    score: float = strawberry.field(
        description="Weighted engagement in the window: views 1, likes 3, comments 4, shares 5."
    )
    node: TrendingNode


@strawberry.type
class SimilarVideo:
    score: float = strawberry.field(description="Cosine similarity of the two embeddings.")
    video: Video


@strawberry.type
class Trending:
    kind: TrendingKind
    window: TrendingWindow
    window_end: datetime | None
    entries: list[TrendingEntry]


async def _one(loader: EntityLoader, key: str, what: str) -> Record:
    row = await loader.load(key)
    if row is None:
        raise NotFoundError(f"No {what} {key!r}.")
    return row


_KIND_LOADERS: dict[TrendingKind, tuple[str, Callable[[Record], TrendingNode]]] = {
    TrendingKind.VIDEO: ("video", Video.from_row),
    TrendingKind.CREATOR: ("user", Creator.from_row),
    TrendingKind.HASHTAG: ("hashtag", Hashtag.from_row),
    TrendingKind.SOUND: ("sound", Sound.from_row),
}


@strawberry.type
class CatalogQuery:
    @strawberry.field
    async def video(self, info: Info, id: strawberry.ID) -> Video:
        info.context.caller()
        return Video.from_row(await _one(info.context.loaders.video, id, "video with id"))

    @gql_field("A user's public profile.")
    async def user(self, info: Info, id: strawberry.ID) -> User:
        info.context.caller()
        return User.from_row(await _one(info.context.loaders.user, id, "user with id"))

    @strawberry.field
    async def creator(self, info: Info, id: strawberry.ID) -> Creator:
        info.context.caller()
        row = await _one(info.context.loaders.user, id, "creator with id")
        if not row.get("isCreator"):
            raise NotFoundError(f"User {id!r} has not posted anything: no such creator.")
        return Creator.from_row(row)

    @strawberry.field
    async def hashtag(self, info: Info, name: str) -> Hashtag:
        info.context.caller()
        key = normalise_hashtag(name)
        return Hashtag.from_row(await _one(info.context.loaders.hashtag, key, "hashtag"))

    @strawberry.field
    async def sound(self, info: Info, id: strawberry.ID) -> Sound:
        info.context.caller()
        return Sound.from_row(await _one(info.context.loaders.sound, id, "sound with id"))

    @gql_field("The signed-in person (or the user a service acts for).")
    async def me(self, info: Info, user_id: strawberry.ID | None = None) -> User:
        owner = info.context.acting_user(user_id)
        return User.from_row(await _one(info.context.loaders.user, owner, "user with id"))

    @gql_field("What gained the most engagement recently; no pagination.")
    async def trending(
        self,
        info: Info,
        kind: TrendingKind = TrendingKind.VIDEO,
        window: TrendingWindow = TrendingWindow.DAY,
        first: int = 20,
    ) -> Trending:
        info.context.caller()
        first = bounded_first(first, info.context.max_first)
        rows = await info.context.graph.read(
            "api/trending", kind=kind.value, windowMs=window.value, limit=first
        )
        loader_name, build = _KIND_LOADERS[kind]
        loader: EntityLoader = getattr(info.context.loaders, loader_name)
        found = await loader.load_many([row["key"] for row in rows])
        entries = [
            TrendingEntry(rank=rank, score=row["score"], node=build(entity))
            for rank, (row, entity) in enumerate(
                ((row, entity) for row, entity in zip(rows, found, strict=True) if entity), 1
            )
        ]
        return Trending(
            kind=kind,
            window=window,
            window_end=to_datetime(rows[0]["windowEnd"]) if rows else None,
            entries=entries,
        )

    @gql_field("Videos nearest in the random-walk embedding space (after `fyp embed`).")
    async def similar_videos(
        self, info: Info, video_id: strawberry.ID, first: int = 10
    ) -> list[SimilarVideo]:
        info.context.caller()
        first = bounded_first(first, info.context.max_first)
        neighbours = await similar_videos_async(info.context.graph, video_id, k=first)
        rows = await info.context.loaders.video.load_many([n.id for n in neighbours])
        return [
            SimilarVideo(score=neighbour.score, video=Video.from_row(row))
            for neighbour, row in zip(neighbours, rows, strict=True)
            if row is not None
        ]
