"""Several named write queries in one managed transaction.

A batch of interactions is applied by one Cypher file per event type; running
them in a single transaction costs one commit instead of one per type, and
keeps the batch all-or-nothing. The driver retries the whole transaction on
transient failures, which is safe because each file skips events already stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import neo4j

from graph.db import Graph, Record

Statement = tuple[str, dict[str, Any]]


def write_all(graph: Graph, statements: Sequence[Statement]) -> list[list[Record]]:
    """Run ``statements`` (name, parameters) in order in one write transaction."""
    prepared: list[tuple[str, dict[str, Any]]] = []
    for name, params in statements:
        query = graph.queries[name]
        query.check(params)
        prepared.append((query.text, params))

    def work(tx: neo4j.ManagedTransaction) -> list[list[Record]]:
        return [[record.data() for record in tx.run(text, params)] for text, params in prepared]

    unit = neo4j.unit_of_work(timeout=graph.conn.timeout_s)(work)
    with graph.driver.session(database=graph.conn.database) as session:
        return session.execute_write(unit)
