"""Where an import writes: the database itself, or store files built offline.

The :class:`~graph.ingest.pipeline.Importer` validates, resolves ids and batches the
same way for both; only the last step differs. :class:`Neo4jTarget` writes each batch
through the Cypher files of ``cypher/ingest`` (the online path, and the reference);
``graph.ingest.offline.OfflineGraph`` applies the same rules in memory and writes the
CSV files ``neo4j-admin database import`` takes.
"""

from __future__ import annotations

from typing import Protocol

from graph.db import Graph, Record
from graph.ingest.events import write_events
from graph.ingest.validate import Entity, EventRow, Kind, Row

#: The read that tells which ids of one entity exist, with what it returns.
LOOKUPS: dict[Entity, str] = {
    "user": "ingest/known_users",
    "video": "ingest/known_videos",
    "hashtag": "ingest/known_hashtags",
    "sound": "ingest/known_sounds",
}

ROW_STATEMENTS: dict[Kind, str] = {
    "users": "ingest/users",
    "creators": "ingest/creators",
    "videos": "ingest/videos",
    "follows": "ingest/follows",
}


class ImportTarget(Protocol):
    """What an import needs from the place it loads into."""

    #: Whether a batch is written in a thread while the next is prepared: worth it when
    #: writing waits on a database, not when it is Python itself (one GIL).
    overlap_writes: bool
    #: Whether it held nothing before this import (the offline path): then no id needs
    #: looking up, only those written earlier in the import exist.
    empty: bool

    @property
    def where(self) -> str:
        """Where the data goes, for messages (``Neo4j at bolt://...``)."""
        ...

    def lookup(self, entity: Entity, ids: list[str]) -> list[Record]:
        """The stored ones among ``ids``: ``{"id": ...}`` rows (videos with ``durationMs``)."""
        ...

    def write_rows(self, kind: Kind, rows: list[Row]) -> int:
        """Write a batch of users, creators, videos or follows; returns how many were new."""
        ...

    def write_events(self, events: list[EventRow]) -> int:
        """Apply a batch of interactions (ids unique); returns how many were new."""
        ...


class Neo4jTarget:
    """The online path: every batch is written by Cypher, in one transaction."""

    overlap_writes = True
    empty = False

    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    @property
    def where(self) -> str:
        return f"Neo4j at {self.graph.conn.uri}"

    def lookup(self, entity: Entity, ids: list[str]) -> list[Record]:
        return self.graph.read(LOOKUPS[entity], ids=ids)

    def write_rows(self, kind: Kind, rows: list[Row]) -> int:
        result = self.graph.write(ROW_STATEMENTS[kind], rows=rows)
        return int(result.records[0]["created"])

    def write_events(self, events: list[EventRow]) -> int:
        return write_events(self.graph, events)
