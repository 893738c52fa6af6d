"""graph.db.LoopGraph: the API's synchronous work on its one async driver."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

import neo4j
import pytest

from graph.db import AsyncGraph, Graph, LoopGraph

T = TypeVar("T")


def in_worker(work: Callable[[LoopGraph], T], connection_graph: Graph) -> T:
    """Run ``work`` in a worker thread of a running loop that owns the async driver."""

    async def main() -> T:
        graph = AsyncGraph(connection_graph.conn)
        try:
            return await asyncio.to_thread(work, LoopGraph(graph, asyncio.get_running_loop()))
        finally:
            await graph.close()

    return asyncio.run(main())


def test_reads_writes_and_transaction_functions_go_through_the_loop(graph: Graph) -> None:
    def work(loop_graph: LoopGraph) -> tuple[int, list[str], list[str], list[str]]:
        created = loop_graph.write("ingest/users", rows=[{"id": "a", "name": "A", "createdAt": 1}])

        def two_statements(tx: neo4j.ManagedTransaction) -> list[str]:
            loop_graph.run_in(tx, "ingest/users", rows=[{"id": "b", "name": None, "createdAt": 2}])
            result = loop_graph.run_in(tx, "ingest/known_users", ids=["a", "b", "c"])
            return [*result.keys(), *sorted(record["id"] for record in result)]

        in_tx = loop_graph.execute_write(two_statements)
        read = loop_graph.execute_read(
            lambda tx: [r["id"] for r in loop_graph.run_in(tx, "ingest/known_users", ids=["b"])]
        )
        rows = [row["id"] for row in loop_graph.read("ingest/known_users", ids=["a", "b"])]
        return int(created.records[0]["created"]), in_tx, read, sorted(rows)

    created, in_tx, read, rows = in_worker(work, graph)
    assert created == 1
    assert in_tx[-2:] == ["a", "b"] and "id" in in_tx
    assert read == ["b"] and rows == ["a", "b"]


def test_a_failing_transaction_function_writes_nothing(graph: Graph) -> None:
    def work(loop_graph: LoopGraph) -> None:
        def fails(tx: neo4j.ManagedTransaction) -> None:
            loop_graph.run_in(tx, "ingest/users", rows=[{"id": "x", "name": None, "createdAt": 1}])
            raise ValueError("after the first statement")

        loop_graph.execute_write(fails)

    with pytest.raises(ValueError, match="after the first statement"):
        in_worker(work, graph)
    assert graph.read("ingest/known_users", ids=["x"]) == []


def test_calling_it_from_the_loop_thread_raises_instead_of_hanging(graph: Graph) -> None:
    async def main() -> None:
        async_graph = AsyncGraph(graph.conn)
        try:
            loop_graph = LoopGraph(async_graph, asyncio.get_running_loop())
            with pytest.raises(RuntimeError, match="worker thread"):
                loop_graph.read("ingest/known_users", ids=["a"])
        finally:
            await async_graph.close()

    asyncio.run(main())
