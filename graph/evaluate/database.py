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

from graph.config import Settings
from graph.db import Connection, resolve_connection
from graph.local_neo4j import throwaway_server

#: ``(connection, load?)``: a throwaway server to load, or one that already holds the
#: train split.
FeedDatabase = AbstractContextManager[tuple[Connection, bool]]

#: The throwaway server's memory: enough for the datasets the evaluation reads.
HEAP = "2g"
PAGECACHE = "1g"


@contextmanager
def scratch_server(settings: Settings, timeout_s: float) -> Iterator[Connection]:
    """A throwaway local Neo4j, empty, removed when the block ends."""
    with throwaway_server(
        settings.cache, settings.neo4j_version, heap=HEAP, pagecache=PAGECACHE
    ) as server:
        yield Connection(
            uri=server.uri,
            user="neo4j",
            password=server.password(),
            database="neo4j",
            timeout_s=timeout_s,
        )


@contextmanager
def feed_database(
    settings: Settings,
    *,
    reuse: bool = False,
    timeout_s: float | None = None,
    on_start: Callable[[], None] | None = None,
) -> Iterator[tuple[Connection, bool]]:
    """``(connection, load?)``: a throwaway local Neo4j to load (removed afterwards), or
    with ``reuse`` the configured database as it is (it must already hold the train split).

    ``timeout_s``: the throwaway connection's query timeout (default: the configured one,
    at least two minutes); ``on_start`` runs just before a throwaway server starts.
    """
    if reuse:
        yield resolve_connection(settings), False
        return
    if timeout_s is None:
        timeout_s = max(settings.neo4j_query_timeout_s, 120.0)
    if on_start is not None:
        on_start()
    with scratch_server(settings, timeout_s) as connection:
        yield connection, True
