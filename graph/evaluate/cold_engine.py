"""The engine's side of the cold-video evaluation, run as a deployment would run it.

Into an empty database: load the train records without the hidden videos, ``fyp embed``
(:func:`graph.embed.run_embedding`), then publish the hidden videos through the import
path and give them vectors as ``fyp import`` does
(:func:`graph.embed.foldin.fold_in_new_videos`). The vectors the engine then stores (the
viewers' trained ones, the new videos' folded-in ones) are what
:class:`graph.evaluate.cold.EmbeddingRouter` ranks with.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from graph.db import Connection, Graph
from graph.embed.foldin import fold_in_new_videos
from graph.embed.options import EmbedOptions
from graph.embed.pipeline import run_embedding
from graph.errors import ClientError
from graph.evaluate.cold import (
    DEFAULT_FRACTION,
    ColdResult,
    ColdSplit,
    EmbeddingRouter,
    Vectors,
    cold_baselines,
    hide_videos,
    judge,
)
from graph.evaluate.database import EmptyDatabase, FeedDatabase, require_empty
from graph.evaluate.datasets import Split
from graph.ingest import import_records

log = logging.getLogger(__name__)


def engine_vectors(
    connection: Connection,
    cold: ColdSplit,
    empty: EmptyDatabase,
    options: EmbedOptions | None = None,
) -> tuple[Vectors, Vectors]:
    """(viewer id -> vector, video id -> vector) as the engine stores them after the hidden
    videos were published into an embedded graph (``connection`` must be empty)."""
    require_empty(connection)
    empty.load(connection, cold.records, size=cold.train.seen.nnz)
    with Graph(connection) as graph:
        report = run_embedding(graph, options or EmbedOptions())
        log.info("embedded the cold train split in %.1fs", report.total_seconds)
        published = import_records(graph, cold.published(), source="published")
        folded = fold_in_new_videos(graph)
        log.info("published %d hidden videos, %d got a vector", published.loaded, folded)
        rows = graph.read("embed/dump_vectors")
    viewers: dict[str, NDArray[np.float32]] = {}
    videos: dict[str, NDArray[np.float32]] = {}
    for row in rows:
        if row["embedding"] is None:
            continue
        vector = np.asarray(row["embedding"], dtype=np.float32)
        if "User" in row["labels"]:
            viewers[row["id"]] = vector
        elif "Video" in row["labels"]:
            videos[row["id"]] = vector
    return viewers, videos


@dataclass(frozen=True)
class ColdReport:
    """Every router's result on one cold split (the engine's is ``embedding``)."""

    results: dict[str, ColdResult]
    hidden: int
    #: Share of the hidden videos that got a vector when published.
    covered: float
    seconds: float
    baselines: tuple[str, ...] = field(default=("random", "hashtags", "creator"))

    @property
    def engine(self) -> ColdResult:
        return self.results["embedding"]

    @property
    def best_baseline(self) -> ColdResult:
        return max((self.results[name] for name in self.baselines), key=lambda r: r.recall)

    def to_json(self) -> dict[str, Any]:
        """The benchmark's keys: the engine's ``cold_recall_at_50`` / ``cold_reach``, then
        ``cold_<baseline>_recall_at_50`` / ``cold_<baseline>_reach`` for each baseline."""
        engine, best = self.engine, self.best_baseline
        out: dict[str, Any] = {
            "cold_recall_at_50": round(engine.recall, 5),
            "cold_reach": round(engine.reach, 5),
        }
        for name in self.baselines:
            result = self.results[name]
            out[f"cold_{name}_recall_at_50"] = round(result.recall, 5)
            out[f"cold_{name}_reach"] = round(result.reach, 5)
        out["cold_best_baseline"] = best.name
        out["cold_ratio"] = round(engine.recall / best.recall, 3) if best.recall else None
        out["cold_users"] = engine.users
        out["cold_hidden_videos"] = self.hidden
        out["cold_videos_with_later_engager"] = engine.videos
        out["cold_vector_coverage"] = round(self.covered, 4)
        out["cold_seconds"] = round(self.seconds, 1)
        return out


def run_cold(
    split: Split,
    database: FeedDatabase,
    *,
    fraction: float = DEFAULT_FRACTION,
    seed: int = 0,
    options: EmbedOptions | None = None,
) -> ColdReport:
    """The cold-video evaluation of ``split``: the baselines in memory, the engine in the
    empty database ``database`` gives (graph.evaluate.cold)."""
    started = time.perf_counter()
    cold = hide_videos(split, fraction, seed)
    results = {router.name: judge(router, cold) for router in cold_baselines(seed)}
    with database as (connection, empty):
        if empty is None:
            raise ClientError(
                "the cold-video evaluation loads its own split: use a throwaway server"
            )
        vectors = engine_vectors(connection, cold, empty, options)
    router = EmbeddingRouter(lambda: vectors)
    results[router.name] = judge(router, cold)
    log.info("cold videos: %s", {name: result.to_json() for name, result in results.items()})
    return ColdReport(results, len(cold.hidden), router.covered, time.perf_counter() - started)
