"""What each interaction does to the graph, live events, and publishing one video."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from graph.db import Graph
from graph.errors import ClientError
from graph.ingest import import_records, record_event

T0 = 1_650_880_800_000


@pytest.fixture
def small(graph: Graph) -> Graph:
    """Two viewers, one creator with two videos (10 s and 20 s), one hashtag, one sound."""
    report = import_records(
        graph,
        {
            "users": [{"id": "u1"}, {"id": "u2"}],
            "creators": [{"id": "a1"}],
            "videos": [
                {"id": "v1", "creatorId": "a1", "createdAt": T0, "durationMs": 10_000,
                 "hashtags": ["dance"], "soundId": "m1"},
                {"id": "v2", "creatorId": "a1", "createdAt": T0, "durationMs": 20_000},
            ],
        },
    )  # fmt: skip
    assert report.rejections == []
    return graph


def events(graph: Graph, *rows: dict[str, Any], batch_size: int = 5000) -> tuple[int, int]:
    numbered = [
        {"eventId": f"x{n}", "userId": "u1", "videoId": "v1", "at": T0 + n, **row}
        for n, row in enumerate(rows)
    ]
    report = import_records(graph, {"interactions": numbered}, batch_size=batch_size)
    assert report.rejections == []
    return report.loaded, report.already_present


def node(graph: Graph, key: str) -> dict[str, Any]:
    [row] = [row for row in graph.read("ingest/state_nodes") if row["key"] == key]
    # changedAt is the database's clock at the last change (for the read models).
    return {name: value for name, value in row["properties"].items() if name != "changedAt"}


def rels(graph: Graph, kind: str) -> list[tuple[str, str, dict[str, Any]]]:
    return sorted(
        (row["start"], row["end"], row["properties"])
        for row in graph.read("ingest/state_relationships")
        if row["type"] == kind
    )


def test_views_aggregate_per_user_and_video_whatever_their_order(small: Graph) -> None:
    events(
        small,
        {"type": "view", "watchMs": 3_000, "at": T0 + 500},
        {"type": "view", "watchMs": 9_500, "at": T0 + 100, "rewatches": 2},
        {"type": "view", "watchMs": 1_000, "at": T0 + 900},
    )
    [(_, _, viewed)] = rels(small, "VIEWED")
    assert viewed == {
        "count": 3, "watchMs": 13_500, "completion": 0.95, "rewatches": 2,
        "firstAt": T0 + 100, "lastAt": T0 + 900,
    }  # fmt: skip
    v1 = node(small, "v1")
    assert (v1["views"], v1["viewers"], v1["completes"], v1["rewatches"]) == (3, 1, 1, 2)
    assert v1["completionSum"] == pytest.approx(0.3 + 0.95 + 0.1)


def test_views_split_over_batches_and_users(small: Graph) -> None:
    events(
        small,
        {"type": "view", "watchMs": 5_000},
        {"type": "view", "watchMs": 5_000, "userId": "u2"},
        {"type": "view", "watchMs": 20_000},
        batch_size=1,
    )
    assert [(u, r["count"], r["completion"]) for u, _, r in rels(small, "VIEWED")] == [
        ("u1", 2, 2.0),
        ("u2", 1, 0.5),
    ]
    v1 = node(small, "v1")
    assert (v1["views"], v1["viewers"], v1["completes"]) == (3, 2, 1)


@pytest.mark.parametrize("batch_size", [1, 5000])
def test_like_and_unlike_apply_in_time_order(small: Graph, batch_size: int) -> None:
    events(
        small,
        {"type": "unlike", "at": T0 + 1},  # nothing to undo yet
        {"type": "like", "at": T0 + 2},
        {"type": "like", "at": T0 + 3},  # already liked
        {"type": "unlike", "at": T0 + 4},
        {"type": "like", "at": T0 + 5},
        {"type": "like", "userId": "u2", "at": T0 + 6},
        {"type": "unlike", "userId": "u2", "at": T0 + 7},
        batch_size=batch_size,
    )
    assert rels(small, "LIKED") == [("u1", "v1", {"at": T0 + 5})]
    assert node(small, "v1")["likes"] == 1


def test_unlike_of_a_video_never_liked_changes_nothing(small: Graph) -> None:
    assert events(small, {"type": "unlike"}) == (1, 0)
    assert rels(small, "LIKED") == []
    assert node(small, "v1")["likes"] == 0


def test_follow_and_unfollow_keep_both_counters_and_credit_the_video(small: Graph) -> None:
    events(
        small,
        {"type": "follow", "creatorId": "a1", "at": T0 + 1},
        {"type": "follow", "creatorId": "a1", "at": T0 + 2},  # already following
        {"type": "follow", "creatorId": "a1", "userId": "u2", "videoId": "v2", "at": T0 + 3},
        {"type": "unfollow", "creatorId": "a1", "at": T0 + 4, "videoId": None},
        {"type": "unfollow", "creatorId": "a1", "at": T0 + 5, "videoId": None},  # not following
    )
    assert rels(small, "FOLLOWS") == [("u2", "a1", {"at": T0 + 3})]
    assert node(small, "a1")["followers"] == 1
    assert (node(small, "u1")["following"], node(small, "u2")["following"]) == (0, 1)
    assert (node(small, "v1")["follows"], node(small, "v2")["follows"]) == (1, 1)


def test_follows_file_counts_only_new_follows(small: Graph) -> None:
    rows = [{"userId": "u1", "creatorId": "a1"}, {"userId": "u1", "creatorId": "a1"}]
    first = import_records(small, {"follows": rows})
    assert (first.loaded, first.already_present) == (1, 1)
    again = import_records(small, {"follows": rows[:1]})
    assert (again.loaded, again.already_present) == (0, 1)
    assert node(small, "a1")["followers"] == 1 and node(small, "u1")["following"] == 1


def test_shares_comments_skips_and_impressions(small: Graph) -> None:
    events(
        small,
        {"type": "share", "at": T0 + 9},
        {"type": "share", "at": T0 + 3},
        {"type": "comment"},
        {"type": "skip", "videoId": "v2", "at": T0 + 4},
        {"type": "skip", "videoId": "v2", "at": T0 + 8},
        {"type": "impression", "requestId": "r1", "at": T0 + 1},
        {"type": "impression", "requestId": "r2", "at": T0 + 7},
        {"type": "impression", "at": T0 + 8},
    )
    assert rels(small, "SHARED") == [
        ("u1", "v1", {"count": 2, "firstAt": T0 + 3, "lastAt": T0 + 9})
    ]
    assert [r["count"] for _, _, r in rels(small, "COMMENTED")] == [1]
    assert rels(small, "SKIPPED") == [("u1", "v2", {"count": 2, "lastAt": T0 + 8})]
    assert rels(small, "SERVED") == [
        ("u1", "v1", {"count": 3, "firstAt": T0 + 1, "lastAt": T0 + 8, "requestId": "r2"})
    ]
    v1, v2 = node(small, "v1"), node(small, "v2")
    assert (v1["shares"], v1["comments"], v1["impressions"], v2["skips"]) == (2, 1, 3, 2)
    assert v2["views"] == 0, "a skip is not a view"


def test_not_interested_in_each_kind_of_target(small: Graph) -> None:
    events(
        small,
        {"type": "not_interested"},
        {"type": "not_interested", "at": T0 + 50},  # again: the first time stays
        {"type": "not_interested", "creatorId": "a1"},
        {"type": "not_interested", "hashtag": "#DANCE", "videoId": None},
        {"type": "not_interested", "soundId": "m1"},
    )
    assert sorted(end for _, end, _ in rels(small, "NOT_INTERESTED")) == ["a1", "dance", "m1", "v1"]
    assert ("u1", "v1", {"at": T0}) in rels(small, "NOT_INTERESTED")
    assert node(small, "v1")["notInterested"] == 1
    assert "notInterested" not in node(small, "a1")


def test_events_remember_what_happened(small: Graph) -> None:
    events(small, {"type": "view", "watchMs": 5_000}, {"type": "like"})
    stored = small.read("ingest/known_events", ids=["x0", "x1", "x2"])
    assert sorted((row["id"], row["type"]) for row in stored) == [("x0", "view"), ("x1", "like")]


# -- live events (the API's path) -------------------------------------------------------
def test_record_event_is_idempotent(small: Graph) -> None:
    event = {"eventId": "live1", "type": "like", "userId": "u2", "videoId": "v2", "at": T0}
    assert record_event(small, event) == "loaded"
    assert record_event(small, event) == "already_present"
    assert node(small, "v2")["likes"] == 1


@pytest.mark.parametrize("kind", ["view", "like"])
def test_a_replay_racing_its_original_is_counted_once(small: Graph, kind: str) -> None:
    # A client retrying before the first attempt answered: both transactions may check
    # the id before either commits; one must load it and the other see it as present.
    rounds = 8
    outcomes: list[str] = []
    for n in range(rounds):
        event = {"eventId": f"race-{kind}-{n}", "type": kind, "userId": "u1",
                 "videoId": "v1", "at": T0 + n, "watchMs": 5_000}  # fmt: skip
        if kind == "like":
            event.pop("watchMs")
        barrier = threading.Barrier(2)

        def attempt(event: dict[str, Any] = event, barrier: threading.Barrier = barrier) -> str:
            barrier.wait()
            return record_event(small, event)

        with ThreadPoolExecutor(2) as pool:
            outcomes += [f.result() for f in [pool.submit(attempt), pool.submit(attempt)]]
    assert outcomes.count("loaded") == rounds
    assert outcomes.count("already_present") == rounds
    if kind == "view":
        assert node(small, "v1")["views"] == rounds
    ids = [f"race-{kind}-{n}" for n in range(rounds)]
    assert len(small.read("ingest/known_events", ids=ids)) == rounds


@pytest.mark.parametrize(
    ("event", "reason"),
    [
        ({"type": "like", "userId": "u9", "videoId": "v1"}, "unknown user 'u9'"),
        ({"type": "view", "userId": "u1", "videoId": "v1", "watchMs": -1}, "negative watch"),
        ({"type": "wink", "userId": "u1", "videoId": "v1"}, "unknown event type 'wink'"),
    ],
)
def test_record_event_rejects_bad_events_with_the_reason(
    small: Graph, event: dict[str, Any], reason: str
) -> None:
    with pytest.raises(ClientError, match=reason):
        record_event(small, {"eventId": "live2", "at": T0, **event})
    assert small.read("ingest/known_events", ids=["live2"]) == []


# -- publishing videos ------------------------------------------------------------------
def test_publishing_one_video_makes_its_poster_a_creator_and_counts_tags(small: Graph) -> None:
    video = {"id": "v3", "creatorId": "u1", "createdAt": "2022-04-25T10:00:00Z",
             "durationMs": 15_000, "caption": "hi", "hashtags": ["#Dance", "#New"],
             "soundId": "m1", "soundTitle": "beat"}  # fmt: skip
    report = import_records(small, {"videos": [video]})
    assert (report.loaded, report.rejections) == (1, [])
    assert small.read("ingest/known_users", ids=["u1"]) == [{"id": "u1"}]
    u1 = small.read("ingest/state_nodes")
    [labels] = [sorted(row["labels"]) for row in u1 if row["key"] == "u1"]
    assert labels == ["Creator", "User"] and node(small, "u1")["videos"] == 1
    assert (node(small, "dance")["videos"], node(small, "new")["videos"]) == (2, 1)
    assert node(small, "m1") == {"id": "m1", "title": "beat", "videos": 2}
    v3 = node(small, "v3")
    assert (v3["status"], v3["createdAt"], v3["views"]) == ("active", T0, 0)

    again = import_records(small, {"videos": [video]})
    assert (again.loaded, again.already_present) == (0, 1)
    assert node(small, "dance")["videos"] == 2 and node(small, "u1")["videos"] == 1


def test_republishing_keeps_stored_values_the_row_leaves_out(small: Graph) -> None:
    import_records(
        small,
        {"videos": [{"id": "v1", "creatorId": "a1", "createdAt": T0, "durationMs": 10_000,
                     "status": "removed", "caption": "c"}]},
    )  # fmt: skip
    import_records(
        small, {"videos": [{"id": "v1", "creatorId": "a1", "createdAt": T0, "durationMs": 10_000}]}
    )
    v1 = node(small, "v1")
    assert (v1["status"], v1["caption"]) == ("removed", "c")


def test_unknown_record_kinds_are_a_client_error(small: Graph) -> None:
    with pytest.raises(ClientError, match="unknown record kinds"):
        import_records(small, {"likes": []})
