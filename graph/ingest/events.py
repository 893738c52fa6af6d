"""Writing one batch of interaction events, all of it in one transaction.

Counted events (views, impressions, shares, comments, skips: effects that only add
up) take the fast path: one read finds which of their ids are stored already, the
new ones are aggregated in Python (graph.ingest.aggregate), then Neo4j adds one
counter row per video (which also locks the videos), CREATEs their Event nodes and
writes one relationship row per (user, video). Likes, follows and not-interested
depend on the state before each event, so they go through their ordered per-event
files, which check their own ids.

Both happen in the same transaction as the check, so a replayed or retried batch
finds its ids stored and changes nothing.
"""

from __future__ import annotations

from typing import Any

from graph.db import Graph
from graph.ingest.aggregate import COUNTED_TYPES, PAIR_STATEMENTS, aggregate
from graph.ingest.transactions import Transaction, in_write_transaction
from graph.ingest.validate import EventRow

# The per-event files of the event types whose effect depends on what is stored.
ORDERED_STATEMENTS: dict[str, str] = {
    "like": "ingest/events_like",
    "unlike": "ingest/events_like",
    "not_interested": "ingest/events_not_interested",
    "follow": "ingest/events_follow",
    "unfollow": "ingest/events_follow",
}

# The properties each ordered file takes per event (parameter maps must match).
_ORDERED_FIELDS: dict[str, tuple[str, ...]] = {
    "ingest/events_like": ("id", "type", "at", "userId", "videoId"),
    "ingest/events_follow": ("id", "type", "at", "userId", "videoId", "targetKind", "targetId"),
    "ingest/events_not_interested": (
        "id", "type", "at", "userId", "videoId", "targetKind", "targetId",
    ),
}  # fmt: skip


def write_events(graph: Graph, events: list[EventRow]) -> int:
    """Apply ``events`` (validated, ids unique) in one transaction; returns how many were new."""
    counted = [event for event in events if event["type"] in COUNTED_TYPES]
    ordered = group_ordered([event for event in events if event["type"] not in COUNTED_TYPES])

    def work(tx: Transaction) -> int:
        loaded = _write_counted(tx, counted) if counted else 0
        for name, group in ordered.items():
            loaded += int(tx.run(name, events=group)[0]["loaded"])
        return loaded

    return in_write_transaction(graph, work)


def _write_counted(tx: Transaction, events: list[EventRow]) -> int:
    stored = {row["id"] for row in tx.run("ingest/known_events", ids=[e["id"] for e in events])}
    new = [event for event in events if event["id"] not in stored]
    if not new:
        return 0
    batch = aggregate(new)
    # Counters first: their write locks on the batch's videos make the pairs files'
    # check-then-CREATE safe against concurrent writers (see ingest/pairs_viewed).
    tx.run("ingest/video_counters", videos=batch.video_rows())
    tx.run("ingest/events_create", events=batch.events)
    for kind, pairs in batch.pairs.items():
        rows = tx.run(PAIR_STATEMENTS[kind], pairs=pairs)
        if kind == "view" and rows:
            viewers = [{"id": row["videoId"], "viewers": row["newViewers"]} for row in rows]
            tx.run("ingest/video_viewers", videos=viewers)
    return len(new)


def group_ordered(events: list[EventRow]) -> dict[str, list[dict[str, Any]]]:
    """Ordered events by the Cypher file that applies them, each group in time order.

    Order matters for like/unlike and follow/unfollow (the files apply them one
    after the other); the sort is stable, so equal times keep their file order.
    """
    groups: dict[str, list[dict[str, Any]]] = {}
    for event in sorted(events, key=lambda event: event["at"]):
        statement = ORDERED_STATEMENTS[event["type"]]
        fields = _ORDERED_FIELDS[statement]
        groups.setdefault(statement, []).append({field: event[field] for field in fields})  # type: ignore[literal-required]
    return groups
