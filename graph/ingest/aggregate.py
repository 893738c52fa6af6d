"""Pre-aggregation of a batch of countable events, in Python, before Neo4j sees it.

Views, impressions, shares, comments and skips only add up: their effect on the
graph is one relationship per (user, video) carrying sums, minima and maxima, and
counters on the video. Summing them here lets the write send one row per pair and
one counter update per video per batch, instead of making Neo4j aggregate (and
lock) per event. Likes, follows and not-interested depend on what is stored
before each event, so they keep their ordered per-event Cypher files.

Every rule mirrors the per-event files (cypher/ingest/events_*.cypher), which stay
the reference and the single-event path (the feed records impressions with them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graph.ingest.validate import COMPLETE_AT, EventRow

# Event types whose effects commute: aggregated here, written by ingest/pairs_*.
COUNTED_TYPES: frozenset[str] = frozenset({"view", "impression", "share", "comment", "skip"})

# The relationship each counted type leaves, and the Cypher file that writes it.
PAIR_STATEMENTS: dict[str, str] = {
    "view": "ingest/pairs_viewed",
    "impression": "ingest/pairs_served",
    "share": "ingest/pairs_shared",
    "comment": "ingest/pairs_commented",
    "skip": "ingest/pairs_skipped",
}

# The Video counter each plain counted type bumps by one per event.
_VIDEO_COUNTER: dict[str, str] = {
    "impression": "impressions",
    "share": "shares",
    "comment": "comments",
    "skip": "skips",
}

# Every Video counter ingest/video_counters adds to (all start at 0 on a new video);
# viewers is added after the VIEWED writes, by ingest/video_viewers.
VIDEO_COUNTERS: tuple[str, ...] = (
    "views", "completes", "completionSum", "watchMsSum", "rewatches",
    "impressions", "shares", "comments", "skips",
)  # fmt: skip

# The Event node properties each type keeps (as the per-event files store them).
_EVENT_PROPERTIES: dict[str, tuple[str, ...]] = {
    "view": ("id", "type", "at", "userId", "videoId", "watchMs", "completion", "rewatches"),
    "impression": ("id", "type", "at", "userId", "videoId", "requestId"),
}
_PLAIN_EVENT_PROPERTIES = ("id", "type", "at", "userId", "videoId")


@dataclass
class _Pair:
    """What the events of one type say about one (user, video)."""

    userId: str
    videoId: str
    count: int = 0
    firstAt: int | None = None
    lastAt: int | None = None
    watchMs: int = 0
    completion: float = 0.0
    rewatches: int = 0
    requestId: str | None = None

    def add(self, event: EventRow) -> None:
        at = event["at"]
        self.count += 1
        self.firstAt = at if self.firstAt is None else min(self.firstAt, at)
        # Events arrive in time order, so a later-or-equal time is the latest one.
        if self.lastAt is None or at >= self.lastAt:
            self.lastAt = at
            if event["requestId"] is not None:
                self.requestId = event["requestId"]
        if event["type"] == "view":
            self.watchMs += event["watchMs"] or 0
            self.completion = max(self.completion, event["completion"] or 0.0)
            self.rewatches += event["rewatches"] or 0


@dataclass
class CountedBatch:
    """A batch of new counted events, ready for the write queries."""

    events: list[dict[str, Any]] = field(default_factory=list)
    pairs: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    videos: dict[str, dict[str, Any]] = field(default_factory=dict)

    def video_rows(self) -> list[dict[str, Any]]:
        """One counters row per video, sorted by id (concurrent batches lock in one order)."""
        return [{"id": video_id, **self.videos[video_id]} for video_id in sorted(self.videos)]


def _zero_counters() -> dict[str, Any]:
    return {name: 0.0 if name == "completionSum" else 0 for name in VIDEO_COUNTERS}


def aggregate(events: list[EventRow], *, event_nodes: bool = True) -> CountedBatch:
    """Event nodes, per-pair rows and per-video counter sums of ``events``.

    ``events`` are new (not stored yet), of the counted types, ids unique. They are
    taken in time order (stable: equal times keep list order), as the per-event
    files take them, so "latest requestId" means the same thing here and there.
    Without ``event_nodes`` the batch's ``events`` stay empty (the offline path writes
    Event nodes from the rows themselves).
    """
    batch = CountedBatch()
    pairs: dict[tuple[str, str, str], _Pair] = {}
    for event in sorted(events, key=lambda event: event["at"]):
        kind = event["type"]
        if kind not in COUNTED_TYPES:
            raise ValueError(f"{kind!r} events are not counted events")
        video_id = event["videoId"]
        assert video_id is not None  # validation requires it for counted types
        if event_nodes:
            properties = _EVENT_PROPERTIES.get(kind, _PLAIN_EVENT_PROPERTIES)
            batch.events.append(
                {name: event[name] for name in properties if event[name] is not None}  # type: ignore[literal-required]
            )
        key = (kind, event["userId"], video_id)
        pair = pairs.get(key)
        if pair is None:
            pair = pairs[key] = _Pair(event["userId"], video_id)
        pair.add(event)
        counters = batch.videos.get(video_id)
        if counters is None:
            counters = batch.videos[video_id] = _zero_counters()
        if kind == "view":
            completion = event["completion"] or 0.0
            counters["views"] += 1
            counters["completes"] += 1 if completion >= COMPLETE_AT else 0
            counters["completionSum"] += completion
            counters["watchMsSum"] += event["watchMs"] or 0
            counters["rewatches"] += event["rewatches"] or 0
        else:
            counters[_VIDEO_COUNTER[kind]] += 1
    for (kind, _, _), pair in pairs.items():
        batch.pairs.setdefault(kind, []).append(_pair_row(kind, pair))
    return batch


def _pair_row(kind: str, pair: _Pair) -> dict[str, Any]:
    """The parameter map of ``kind``'s pairs file (its keys must match the file)."""
    row: dict[str, Any] = {
        "userId": pair.userId,
        "videoId": pair.videoId,
        "count": pair.count,
        "firstAt": pair.firstAt,
        "lastAt": pair.lastAt,
    }
    if kind == "view":
        row.update(watchMs=pair.watchMs, completion=pair.completion, rewatches=pair.rewatches)
    elif kind == "impression":
        row["requestId"] = pair.requestId
    elif kind == "skip":
        del row["firstAt"]  # SKIPPED keeps no first time
    return row
