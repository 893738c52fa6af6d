"""Several named queries, and Python between them, in one managed transaction.

A batch of interactions is checked (which ids are stored), aggregated in Python and
written by a handful of Cypher files; running them in a single transaction costs one
commit, and keeps the batch all-or-nothing. The driver retries the whole transaction
function on transient failures, which is safe because it checks again which events
are stored before it writes anything.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from contextlib import suppress
from typing import Any, TypeVar

import neo4j
from neo4j.exceptions import ConstraintError, DriverError, Neo4jError, ResultError

from graph.db import Graph, Record

log = logging.getLogger(__name__)

T = TypeVar("T")


class Transaction:
    """A managed transaction that runs named Cypher files (parameters checked)."""

    def __init__(self, graph: Graph, tx: neo4j.ManagedTransaction) -> None:
        self._graph = graph
        self._tx = tx

    def run(self, name: str, **params: Any) -> list[Record]:
        result = self._graph.run_in(self._tx, name, **params)
        try:
            return [record.data() for record in result]
        except (Neo4jError, DriverError):
            # A statement that fails mid-stream (a deadlock between concurrent writers on
            # a dense node, say) leaves its result not exhausted; the 6.x driver then
            # masks the retryable error behind a ResultFailedError at rollback, which its
            # retry loop gives up on. Exhausting the result here lets the statement's own
            # error reach the retry loop (and in_write_transaction re-runs whatever still
            # carries a retryable error in its chain).
            with suppress(ResultError):
                result.consume()
            raise


#: Re-runs of a batch after a uniqueness conflict or a transient failure (see below).
RERUNS = 5
#: Seconds before the first re-run; doubled each time, with jitter (two deadlocked
#: writers must not collide again in step).
RERUN_BACKOFF_S = 0.05


def in_write_transaction(graph: Graph, work: Callable[[Transaction], T]) -> T:
    """Run ``work`` in one write transaction (re-run whole on a transient failure).

    A uniqueness conflict is re-run too: two writers of the same new event id (a client
    retrying before its first attempt answered) can both find the id unstored before
    either commits; the loser's CREATE then breaks the constraint and its whole
    transaction rolls back. Re-run, its check finds the winner's id and it writes
    nothing. A conflict that persists is a real error and is raised.

    The driver retries transient errors itself, but not always: when a statement fails
    mid-stream (a deadlock between concurrent writers), a rollback can raise something
    else in its place (ResultFailedError, or a packstream error on a connection it then
    drops), which its retry loop does not recognise. Any error whose chain holds a
    retryable one is re-run here, in a new session (so on a sound connection).
    """

    def unit(tx: neo4j.ManagedTransaction) -> T:
        return work(Transaction(graph, tx))

    started = time.monotonic()
    for rerun in range(RERUNS + 1):
        try:
            return graph.execute_write(unit)  # a new session each time
        except Exception as error:
            if rerun == RERUNS or not worth_rerunning(error):
                raise
            log.info("re-running a write batch after %s (%.1f s since the first try)",
                     type(error).__name__, time.monotonic() - started)  # fmt: skip
            time.sleep(RERUN_BACKOFF_S * 2**rerun * random.uniform(0.5, 1.5))
    raise AssertionError("unreachable")


def worth_rerunning(error: BaseException) -> bool:
    """A uniqueness conflict, or a transient failure the driver did not see as one: hidden
    in the chain of an error that is not itself retryable. An error that is retryable
    itself (a deadlock, Neo4j unreachable) has already had the driver's own retries, for
    its whole retry time: running it again would only multiply that wait."""
    if isinstance(error, ConstraintError):
        return True
    if _retryable(error):
        return False
    seen = {id(error)}
    cause = error.__cause__ or error.__context__
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if _retryable(cause):
            return True
        cause = cause.__cause__ or cause.__context__
    return False


def _retryable(error: BaseException) -> bool:
    return isinstance(error, Neo4jError | DriverError) and error.is_retryable()
