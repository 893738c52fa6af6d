"""DataLoaders: every entity lookup of one request is batched into one Cypher round trip.

Created per request (their caches must not outlive it: another request may have
changed the graph). A page of videos costs one query, whatever its size: the video
loader's query brings each video's creator, sound and hashtags along.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import suppress
from typing import Any, NamedTuple

from strawberry.dataloader import DataLoader

from graph.db import AsyncGraph, Record


class PageKey(NamedTuple):
    """One page of a list hanging off an entity, after a (time, id) cursor."""

    id: str
    before_at: int | None
    before_id: str | None
    limit: int


EntityLoader = DataLoader[str, Record | None]
PageLoader = DataLoader[PageKey, list[Any]]


def _entity_loader(
    graph: AsyncGraph, query: str, parameter: str, column: str, key: str
) -> EntityLoader:
    async def load(ids: list[str]) -> Sequence[Record | None]:
        params: dict[str, Any] = {parameter: list(dict.fromkeys(ids))}
        rows = await graph.read(query, **params)
        found = {row[column][key]: row[column] for row in rows}
        return [found.get(id_) for id_ in ids]

    return DataLoader(load_fn=load)


def _page_loader(graph: AsyncGraph, query: str, column: str) -> PageLoader:
    async def load(keys: list[PageKey]) -> Sequence[list[Any]]:
        # One limit for the whole batch (Cypher cannot LIMIT by a row's value); each
        # page is then cut to its own size here.
        limit = max(key.limit for key in keys)
        pages = [
            {"key": index, "id": key.id, "beforeAt": key.before_at, "beforeId": key.before_id}
            for index, key in enumerate(keys)
        ]
        rows = await graph.read(query, pages=pages, limit=limit)
        found = {row["key"]: row[column] for row in rows}
        return [found.get(index, [])[: key.limit] for index, key in enumerate(keys)]

    return DataLoader(load_fn=load)


class Loaders:
    """The loaders of one request."""

    def __init__(self, graph: AsyncGraph) -> None:
        self.user = _entity_loader(graph, "api/users_by_id", "ids", "user", "id")
        self.hashtag = _entity_loader(graph, "api/hashtags_by_name", "names", "hashtag", "name")
        self.sound = _entity_loader(graph, "api/sounds_by_id", "ids", "sound", "id")
        self.video = _entity_loader(graph, "api/videos_by_id", "ids", "video", "id")
        self.creator_videos = _page_loader(graph, "api/creator_videos", "videoIds")
        self.hashtag_videos = _page_loader(graph, "api/hashtag_videos", "videoIds")
        self.sound_videos = _page_loader(graph, "api/sound_videos", "videoIds")
        self.user_following = _page_loader(graph, "api/user_following", "follows")

    def forget(self, video_id: str | None = None, user_ids: Sequence[str] = ()) -> None:
        """Drop cached entities a mutation just changed, so its payload shows fresh counters."""
        if video_id is not None:
            _drop(self.video, video_id)
        for user_id in user_ids:
            _drop(self.user, user_id)
        for loader in (self.creator_videos, self.user_following):
            loader.clear_all()


def _drop(loader: EntityLoader, key: str) -> None:
    with suppress(KeyError):  # never loaded in this request: nothing to forget
        loader.clear(key)


async def load_existing(
    loader: EntityLoader, ids: Sequence[str], build: Callable[[Record], Any]
) -> list[Any]:
    """Load many ids and build objects for those that exist, in the order asked."""
    rows: list[Record | None] = await loader.load_many(ids)
    return [build(row) for row in rows if row is not None]
