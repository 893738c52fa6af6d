"""Applying the schema (constraints, indexes) and small admin operations."""

from __future__ import annotations

from graph.db import Graph, Record


def init_schema(graph: Graph) -> int:
    """Create every constraint and index (idempotent); returns statements applied."""
    # Indexes first: each populates in the background while the constraints are created
    # (a constraint waits for its own index), which halves the time on a loaded graph
    # (an offline import: 12 s -> 6 s on KuaiRand).
    applied = graph.run_script("schema/indexes") + graph.run_script("schema/constraints")
    graph.read("schema/await_indexes", timeoutSeconds=300)
    return applied


def describe_schema(graph: Graph) -> list[Record]:
    return graph.read("schema/show")


def counts(graph: Graph) -> dict[str, int]:
    """``{"node:Video": n, "relationship:VIEWED": m, ...}``."""
    return {f"{row['kind']}:{row['name']}": row["count"] for row in graph.read("admin/counts")}


def wipe(graph: Graph, batch: int = 10_000) -> int:
    """Delete every node and relationship, in batches (keeps the schema); returns nodes deleted.

    Relationships go first, in their own bounded batches: deleting a batch of nodes
    detaches all of their relationships in the same transaction, and a batch of heavy
    users can hold millions of them, past the server's transaction memory limit.
    """
    _delete_in_batches(graph, "admin/wipe_relationships", batch)
    return _delete_in_batches(graph, "admin/wipe", batch)


def _delete_in_batches(graph: Graph, statement: str, batch: int) -> int:
    total = 0
    while True:
        deleted = int(graph.write(statement, batch=batch).records[0]["deleted"])
        total += deleted
        if deleted == 0:
            return total
