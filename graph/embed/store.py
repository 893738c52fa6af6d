"""Write vectors back to Neo4j in batches and keep the vector indexes in step.

Vectors are L2-normalised before they are stored: the indexes use cosine anyway,
and unit vectors let the feed compare two of them with a plain dot product.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from graph.db import Graph
from graph.embed.nodes import NodeKind, split_key
from graph.embed.progress import INDEX, WRITE, Progress, silent

log = logging.getLogger(__name__)

WRITE_QUERY: dict[NodeKind, str] = {
    NodeKind.USER: "embed/write_users",
    NodeKind.CREATOR: "embed/write_creators",
    NodeKind.VIDEO: "embed/write_videos",
    NodeKind.HASHTAG: "embed/write_hashtags",
    NodeKind.SOUND: "embed/write_sounds",
}


@dataclass(frozen=True)
class VectorIndex:
    name: str
    kind: NodeKind
    create_query: str


#: The native vector indexes ``fyp embed`` maintains (names are fixed in cypher/embed).
VIDEO_INDEX = VectorIndex("video_embedding", NodeKind.VIDEO, "embed/index_videos")
USER_INDEX = VectorIndex("user_embedding", NodeKind.USER, "embed/index_users")
CREATOR_INDEX = VectorIndex("creator_embedding", NodeKind.CREATOR, "embed/index_creators")
VECTOR_INDEXES = (VIDEO_INDEX, USER_INDEX, CREATOR_INDEX)

#: How long to wait for a (re)built vector index to come online.
INDEX_TIMEOUT_S = 600


def normalise(vectors: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit: npt.NDArray[np.float32] = (vectors / np.maximum(norms, 1e-12)).astype(np.float32)
    return unit


def _batches(
    keys: Sequence[str], vectors: npt.NDArray[np.float32], size: int
) -> Iterator[tuple[NodeKind, list[dict[str, object]]]]:
    """Rows grouped by kind (one query per kind), at most ``size`` per batch."""
    pending: dict[NodeKind, list[dict[str, object]]] = {}
    for key, vector in zip(keys, vectors, strict=True):
        kind, node_id = split_key(key)
        rows = pending.setdefault(kind, [])
        rows.append({"id": node_id, "vector": vector.tolist()})
        if len(rows) >= size:
            yield kind, rows
            pending[kind] = []
    for kind, rows in pending.items():
        if rows:
            yield kind, rows


def write_vectors(
    graph: Graph,
    keys: Sequence[str],
    vectors: npt.NDArray[np.float32],
    run_id: str,
    batch_size: int,
    progress: Progress = silent,
    timeout_s: float | None = None,
) -> dict[NodeKind, int]:
    """Store ``vectors[i]`` on the node of ``keys[i]``; returns nodes written per kind."""
    written: dict[NodeKind, int] = {}
    done = 0
    progress(WRITE, 0, len(keys))
    for kind, rows in _batches(keys, normalise(vectors), batch_size):
        result = graph.write(WRITE_QUERY[kind], timeout_s=timeout_s, rows=rows, runId=run_id)
        written[kind] = written.get(kind, 0) + int(result.records[0]["written"])
        done += len(rows)
        progress(WRITE, done, len(keys))
    return written


def clear_stale(graph: Graph, run_id: str, batch_size: int, timeout_s: float | None = None) -> int:
    """Remove vectors of earlier runs from nodes this run did not embed."""
    cleared = 0
    while True:
        batch = graph.write(
            "embed/clear_stale", timeout_s=timeout_s, runId=run_id, batchSize=batch_size
        )
        count = int(batch.records[0]["cleared"])
        cleared += count
        if count == 0:
            return cleared


def existing_dimensions(graph: Graph) -> dict[str, int | None]:
    return {row["name"]: row["dimensions"] for row in graph.read("embed/vector_indexes")}


def drop_mismatched_indexes(graph: Graph, dimensions: int) -> list[str]:
    """Drop our vector indexes built for another dimension (they cannot hold the new vectors)."""
    found = existing_dimensions(graph)
    dropped = []
    for index in VECTOR_INDEXES:
        if index.name in found and found[index.name] != dimensions:
            graph.write("embed/drop_index", indexName=index.name)
            dropped.append(index.name)
            log.info("dropped vector index %s (%s dimensions, now %d)", index.name,
                     found[index.name], dimensions)  # fmt: skip
    return dropped


def ensure_indexes(graph: Graph, dimensions: int, progress: Progress = silent) -> list[str]:
    """Create any missing vector index (after dropping mismatched ones); wait until online."""
    drop_mismatched_indexes(graph, dimensions)
    progress(INDEX, 0, len(VECTOR_INDEXES))
    for done, index in enumerate(VECTOR_INDEXES, start=1):
        graph.write(index.create_query, dimensions=dimensions)
        graph.read("embed/await_index", indexName=index.name, timeoutSeconds=INDEX_TIMEOUT_S,
                   timeout_s=INDEX_TIMEOUT_S + 30)  # fmt: skip
        progress(INDEX, done, len(VECTOR_INDEXES))
    return [index.name for index in VECTOR_INDEXES]


def coverage(graph: Graph) -> dict[NodeKind, tuple[int, int]]:
    """Per kind: (nodes, nodes with a vector)."""
    return {
        NodeKind(row["kind"]): (int(row["nodes"]), int(row["embedded"]))
        for row in graph.read("embed/coverage")
    }
