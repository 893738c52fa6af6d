"""Pre-aggregation of counted events (pure): what one batch adds per pair and per video."""

from __future__ import annotations

from typing import Any

import pytest

from graph.ingest.aggregate import aggregate
from graph.ingest.validate import EventRow

AT = 1_650_880_800_000


def event(n: int, kind: str, user: str = "u1", video: str = "v1", **fields: Any) -> EventRow:
    row: EventRow = {
        "id": f"e{n}", "type": kind, "at": AT + fields.pop("dt", n), "userId": user,
        "videoId": video, "targetKind": None, "targetId": None, "watchMs": None,
        "completion": None, "rewatches": None, "requestId": None,
    }  # fmt: skip
    row.update(fields)  # type: ignore[typeddict-item]
    return row


def view(n: int, completion: float, **fields: Any) -> EventRow:
    return event(
        n, "view", watchMs=int(completion * 1000), completion=completion, rewatches=1, **fields
    )


def test_views_of_one_pair_become_one_row_and_one_video_sum() -> None:
    batch = aggregate([view(2, 0.5), view(1, 1.0), view(3, 0.2, user="u2")])
    assert sorted(batch.pairs["view"], key=lambda row: row["userId"]) == [
        {"userId": "u1", "videoId": "v1", "count": 2, "firstAt": AT + 1, "lastAt": AT + 2,
         "watchMs": 1500, "completion": 1.0, "rewatches": 2},
        {"userId": "u2", "videoId": "v1", "count": 1, "firstAt": AT + 3, "lastAt": AT + 3,
         "watchMs": 200, "completion": 0.2, "rewatches": 1},
    ]  # fmt: skip
    [counters] = batch.video_rows()
    assert counters["views"] == 3 and counters["completes"] == 1
    assert counters["completionSum"] == pytest.approx(1.7)
    assert counters["watchMsSum"] == 1700 and counters["rewatches"] == 3
    assert counters["impressions"] == counters["shares"] == counters["skips"] == 0


def test_event_nodes_keep_the_properties_of_their_type_and_leave_out_nulls() -> None:
    batch = aggregate([view(1, 0.5), event(2, "impression"), event(3, "skip")])
    assert batch.events == [
        {"id": "e1", "type": "view", "at": AT + 1, "userId": "u1", "videoId": "v1",
         "watchMs": 500, "completion": 0.5, "rewatches": 1},
        {"id": "e2", "type": "impression", "at": AT + 2, "userId": "u1", "videoId": "v1"},
        {"id": "e3", "type": "skip", "at": AT + 3, "userId": "u1", "videoId": "v1"},
    ]  # fmt: skip


def test_an_impression_pair_keeps_the_latest_request_id_given() -> None:
    batch = aggregate([
        event(3, "impression"),
        event(1, "impression", requestId="r1"),
        event(2, "impression", requestId="r2"),
    ])  # fmt: skip
    [row] = batch.pairs["impression"]
    assert row["requestId"] == "r2" and row["count"] == 3 and row["lastAt"] == AT + 3


def test_each_type_counts_on_its_own_counter_and_relationship() -> None:
    batch = aggregate([
        event(1, "share"), event(2, "share"), event(3, "comment"), event(4, "skip", video="v2"),
    ])  # fmt: skip
    assert [row["count"] for row in batch.pairs["share"]] == [2]
    assert "firstAt" not in batch.pairs["skip"][0]
    assert [row["id"] for row in batch.video_rows()] == ["v1", "v2"]  # one lock order
    rows = {row["id"]: row for row in batch.video_rows()}
    assert (rows["v1"]["shares"], rows["v1"]["comments"], rows["v1"]["skips"]) == (2, 1, 0)
    assert (rows["v2"]["skips"], rows["v2"]["views"]) == (1, 0)


def test_ordered_types_are_refused() -> None:
    with pytest.raises(ValueError, match="like"):
        aggregate([event(1, "like")])
