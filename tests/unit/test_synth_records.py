"""Every generated record is valid per docs/model.md, and the truth matches the records."""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

import pytest

from graph.ingest.validate import Invalid, validate
from graph.synth import RECORD_KINDS, World, WorldSpec, generate_world

SPEC = WorldSpec(users=600, videos=500, seed=7)
EVENT_TYPES = {"view", "like", "share", "comment", "skip", "not_interested", "follow"}


@pytest.fixture(scope="module")
def world() -> World:
    return generate_world(SPEC)


@pytest.fixture(scope="module")
def rows(world: World) -> dict[str, list[dict[str, Any]]]:
    return {kind: list(stream) for kind, stream in world.records().items()}


def test_records_come_in_the_import_files_and_can_be_read_twice(world: World) -> None:
    records = world.records()
    assert tuple(records) == RECORD_KINDS
    for stream in records.values():
        first = list(stream)
        assert first == list(stream)
        assert len(first) == len(stream) > 0


def test_ids_are_prefixed_strings(rows: dict[str, list[dict[str, Any]]]) -> None:
    assert all(re.fullmatch(r"u\d+", u["id"]) for u in rows["users"])
    assert all(re.fullmatch(r"v\d+", v["id"]) for v in rows["videos"])
    assert all(re.fullmatch(r"s\d+", v["soundId"]) for v in rows["videos"])
    for kind in RECORD_KINDS:
        assert len({json.dumps(r, sort_keys=True) for r in rows[kind]}) == len(rows[kind])


def test_every_referenced_id_exists(rows: dict[str, list[dict[str, Any]]]) -> None:
    users = {u["id"] for u in rows["users"]}
    creators = {c["id"] for c in rows["creators"]}
    videos = {v["id"]: v for v in rows["videos"]}
    assert len(users) == SPEC.users and len(videos) == SPEC.videos
    assert creators <= users
    assert {v["creatorId"] for v in videos.values()} <= creators
    for follow in rows["follows"]:
        assert follow["userId"] in users and follow["creatorId"] in creators
    for event in rows["interactions"]:
        assert event["userId"] in users
        if "videoId" in event:
            assert event["videoId"] in videos
        if "creatorId" in event:
            assert event["creatorId"] in creators


def test_records_pass_the_import_validation(rows: dict[str, list[dict[str, Any]]]) -> None:
    """The ingestion's own per-record rules (graph.ingest.validate) accept everything."""
    problems: list[str] = []
    for kind in RECORD_KINDS:
        for row in rows[kind]:
            try:
                validate(kind, row)  # type: ignore[arg-type]
            except Invalid as error:
                problems.append(f"{kind}: {error}: {row}")
    assert problems == []


def test_videos_are_complete_and_plausible(rows: dict[str, list[dict[str, Any]]]) -> None:
    for video in rows["videos"]:
        assert set(video) == {
            "id", "creatorId", "createdAt", "durationMs", "caption", "hashtags", "soundId",
            "soundTitle", "status",
        }  # fmt: skip
        assert 5_000 <= video["durationMs"] <= 180_000
        assert video["hashtags"] and all(t == t.lower() and "#" not in t for t in video["hashtags"])
        assert len(set(video["hashtags"])) == len(video["hashtags"])
        assert all(f"#{tag}" in video["caption"] for tag in video["hashtags"])
        assert video["status"] == "active" and video["soundTitle"]


def test_interactions_are_well_formed_events(rows: dict[str, list[dict[str, Any]]]) -> None:
    events = rows["interactions"]
    videos = {v["id"]: v for v in rows["videos"]}
    assert len({e["eventId"] for e in events}) == len(events)
    assert [e["at"] for e in events] == sorted(e["at"] for e in events)
    assert set(Counter(e["type"] for e in events)) == EVENT_TYPES
    for event in events:
        kind = event["type"]
        # Nothing in a world happens at or after its end (for a demo world: now).
        assert SPEC.start_ms <= event["at"] < SPEC.end_ms
        if kind == "follow":
            assert "creatorId" in event and event["creatorId"] != event["userId"]
            continue
        video = videos[event["videoId"]]
        assert event["at"] > video["createdAt"], "nobody sees a video before it is posted"
        if kind == "view":
            assert 0 <= event["watchMs"] <= 5 * video["durationMs"]
            assert 0 <= event["rewatches"] <= 4
        elif kind == "skip":
            assert 0 < event["watchMs"] <= min(3_000, video["durationMs"])
        else:
            assert "watchMs" not in event


def test_follow_snapshot_predates_the_simulation(rows: dict[str, list[dict[str, Any]]]) -> None:
    created = {u["id"]: u["createdAt"] for u in rows["users"]}
    for follow in rows["follows"]:
        assert follow["at"] < SPEC.start_ms
        assert follow["at"] >= max(created[follow["userId"]], created[follow["creatorId"]])
    pairs = [(f["userId"], f["creatorId"]) for f in rows["follows"]]
    follow_events = [
        (e["userId"], e["creatorId"]) for e in rows["interactions"] if "creatorId" in e
    ]
    assert len(set(pairs) | set(follow_events)) == len(pairs) + len(follow_events)


def test_truth_is_json_and_speaks_of_the_records(
    world: World, rows: dict[str, list[dict[str, Any]]]
) -> None:
    truth = json.loads(json.dumps(world.truth))
    users = {u["id"] for u in rows["users"]}
    videos = {v["id"]: v for v in rows["videos"]}
    topics = truth["topics"]
    assert len(topics) == SPEC.topics
    assert set(truth["userInterests"]) == users
    for shares in truth["userInterests"].values():
        assert len(shares) == len(topics) and sum(shares) == pytest.approx(1, abs=1e-3)
    assert set(truth["videoTopics"]) == set(videos)
    used_tags = {tag for v in videos.values() for tag in v["hashtags"]}
    assert set(truth["hashtagTopics"]) == used_tags
    assert set(truth["soundTopics"]) == {v["soundId"] for v in videos.values()}
    assert set(truth["hashtagTopics"].values()) - {None} <= set(topics)
    for video_id, video in videos.items():
        # The first hashtag is always one of the video's main topic.
        assert (
            truth["hashtagTopics"][video["hashtags"][0]] == truth["videoTopics"][video_id]["topic"]
        )
    for trend in truth["trends"]:
        assert trend["topic"] in topics and 0 <= trend["peakDay"] < SPEC.days
        for video_id in trend["videos"]:
            carried = videos[video_id]
            assert trend["hashtag"] in carried["hashtags"] or trend["soundId"] == carried["soundId"]
    assert {v["videoId"] for v in truth["viralVideos"]} <= set(videos)
    assert set(truth["bots"]) <= users and len(truth["bots"]) == SPEC.inauthentic_accounts
    ring_members = {m for ring in truth["botRings"] for m in ring["members"]}
    bought = {f for purchase in truth["boughtFollowers"] for f in purchase["followers"]}
    assert ring_members | bought == set(truth["bots"]) and not ring_members & bought
    assert len(truth["botRings"]) == SPEC.bot_rings
    assert len(truth["boughtFollowers"]) == SPEC.bought_follower_creators


@pytest.mark.parametrize(
    "spec",
    [
        WorldSpec(users=20, videos=1, seed=3, days=1, topics=1, bot_rings=0,
                  bought_follower_creators=0),
        WorldSpec(users=40, videos=3, seed=3, days=1, bot_rings=1, bought_follower_creators=1),
        WorldSpec(users=100, videos=900, seed=4, days=2, topics=20),
        WorldSpec(users=300, videos=50, seed=5, days=60, trends=8, virals=10),
        WorldSpec(users=300, videos=300, seed=6, trends=0, virals=0, bot_rings=0,
                  bought_follower_creators=0, exploration=0.0),
    ],
    ids=["tiny", "tiny-with-bots", "few-users-many-topics", "long-and-sparse", "nothing-special"],
)  # fmt: skip
def test_odd_worlds_still_give_valid_records(spec: WorldSpec) -> None:
    world = generate_world(spec)
    records = {kind: list(stream) for kind, stream in world.records().items()}
    users = {u["id"] for u in records["users"]}
    creators = {c["id"] for c in records["creators"]}
    videos = {v["id"] for v in records["videos"]}
    assert len(users) == spec.users and len(videos) == spec.videos
    for kind in RECORD_KINDS:
        for row in records[kind]:
            validate(kind, row)  # type: ignore[arg-type]
    for event in records["interactions"]:
        assert spec.start_ms <= event["at"] < spec.end_ms
        assert event["userId"] in users
        assert event.get("videoId", "v0") in videos
        assert event.get("creatorId", next(iter(creators))) in creators
    assert len(world.truth["bots"]) == spec.inauthentic_accounts
    json.dumps(world.truth)
