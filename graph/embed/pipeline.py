"""``fyp embed`` end to end: export, walks, skip-gram, write-back, vector indexes.

:func:`embed_walk_graph` is the in-memory core (also what the benchmark runs);
:func:`run_embedding` wraps it with Neo4j on both sides and records an
``:EmbeddingRun`` node with the settings, counts and per-phase timings.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field

from graph.db import Graph
from graph.embed import kernels as compiled
from graph.embed.core import embed_walk_graph
from graph.embed.export import export_graph
from graph.embed.nodes import NodeKind
from graph.embed.options import BatchOptions, EmbedOptions
from graph.embed.progress import Progress, Stopwatch, silent
from graph.embed.runs import ensure_run_schema, new_run_id, option_properties, record_run
from graph.embed.store import clear_stale, drop_mismatched_indexes, ensure_indexes, write_vectors
from graph.errors import ClientError

log = logging.getLogger(__name__)


def _now_ms() -> int:
    return int(time.time() * 1000)


@dataclass(frozen=True)
class EmbedReport:
    run_id: str
    nodes: dict[NodeKind, int]
    edges: int
    written: dict[NodeKind, int]
    cleared: int
    indexes: list[str]
    seconds: dict[str, float] = field(default_factory=dict)
    #: Which kernels walked and trained: "ahead-of-time" or "jit" (threads are JIT only).
    kernels: str = compiled.JIT

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


def run_embedding(
    graph: Graph,
    options: EmbedOptions,
    batches: BatchOptions | None = None,
    progress: Progress = silent,
    clock: Callable[[], int] = _now_ms,
) -> EmbedReport:
    """Embed every user, creator, video, hashtag and sound that has an edge."""
    options.validate()
    batches = (batches or BatchOptions()).validate()
    ensure_run_schema(graph)
    run_id = new_run_id()
    settings = option_properties(options)
    record_run(graph, run_id, {**settings, "status": "running", "startedAt": clock()})
    stopwatch = Stopwatch()
    try:
        with stopwatch.time("export"):
            walk_graph = export_graph(graph, options.weights, batches, progress)
        if walk_graph.node_count == 0:
            raise ClientError(
                "nothing to embed: no user, video or creator has an edge yet "
                "(import data first, e.g. `fyp import`)"
            )
        kernels = compiled.load()
        vectors = embed_walk_graph(walk_graph, options, progress, stopwatch, kernels)
        with stopwatch.time("write"):
            # An index of another dimension cannot take the new vectors: drop it
            # first so the writes do not feed it; ensure_indexes rebuilds it.
            drop_mismatched_indexes(graph, options.dimensions)
            written = write_vectors(
                graph, walk_graph.keys, vectors, run_id, batches.write, progress, batches.timeout_s
            )
            cleared = clear_stale(graph, run_id, batches.write, batches.timeout_s)
        with stopwatch.time("index"):
            indexes = ensure_indexes(graph, options.dimensions, progress)
    except BaseException:
        # Best effort: the original error matters more than failing to record it.
        with suppress(Exception):
            record_run(graph, run_id, {"status": "failed", "finishedAt": clock()})
        raise
    report = EmbedReport(
        run_id=run_id,
        nodes=walk_graph.kinds(),
        edges=walk_graph.edge_count,
        written=written,
        cleared=cleared,
        indexes=indexes,
        seconds=dict(stopwatch.seconds),
        kernels=kernels.kind if options.workers == 1 else compiled.JIT,
    )
    record_run(
        graph,
        run_id,
        {
            "status": "complete",
            "finishedAt": clock(),
            "nodes": walk_graph.node_count,
            "edges": walk_graph.edge_count,
            "seconds": round(report.total_seconds, 3),
            "kernels": report.kernels,
            "phaseSeconds": [f"{step}={value:.3f}" for step, value in stopwatch.seconds.items()],
        },
    )
    log.info("embedding run %s complete in %.1fs", run_id, report.total_seconds)
    return report
