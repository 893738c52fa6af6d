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

The same run then scores every viewer against the whole model and writes their own
top list as ``RECOMMENDED`` edges (graph.precompute.recommendations), read by the
feed's ``personal`` source.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from graph.db import Graph
from graph.errors import ClientError
from graph.feed.config import Windows
from graph.feed.profile import COMPLETE_RATIO
from graph.precompute.item_models import ItemModel, ItemModelSettings, ease_weights
from graph.precompute.recommendations import (
    neighbour_matrix,
    top_per_viewer,
    write_recommendations,
)

log = logging.getLogger(__name__)

#: ``progress(phase, done, total)``; phases: "read", "similarity", "write", and with
#: recommendations on, "recommend" (viewers whose list was written).
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
    #: The personal lists blend EASE, RP3beta and the low-pass filter with these weights
    #: ((1, 0, 0): EASE alone; see graph.precompute.item_models), with these settings.
    ease_weight: float = 1.0
    rp3_weight: float = 0.0
    rp3_alpha: float = 0.5
    rp3_beta: float = 0.0
    rp3_neighbours: int = 100
    spectral_weight: float = 0.0
    spectral_rank: int = 64
    #: Above this many videos the dense EASE inverse is too big: cosine instead.
    ease_max_videos: int = 12_000
    #: Neighbours kept per video (the edges written per video, at most).
    neighbours: int = 100
    #: Pairs need at least this many shared viewers (1 keeps every co-engagement).
    min_viewers: int = 1
    #: Newest engaged viewers read per video: bounds the item-item product's cost.
    max_engagers: int = 20_000
    #: What makes an engagement positive (the feed's own definitions, so the lists and
    #: the feed agree): a watch ratio of at least ``complete_ratio`` or ``long_view_ms``
    #: of watch time.
    complete_ratio: float = COMPLETE_RATIO
    long_view_ms: int = Windows.long_view_ms
    #: Videos per read query and per write transaction.
    read_batch: int = 500
    write_batch: int = 200
    #: Videos written per viewer as RECOMMENDED (0: no per-viewer lists). More than a
    #: page, since the feed drops what the viewer saw since the run.
    recommendations: int = 100
    #: Viewers per RECOMMENDED write transaction.
    recommend_write_batch: int = 100
    timeout_s: float = 600.0

    @property
    def item_model(self) -> ItemModelSettings:
        return ItemModelSettings(
            ease_lambda=self.ease_lambda,
            ease_weight=self.ease_weight,
            rp3_weight=self.rp3_weight,
            rp3_alpha=self.rp3_alpha,
            rp3_beta=self.rp3_beta,
            rp3_neighbours=self.rp3_neighbours,
            spectral_weight=self.spectral_weight,
            spectral_rank=self.spectral_rank,
        )

    def validate(self) -> CoEngagementOptions:
        if self.method not in METHODS:
            raise ClientError(f"--method must be one of {', '.join(METHODS)}")
        if self.ease_lambda <= 0:
            raise ClientError("--ease-lambda must be positive")
        if self.rp3_weight < 0 or self.rp3_alpha <= 0 or self.rp3_beta < 0:
            raise ClientError("RP3beta needs a weight >= 0, alpha > 0 and beta >= 0")
        weights = (self.ease_weight, self.rp3_weight, self.spectral_weight)
        if min(weights) < 0 or sum(weights) <= 0:
            raise ClientError("the item model's weights must be >= 0, and not all 0")
        if self.spectral_rank < 1:
            raise ClientError("the low-pass filter needs a rank of at least 1")
        if self.rp3_neighbours < 1:
            raise ClientError("RP3beta needs at least one neighbour per video")
        if self.neighbours < 1:
            raise ClientError("--neighbours must be at least 1")
        if self.min_viewers < 1:
            raise ClientError("--min-viewers must be at least 1")
        batches = (self.read_batch, self.write_batch, self.recommend_write_batch)
        if self.max_engagers < 1 or min(batches) < 1:
            raise ClientError("batch sizes and --max-engagers must be positive")
        if self.recommendations < 0:
            raise ClientError("--recommendations must be 0 (off) or more")
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
    #: Viewers who got a RECOMMENDED list, and the edges written (0 when turned off).
    viewers_with_recommendations: int = 0
    recommendations: int = 0


@dataclass(frozen=True)
class Neighbours:
    """Top-``n`` neighbours per video: for row ``i``, columns and scores, best first."""

    indptr: NDArray[np.int64]
    columns: NDArray[np.int32]
    scores: NDArray[np.float64]
    viewers: NDArray[np.int64]

    @classmethod
    def from_rows(
        cls,
        columns: list[NDArray[np.int32]],
        scores: list[NDArray[np.float64]],
        viewers: list[NDArray[np.int64]],
    ) -> Neighbours:
        """Stack per-video lists (row ``i`` = video ``i``, best first) into one CSR."""
        sizes = np.array([column.size for column in columns], dtype=np.int64)
        return cls(
            indptr=np.concatenate([np.zeros(1, dtype=np.int64), np.cumsum(sizes)]),
            columns=np.concatenate(columns) if columns else np.zeros(0, dtype=np.int32),
            scores=np.concatenate(scores) if scores else np.zeros(0),
            viewers=np.concatenate(viewers) if viewers else np.zeros(0, dtype=np.int64),
        )

    def of(self, row: int) -> list[tuple[int, float, int]]:
        start, end = int(self.indptr[row]), int(self.indptr[row + 1])
        return [
            (int(self.columns[i]), float(self.scores[i]), int(self.viewers[i]))
            for i in range(start, end)
        ]


def engagement_matrix(engagers: Sequence[Sequence[str]]) -> sp.csr_matrix:
    """Binary viewer x video matrix; column ``j`` holds the viewers of ``engagers[j]``."""
    return engagement(engagers).matrix


@dataclass(frozen=True)
class Engagement:
    #: Binary viewer x video matrix (what the item-item model is fitted on).
    matrix: sp.csr_matrix
    #: Same pattern, each engagement weighed 2 when positive (a long or complete view, or
    #: a like) and 1 otherwise: the viewer rows their own recommendations are scored from,
    #: so a video swiped away after a second says less about them than one watched through.
    strength: sp.csr_matrix
    #: The viewer id of each row.
    viewer_ids: list[str]


def engagement(
    engagers: Sequence[Sequence[str]], positive: Sequence[Sequence[bool]] | None = None
) -> Engagement:
    """The engagement matrices; ``positive[j][i]`` says whether ``engagers[j][i]``'s
    engagement was positive (all plain views when None). A repeated viewer counts once."""
    viewer_index: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    weights: list[float] = []
    for column, users in enumerate(engagers):
        flags = positive[column] if positive is not None else [False] * len(users)
        best: dict[str, bool] = {}
        for user, flag in zip(users, flags, strict=True):
            best[user] = best.get(user, False) or bool(flag)
        for user, flag in best.items():
            rows.append(viewer_index.setdefault(user, len(viewer_index)))
            cols.append(column)
            weights.append(2.0 if flag else 1.0)
    shape = (len(viewer_index), len(engagers))
    ones = np.ones(len(rows), dtype=np.float64)
    return Engagement(
        matrix=sp.csr_matrix((ones, (rows, cols)), shape=shape),
        strength=sp.csr_matrix((np.array(weights), (rows, cols)), shape=shape),
        viewer_ids=list(viewer_index),
    )


def nearest_neighbours(engaged: sp.csr_matrix, n: int, min_viewers: int = 1) -> Neighbours:
    """Cosine between video columns of a binary viewer x video matrix, top ``n`` per video
    (ties by column, so reruns agree); a video is never its own neighbour."""
    engaged = (engaged > 0).astype(np.float64).tocsc()
    counts = np.asarray(engaged.sum(axis=0)).ravel()
    shared = (engaged.T @ engaged).tocsr()
    shared.setdiag(0.0)
    shared.eliminate_zeros()
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
    return Neighbours.from_rows(columns, scores, viewers)


def ease_neighbours(
    engaged: sp.csr_matrix, n: int, regularisation: float, min_viewers: int = 1
) -> Neighbours:
    """EASE weights between videos (closed form, float32), top ``n`` positive per video,
    ties by column; a video is never its own neighbour."""
    weights, together = ease_weights(engaged, regularisation)
    return top_ease_neighbours(weights, together, n, min_viewers)


def top_ease_neighbours(
    weights: NDArray[np.float32], together: NDArray[np.float32], n: int, min_viewers: int = 1
) -> Neighbours:
    """Top ``n`` positive weights per video among pairs with ``min_viewers`` shared viewers
    (``weights`` itself is left whole: the per-viewer scores use every weight)."""
    columns: list[NDArray[np.int32]] = []
    scores: list[NDArray[np.float64]] = []
    viewers: list[NDArray[np.int64]] = []
    for row in range(weights.shape[0]):
        cols = np.flatnonzero((weights[row] > 0) & (together[row] >= min_viewers))
        values = weights[row, cols].astype(np.float64)
        order = np.lexsort((cols, -values))[:n]
        columns.append(cols[order].astype(np.int32))
        scores.append(values[order])
        viewers.append(together[row, cols[order]].astype(np.int64))
    return Neighbours.from_rows(columns, scores, viewers)


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
    viewers: Collection[str] | None = None,
) -> CoEngagementReport:
    """Recompute every video's ``CO_ENGAGED`` neighbours from the graph's engagements,
    and the personal lists of every viewer (only of ``viewers`` when given: the others'
    lists are deleted, as stale; for a graph that serves only them, such as tuning's)."""
    options = (options or CoEngagementOptions()).validate()
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    video_ids = [
        row["videoId"] for row in graph.read("precompute/video_ids", timeout_s=options.timeout_s)
    ]
    engagers: list[list[str]] = []
    positive: list[list[bool]] = []
    for start in range(0, len(video_ids), options.read_batch):
        batch = video_ids[start : start + options.read_batch]
        rows = graph.read(
            "precompute/video_engagers",
            timeout_s=options.timeout_s,
            videoIds=batch,
            maxEngagers=options.max_engagers,
            completeRatio=options.complete_ratio,
            longViewMs=options.long_view_ms,
        )
        by_id = {row["videoId"]: row for row in rows}
        for video in batch:
            row = by_id.get(video)
            engagers.append(list(row["userIds"]) if row else [])
            positive.append([bool(flag) for flag in row["positive"]] if row else [])
        if progress is not None:
            progress("read", len(engagers), len(video_ids))
    seconds["read"] = time.perf_counter() - started

    started = time.perf_counter()
    engaged_by = engagement(engagers, positive)
    engaged, viewer_ids = engaged_by.matrix, engaged_by.viewer_ids
    method = options.method
    if method == EASE and len(video_ids) > options.ease_max_videos:
        log.warning(
            "co-engagement: %d videos is above the EASE limit of %d; using cosine",
            len(video_ids), options.ease_max_videos,
        )  # fmt: skip
        method = COSINE
    if method == EASE:
        weights, together = ease_weights(engaged, options.ease_lambda)
        neighbours = top_ease_neighbours(weights, together, options.neighbours, options.min_viewers)
        del together
        model = ItemModel.fit(engaged, options.item_model, base=weights)
    else:
        neighbours = nearest_neighbours(engaged, options.neighbours, options.min_viewers)
        base = neighbour_matrix(neighbours.indptr, neighbours.columns, neighbours.scores)
        model = ItemModel.fit(engaged, options.item_model, base=base)
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

    viewers_with_lists = recommendation_edges = 0
    if options.recommendations > 0:
        started = time.perf_counter()
        rows = engaged_by.strength
        if viewers is not None:
            wanted = set(viewers)
            chosen = [row for row, viewer in enumerate(viewer_ids) if viewer in wanted]
            rows = rows[chosen]
            viewer_ids = [viewer_ids[row] for row in chosen]
        viewer_count = len(viewer_ids)

        def written(done: int) -> None:
            if progress is not None:
                progress("recommend", done, viewer_count)

        counts = write_recommendations(
            graph,
            viewer_ids,
            video_ids,
            top_per_viewer(rows, model.scores, options.recommendations),
            computed_at=computed_at,
            batch=options.recommend_write_batch,
            timeout_s=options.timeout_s,
            progress=written,
        )
        viewers_with_lists, recommendation_edges = counts.viewers, counts.edges
        seconds["recommend"] = time.perf_counter() - started
    del model
    # Every API process's read model watches this marker and reloads the neighbours.
    graph.write("precompute/record_run", timeout_s=options.timeout_s, computedAt=computed_at)
    with_neighbours = int(np.count_nonzero(np.diff(neighbours.indptr)))
    log.info(
        "co-engagement (%s): %d videos, %d with neighbours, %d edges; %d viewers with "
        "%d RECOMMENDED edges (%s)",
        method, len(video_ids), with_neighbours, edges, viewers_with_lists, recommendation_edges,
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
        viewers_with_recommendations=viewers_with_lists,
        recommendations=recommendation_edges,
    )
