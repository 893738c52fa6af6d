"""Where the feed serves from in an evaluation or a tuning search: a throwaway local
server (removed afterwards), or one given as it is.

``fyp evaluate``, ``fyp train-ranker`` and ``bench/quality.py`` hand a
:func:`feed_database` to ``graph.evaluate.suite.run_suite`` /
``graph.evaluate.ranker.train_ranker``, which enter it only when the feed is served, so
no server starts for the baselines alone; ``fyp tune`` searches in throwaway servers
from :func:`scratch_server`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass

from graph.config import Settings
from graph.db import Connection, Graph, resolve_connection
from graph.errors import ClientError
from graph.evaluate.interactions import RecordSource
from graph.ingest import ImportReport, import_records
from graph.ingest.imports import Destination
from graph.ingest.offline_load import load_offline, local_connection
from graph.local_neo4j import LocalNeo4j, throwaway_server
from graph.schema import counts, init_schema

#: ``progress(kind, records_in_batch)``, as ``graph.ingest`` reports it (per batch).
LoadProgress = Callable[[str, int], None]


@dataclass(frozen=True)
class EmptyDatabase:
    """An empty database for the train split: loaded offline (neo4j-admin, three times
    faster on KuaiRand) when it is a local server this process owns and the split is big
    enough to repay the offline path's fixed cost (a server restart and the importer's
    start, ~10 s); online otherwise."""

    server: LocalNeo4j | None = None
    #: (User, video) pairs from which the offline path pays: online loads ~6,000 events a
    #: second on the 2-core machine.
    offline_from: int = 100_000

    def load(
        self,
        connection: Connection,
        records: RecordSource,
        progress: LoadProgress | None = None,
        *,
        source: str = "train",
        size: int | None = None,
    ) -> ImportReport:
        """Load ``records`` (``size`` of them, roughly, when known) into the empty database
        (see :func:`require_empty`)."""

        def read(target: Destination) -> ImportReport:
            return import_records(target, records(), source=source, progress=progress)

        if self.server is None or (size is not None and size < self.offline_from):
            with Graph(connection) as graph:
                init_schema(graph)
                return read(graph)
        return load_offline(self.server, read, timeout_s=connection.timeout_s).report


def require_empty(connection: Connection) -> None:
    """Refuse, never wipe, a database that holds anything: the evaluation loads its own."""
    with Graph(connection) as graph:
        present = {name: n for name, n in counts(graph).items() if n}
    if present:
        raise ClientError(
            f"the evaluation loads an empty database, but {connection.uri} holds data "
            f"({sum(present.values()):,} nodes and relationships); use a throwaway "
            "server or a database that already holds exactly the train split"
        )


#: ``(connection, empty?)``: a throwaway server to load (how), or None for one that
#: already holds the train split.
FeedDatabase = AbstractContextManager[tuple[Connection, EmptyDatabase | None]]

#: The throwaway server's memory: enough for the datasets the evaluation reads.
HEAP = "2g"
PAGECACHE = "1g"


@contextmanager
def scratch_server(
    settings: Settings, timeout_s: float
) -> Iterator[tuple[Connection, EmptyDatabase]]:
    """A throwaway local Neo4j, empty (and how to load it), removed when the block ends."""
    with throwaway_server(
        settings.cache, settings.neo4j_version, heap=HEAP, pagecache=PAGECACHE
    ) as server:
        yield local_connection(server, "neo4j", timeout_s), EmptyDatabase(server)


@contextmanager
def feed_database(
    settings: Settings,
    *,
    reuse: bool = False,
    timeout_s: float | None = None,
    on_start: Callable[[], None] | None = None,
) -> Iterator[tuple[Connection, EmptyDatabase | None]]:
    """``(connection, empty)``: a throwaway local Neo4j to load (offline; removed
    afterwards), or with ``reuse`` the configured database as it is (``empty`` None: it
    must already hold the train split).

    ``timeout_s``: the throwaway connection's query timeout (default: the configured one,
    at least two minutes); ``on_start`` runs just before a throwaway server starts.
    """
    if reuse:
        yield resolve_connection(settings), None
        return
    if timeout_s is None:
        timeout_s = max(settings.neo4j_query_timeout_s, 120.0)
    if on_start is not None:
        on_start()
    with scratch_server(settings, timeout_s) as (connection, empty):
        yield connection, empty
