"""A tiny import-format dataset with an obvious answer, for tests and smoke runs.

Two taste groups (even / odd ids); a recommender that learns anything should
recommend a user videos of their own group. Seeded, so always the same data.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from graph.evaluate.interactions import RecordSource

START_MS = 1_700_000_000_000
HOUR_MS = 3_600_000


def toy_records(
    seed: int = 0, users: int = 30, videos: int = 40
) -> dict[str, list[dict[str, Any]]]:
    """Users ``u0..`` and videos ``v0..`` in two groups (even / odd ids) with their own tags.

    Each user views a dozen videos, mostly from their own group, over two days;
    views of their own group are watched long (positive), the others are skipped
    early. Every user has at least one positive, so every user is warm.
    """
    rng = random.Random(seed)
    creators = [f"c{i}" for i in range(4)]
    records: dict[str, list[dict[str, Any]]] = {
        "users": [{"id": f"u{i}", "createdAt": START_MS} for i in range(users)],
        "creators": [{"id": c, "createdAt": START_MS} for c in creators],
        "videos": [
            {
                "id": f"v{i}",
                "creatorId": creators[i % 4],
                "createdAt": START_MS + i * HOUR_MS,
                "durationMs": 20_000,
                # Five tags and three sounds per group, none shared across groups.
                "hashtags": [f"{'even' if i % 2 == 0 else 'odd'}{i % 5}"],
                "soundId": f"s{i % 6}",
            }
            for i in range(videos)
        ],
        "follows": [],
        "interactions": [],
    }
    events = records["interactions"]
    for u in range(users):
        group = u % 2
        own = [v for v in range(videos) if v % 2 == group]
        other = [v for v in range(videos) if v % 2 != group]
        picks = rng.sample(own, 9) + rng.sample(other, 3)
        for n, v in enumerate(picks):
            at = START_MS + 2 * 24 * HOUR_MS + (u * 12 + n) * 60_000
            watch = 19_500 if v % 2 == group else 1_000
            events.append(
                {"eventId": f"e{u}-{n}", "type": "view", "userId": f"u{u}",
                 "videoId": f"v{v}", "at": at, "watchMs": watch}
            )  # fmt: skip
            if v % 2 == group and n % 4 == 0:
                events.append(
                    {"eventId": f"e{u}-{n}-like", "type": "like", "userId": f"u{u}",
                     "videoId": f"v{v}", "at": at + 1}
                )  # fmt: skip
    return records


def source(records: Mapping[str, list[dict[str, Any]]]) -> RecordSource:
    """A record source (fresh iterables per call) over in-memory records."""

    def read() -> dict[str, Iterable[Mapping[str, Any]]]:
        return {kind: list(rows) for kind, rows in records.items()}

    return read


def toy_test_records(train: Mapping[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """What each toy user did the day after ``train``: long views of three videos of
    their own group they had not seen (the answer a recommender should find)."""
    seen: dict[str, set[str]] = {}
    last = 0
    for event in train["interactions"]:
        seen.setdefault(event["userId"], set()).add(event["videoId"])
        last = max(last, int(event["at"]))
    videos = [video["id"] for video in train["videos"]]
    events: list[dict[str, Any]] = []
    for user in sorted(seen, key=lambda u: int(u[1:])):
        group = int(user[1:]) % 2
        fresh = [v for v in videos if int(v[1:]) % 2 == group and v not in seen[user]][:3]
        for n, video in enumerate(fresh):
            events.append(
                {"eventId": f"t-{user}-{n}", "type": "view", "userId": user,
                 "videoId": video, "at": last + 24 * HOUR_MS + n, "watchMs": 19_500}
            )  # fmt: skip
    return {"interactions": events}


def write_import_folder(records: Mapping[str, list[dict[str, Any]]], folder: Path) -> Path:
    """Write records as an import-format folder of JSON Lines files."""
    folder.mkdir(parents=True, exist_ok=True)
    for kind, rows in records.items():
        with (folder / f"{kind}.jsonl").open("w", encoding="utf-8") as handle:
            for row in rows:
                handle.write(json.dumps(row) + "\n")
    return folder
