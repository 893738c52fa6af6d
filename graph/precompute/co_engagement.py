"""Batch job: each video's nearest neighbours by co-engagement, as ``CO_ENGAGED`` edges.

Item-to-item collaborative filtering ("viewers of this also watched"), computed from
the binary viewer x video matrix ``X`` of *engagements* (a viewer viewed the video,
any watch time, or liked it; on KuaiRand this wider definition ranked better than
"finished or liked"). Two ways to weigh a pair, ``method``:

* ``ease`` (default while the catalogue fits in memory): Steck's EASE, the item-item
  linear model ``B = argmin |X - XB|^2 + lambda |B|^2`` with ``diag(B) = 0``, in
  closed form from the inverse of the regularised Gram matrix ``X'X + lambda I``. A
  weight says how much engaging with ``a`` predicts engaging with ``b`` *given
  everything else the viewer engaged with*, so near-duplicates and popular hubs do
  not all pile onto the same neighbours. On KuaiRand it beat both cosine item-kNN and
  ALS (README, "Benchmarks"). Cost: a dense inverse of a (videos x videos) matrix,
  so catalogues above ``ease_max_videos`` fall back to cosine.
* ``cosine``: ``shared viewers / sqrt(viewers(a) * viewers(b))``, popularity-
  normalised co-occurrence; sparse, scales to any catalogue.

Each video keeps its ``neighbours`` best (positive weights only), written as
``(:Video)-[:CO_ENGAGED {score, viewers, rank, computedAt}]->(:Video)``
(docs/model.md), ``viewers`` being the viewers the two share (for explanations).

The feed's ``co_engagement`` source then only walks from the viewer's own recent
views and likes over these edges (graph.feed.sources) and sums the weights: a few
hundred index hops per request instead of a two-hop scan through other viewers'
histories. It still reacts in real time, since the walk starts from the viewer's
live relationships; only the item-item weights are as old as the last run. Run it
after an import and then periodically (``fyp precompute``); each run replaces every
video's list.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from graph.db import Graph
from graph.errors import ClientError

log = logging.getLogger(__name__)

#: ``progress(phase, done, total)``; phases: "read", "similarity", "write".
Progress = Callable[[str, int, int], None]


EASE = "ease"
COSINE = "cosine"
METHODS = (EASE, COSINE)


@dataclass(frozen=True)
class CoEngagementOptions:
    #: How pairs are weighed (see the module docstring).
    method: str = EASE
    #: EASE's L2 regularisation (larger: smoother weights, more popular neighbours).
    ease_lambda: float = 500.0
    #: Above this many videos the dense EASE inverse is too big: cosine instead.
    ease_max_videos: int = 12_000
    #: Neighbours kept per video (the edges written per video, at most).
    neighbours: int = 100
    #: Pairs need at least this many shared viewers (1 keeps every co-engagement).
    min_viewers: int = 1
    #: Newest engaged viewers read per video: bounds the item-item product's cost.
    max_engagers: int = 20_000
    #: Videos per read query and per write transaction.
    read_batch: int = 500
    write_batch: int = 200
    timeout_s: float = 600.0

    def validate(self) -> CoEngagementOptions:
        if self.method not in METHODS:
            raise ClientError(f"--method must be one of {', '.join(METHODS)}")
        if self.ease_lambda <= 0:
            raise ClientError("--ease-lambda must be positive")
        if self.neighbours < 1:
            raise ClientError("--neighbours must be at least 1")
        if self.min_viewers < 1:
            raise ClientError("--min-viewers must be at least 1")
        if self.max_engagers < 1 or self.read_batch < 1 or self.write_batch < 1:
            raise ClientError("batch sizes and --max-engagers must be positive")
        return self


@dataclass(frozen=True)
class CoEngagementReport:
    method: str
    videos: int
    viewers: int
    engagements: int
    #: Videos that got at least one neighbour, and the edges written.
    videos_with_neighbours: int
    edges: int
    seconds: dict[str, float]


@dataclass(frozen=True)
class Neighbours:
    """Top-``n`` neighbours per video: for row ``i``, columns and scores, best first."""

    indptr: NDArray[np.int64]
    columns: NDArray[np.int32]
    scores: NDArray[np.float64]
    viewers: NDArray[np.int64]

    def of(self, row: int) -> list[tuple[int, float, int]]:
        start, end = int(self.indptr[row]), int(self.indptr[row + 1])
        return [
            (int(self.columns[i]), float(self.scores[i]), int(self.viewers[i]))
            for i in range(start, end)
        ]


def engagement_matrix(engagers: Sequence[Sequence[str]]) -> sp.csr_matrix:
    """Binary viewer x video matrix; column ``j`` holds the viewers of ``engagers[j]``."""
    viewer_index: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    for column, users in enumerate(engagers):
        for user in set(users):
            rows.append(viewer_index.setdefault(user, len(viewer_index)))
            cols.append(column)
    shape = (len(viewer_index), len(engagers))
    data = np.ones(len(rows), dtype=np.float64)
    return sp.csr_matrix((data, (rows, cols)), shape=shape)


def nearest_neighbours(engaged: sp.csr_matrix, n: int, min_viewers: int = 1) -> Neighbours:
    """Cosine between video columns of a binary viewer x video matrix, top ``n`` per video
    (ties by column, so reruns agree); a video is never its own neighbour."""
    engaged = (engaged > 0).astype(np.float64).tocsc()
    counts = np.asarray(engaged.sum(axis=0)).ravel()
    shared = (engaged.T @ engaged).tocsr()
    shared.setdiag(0.0)
    shared.eliminate_zeros()
    indptr = np.zeros(shared.shape[0] + 1, dtype=np.int64)
    columns: list[NDArray[np.int32]] = []
    scores: list[NDArray[np.float64]] = []
    viewers: list[NDArray[np.int64]] = []
    for row in range(shared.shape[0]):
        start, end = shared.indptr[row], shared.indptr[row + 1]
        cols = shared.indices[start:end]
        together = shared.data[start:end]
        keep = together >= min_viewers
        cols, together = cols[keep], together[keep]
        cosine = together / np.sqrt(counts[row] * counts[cols])
        order = np.lexsort((cols, -cosine))[:n]
        columns.append(cols[order].astype(np.int32))
        scores.append(cosine[order])
        viewers.append(together[order].astype(np.int64))
        indptr[row + 1] = indptr[row] + order.size
    return Neighbours(
        indptr=indptr,
        columns=np.concatenate(columns) if columns else np.zeros(0, dtype=np.int32),
        scores=np.concatenate(scores) if scores else np.zeros(0),
        viewers=np.concatenate(viewers) if viewers else np.zeros(0, dtype=np.int64),
    )


def ease_neighbours(
    engaged: sp.csr_matrix, n: int, regularisation: float, min_viewers: int = 1
) -> Neighbours:
    """EASE weights between videos (closed form, float32), top ``n`` positive per video,
    ties by column; a video is never its own neighbour."""
    binary = (engaged > 0).astype(np.float32)
    gram = np.asarray((binary.T @ binary).todense(), dtype=np.float32)
    together = gram.copy()
    gram[np.diag_indices_from(gram)] += np.float32(regularisation)
    inverse = np.linalg.inv(gram)
    del gram
    weights = -inverse / np.diag(inverse)[np.newaxis, :]
    del inverse
    np.fill_diagonal(weights, 0.0)
    weights[together < min_viewers] = 0.0
    indptr = np.zeros(weights.shape[0] + 1, dtype=np.int64)
    columns: list[NDArray[np.int32]] = []
    scores: list[NDArray[np.float64]] = []
    viewers: list[NDArray[np.int64]] = []
    for row in range(weights.shape[0]):
        cols = np.flatnonzero(weights[row] > 0)
        values = weights[row, cols].astype(np.float64)
        order = np.lexsort((cols, -values))[:n]
        columns.append(cols[order].astype(np.int32))
        scores.append(values[order])
        viewers.append(together[row, cols[order]].astype(np.int64))
        indptr[row + 1] = indptr[row] + order.size
    return Neighbours(
        indptr=indptr,
        columns=np.concatenate(columns) if columns else np.zeros(0, dtype=np.int32),
        scores=np.concatenate(scores) if scores else np.zeros(0),
        viewers=np.concatenate(viewers) if viewers else np.zeros(0, dtype=np.int64),
    )


def write_rows(
    video_ids: Sequence[str], neighbours: Neighbours, rows: range
) -> list[dict[str, object]]:
    """The ``write_co_engaged`` parameter for ``rows`` (videos with no neighbour included,
    so their stale edges are cleared)."""
    return [
        {
            "id": video_ids[row],
            "neighbours": [
                {
                    "id": video_ids[column],
                    "score": round(score, 6),
                    "viewers": together,
                    "rank": rank,
                }
                for rank, (column, score, together) in enumerate(neighbours.of(row), start=1)
            ],
        }
        for row in rows
    ]


def precompute_co_engagement(
    graph: Graph,
    options: CoEngagementOptions | None = None,
    progress: Progress | None = None,
    now_ms: int | None = None,
) -> CoEngagementReport:
    """Recompute every video's ``CO_ENGAGED`` neighbours from the graph's engagements."""
    options = (options or CoEngagementOptions()).validate()
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    video_ids = [
        row["videoId"] for row in graph.read("precompute/video_ids", timeout_s=options.timeout_s)
    ]
    engagers: list[list[str]] = []
    for start in range(0, len(video_ids), options.read_batch):
        batch = video_ids[start : start + options.read_batch]
        rows = graph.read(
            "precompute/video_engagers",
            timeout_s=options.timeout_s,
            videoIds=batch,
            maxEngagers=options.max_engagers,
        )
        by_id = {row["videoId"]: row["userIds"] for row in rows}
        engagers.extend(by_id.get(video, []) for video in batch)
        if progress is not None:
            progress("read", len(engagers), len(video_ids))
    seconds["read"] = time.perf_counter() - started

    started = time.perf_counter()
    engaged = engagement_matrix(engagers)
    method = options.method
    if method == EASE and len(video_ids) > options.ease_max_videos:
        log.warning(
            "co-engagement: %d videos is above the EASE limit of %d; using cosine",
            len(video_ids), options.ease_max_videos,
        )  # fmt: skip
        method = COSINE
    if method == EASE:
        neighbours = ease_neighbours(
            engaged, options.neighbours, options.ease_lambda, options.min_viewers
        )
    else:
        neighbours = nearest_neighbours(engaged, options.neighbours, options.min_viewers)
    seconds["similarity"] = time.perf_counter() - started
    if progress is not None:
        progress("similarity", 1, 1)

    started = time.perf_counter()
    computed_at = now_ms if now_ms is not None else int(time.time() * 1000)
    edges = 0
    for start in range(0, len(video_ids), options.write_batch):
        rows_range = range(start, min(start + options.write_batch, len(video_ids)))
        result = graph.write(
            "precompute/write_co_engaged",
            timeout_s=options.timeout_s,
            rows=write_rows(video_ids, neighbours, rows_range),
            computedAt=computed_at,
        )
        edges += int(result.records[0]["written"] or 0) if result.records else 0
        if progress is not None:
            progress("write", rows_range.stop, len(video_ids))
    seconds["write"] = time.perf_counter() - started
    with_neighbours = int(np.count_nonzero(np.diff(neighbours.indptr)))
    log.info(
        "co-engagement (%s): %d videos, %d with neighbours, %d edges (%s)",
        method, len(video_ids), with_neighbours, edges,
        ", ".join(f"{phase} {s:.1f}s" for phase, s in seconds.items()),
    )  # fmt: skip
    return CoEngagementReport(
        method=method,
        videos=len(video_ids),
        viewers=engaged.shape[0],
        engagements=int(engaged.nnz),
        videos_with_neighbours=with_neighbours,
        edges=edges,
        seconds=seconds,
    )
