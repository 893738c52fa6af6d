"""Applying the schema (constraints, indexes) and small admin operations."""

from __future__ import annotations

from graph.db import Graph, Record


def init_schema(graph: Graph) -> int:
    """Create every constraint and index (idempotent); returns statements applied."""
    applied = graph.run_script("schema/constraints") + graph.run_script("schema/indexes")
    graph.read("schema/await_indexes", timeoutSeconds=300)
    return applied


def describe_schema(graph: Graph) -> list[Record]:
    return graph.read("schema/show")


def counts(graph: Graph) -> dict[str, int]:
    """``{"node:Video": n, "relationship:VIEWED": m, ...}``."""
    return {f"{row['kind']}:{row['name']}": row["count"] for row in graph.read("admin/counts")}


def wipe(graph: Graph, batch: int = 10_000) -> int:
    """Delete every node and relationship, in batches (keeps the schema)."""
    total = 0
    while True:
        deleted = int(graph.write("admin/wipe", batch=batch).records[0]["deleted"])
        total += deleted
        if deleted == 0:
            return total
