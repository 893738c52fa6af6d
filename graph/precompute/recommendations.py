"""Batch job, second half: each viewer's own top videos, as ``RECOMMENDED`` edges.

The item-item model the co-engagement job fits (EASE's ``B``, or the cosine
neighbours) scores *every* video for a viewer as ``x_u B``: the viewer's engagement
row times the item weights. This is what EASE actually is as a recommender; the
``co_engagement`` source only approximates it per request by walking the viewer's
newest seeds over each video's top-100 neighbours, so a viewer's score misses every
weight outside those truncated lists (on KuaiRand's validation week the full product
reached recall@50 0.301 against 0.288 for the truncated one).

Scoring all viewers at once is a (viewers x videos) dense product, so it runs in
chunks of viewers (``chunk_rows``), each chunk's top ``n`` unseen videos kept and the
rest dropped. The lists are written as
``(:User)-[:RECOMMENDED {score, rank, computedAt}]->(:Video)`` (docs/model.md) and
read by the feed's ``personal`` source, which drops whatever the viewer watched since
(the list is as old as the last run; the live ``co_engagement`` walk covers what
happened after it). A production pattern: per-user candidate sets refreshed in the
background, so a request only filters, scores and re-ranks them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from graph.db import Graph

log = logging.getLogger(__name__)

#: Item weights: EASE's dense ``B`` or a sparse (videos x videos) neighbour matrix; row
#: ``a``, column ``b``: how much engaging with ``a`` recommends ``b``.
ItemWeights: TypeAlias = NDArray[np.float32] | sp.csr_matrix

#: Scores held in memory per chunk of viewers (viewers x videos floats, ~128 MB).
SCORE_BUDGET = 32_000_000


@dataclass(frozen=True)
class ViewerTop:
    """One viewer's best unseen videos: column indices and scores, best first."""

    row: int
    columns: NDArray[np.int64]
    scores: NDArray[np.float32]


def chunk_rows(videos: int, budget: int = SCORE_BUDGET) -> int:
    """Viewers scored per matrix product, so a chunk holds at most ``budget`` floats."""
    return max(1, budget // max(1, videos))


def top_per_viewer(
    engaged: sp.csr_matrix,
    weights: ItemWeights | Callable[[sp.csr_matrix], NDArray[np.floating[Any]]],
    n: int,
    chunk: int | None = None,
) -> Iterator[ViewerTop]:
    """Every viewer's top ``n`` videos by ``engaged_row @ weights`` (or by ``weights(rows)``
    when it is a model's scoring function; ``engaged``: how much each engagement counts,
    0 = none): positive scores only, never a video the viewer engaged with, ties by
    column (reruns agree). Viewers with nothing to recommend are skipped."""
    rows = sp.csr_matrix(engaged, dtype=np.float32)
    rows.eliminate_zeros()
    viewers, videos = rows.shape
    size = chunk or chunk_rows(videos)
    for start in range(0, viewers, size):
        block = rows[start : start + size]
        product: Any = weights(block) if callable(weights) else block @ weights
        scores = np.asarray(
            product.toarray() if sp.issparse(product) else product, dtype=np.float32
        )
        # The viewer's own videos are never recommended back.
        seen_rows = np.repeat(np.arange(block.shape[0]), np.diff(block.indptr))
        scores[seen_rows, block.indices] = -np.inf
        keep = min(n, videos)
        if keep < videos:
            best = np.argpartition(-scores, keep - 1, axis=1)[:, :keep]
        else:
            best = np.tile(np.arange(videos), (scores.shape[0], 1))
        for offset in range(scores.shape[0]):
            columns = best[offset]
            values = scores[offset, columns]
            positive = values > 0
            columns, values = columns[positive], values[positive]
            if columns.size == 0:
                continue
            order = np.lexsort((columns, -values))
            yield ViewerTop(start + offset, columns[order].astype(np.int64), values[order])


def neighbour_matrix(
    indptr: NDArray[np.int64], columns: NDArray[np.int32], scores: NDArray[np.float64]
) -> sp.csr_matrix:
    """The kept neighbour lists as a sparse (videos x videos) weight matrix (for cosine,
    where no dense model exists)."""
    videos = indptr.size - 1
    return sp.csr_matrix(
        (scores.astype(np.float32), columns, indptr), shape=(videos, videos), dtype=np.float32
    )


def recommendation_rows(
    viewer_ids: Sequence[str], video_ids: Sequence[str], tops: Sequence[ViewerTop]
) -> list[dict[str, object]]:
    """The ``write_recommended`` parameter for some viewers' lists (rank 1 = best)."""
    return [
        {
            "id": viewer_ids[top.row],
            "videos": [
                {"id": video_ids[int(column)], "score": round(float(score), 6), "rank": rank}
                for rank, (column, score) in enumerate(
                    zip(top.columns, top.scores, strict=True), start=1
                )
            ],
        }
        for top in tops
    ]


@dataclass(frozen=True)
class RecommendationCounts:
    viewers: int
    edges: int
    #: Edges of an earlier run deleted because their viewer got no list this time.
    stale_deleted: int


def write_recommendations(
    graph: Graph,
    viewer_ids: Sequence[str],
    video_ids: Sequence[str],
    tops: Iterator[ViewerTop],
    *,
    computed_at: int,
    batch: int,
    timeout_s: float,
    progress: Callable[[int], None] | None = None,
) -> RecommendationCounts:
    """Replace each scored viewer's list, then delete lists this run did not rewrite
    (viewers whose engagements are gone), so a rerun leaves exactly the new lists."""
    viewers = edges = 0
    pending: list[ViewerTop] = []

    def flush() -> None:
        nonlocal viewers, edges
        result = graph.write(
            "precompute/write_recommended",
            timeout_s=timeout_s,
            rows=recommendation_rows(viewer_ids, video_ids, pending),
            computedAt=computed_at,
        )
        record = result.records[0] if result.records else {}
        viewers += int(record.get("viewers") or 0)
        edges += int(record.get("written") or 0)
        pending.clear()
        if progress is not None:
            progress(viewers)

    for top in tops:
        pending.append(top)
        if len(pending) >= batch:
            flush()
    if pending:
        flush()
    stale = 0
    while True:
        result = graph.write(
            "precompute/delete_stale_recommended",
            timeout_s=timeout_s,
            computedAt=computed_at,
            limit=batch * 100,
        )
        deleted = int(result.records[0]["deleted"] or 0) if result.records else 0
        stale += deleted
        if deleted < batch * 100:
            break
    return RecommendationCounts(viewers=viewers, edges=edges, stale_deleted=stale)
