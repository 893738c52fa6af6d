"""Neo4j access: one long-lived driver, managed transactions, named queries only.

Managed transactions (``execute_read`` / ``execute_write``) retry transient
failures, so every write query must be idempotent (``MERGE`` on constrained ids).
:class:`Graph` serves batch jobs (import, embed, CLI); :class:`AsyncGraph` serves
the feed and the API.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import neo4j
from neo4j.exceptions import AuthError, ServiceUnavailable

from graph.config import Settings
from graph.cypher import QueryLibrary
from graph.errors import DependencyError
from graph.local_neo4j import LocalNeo4j

log = logging.getLogger(__name__)

Record = dict[str, Any]

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

    def read(self, name: str, timeout_s: float | None = None, **params: Any) -> list[Record]:
        query = self.queries[name]
        query.check(params)
        statement = query.text

        def work(tx: neo4j.ManagedTransaction) -> list[Record]:
            return [_plain(record) for record in tx.run(statement, params)]

        with self.driver.session(database=self.conn.database) as session:
            unit = _with_timeout(work, timeout_s or self.conn.timeout_s)
            return session.execute_read(unit)

    def write(self, name: str, timeout_s: float | None = None, **params: Any) -> WriteResult:
        query = self.queries[name]
        query.check(params)
        statement = query.text

        def work(tx: neo4j.ManagedTransaction) -> WriteResult:
            result = tx.run(statement, params)
            records = [_plain(record) for record in result]
            counters = vars(result.consume().counters)
            return WriteResult(records, {k: v for k, v in counters.items() if isinstance(v, int)})

        with self.driver.session(database=self.conn.database) as session:
            unit = _with_timeout(work, timeout_s or self.conn.timeout_s)
            return session.execute_write(unit)  # type: ignore[no-any-return]

    def run_script(self, name: str) -> int:
        """Run every statement of a multi-statement file (schema), each on its own."""
        statements = self.queries[name].statements()
        with self.driver.session(database=self.conn.database) as session:
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

    async def read(self, name: str, timeout_s: float | None = None, **params: Any) -> list[Record]:
        query = self.queries[name]
        query.check(params)
        # The driver's one-call API: a managed read transaction (retried like
        # execute_read) with fewer round trips and less Python per call.
        result = await self.driver.execute_query(
            neo4j.Query(query.text, timeout=timeout_s or self.conn.timeout_s),
            params,
            database_=self.conn.database,
            routing_=neo4j.RoutingControl.READ,
        )
        keys = result.keys
        return [dict(zip(keys, record.values(), strict=True)) for record in result.records]

    async def write(self, name: str, timeout_s: float | None = None, **params: Any) -> WriteResult:
        query = self.queries[name]
        query.check(params)
        statement = query.text

        async def work(tx: neo4j.AsyncManagedTransaction) -> WriteResult:
            result = await tx.run(statement, params)
            records = [_plain(record) async for record in result]
            summary = await result.consume()
            counters = {k: v for k, v in vars(summary.counters).items() if isinstance(v, int)}
            return WriteResult(records, counters)

        async with self.driver.session(database=self.conn.database) as session:
            unit = _with_timeout(work, timeout_s or self.conn.timeout_s)
            return await session.execute_write(unit)
