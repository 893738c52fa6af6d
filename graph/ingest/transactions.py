"""Several named queries, and Python between them, in one managed transaction.

A batch of interactions is checked (which ids are stored), aggregated in Python and
written by a handful of Cypher files; running them in a single transaction costs one
commit, and keeps the batch all-or-nothing. The driver retries the whole transaction
function on transient failures, which is safe because it checks again which events
are stored before it writes anything.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import suppress
from typing import Any, TypeVar

import neo4j
from neo4j.exceptions import (
    ConstraintError,
    DriverError,
    Neo4jError,
    ResultError,
    ResultFailedError,
)

from graph.db import Graph, Record

log = logging.getLogger(__name__)

T = TypeVar("T")


class Transaction:
    """A managed transaction that runs named Cypher files (parameters checked)."""

    def __init__(self, graph: Graph, tx: neo4j.ManagedTransaction) -> None:
        self._graph = graph
        self._tx = tx

    def run(self, name: str, **params: Any) -> list[Record]:
        query = self._graph.queries[name]
        query.check(params)
        result = self._tx.run(query.text, params)
        try:
            return [record.data() for record in result]
        except (Neo4jError, DriverError):
            # The neo4j driver (6.x) leaves a result that failed mid-stream (a deadlock
            # between concurrent writers, say) "not exhausted"; its rollback then walks it
            # again and raises ResultFailedError, which is not retryable and replaces the
            # retryable error: the managed transaction gives up at once and the rollback
            # is never sent. Exhausting it here (that raises ResultFailedError, once) lets
            # the statement's own error reach the driver's retry loop.
            with suppress(ResultError):
                result.consume()
            raise


#: Re-runs after a uniqueness conflict with a concurrent writer (see below).
CONFLICT_RETRIES = 3


def in_write_transaction(graph: Graph, work: Callable[[Transaction], T]) -> T:
    """Run ``work`` in one write transaction (re-run whole on a transient failure).

    A uniqueness conflict is re-run too: two writers of the same new event id (a client
    retrying before its first attempt answered) can both find the id unstored before
    either commits; the loser's CREATE then breaks the constraint and its whole
    transaction rolls back. Re-run, its check finds the winner's id and it writes
    nothing. A conflict that persists is a real error and is raised.
    """

    def unit(tx: neo4j.ManagedTransaction) -> T:
        return work(Transaction(graph, tx))

    timed = neo4j.unit_of_work(timeout=graph.conn.timeout_s)(unit)
    retries_left = CONFLICT_RETRIES
    with graph.driver.session(database=graph.conn.database) as session:
        while True:
            try:
                return session.execute_write(timed)
            except ConstraintError:
                if retries_left == 0:
                    raise
                retries_left -= 1
                log.debug("uniqueness conflict with a concurrent writer; re-running the batch")
            except ResultFailedError as error:
                # The driver's masking of a retryable error (see Transaction.run) when the
                # statement fails before its result reaches us: re-run it ourselves.
                cause = error.__cause__
                retryable = isinstance(cause, Neo4jError | DriverError) and cause.is_retryable()
                if not retryable or retries_left == 0:
                    raise
                retries_left -= 1
                log.debug("transient failure hidden by the driver (%s); re-running", cause)
