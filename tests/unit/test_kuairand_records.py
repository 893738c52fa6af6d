"""KuaiRand -> import-format records, on the dataset's smoke sample (no database).

Needs the dataset in ``shared/datasets/kuairand-pure-subset`` beside the
repository (or ``FYP_KUAIRAND``); skipped when it is not there.
"""

from __future__ import annotations

import os
import re
import shutil
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from graph.datasets.kuairand import (
    NO_DURATION,
    KuaiRandConversion,
    hashtags_of,
    kuairand_records,
    upload_time_ms,
)
from graph.datasets.kuairand_layout import KuaiRandLayout
from graph.datasets.kuairand_sequences import SHORT_VIEW_MS, TRAIN_START_MS
from graph.datasets.locate import find_kuairand
from graph.errors import ClientError
from graph.ingest.validate import Invalid, validate

REPO = Path(__file__).resolve().parents[2]


DATASET = find_kuairand(REPO, os.environ.get("FYP_KUAIRAND"))
pytestmark = pytest.mark.skipif(DATASET is None, reason="KuaiRand dataset not found")


@pytest.fixture(scope="module")
def dataset() -> Path:
    assert DATASET is not None
    return DATASET


def materialise(records: dict[str, Iterable[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    return {kind: list(values) for kind, values in records.items()}


@pytest.fixture(scope="module")
def smoke(dataset: Path) -> dict[str, list[dict[str, Any]]]:
    return materialise(kuairand_records(dataset, ("sequences", "val", "test"), smoke=True))


@pytest.fixture(scope="module")
def smoke_rows(dataset: Path) -> dict[str, list[dict[str, Any]]]:
    return materialise(kuairand_records(dataset, ("train", "val", "test"), smoke=True))


# -- layout --------------------------------------------------------------------------
def test_layouts_are_found_from_the_dataset_its_processed_or_its_smoke_folder(
    dataset: Path,
) -> None:
    full = KuaiRandLayout.detect(dataset)
    assert not full.smoke and full.user_features is not None
    assert KuaiRandLayout.detect(dataset / "processed") == full
    assert KuaiRandLayout.detect(dataset, smoke=True) == KuaiRandLayout.detect(dataset / "smoke")
    smoke = KuaiRandLayout.detect(dataset / "smoke")
    assert smoke.smoke and smoke.item_features == dataset / "processed" / "item_features.parquet"
    assert smoke.parts == ("sequences", "train", "val", "test")


def test_a_folder_without_the_dataset_is_a_client_error(tmp_path: Path) -> None:
    with pytest.raises(ClientError, match="missing"):
        KuaiRandLayout.detect(tmp_path)
    with pytest.raises(ClientError, match="not a folder"):
        KuaiRandLayout.detect(tmp_path / "nope")


def test_parts_are_checked(dataset: Path) -> None:
    full, smoke = KuaiRandLayout.detect(dataset), KuaiRandLayout.detect(dataset, smoke=True)
    assert full.check_parts({"test", "sequences"}) == ("sequences", "test")
    with pytest.raises(ClientError, match="unknown KuaiRand part"):
        full.check_parts(["train"])
    with pytest.raises(ClientError, match="no KuaiRand part"):
        full.check_parts([])
    with pytest.raises(ClientError, match="one of them"):
        smoke.check_parts(["sequences", "train"])


# -- records -------------------------------------------------------------------------
@pytest.mark.parametrize("fixture", ["smoke", "smoke_rows"])
def test_every_record_is_valid_import_format(fixture: str, request: pytest.FixtureRequest) -> None:
    records: dict[str, list[dict[str, Any]]] = request.getfixturevalue(fixture)
    for kind, values in records.items():
        for record in values:
            try:
                validate(kind, record)  # type: ignore[arg-type]
            except Invalid as problem:
                pytest.fail(f"{kind} record {record} is invalid: {problem}")


def test_ids_keep_kuairand_id_spaces_apart(smoke: dict[str, list[dict[str, Any]]]) -> None:
    assert all(re.fullmatch(r"u\d+", user["id"]) for user in smoke["users"])
    assert all(re.fullmatch(r"a\d+", creator["id"]) for creator in smoke["creators"])
    creators = {creator["id"] for creator in smoke["creators"]}
    for video in smoke["videos"]:
        assert re.fullmatch(r"v\d+", video["id"])
        assert video["creatorId"] in creators
        assert all(re.fullmatch(r"tag\d+", tag) for tag in video["hashtags"])
        assert re.fullmatch(r"m\d+", video.get("soundId", "m0"))
    users = {user["id"] for user in smoke["users"]}
    videos = {video["id"] for video in smoke["videos"]}
    for event in smoke["interactions"]:
        assert event["userId"] in users
        assert event["videoId"] in videos


def test_the_catalogue_comes_from_item_features(dataset: Path) -> None:
    items = pq.read_table(dataset / "processed" / "item_features.parquet").to_pylist()
    conversion = KuaiRandConversion(KuaiRandLayout.detect(dataset))
    videos = {video["id"]: video for video in conversion.videos()}
    with_duration = [item for item in items if item["video_duration"]]
    assert len(videos) == len(with_duration)
    assert conversion.skipped["videos"] == Counter({NO_DURATION: len(items) - len(with_duration)})
    item = with_duration[0]
    assert videos[f"v{item['video_id']}"] == {
        "id": f"v{item['video_id']}",
        "creatorId": f"a{item['author_id']}",
        "createdAt": upload_time_ms(item["upload_dt"]),
        "durationMs": round(item["video_duration"]),
        "hashtags": [f"tag{tag}" for tag in item["tag"].split(",")],
        "soundId": f"m{item['music_id']}",
    }


def test_tags_times_and_sounds_are_mapped() -> None:
    assert hashtags_of("39,68") == ("tag39", "tag68")
    assert hashtags_of("unknown") == ()
    assert hashtags_of(None) == ()
    # Midnight in Beijing is 16:00 UTC the day before.
    assert upload_time_ms("2022-04-10") == 1649520000000


def test_the_smoke_catalogue_is_what_its_files_mention(
    dataset: Path, smoke: dict[str, list[dict[str, Any]]]
) -> None:
    smoke_dir = dataset / "smoke"
    users = set(pq.read_table(smoke_dir / "user_sequences.parquet")["user_id"].to_pylist())
    users |= set(pq.read_table(smoke_dir / "interactions.parquet")["user_id"].to_pylist())
    assert {user["id"] for user in smoke["users"]} == {f"u{user}" for user in users}


def test_the_catalogue_does_not_depend_on_the_parts(dataset: Path) -> None:
    test_only = materialise(kuairand_records(dataset, ("test",), smoke=True))
    every_part = materialise(kuairand_records(dataset, smoke=True))
    for kind in ("users", "creators", "videos"):
        assert test_only[kind] == every_part[kind]
    assert {event["eventId"].split(":")[1] for event in test_only["interactions"]} == {"test"}


def test_event_ids_are_deterministic_and_unique_but_for_repeated_rows(
    dataset: Path, smoke: dict[str, list[dict[str, Any]]]
) -> None:
    again = materialise(kuairand_records(dataset, smoke=True))
    assert again["interactions"] == smoke["interactions"]
    counted = Counter(event["eventId"] for event in smoke["interactions"])
    repeated = {event_id for event_id, n in counted.items() if n > 1}
    for event_id in repeated:  # only rows logged twice for the same (user, video, time)
        part, user, video, at, _ = event_id.split(":")[1:]
        assert part in ("val", "test")
        rows = pq.read_table(dataset / "smoke" / "splits" / f"{part}.parquet").to_pylist()
        same = [r for r in rows if (f"u{r['user_id']}", f"v{r['video_id']}", str(r["time_ms"]))
                == (user, video, at)]  # fmt: skip
        assert len(same) == counted[event_id]


def test_records_can_be_iterated_again(dataset: Path) -> None:
    records = kuairand_records(dataset, ("val",), smoke=True)
    assert list(records["interactions"]) == list(records["interactions"])
    assert list(records["users"])


def test_events_on_videos_without_duration_are_skipped_and_counted(dataset: Path) -> None:
    conversion = KuaiRandConversion(KuaiRandLayout.detect(dataset, smoke=True), ("val",))
    events = list(conversion.interactions())
    rows = pq.read_table(dataset / "smoke" / "splits" / "val.parquet").to_pylist()
    no_duration = [row for row in rows if not row["video_duration"]]
    assert no_duration, "the smoke val split has rows on image posts"
    assert conversion.skipped["interactions"][NO_DURATION] == len(no_duration)
    assert len([e for e in events if e["type"] == "view"]) == len(rows) - len(no_duration)


# -- the mapping of each flag, on rows written for the purpose -----------------------
FLAGS = ("is_like", "is_forward", "is_comment", "is_hate", "is_follow")


@pytest.fixture
def crafted(dataset: Path, tmp_path: Path) -> tuple[Path, list[dict[str, Any]]]:
    """A smoke-shaped folder whose val split holds one row per flag, on real videos."""
    (tmp_path / "processed").mkdir()
    (tmp_path / "processed" / "item_features.parquet").symlink_to(
        dataset / "processed" / "item_features.parquet"
    )
    folder = tmp_path / "smoke"
    shutil.copytree(dataset / "smoke", folder)
    val = pq.read_table(folder / "splits" / "val.parquet")
    template = next(row for row in val.to_pylist() if row["video_duration"])
    rows = []
    for index, flag in enumerate((None, *FLAGS)):
        row = {**template, **dict.fromkeys(FLAGS, 0)}
        row.update(user_id=900 + index, time_ms=template["time_ms"] + index, play_time_ms=index)
        if flag is not None:
            row[flag] = 1
        rows.append(row)
    loop = {**template, "user_id": 990, "play_time_ms": 2 * template["duration_ms"] + 5}
    rows.append({**loop, **dict.fromkeys(FLAGS, 0)})
    pq.write_table(pa.Table.from_pylist(rows, schema=val.schema), folder / "splits" / "val.parquet")
    return folder, rows


def test_each_flag_adds_its_event_to_the_rows_view(
    crafted: tuple[Path, list[dict[str, Any]]],
) -> None:
    folder, rows = crafted
    events = list(kuairand_records(folder, ("val",))["interactions"])
    by_user: dict[str, list[dict[str, Any]]] = {}
    for event in events:
        by_user.setdefault(event["userId"], []).append(event)
    expected_extra = {
        None: None, "is_like": "like", "is_forward": "share", "is_comment": "comment",
        "is_hate": "not_interested", "is_follow": "follow",
    }  # fmt: skip
    for row, flag in zip(rows, (None, *FLAGS), strict=False):
        user, video, at = f"u{row['user_id']}", f"v{row['video_id']}", row["time_ms"]
        got = by_user[user]
        assert got[0] == {
            "eventId": f"kr:val:{user}:{video}:{at}:view",
            "type": "view",
            "userId": user,
            "videoId": video,
            "at": at,
            "watchMs": row["play_time_ms"],
            "rewatches": 0,
        }
        kind = expected_extra[flag]
        assert [event["type"] for event in got[1:]] == ([kind] if kind else [])
        if kind is not None:
            extra = got[1]
            assert extra["eventId"] == f"kr:val:{user}:{video}:{at}:{kind}"
            assert (extra["userId"], extra["videoId"], extra["at"]) == (user, video, at)
            if kind == "follow":
                assert extra["creatorId"] == f"a{row['author_id']}"
            else:
                assert "creatorId" not in extra


def test_a_looped_view_counts_its_whole_rewatches(
    crafted: tuple[Path, list[dict[str, Any]]],
) -> None:
    folder, rows = crafted
    events = list(kuairand_records(folder, ("val",))["interactions"])
    loop = next(event for event in events if event["userId"] == "u990")
    assert loop["watchMs"] == rows[-1]["play_time_ms"]
    assert loop["rewatches"] == 2


def test_smoke_rows_map_their_flags(
    dataset: Path, smoke_rows: dict[str, list[dict[str, Any]]]
) -> None:
    """The real smoke rows: one event per flag set, on videos that load."""
    wanted: Counter[str] = Counter()
    loadable = {video["id"] for video in smoke_rows["videos"]}
    kinds = dict(zip(FLAGS, ("like", "share", "comment", "not_interested", "follow"), strict=True))
    for part in ("train", "val", "test"):
        for row in pq.read_table(dataset / "smoke" / "splits" / f"{part}.parquet").to_pylist():
            if f"v{row['video_id']}" not in loadable:
                continue
            wanted["view"] += 1
            wanted.update(kinds[flag] for flag in FLAGS if row[flag])
    got = Counter(event["type"] for event in smoke_rows["interactions"])
    assert got == wanted
    assert got["follow"] >= 1 and got["comment"] >= 1 and got["not_interested"] >= 1


def test_sequences_rebuild_the_smoke_training_rows(dataset: Path) -> None:
    """The smoke sample keeps the training rows its sequences were built from: the
    views, long watches and likes rebuilt from the sequences must be those rows."""
    rows = pq.read_table(dataset / "smoke" / "splits" / "train.parquet").to_pylist()
    sequences = pq.read_table(dataset / "smoke" / "user_sequences.parquet").to_pylist()
    conversion = KuaiRandConversion(KuaiRandLayout.detect(dataset, smoke=True), ("sequences",))
    durations = {int(v["id"][1:]): v["durationMs"] for v in conversion.videos()}

    def seen_as(kind: str, video: int, long: bool) -> tuple[str, int, bool]:
        # A video shorter than the short-view watch time is watched whole either way.
        return kind, video, kind == "view" and (long or durations[video] <= SHORT_VIEW_MS)

    rebuilt: dict[str, Counter[tuple[str, int, bool]]] = {}
    for event in conversion.interactions():
        video = int(event["videoId"][1:])
        long = event["type"] == "view" and event["watchMs"] == durations[video]
        rebuilt.setdefault(event["userId"], Counter())[seen_as(event["type"], video, long)] += 1
    by_user: dict[int, list[dict[str, Any]]] = {}
    for row in sorted(rows, key=lambda row: row["time_ms"]):
        by_user.setdefault(row["user_id"], []).append(row)
    for sequence in sequences:
        history = by_user[sequence["user_id"]]
        window = history[-len(sequence["watch_seq"]) :]
        long_rows = [r for r in history if r["long_view"]][-len(sequence["long_watch_seq"]) :]
        liked_rows = [r for r in history if r["is_like"]][-len(sequence["like_seq"]) :]
        events = [("view", r["video_id"], bool(r["long_view"])) for r in window]
        events += [("view", r["video_id"], True) for r in long_rows if r not in window]
        events += [("like", r["video_id"], False) for r in liked_rows if sequence["like_seq"]]
        expected = Counter(seen_as(*event) for event in events if event[1] in durations)
        assert rebuilt.get(f"u{sequence['user_id']}", Counter()) == expected, sequence


def test_sequence_events_stay_before_the_last_view(
    dataset: Path, smoke: dict[str, list[dict[str, Any]]]
) -> None:
    sequences = pq.read_table(dataset / "smoke" / "user_sequences.parquet").to_pylist()
    last_times = {f"u{s['user_id']}": s["last_time_ms"] for s in sequences}
    events = [e for e in smoke["interactions"] if e["eventId"].startswith("kr:sequences:")]
    assert events
    for event in events:
        assert TRAIN_START_MS <= event["at"] <= last_times[event["userId"]]


@pytest.mark.parametrize("parts", [("sequences", "val", "test"), ("train", "val", "test")])
def test_counts_tell_how_many_records_each_kind_yields(
    dataset: Path, parts: tuple[str, ...]
) -> None:
    conversion = KuaiRandConversion(KuaiRandLayout.detect(dataset, smoke=True), parts)
    yielded = {kind: sum(1 for _ in values) for kind, values in conversion.records.items()}
    assert conversion.counts() == yielded
