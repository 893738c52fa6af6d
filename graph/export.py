"""The graph's data as import records (docs/model.md): what ``fyp import`` would load to
rebuild it. ``fyp tune`` loads a part of it into a throwaway server.

Every record is read in pages of ids (one query per page); the events are replayed from
their Event nodes, so a graph rebuilt from them holds the same counters.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from graph.db import Graph, Record
from graph.evaluate.interactions import RecordsByKind, RecordSource

PAGE = 20_000


def graph_records(graph: Graph, page: int = PAGE) -> RecordSource:
    """A record source over ``graph`` (each call reads the graph again)."""

    def read() -> RecordsByKind:
        users = list(_paged(graph, "export/users", "users", "id", page))
        return {
            "users": (
                {"id": u["id"], "name": u["name"], "createdAt": u["createdAt"]}
                for u in users
                if not u["isCreator"]
            ),
            "creators": (
                {"id": u["id"], "name": u["name"], "createdAt": u["createdAt"]}
                for u in users
                if u["isCreator"]
            ),
            "videos": (
                _clean(video) for video in _paged(graph, "export/videos", "videos", "id", page)
            ),
            "follows": _follows(graph, page),
            "interactions": (
                interaction(event) for event in _paged(graph, "export/events", "events", "id", page)
            ),
        }

    return read


def interaction(event: Mapping[str, Any]) -> Record:
    """An Event node's properties as an ``interactions`` import record."""
    record: Record = {
        "eventId": event["id"],
        "type": event["type"],
        "userId": event["userId"],
        "at": event["at"],
    }
    kind, target = event.get("targetKind"), event.get("targetId")
    if event.get("videoId") is not None:
        record["videoId"] = event["videoId"]
    if kind == "creator":
        record["creatorId"] = target
    elif kind == "hashtag":
        record["hashtag"] = target
    elif kind == "sound":
        record["soundId"] = target
    for name in ("watchMs", "rewatches", "requestId"):
        if event.get(name) is not None:
            record[name] = event[name]
    return record


def _paged(graph: Graph, query: str, column: str, key: str, page: int) -> Iterator[Record]:
    after = ""
    while True:
        rows = graph.read(query, after=after, limit=page)[0][column]
        yield from rows
        if len(rows) < page:
            return
        after = rows[-1][key]


def _follows(graph: Graph, page: int) -> Iterator[Record]:
    after = ""
    while True:
        row = graph.read("export/follows", after=after, limit=page)[0]
        yield from row["follows"]
        if row["last"] is None:
            return
        after = row["last"]


def _person(user: Record) -> Record:
    return _clean({"id": user["id"], "name": user["name"], "createdAt": user["createdAt"]})


def _clean(video: Record) -> Record:
    """Optional fields left out rather than null (the import format's convention)."""
    return {name: value for name, value in video.items() if value is not None and value != []}
