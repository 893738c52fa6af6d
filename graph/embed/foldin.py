"""Fold-in: a vector for a node that arrived after the last run, without retraining.

A skip-gram vector sits close to the vectors of the nodes it shares walks with, so
a newcomer's best guess is the weighted mean direction of its embedded neighbours:
the videos a user engaged with (weighed like the export weighs them, so skips and
"not interested" count for nothing) and the creators they follow; a video's
viewers, creator, hashtags and sound; a creator's videos, followers and own user
vector. Neighbour vectors are unit length (see :mod:`graph.embed.store`), so each
counts by its weight, not its norm; the result is unit length too.

:func:`fold_in_user` / :func:`fold_in_user_async` answer at request time (read
only); :func:`fold_in_missing` fills in every node without a vector and stores it
(``fyp embed --fold-in``); :func:`fold_in_new_videos` does it for videos alone, as soon
as they are published or imported, so a new video can find a first audience before the
next full run.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from graph.db import AsyncGraph, Graph, Record
from graph.embed.nodes import NodeKind, node_key
from graph.embed.options import EdgeWeights
from graph.embed.progress import FOLD_IN, Progress, silent
from graph.embed.runs import latest_run
from graph.embed.store import write_vectors
from graph.embed.weights import weighted_engagements
from graph.errors import ClientError

log = logging.getLogger(__name__)

#: Most neighbours of one kind a fold-in looks at (the most recent ones).
DEFAULT_NEIGHBOURS = 200

Weighted = tuple[float, Sequence[float]]


def combine(neighbours: Iterable[Weighted], dimensions: int | None = None) -> list[float] | None:
    """Unit-length weighted mean direction of the neighbour vectors, or None if none fit.

    Vectors of another length than ``dimensions`` (by default: the most common length
    among the neighbours) are ignored rather than trusted.
    """
    usable = [(weight, vector) for weight, vector in neighbours if weight > 0 and vector]
    if not usable:
        return None
    if dimensions is None:
        dimensions = Counter(len(vector) for _, vector in usable).most_common(1)[0][0]
    total = np.zeros(dimensions, dtype=np.float64)
    for weight, vector in usable:
        if len(vector) != dimensions:
            continue
        array = np.asarray(vector, dtype=np.float64)
        norm = float(np.linalg.norm(array))
        if norm > 0:
            total += weight * array / norm
    norm = float(np.linalg.norm(total))
    if norm == 0:
        return None
    return [float(x) for x in total / norm]


def _engaged(items: Sequence[Record], weights: EdgeWeights) -> list[Weighted]:
    """(engagement weight, vector) per neighbour from ``{signals, vector}`` rows."""
    result: list[Weighted] = []
    for item in items:
        weight = sum(weighted_engagements(item["signals"], weights).values())
        result.append((weight, item["vector"]))
    return result


def _fixed(vectors: Sequence[Sequence[float]], weight: float) -> list[Weighted]:
    return [(weight, vector) for vector in vectors]


def user_neighbours(row: Record, weights: EdgeWeights) -> list[Weighted]:
    return _engaged(row["videos"], weights) + _fixed(row["creators"], weights.follow)


def video_neighbours(row: Record, weights: EdgeWeights) -> list[Weighted]:
    return (
        _engaged(row["viewers"], weights)
        + _fixed(row["creators"], weights.posted)
        + _fixed(row["hashtags"], weights.tagged)
        + _fixed(row["sounds"], weights.uses_sound)
    )


def creator_neighbours(row: Record, weights: EdgeWeights) -> list[Weighted]:
    own = [row["self"]] if row["self"] else []
    return (
        _fixed(row["videos"], weights.posted)
        + _fixed(row["followers"], weights.follow)
        + _fixed(own, weights.same_person)
    )


@dataclass(frozen=True)
class FoldInKind:
    kind: NodeKind
    missing_query: str
    neighbours_query: str
    neighbours: Callable[[Record, EdgeWeights], list[Weighted]]


USERS = FoldInKind(NodeKind.USER, "embed/missing_users", "embed/fold_in_users", user_neighbours)
VIDEOS = FoldInKind(
    NodeKind.VIDEO, "embed/missing_videos", "embed/fold_in_videos", video_neighbours
)
CREATORS = FoldInKind(
    NodeKind.CREATOR, "embed/missing_creators", "embed/fold_in_creators", creator_neighbours
)
#: Order matters: users first (from videos that have trained vectors), then videos
#: (which can lean on the users just folded in), then creators.
FOLD_IN_ORDER = (USERS, VIDEOS, CREATORS)


def _fold_rows(
    rows: Sequence[Record], spec: FoldInKind, weights: EdgeWeights, dimensions: int | None
) -> dict[str, list[float]]:
    folded = {}
    for row in rows:
        vector = combine(spec.neighbours(row, weights), dimensions)
        if vector is not None:
            folded[row["id"]] = vector
    return folded


def fold_in(
    graph: Graph,
    spec: FoldInKind,
    node_id: str,
    *,
    weights: EdgeWeights | None = None,
    neighbours: int = DEFAULT_NEIGHBOURS,
    dimensions: int | None = None,
) -> list[float] | None:
    rows = graph.read(spec.neighbours_query, ids=[node_id], neighbours=neighbours)
    return _fold_rows(rows, spec, weights or EdgeWeights(), dimensions).get(node_id)


async def fold_in_async(
    graph: AsyncGraph,
    spec: FoldInKind,
    node_id: str,
    *,
    weights: EdgeWeights | None = None,
    neighbours: int = DEFAULT_NEIGHBOURS,
    dimensions: int | None = None,
) -> list[float] | None:
    rows = await graph.read(spec.neighbours_query, ids=[node_id], neighbours=neighbours)
    return _fold_rows(rows, spec, weights or EdgeWeights(), dimensions).get(node_id)


def fold_in_user(
    graph: Graph,
    user_id: str,
    *,
    weights: EdgeWeights | None = None,
    neighbours: int = DEFAULT_NEIGHBOURS,
    dimensions: int | None = None,
) -> list[float] | None:
    """A vector for ``user_id`` from its embedded neighbours (not stored), or None.

    None when the user does not exist or engaged with nothing that has a vector.
    ``neighbours`` caps the videos and the creators looked at (most recent first);
    ``dimensions`` (default: the most common among the neighbours) is the length
    vectors must have to count.
    """
    return fold_in(graph, USERS, user_id, weights=weights, neighbours=neighbours,
                   dimensions=dimensions)  # fmt: skip


async def fold_in_user_async(
    graph: AsyncGraph,
    user_id: str,
    *,
    weights: EdgeWeights | None = None,
    neighbours: int = DEFAULT_NEIGHBOURS,
    dimensions: int | None = None,
) -> list[float] | None:
    """:func:`fold_in_user` for the feed's :class:`AsyncGraph`."""
    return await fold_in_async(graph, USERS, user_id, weights=weights, neighbours=neighbours,
                               dimensions=dimensions)  # fmt: skip


def fold_in_video(
    graph: Graph,
    video_id: str,
    *,
    weights: EdgeWeights | None = None,
    neighbours: int = DEFAULT_NEIGHBOURS,
    dimensions: int | None = None,
) -> list[float] | None:
    """A vector for ``video_id`` from its viewers, creator, hashtags and sound, or None."""
    return fold_in(graph, VIDEOS, video_id, weights=weights, neighbours=neighbours,
                   dimensions=dimensions)  # fmt: skip


async def fold_in_video_async(
    graph: AsyncGraph,
    video_id: str,
    *,
    weights: EdgeWeights | None = None,
    neighbours: int = DEFAULT_NEIGHBOURS,
    dimensions: int | None = None,
) -> list[float] | None:
    """:func:`fold_in_video` for the feed's :class:`AsyncGraph`."""
    return await fold_in_async(graph, VIDEOS, video_id, weights=weights, neighbours=neighbours,
                               dimensions=dimensions)  # fmt: skip


def _missing_pages(graph: Graph, query: str, batch: int) -> Iterable[list[str]]:
    after = ""
    while True:
        ids = [row["id"] for row in graph.read(query, after=after, batchSize=batch)]
        if not ids:
            return
        yield ids
        after = ids[-1]


def fold_in_missing(
    graph: Graph,
    run_id: str,
    dimensions: int,
    *,
    weights: EdgeWeights | None = None,
    batch_size: int = 1_000,
    neighbours: int = DEFAULT_NEIGHBOURS,
    progress: Progress = silent,
    kinds: Sequence[FoldInKind] = FOLD_IN_ORDER,
) -> dict[NodeKind, int]:
    """Fold in and store a vector for every user, video and creator (of ``kinds``) that
    lacks one.

    Nodes with no embedded neighbour stay without a vector. Returns how many of
    each kind got one.
    """
    if batch_size < 1:
        raise ClientError("batch size must be at least 1")
    weights = weights or EdgeWeights()
    stored: dict[NodeKind, int] = {}
    looked_at = 0
    for spec in kinds:
        stored[spec.kind] = 0
        for ids in _missing_pages(graph, spec.missing_query, batch_size):
            rows = graph.read(spec.neighbours_query, ids=ids, neighbours=neighbours)
            folded = _fold_rows(rows, spec, weights, dimensions)
            _store(graph, spec.kind, folded, run_id, batch_size)
            stored[spec.kind] += len(folded)
            looked_at += len(ids)
            progress(FOLD_IN, looked_at, looked_at)
    log.info("fold-in stored %s", {kind.value: count for kind, count in stored.items()})
    return stored


def fold_in_new_videos(
    graph: Graph,
    video_ids: Sequence[str] | None = None,
    *,
    weights: EdgeWeights | None = None,
    batch_size: int = 1_000,
    neighbours: int = DEFAULT_NEIGHBOURS,
) -> int:
    """Store a vector for ``video_ids`` (just published; by default every video without
    one), in the space of the latest embedding run; returns how many got one (0 when
    nothing was ever embedded).

    Run after videos are published or imported: a new video's vector leans on its
    creator, hashtags and sound, which places it near the viewers those lead to, so the
    feed's ``fresh`` and ``embedding`` sources can route it to them before anyone has
    watched it (graph.feed.audience). Without ``video_ids`` it also folds again every
    folded-in video that has viewers by now, so its first viewers place it (``fyp embed
    --fold-in`` does this too; the next full run trains them all).
    """
    run = latest_run(graph)
    if run is None:
        return 0
    weights = weights or EdgeWeights()
    if video_ids is not None:
        rows = graph.read(VIDEOS.neighbours_query, ids=list(video_ids), neighbours=neighbours)
        folded = _fold_rows(rows, VIDEOS, weights, run.dimensions)
        _store(graph, NodeKind.VIDEO, folded, run.id, batch_size)
        return len(folded)
    stored = fold_in_missing(
        graph, run.id, run.dimensions, weights=weights, batch_size=batch_size,
        neighbours=neighbours, kinds=(VIDEOS,),
    )  # fmt: skip
    refold_watched_videos(graph, run.id, run.dimensions, weights=weights,
                          batch_size=batch_size, neighbours=neighbours)  # fmt: skip
    return stored[NodeKind.VIDEO]


def refold_watched_videos(
    graph: Graph,
    run_id: str,
    dimensions: int,
    *,
    weights: EdgeWeights | None = None,
    batch_size: int = 1_000,
    neighbours: int = DEFAULT_NEIGHBOURS,
) -> int:
    """Fold in again every folded-in video that has viewers by now (their engagement
    weighs in, as in a trained vector's walks); returns how many were refreshed."""
    weights = weights or EdgeWeights()
    refreshed = 0
    for ids in _missing_pages(graph, "embed/folded_videos", batch_size):
        rows = graph.read(VIDEOS.neighbours_query, ids=ids, neighbours=neighbours)
        folded = _fold_rows(rows, VIDEOS, weights, dimensions)
        _store(graph, NodeKind.VIDEO, folded, run_id, batch_size)
        refreshed += len(folded)
    return refreshed


def _store(
    graph: Graph, kind: NodeKind, folded: dict[str, list[float]], run_id: str, batch_size: int
) -> None:
    """Write folded-in vectors; videos' are marked, to be refreshed as viewers arrive."""
    if not folded:
        return
    keys = [node_key(kind, node_id) for node_id in folded]
    vectors = np.asarray(list(folded.values()), dtype=np.float32)
    write_vectors(graph, keys, vectors, run_id, batch_size)
    if kind is NodeKind.VIDEO:
        graph.write("embed/mark_folded", ids=list(folded))
