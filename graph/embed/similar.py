"""Engine functions over the vector indexes (no HTTP): similar videos, similar
creators, nearest videos for a user. Each returns ``(id, score)`` pairs, best
first, never the item asked about.

Sync functions take a :class:`Graph` (CLI, batch jobs), ``*_async`` ones an
:class:`AsyncGraph` (feed, API); both share the parameters and the parsing.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, NamedTuple

import neo4j.exceptions

from graph.db import AsyncGraph, Graph, Record
from graph.embed.foldin import fold_in_user, fold_in_user_async
from graph.errors import ClientError, NotFoundError

#: Hits asked of the index beyond ``k``, for the ones the filters drop.
_SLACK = 10
MAX_K = 1_000


class Neighbour(NamedTuple):
    id: str
    score: float


def _candidates(k: int) -> int:
    if not 1 <= k <= MAX_K:
        raise ClientError(f"k must be between 1 and {MAX_K}, got {k}")
    return 2 * k + _SLACK


@contextmanager
def _index_errors() -> Iterator[None]:
    """A missing vector index means no embedding run yet: say how to fix it."""
    try:
        yield
    except neo4j.exceptions.ClientError as error:
        if "no such vector schema index" in str(error.message):
            raise ClientError(
                "no vector index yet: run `fyp embed` to compute embeddings first"
            ) from error
        raise


def _hits(rows: Sequence[Record], what: str, item_id: str) -> list[Neighbour]:
    if not rows or not rows[0]["found"]:
        raise NotFoundError(f"no {what} with id {item_id!r}")
    return [Neighbour(str(hit["id"]), float(hit["score"])) for hit in rows[0]["hits"]]


def similar_videos(graph: Graph, video_id: str, k: int = 10) -> list[Neighbour]:
    """Videos nearest to ``video_id``'s embedding; [] when it has none yet."""
    with _index_errors():
        rows = graph.read("embed/similar_videos", videoId=video_id, k=k, candidates=_candidates(k))
    return _hits(rows, "video", video_id)


async def similar_videos_async(graph: AsyncGraph, video_id: str, k: int = 10) -> list[Neighbour]:
    with _index_errors():
        rows = await graph.read(
            "embed/similar_videos", videoId=video_id, k=k, candidates=_candidates(k)
        )
    return _hits(rows, "video", video_id)


def similar_creators(graph: Graph, creator_id: str, k: int = 10) -> list[Neighbour]:
    """Creators nearest to ``creator_id``'s creator embedding; [] when it has none yet."""
    with _index_errors():
        rows = graph.read(
            "embed/similar_creators", creatorId=creator_id, k=k, candidates=_candidates(k)
        )
    return _hits(rows, "creator", creator_id)


async def similar_creators_async(
    graph: AsyncGraph, creator_id: str, k: int = 10
) -> list[Neighbour]:
    with _index_errors():
        rows = await graph.read(
            "embed/similar_creators", creatorId=creator_id, k=k, candidates=_candidates(k)
        )
    return _hits(rows, "creator", creator_id)


def _nearest_params(
    user_id: str, vector: Sequence[float], k: int, exclude_seen: bool
) -> dict[str, Any]:
    return {
        "userId": user_id,
        "vector": list(vector),
        "k": k,
        "candidates": _candidates(k),
        "excludeSeen": exclude_seen,
    }


def _neighbours(rows: Sequence[Record]) -> list[Neighbour]:
    return [Neighbour(str(row["id"]), float(row["score"])) for row in rows]


def nearest_videos_for_user(
    graph: Graph, user_id: str, k: int = 10, *, exclude_seen: bool = True
) -> list[Neighbour]:
    """Videos nearest to the user's embedding (folded in when the user has none yet).

    [] when the user has no vector and nothing to fold one in from.
    """
    _candidates(k)
    rows = graph.read("embed/user_vector", userId=user_id)
    if not rows:
        raise NotFoundError(f"no user with id {user_id!r}")
    vector = rows[0]["embedding"] or fold_in_user(graph, user_id)
    if not vector:
        return []
    with _index_errors():
        found = graph.read(
            "embed/nearest_videos", **_nearest_params(user_id, vector, k, exclude_seen)
        )
    return _neighbours(found)


async def nearest_videos_for_user_async(
    graph: AsyncGraph, user_id: str, k: int = 10, *, exclude_seen: bool = True
) -> list[Neighbour]:
    _candidates(k)
    rows = await graph.read("embed/user_vector", userId=user_id)
    if not rows:
        raise NotFoundError(f"no user with id {user_id!r}")
    vector = rows[0]["embedding"] or await fold_in_user_async(graph, user_id)
    if not vector:
        return []
    with _index_errors():
        found = await graph.read(
            "embed/nearest_videos", **_nearest_params(user_id, vector, k, exclude_seen)
        )
    return _neighbours(found)
