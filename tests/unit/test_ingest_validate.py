"""Validation of import records (pure): each rule of docs/model.md, with its reason."""

from __future__ import annotations

from typing import Any

import pytest

from graph.ingest.validate import (
    DAY_MS,
    Entity,
    EventRow,
    Invalid,
    Ref,
    check_refs,
    completion,
    dedupe_key,
    normalise_hashtag,
    refs_of,
    validate,
)

AT = 1_650_880_800_000


class Ids:
    """A fixed set of existing ids (what the database would answer)."""

    def __init__(self, durations: dict[str, int], **present: set[str]) -> None:
        self.present: dict[str, set[str]] = {"video": set(durations), **present}
        self.durations = durations

    def has(self, entity: Entity, key: str) -> bool:
        return key in self.present.get(entity, set())

    def duration_ms(self, video_id: str) -> int | None:
        return self.durations.get(video_id)


KNOWN = Ids({"v1": 10_000}, user={"u1", "a1"}, hashtag={"dance"}, sound={"m1"})


def event(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"eventId": "e1", "type": "like", "userId": "u1", "videoId": "v1"}
    base["at"] = AT
    return {**base, **fields}


def view(**fields: Any) -> dict[str, Any]:
    return event(**{"type": "view", "watchMs": 5000, **fields})


def rejection(kind: Any, raw: dict[str, Any], known: Ids = KNOWN) -> str:
    with pytest.raises(Invalid) as caught:
        check_refs(kind, validate(kind, raw), known)
    return str(caught.value)


# -- required fields ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("kind", "raw", "field"),
    [
        ("users", {"name": "x"}, "id"),
        ("creators", {"id": ""}, "id"),
        ("videos", {"id": "v", "createdAt": AT, "durationMs": 1}, "creatorId"),
        ("videos", {"id": "v", "creatorId": "a1", "durationMs": 1}, "createdAt"),
        ("videos", {"id": "v", "creatorId": "a1", "createdAt": AT}, "durationMs"),
        ("follows", {"userId": "u1"}, "creatorId"),
        ("interactions", {"type": "like", "userId": "u1", "videoId": "v1", "at": AT}, "eventId"),
        ("interactions", {"eventId": "e", "userId": "u1", "videoId": "v1", "at": AT}, "type"),
        ("interactions", {"eventId": "e", "type": "like", "videoId": "v1", "at": AT}, "userId"),
        ("interactions", {"eventId": "e", "type": "like", "userId": "u1", "videoId": "v1"}, "at"),
        ("interactions", event(videoId=None), "videoId"),
        ("interactions", event(type="view"), "watchMs"),
        ("interactions", event(type="follow", videoId=None), "creatorId"),
    ],
)
def test_missing_required_field(kind: Any, raw: dict[str, Any], field: str) -> None:
    assert f"missing required field '{field}'" in rejection(kind, raw)


def test_not_interested_needs_a_target() -> None:
    reason = rejection("interactions", event(type="not_interested", videoId=None))
    assert "missing required field" in reason and "'hashtag'" in reason


def test_a_record_must_be_a_mapping() -> None:
    with pytest.raises(Invalid, match="object of fields"):
        validate("users", ["u1"])  # type: ignore[arg-type]


# -- values ------------------------------------------------------------------------
def test_unknown_event_type_lists_the_known_ones() -> None:
    reason = rejection("interactions", event(type="poke"))
    assert reason.startswith("unknown event type 'poke'") and "not_interested" in reason


@pytest.mark.parametrize("at", ["yesterday", "2022-04-25T10:00:00", -3, 1.5])
def test_malformed_timestamp(at: object) -> None:
    assert rejection("interactions", event(at=at)).startswith("malformed timestamp in 'at'")


def test_negative_watch_time() -> None:
    assert rejection("interactions", view(watchMs=-1)).startswith("negative watch time")


def test_watch_time_over_a_day_is_absurd() -> None:
    assert rejection("interactions", view(watchMs=DAY_MS + 1)).startswith("absurd watch time")


def test_watch_time_over_100_durations_is_absurd() -> None:
    reason = rejection("interactions", view(watchMs=100 * 10_000 + 1))
    assert reason.startswith("absurd watch time") and "10000 ms" in reason
    check_refs("interactions", validate("interactions", view(watchMs=100 * 10_000)), KNOWN)


@pytest.mark.parametrize(("duration", "why"), [(0, "> 0"), (-5, "> 0"), (DAY_MS + 1, "24 h")])
def test_bad_durations(duration: int, why: str) -> None:
    raw = {"id": "v2", "creatorId": "a1", "createdAt": AT, "durationMs": duration}
    reason = rejection("videos", raw)
    assert reason.startswith("bad duration") and why in reason


@pytest.mark.parametrize("value", ["abc", True, [1], "1.5e400"])
def test_numbers_must_be_numbers(value: object) -> None:
    assert "must be a number" in rejection("interactions", view(watchMs=value))


@pytest.mark.parametrize("rewatches", [-1, 101, 1_000_000])
def test_rewatches_are_bounded(rewatches: int) -> None:
    reason = rejection("interactions", view(rewatches=rewatches))
    assert "rewatches must be 0 to 100" in reason and str(rewatches) in reason


def test_a_hundred_loops_are_fine() -> None:
    assert validate("interactions", view(rewatches=100))["rewatches"] == 100


def test_unknown_video_status() -> None:
    raw = {"id": "v2", "creatorId": "a1", "createdAt": AT, "durationMs": 5, "status": "gone"}
    assert rejection("videos", raw).startswith("unknown status 'gone'")


def test_ids_must_be_text_or_whole_numbers() -> None:
    assert "must be a string id" in rejection("users", {"id": 1.5})
    assert validate("users", {"id": 7})["id"] == "7"  # type: ignore[typeddict-item]


def test_nobody_follows_themself() -> None:
    assert "cannot follow themself" in rejection("follows", {"userId": "u1", "creatorId": "u1"})
    reason = rejection("interactions", event(type="follow", creatorId="u1"))
    assert "cannot follow themself" in reason


# -- ids that must exist -------------------------------------------------------------
@pytest.mark.parametrize(
    ("kind", "raw", "reason"),
    [
        ("interactions", event(userId="u9"), "unknown user 'u9'"),
        ("interactions", event(videoId="v9"), "unknown video 'v9'"),
        ("interactions", event(type="follow", creatorId="a9"), "unknown creator 'a9'"),
        ("interactions", event(type="not_interested", hashtag="#Nope"), "unknown hashtag 'nope'"),
        ("interactions", event(type="not_interested", soundId="m9"), "unknown sound 'm9'"),
        ("follows", {"userId": "u9", "creatorId": "a1"}, "unknown user 'u9'"),
        ("follows", {"userId": "u1", "creatorId": "a9"}, "unknown creator 'a9'"),
        (
            "videos",
            {"id": "v2", "creatorId": "a9", "createdAt": AT, "durationMs": 5},
            "unknown creator 'a9'",
        ),
    ],
)
def test_unknown_ids(kind: Any, raw: dict[str, Any], reason: str) -> None:
    assert rejection(kind, raw) == reason


def test_refs_name_every_id_a_record_points_to() -> None:
    row = validate("interactions", event(type="follow", creatorId="a1", videoId="v1"))
    assert refs_of("interactions", row) == [
        Ref("user", "u1", "user"),
        Ref("video", "v1", "video"),
        Ref("user", "a1", "creator"),
    ]
    assert refs_of("users", validate("users", {"id": "u1"})) == []


# -- what valid records become --------------------------------------------------------
def test_view_gains_its_capped_completion() -> None:
    row: EventRow = check_refs("interactions", validate("interactions", view()), KNOWN)  # type: ignore[assignment]
    assert row["completion"] == 0.5 and row["rewatches"] == 0
    looped: EventRow = check_refs(  # type: ignore[assignment]
        "interactions", validate("interactions", view(watchMs=80_000)), KNOWN
    )
    assert looped["completion"] == 5.0


def test_completion_is_watch_over_duration() -> None:
    assert completion(9_500, 10_000) == 0.95
    with pytest.raises(Invalid, match="absurd"):
        completion(1_000_001, 10_000)


def test_not_interested_takes_the_most_specific_target() -> None:
    row = validate("interactions", event(type="not_interested", hashtag="#Dance", creatorId="a1"))
    assert (row["targetKind"], row["targetId"], row["videoId"]) == ("hashtag", "dance", "v1")  # type: ignore[typeddict-item]
    row = validate("interactions", event(type="not_interested", creatorId="a1"))
    assert (row["targetKind"], row["targetId"]) == ("creator", "a1")  # type: ignore[typeddict-item]
    row = validate("interactions", event(type="not_interested"))
    assert (row["targetKind"], row["targetId"]) == ("video", "v1")  # type: ignore[typeddict-item]


def test_csv_text_values_are_read_as_numbers_and_lists() -> None:
    raw = {
        "id": "v2",
        "creatorId": "a1",
        "createdAt": "2022-04-25T10:00:00Z",
        "durationMs": "15000",
        "hashtags": "#Dance|fun||#FUN",
    }
    row = validate("videos", raw)
    assert row["durationMs"] == 15_000  # type: ignore[typeddict-item]
    assert row["createdAt"] == AT  # type: ignore[typeddict-item]
    assert row["hashtags"] == ["dance", "fun"]  # type: ignore[typeddict-item]
    assert row["status"] is None  # type: ignore[typeddict-item]


def test_hashtags_are_normalised() -> None:
    assert normalise_hashtag(" #Dance ") == "dance"
    assert normalise_hashtag("##FYP") == "fyp"


def test_dedupe_keys() -> None:
    assert dedupe_key("interactions", validate("interactions", event())) == "e1"
    follow = validate("follows", {"userId": "u1", "creatorId": "a1"})
    assert dedupe_key("follows", follow) == ("u1", "a1")


def test_optional_fields_may_be_absent() -> None:
    assert validate("users", {"id": "u1"}) == {"id": "u1", "name": None, "createdAt": None}
    assert validate("follows", {"userId": "u1", "creatorId": "a1"})["at"] is None  # type: ignore[typeddict-item]
