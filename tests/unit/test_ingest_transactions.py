"""Which failed write batches are re-run (graph/ingest/transactions.py); the re-runs
themselves meet real deadlocks in tests/integration/test_ingest_events.py and
bench/soak.py."""

from __future__ import annotations

from typing import Any

from neo4j.exceptions import (
    ConstraintError,
    Neo4jError,
    ResultFailedError,
    ServiceUnavailable,
    TransientError,
)

from graph.ingest.transactions import worth_rerunning

DEADLOCK = "Neo.TransientError.Transaction.DeadlockDetected"


def deadlock() -> Neo4jError:
    return TransientError._hydrate_neo4j(code=DEADLOCK, message="can't acquire ExclusiveLock")


def driver_error(kind: type[BaseException], *args: object) -> BaseException:
    """One of the driver's errors (untyped constructors in the 5.x driver)."""
    make: Any = kind
    return make(*args)  # type: ignore[no-any-return]


def raised_while_handling(first: BaseException, second: BaseException) -> BaseException:
    """``second`` as Python chains it when raised in an ``except`` block of ``first``."""
    try:
        try:
            raise first
        except BaseException:
            raise second  # noqa: B904 - the implicit chain is what the driver produces
    except BaseException as error:
        return error


def test_a_uniqueness_conflict_is_rerun() -> None:
    assert worth_rerunning(ConstraintError())


def test_what_the_driver_already_retried_is_not_rerun() -> None:
    # Its retries spent: a further round would only multiply an outage's wait.
    assert not worth_rerunning(deadlock())
    assert not worth_rerunning(driver_error(ServiceUnavailable, "gone"))


def test_a_deadlock_masked_by_the_rollback_is_still_rerun() -> None:
    # What the 6.x driver raises in its rollback of a result that failed mid-stream.
    masked = raised_while_handling(deadlock(), ValueError("Expected structure, found marker 00"))
    assert worth_rerunning(masked)
    wrapped = driver_error(ResultFailedError, None, "The result has failed.")
    wrapped.__cause__ = deadlock()
    assert worth_rerunning(wrapped)


def test_real_errors_are_not_rerun() -> None:
    assert not worth_rerunning(ValueError("a bug"))
    assert not worth_rerunning(raised_while_handling(KeyError("x"), ValueError("y")))
    cycle = ValueError("a")
    cycle.__context__ = ValueError("b")
    cycle.__context__.__context__ = cycle  # a cycle in the chain ends the walk
    assert not worth_rerunning(cycle)
