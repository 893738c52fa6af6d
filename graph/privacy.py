"""A person's rights over their data: export it, erase it, refresh their recommendations.

Erasure runs in one transaction (so a failure leaves nothing half done and a
retried transaction cannot decrement a counter twice): the user's engagement leaves
the counters of the videos they touched, follows leave follower counts, the videos
they posted go (their content), every event that names them goes, then the user
node with its embedding (the vector index drops it with the node).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import Any

import neo4j

from graph.db import AsyncGraph, Record
from graph.errors import NotFoundError

log = logging.getLogger(__name__)

EXPORT_FORMAT = "fyp-export/1"
#: How long an erased video's id stays as a DeletedVideo tombstone: long enough for
#: every API process's read model to drop it (they look once a second).
TOMBSTONE_RETENTION_MS = 3_600_000


def _unknown_user(user_id: str) -> NotFoundError:
    return NotFoundError(f"No user with id {user_id!r}.")


async def export_user_data(graph: AsyncGraph, user_id: str) -> dict[str, Any]:
    """Everything stored about a user, as JSON-ready data (machine-readable)."""
    rows = await graph.read("api/privacy_profile", userId=user_id)
    if not rows:
        raise _unknown_user(user_id)
    profile = rows[0]
    events = await graph.read("api/privacy_my_events", userId=user_id)
    relationships: dict[str, list[Record]] = defaultdict(list)
    for rel in profile["outgoing"]:
        relationships[rel["type"]].append(
            {"target": rel["targetId"], "targetLabels": rel["targetLabels"], **rel["properties"]}
        )
    return {
        "format": EXPORT_FORMAT,
        "userId": user_id,
        "user": profile["user"],
        "labels": profile["labels"],
        "relationships": dict(sorted(relationships.items())),
        "followers": profile["followers"],
        "videos": profile["posted"],
        "events": [row["event"] for row in events],
    }


@dataclass(frozen=True)
class DeletionReport:
    user_id: str
    videos: int
    events: int
    relationships: int
    follows: int

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _view_totals(events: list[Record], user_id: str) -> list[dict[str, Any]]:
    """The user's view events summed per video: exactly what ingestion added to counters."""
    totals: dict[str, dict[str, Any]] = {}
    for event in events:
        if event["type"] != "view" or event["userId"] != user_id or event["videoId"] is None:
            continue
        total = totals.setdefault(
            event["videoId"],
            {"videoId": event["videoId"], "views": 0, "watchMs": 0, "completionSum": 0.0,
             "completes": 0, "rewatches": 0},
        )  # fmt: skip
        completion = float(event["completion"] or 0.0)
        total["views"] += 1
        total["watchMs"] += int(event["watchMs"] or 0)
        total["completionSum"] += completion
        total["completes"] += 1 if completion >= 0.95 else 0
        total["rewatches"] += int(event["rewatches"] or 0)
    return list(totals.values())


def _follow_totals(events: list[Record], user_id: str) -> list[dict[str, Any]]:
    counts: dict[str, int] = defaultdict(int)
    for event in events:
        if event["type"] == "follow" and event["userId"] == user_id and event["videoId"]:
            counts[event["videoId"]] += 1
    return [{"videoId": video, "follows": n} for video, n in counts.items()]


async def delete_user_data(graph: AsyncGraph, user_id: str) -> DeletionReport:
    """Erase a user: afterwards no node or relationship of the graph names them."""

    async def work(tx: neo4j.AsyncManagedTransaction) -> DeletionReport | None:
        async def run(name: str, **params: Any) -> list[Record]:
            result = await graph.run_in(tx, name, **params)
            return [record.data() async for record in result]

        if not await run("api/users_by_id", ids=[user_id]):
            return None
        posted = [row["videoId"] for row in await run("api/privacy_posted_videos", userId=user_id)]
        events = await run("api/privacy_events_naming", userId=user_id, videoIds=posted)
        engagement = await run(
            "api/privacy_delete_engagement", userId=user_id, views=_view_totals(events, user_id)
        )
        follows = await run(
            "api/privacy_delete_follows",
            userId=user_id,
            followVideos=_follow_totals(events, user_id),
        )
        videos = await run(
            "api/privacy_delete_videos", userId=user_id, retentionMs=TOMBSTONE_RETENTION_MS
        )
        deleted_events = await run(
            "api/privacy_delete_events", eventIds=[event["id"] for event in events]
        )
        await run("api/privacy_delete_user", userId=user_id)
        return DeletionReport(
            user_id=user_id,
            videos=_first(videos, "videos"),
            events=_first(deleted_events, "events"),
            relationships=_first(engagement, "relationships"),
            follows=_first(follows, "following") + _first(follows, "followers"),
        )

    report = await graph.execute_write(work)
    if report is None:
        raise _unknown_user(user_id)
    log.info(
        "erased a user: %d videos, %d events, %d relationships",
        report.videos,
        report.events,
        report.relationships,
    )
    return report


def _first(rows: list[Record], column: str) -> int:
    return int(rows[0][column]) if rows else 0


async def reset_recommendations(graph: AsyncGraph, user_id: str, now: int) -> int:
    """Archive the signals the feed profiles the user from; returns how many."""
    result = await graph.write("api/privacy_reset", userId=user_id, now=now)
    if not result.records:
        raise _unknown_user(user_id)
    return int(result.records[0]["archived"])


async def trace_user(graph: AsyncGraph, user_id: str) -> list[Record]:
    """Whatever still names a user (a full scan, for audits and tests)."""
    return await graph.read("api/privacy_trace", userId=user_id)
