"""Export the heterogeneous graph from Neo4j into a :class:`WalkGraph`, page by page.

Users (with their engagement and follows) and videos (with creator, hashtags and
sound) are read in keyset pages ordered by id, so each page is an index range scan
and memory holds one page of records at a time plus the flat edge arrays.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from graph.db import Graph, Record
from graph.embed.nodes import NodeKind, node_key
from graph.embed.options import BatchOptions, EdgeWeights
from graph.embed.progress import EXPORT_USERS, EXPORT_VIDEOS, Progress, silent
from graph.embed.walkgraph import WalkGraph, WalkGraphBuilder
from graph.embed.weights import weighted_engagements

log = logging.getLogger(__name__)


def add_user(builder: WalkGraphBuilder, row: Record, weights: EdgeWeights) -> None:
    user = node_key(NodeKind.USER, row["id"])
    for video_id, weight in weighted_engagements(row["engaged"], weights).items():
        builder.add(user, node_key(NodeKind.VIDEO, video_id), weight)
    for creator_id in row["follows"]:
        builder.add(user, node_key(NodeKind.CREATOR, creator_id), weights.follow)


def add_video(builder: WalkGraphBuilder, row: Record, weights: EdgeWeights) -> None:
    video = node_key(NodeKind.VIDEO, row["id"])
    for creator_id in row["creators"]:
        builder.add(node_key(NodeKind.CREATOR, creator_id), video, weights.posted)
    for name in row["hashtags"]:
        builder.add(video, node_key(NodeKind.HASHTAG, name), weights.tagged)
    for sound_id in row["sounds"]:
        builder.add(video, node_key(NodeKind.SOUND, sound_id), weights.uses_sound)


def tie_creators(builder: WalkGraphBuilder, creator_ids: list[str], weight: float) -> int:
    """Join each creator's walk node to the same person's user node.

    Only where one of the two already has an edge: a creator nobody follows, who
    posted nothing and watched nothing, has no neighbourhood to learn from.
    """
    tied = 0
    for creator_id in creator_ids:
        user = node_key(NodeKind.USER, creator_id)
        creator = node_key(NodeKind.CREATOR, creator_id)
        if builder.has(user) or builder.has(creator):
            builder.add(user, creator, weight)
            tied += 1
    return tied


def _pages(graph: Graph, query: str, batch: int, timeout_s: float) -> Iterator[list[Record]]:
    after = ""
    while True:
        rows = graph.read(query, timeout_s=timeout_s, after=after, batchSize=batch)
        if not rows:
            return
        yield rows
        after = rows[-1]["id"]


def export_graph(
    graph: Graph,
    weights: EdgeWeights,
    batches: BatchOptions,
    progress: Progress = silent,
) -> WalkGraph:
    totals = graph.read("embed/export_totals")[0]
    builder = WalkGraphBuilder()
    creators: list[str] = []

    done = 0
    progress(EXPORT_USERS, 0, totals["users"])
    for rows in _pages(graph, "embed/export_users", batches.export_users, batches.timeout_s):
        for row in rows:
            add_user(builder, row, weights)
            if row["creator"]:
                creators.append(row["id"])
        done += len(rows)
        progress(EXPORT_USERS, done, max(done, totals["users"]))

    done = 0
    progress(EXPORT_VIDEOS, 0, totals["videos"])
    for rows in _pages(graph, "embed/export_videos", batches.export_videos, batches.timeout_s):
        for row in rows:
            add_video(builder, row, weights)
        done += len(rows)
        progress(EXPORT_VIDEOS, done, max(done, totals["videos"]))

    tied = tie_creators(builder, creators, weights.same_person)
    walk_graph = builder.build()
    log.info(
        "exported %d nodes, %d edges (%d creators tied to their user node)",
        walk_graph.node_count, walk_graph.edge_count, tied,
    )  # fmt: skip
    return walk_graph
