"""Neo4j access: one long-lived driver, managed transactions, named queries only.

This module is the storage gateway: nothing else opens a session on the driver or
runs a named statement's text. A statement is looked up and its parameters checked
in :func:`_statement`, and run only through what it returns; sessions are opened by
:meth:`Graph.session`, and transaction functions (several statements with Python
between them) run through ``execute_read`` / ``execute_write``, on the configured
database with a server-side timeout. In one place those rules cannot drift apart
between call sites. (The analytics runner's ad-hoc Cypher is no named statement: it
is checked by ``EXPLAIN`` instead, in a read transaction opened here.)

Managed transactions (``execute_read`` / ``execute_write``) retry transient
failures, so every write query must be idempotent (``MERGE`` on constrained ids).
:class:`Graph` serves batch jobs (import, embed, CLI); :class:`AsyncGraph` serves
the feed and the API.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import neo4j
from neo4j.exceptions import AuthError, ServiceUnavailable

from graph.config import Settings
from graph.cypher import QueryLibrary
from graph.errors import DependencyError
from graph.local_neo4j import LocalNeo4j

log = logging.getLogger(__name__)

Record = dict[str, Any]
T = TypeVar("T")

# "Property key does not exist" and planner hints are expected here (optional
# properties such as embeddings before the first run); they would flood the logs.
_DRIVER_OPTIONS: dict[str, Any] = {
    "notifications_disabled_categories": [
        neo4j.NotificationDisabledCategory.UNRECOGNIZED,
        neo4j.NotificationDisabledCategory.HINT,
    ],
}


@dataclass(frozen=True)
class Connection:
    """Where the database is and how to log in (the password is never logged)."""

    uri: str
    user: str
    password: str
    database: str
    timeout_s: float

    def __repr__(self) -> str:
        return f"Connection(uri={self.uri!r}, user={self.user!r}, database={self.database!r})"


def local_server(settings: Settings) -> LocalNeo4j:
    return LocalNeo4j(
        settings.local_neo4j_home,
        cache=settings.cache,
        version=settings.neo4j_version,
        bolt_port=settings.neo4j_bolt_port,
        heap=settings.neo4j_heap,
        pagecache=settings.neo4j_pagecache,
    )


def resolve_connection(settings: Settings) -> Connection:
    """``FYP_NEO4J_URI`` when set, otherwise the project's local server."""
    if settings.neo4j_uri is not None:
        if settings.neo4j_password is None:
            raise DependencyError("FYP_NEO4J_URI is set but FYP_NEO4J_PASSWORD is not.")
        uri, password = settings.neo4j_uri, settings.neo4j_password.get_secret_value()
    else:
        server = local_server(settings)
        uri, password = server.uri, server.password()
    return Connection(
        uri=uri,
        user=settings.neo4j_user,
        password=password,
        database=settings.neo4j_database,
        timeout_s=settings.neo4j_query_timeout_s,
    )


@dataclass(frozen=True)
class WriteResult:
    records: list[Record]
    counters: Mapping[str, int]


def _plain(record: neo4j.Record) -> Record:
    """A record as a dict. The library's statements return maps, lists and scalars, never
    nodes or relationships, so the values need none of ``Record.data()``'s conversion
    (which walks every nested value, and costs more than the query on large results)."""
    return dict(zip(record.keys(), record.values(), strict=True))


def _with_timeout(work: Callable[..., Any], timeout_s: float) -> Callable[..., Any]:
    """Attach a server-side transaction timeout to a transaction function."""
    return neo4j.unit_of_work(timeout=timeout_s)(work)


@dataclass(frozen=True, slots=True)
class _Statement:
    """A named statement whose parameters matched its file: the only thing ever run."""

    text: str
    params: dict[str, Any]

    def run(self, tx: neo4j.ManagedTransaction | neo4j.Session) -> neo4j.Result:
        """Run in a transaction function, or as an auto-commit query on a session."""
        return tx.run(self.text, self.params)

    async def run_async(self, tx: neo4j.AsyncManagedTransaction) -> neo4j.AsyncResult:
        return await tx.run(self.text, self.params)


def _statement(queries: QueryLibrary, name: str, params: dict[str, Any]) -> _Statement:
    """Look a statement up by name and check its parameters against its file.

    Callers do this before they open a session where they can, so a misspelt name or
    parameter fails as itself, without a connection, even while Neo4j is down.
    """
    query = queries[name]
    query.check(params)
    return _Statement(query.text, params)


def _session_config(conn: Connection, read_only: bool, fetch_size: int | None) -> dict[str, Any]:
    """A session's settings: the configured database, READ when asked, a fetch size."""
    config: dict[str, Any] = {"database": conn.database}
    if read_only:
        config["default_access_mode"] = neo4j.READ_ACCESS
    if fetch_size is not None:
        config["fetch_size"] = fetch_size
    return config


def _unavailable(conn: Connection, error: Exception) -> DependencyError:
    return DependencyError(
        f"Neo4j at {conn.uri} is unavailable ({type(error).__name__}): start it with "
        "`fyp neo4j start` or check FYP_NEO4J_URI."
    )


class Graph:
    """Synchronous access for batch jobs and the CLI."""

    def __init__(
        self,
        conn: Connection,
        queries: QueryLibrary | None = None,
        driver_options: Mapping[str, Any] | None = None,
    ) -> None:
        """``driver_options`` add to (or override) the driver's defaults, e.g. retry times."""
        self.conn = conn
        self.queries = queries or QueryLibrary.default()
        self.driver = neo4j.GraphDatabase.driver(
            conn.uri,
            auth=(conn.user, conn.password),
            **{**_DRIVER_OPTIONS, **(driver_options or {})},
        )

    @classmethod
    def connect(cls, settings: Settings) -> Graph:
        graph = cls(resolve_connection(settings))
        graph.verify()
        return graph

    def verify(self) -> None:
        try:
            self.driver.verify_connectivity()
        except AuthError as error:
            raise DependencyError(f"Neo4j at {self.conn.uri} refused the credentials.") from error
        except (ServiceUnavailable, OSError) as error:
            raise _unavailable(self.conn, error) from error

    def close(self) -> None:
        self.driver.close()

    def __enter__(self) -> Graph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def session(self, *, read_only: bool = False, fetch_size: int | None = None) -> neo4j.Session:
        """A session on the configured database (the driver's default fetch size unless
        given); ``read_only`` makes its auto-commit queries and explicit transactions
        READ. Use it as a context manager."""
        return self.driver.session(**_session_config(self.conn, read_only, fetch_size))

    def execute_read(
        self,
        work: Callable[[neo4j.ManagedTransaction], T],
        *,
        timeout_s: float | None = None,
        fetch_size: int | None = None,
    ) -> T:
        """Run a transaction function in a managed READ transaction, in a session of its
        own (read-only as well), retried by the driver on transient failures.
        ``timeout_s`` defaults to the connection's."""
        timeout = self.conn.timeout_s if timeout_s is None else timeout_s
        with self.session(read_only=True, fetch_size=fetch_size) as session:
            return session.execute_read(_with_timeout(work, timeout))  # type: ignore[no-any-return]

    def execute_write(
        self, work: Callable[[neo4j.ManagedTransaction], T], *, timeout_s: float | None = None
    ) -> T:
        """Run a transaction function in a managed write transaction, in a new session
        each call (so a caller that re-runs it after a failure gets a sound connection),
        retried by the driver on transient failures. ``timeout_s`` defaults to the
        connection's."""
        timeout = self.conn.timeout_s if timeout_s is None else timeout_s
        with self.session() as session:
            return session.execute_write(_with_timeout(work, timeout))  # type: ignore[no-any-return]

    def run_in(
        self, tx: neo4j.ManagedTransaction | neo4j.Session, name: str, /, **params: Any
    ) -> neo4j.Result:
        """Run a named statement (parameters checked) in an open transaction function,
        or as an auto-commit query on a session from :meth:`session`."""
        return _statement(self.queries, name, params).run(tx)

    def read(self, name: str, timeout_s: float | None = None, **params: Any) -> list[Record]:
        statement = _statement(self.queries, name, params)

        def work(tx: neo4j.ManagedTransaction) -> list[Record]:
            return [_plain(record) for record in statement.run(tx)]

        return self.execute_read(work, timeout_s=timeout_s or self.conn.timeout_s)

    def write(self, name: str, timeout_s: float | None = None, **params: Any) -> WriteResult:
        statement = _statement(self.queries, name, params)

        def work(tx: neo4j.ManagedTransaction) -> WriteResult:
            result = statement.run(tx)
            records = [_plain(record) for record in result]
            counters = vars(result.consume().counters)
            return WriteResult(records, {k: v for k, v in counters.items() if isinstance(v, int)})

        return self.execute_write(work, timeout_s=timeout_s or self.conn.timeout_s)

    def run_script(self, name: str) -> int:
        """Run every statement of a multi-statement file (schema), each on its own as an
        auto-commit query (schema files take no parameters, so there is nothing to check)."""
        statements = self.queries[name].statements()
        with self.session() as session:
            for text in statements:
                session.run(text).consume()
        return len(statements)


class AsyncGraph:
    """Asynchronous access for the feed and the API (one driver per process)."""

    def __init__(
        self,
        conn: Connection,
        queries: QueryLibrary | None = None,
        driver_options: Mapping[str, Any] | None = None,
    ) -> None:
        """``driver_options`` add to (or override) the driver's defaults, e.g. retry times."""
        self.conn = conn
        self.queries = queries or QueryLibrary.default()
        self.driver = neo4j.AsyncGraphDatabase.driver(
            conn.uri,
            auth=(conn.user, conn.password),
            **{**_DRIVER_OPTIONS, **(driver_options or {})},
        )

    async def close(self) -> None:
        await self.driver.close()

    def session(
        self, *, read_only: bool = False, fetch_size: int | None = None
    ) -> neo4j.AsyncSession:
        """A session on the configured database, as :meth:`Graph.session`."""
        return self.driver.session(**_session_config(self.conn, read_only, fetch_size))

    async def execute_write(
        self,
        work: Callable[[neo4j.AsyncManagedTransaction], Awaitable[T]],
        *,
        timeout_s: float | None = None,
    ) -> T:
        """Run a transaction function in a managed write transaction, in a session of its
        own, retried by the driver on transient failures. ``timeout_s`` defaults to the
        connection's."""
        timeout = self.conn.timeout_s if timeout_s is None else timeout_s
        async with self.session() as session:
            return await session.execute_write(_with_timeout(work, timeout))

    async def run_in(
        self, tx: neo4j.AsyncManagedTransaction, name: str, /, **params: Any
    ) -> neo4j.AsyncResult:
        """Run a named statement (parameters checked) in an open transaction function."""
        return await _statement(self.queries, name, params).run_async(tx)

    async def read(self, name: str, timeout_s: float | None = None, **params: Any) -> list[Record]:
        statement = _statement(self.queries, name, params)
        # The driver's one-call API: a managed read transaction (retried like
        # execute_read) with fewer round trips and less Python per call.
        result = await self.driver.execute_query(
            neo4j.Query(statement.text, timeout=timeout_s or self.conn.timeout_s),
            statement.params,
            database_=self.conn.database,
            routing_=neo4j.RoutingControl.READ,
        )
        keys = result.keys
        return [dict(zip(keys, record.values(), strict=True)) for record in result.records]

    async def write(self, name: str, timeout_s: float | None = None, **params: Any) -> WriteResult:
        statement = _statement(self.queries, name, params)

        async def work(tx: neo4j.AsyncManagedTransaction) -> WriteResult:
            result = await statement.run_async(tx)
            records = [_plain(record) async for record in result]
            summary = await result.consume()
            counters = {k: v for k, v in vars(summary.counters).items() if isinstance(v, int)}
            return WriteResult(records, counters)

        return await self.execute_write(work, timeout_s=timeout_s or self.conn.timeout_s)
