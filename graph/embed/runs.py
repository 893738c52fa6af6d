"""The ``:EmbeddingRun`` node: what produced the vectors now in the graph.

Each run records its settings (dimensions, seed, p, q, walk and training
settings), when it started and finished, its counts and its status. Fold-in and
the feed read the latest complete run to learn the dimension of the space.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from typing import Any

from graph.db import AsyncGraph, Graph, Record
from graph.embed.options import EmbedOptions


@dataclass(frozen=True)
class EmbeddingRun:
    id: str
    dimensions: int
    seed: int
    p: float
    q: float
    status: str
    started_at: int
    finished_at: int | None

    @classmethod
    def from_record(cls, run: Record) -> EmbeddingRun:
        return cls(
            id=str(run["id"]),
            dimensions=int(run["dimensions"]),
            seed=int(run["seed"]),
            p=float(run["p"]),
            q=float(run["q"]),
            status=str(run["status"]),
            started_at=int(run["startedAt"]),
            finished_at=None if run.get("finishedAt") is None else int(run["finishedAt"]),
        )


def new_run_id() -> str:
    return uuid.uuid4().hex


def ensure_run_schema(graph: Graph) -> None:
    graph.run_script("embed/constraints")


def option_properties(options: EmbedOptions) -> dict[str, Any]:
    """The settings that determine the vectors, as flat Neo4j properties."""
    return {
        "dimensions": options.dimensions,
        "seed": options.seed,
        "p": options.p,
        "q": options.q,
        "walkLength": options.walk_length,
        "walksPerNode": options.walks_per_node,
        "window": options.window,
        "epochs": options.epochs,
        "negative": options.negative,
        "workers": options.workers,
        "weights": [f"{name}={value}" for name, value in asdict(options.weights).items()],
    }


def record_run(graph: Graph, run_id: str, properties: dict[str, Any]) -> None:
    graph.write("embed/record_run", runId=run_id, properties=properties)


def latest_run(graph: Graph) -> EmbeddingRun | None:
    rows = graph.read("embed/latest_run")
    return EmbeddingRun.from_record(rows[0]["run"]) if rows else None


async def latest_run_async(graph: AsyncGraph) -> EmbeddingRun | None:
    rows = await graph.read("embed/latest_run")
    return EmbeddingRun.from_record(rows[0]["run"]) if rows else None
