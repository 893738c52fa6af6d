"""Importing folders into a real Neo4j: idempotency, rejections, counters, JSONL and CSV."""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from graph.db import Graph
from graph.ingest import ImportReport, Rejection, import_dir, import_records, target
from graph.ingest.aggregate import COUNTED_TYPES
from graph.ingest.events import group_ordered
from graph.ingest.transactions import Transaction, in_write_transaction
from graph.ingest.validate import EventRow
from graph.schema import counts, wipe
from graph.synth import WorldSpec, generate_world, write_import_dir

T0 = 1_650_880_800_000  # 2022-04-25T10:00:00Z
RECOUNTS = (
    "ingest/recount_videos",
    "ingest/recount_video_events",
    "ingest/recount_users",
    "ingest/recount_tags_sounds",
)

Records = dict[str, list[dict[str, Any]]]


def hand_made_world() -> Records:
    """Every kind of record and every event type, small enough to check by hand."""

    def ev(n: int, kind: str, user: str, **fields: Any) -> dict[str, Any]:
        return {"eventId": f"e{n}", "type": kind, "userId": user, "at": T0 + n * 1000, **fields}

    return {
        "users": [
            {"id": "u1", "name": "Ana", "createdAt": "2022-01-01T00:00:00Z"},
            {"id": "u2", "name": "Ben", "createdAt": T0},
            {"id": "u3"},
            {"id": "u4", "name": "Cy"},
        ],
        "creators": [{"id": "a1", "name": "Dee"}, {"id": "a2"}, {"id": "u1"}],
        "videos": [
            {
                "id": "v1",
                "creatorId": "a1",
                "createdAt": T0,
                "durationMs": 10_000,
                "caption": "first",
                "hashtags": ["#Dance", "fun"],
                "soundId": "m1",
                "soundTitle": "beat",
            },
            {
                "id": "v2",
                "creatorId": "a1",
                "createdAt": T0,
                "durationMs": 20_000,
                "hashtags": ["dance"],
                "soundId": "m1",
            },
            {
                "id": "v3",
                "creatorId": "a2",
                "createdAt": T0,
                "durationMs": 5_000,
                "status": "removed",
            },
            {
                "id": "v4",
                "creatorId": "u4",
                "createdAt": T0,
                "durationMs": 8_000,
                "hashtags": ["cats"],
            },
        ],
        "follows": [
            {"userId": "u1", "creatorId": "a1", "at": T0},
            {"userId": "u2", "creatorId": "a1"},
            {"userId": "a1", "creatorId": "a2"},
        ],
        "interactions": [
            ev(1, "impression", "u2", videoId="v1", requestId="r1"),
            ev(2, "view", "u2", videoId="v1", watchMs=9_600),
            ev(3, "view", "u2", videoId="v1", watchMs=2_000, rewatches=1),
            ev(4, "like", "u2", videoId="v1"),
            ev(5, "unlike", "u2", videoId="v1"),
            ev(6, "like", "u3", videoId="v1"),
            ev(7, "share", "u3", videoId="v1"),
            ev(8, "share", "u3", videoId="v1"),
            ev(9, "comment", "u3", videoId="v2"),
            ev(10, "skip", "u4", videoId="v2", watchMs=400),
            ev(11, "view", "u3", videoId="v3", watchMs=60_000),
            ev(12, "not_interested", "u4", videoId="v3"),
            ev(13, "not_interested", "u4", hashtag="#FUN"),
            ev(14, "not_interested", "u4", soundId="m1"),
            ev(15, "not_interested", "u4", creatorId="a2", videoId="v3"),
            ev(16, "follow", "u3", creatorId="a1", videoId="v1"),
            ev(17, "follow", "u4", creatorId="a2"),
            ev(18, "unfollow", "u4", creatorId="a2"),
            ev(19, "unlike", "u4", videoId="v4"),
            ev(20, "impression", "u2", videoId="v1", requestId="r2"),
            ev(3, "view", "u2", videoId="v1", watchMs=1),  # a repeated id: the first wins
        ],
    }


def write_folder(
    folder: Path, records: Mapping[str, Sequence[Mapping[str, Any]]], fmt: str
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for kind, rows in records.items():
        if fmt == "jsonl":
            lines = (json.dumps(row) for row in rows)
            (folder / f"{kind}.jsonl").write_text("".join(line + "\n" for line in lines))
            continue
        header = list(dict.fromkeys(key for row in rows for key in row))
        with (folder / f"{kind}.csv").open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            for row in rows:
                writer.writerow([_cell(row.get(key)) for key in header])
    return folder


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "|".join(value)
    return str(value)


def fingerprint(graph: Graph) -> dict[str, Any]:
    """Everything ingestion writes: counts, node properties, relationship properties."""
    nodes = sorted(
        (sorted(row["labels"]), row["key"], sorted(facts(row["properties"]).items()))
        for row in graph.read("ingest/state_nodes")
    )
    relationships = sorted(
        (row["type"], row["start"], row["end"], sorted(row["properties"].items()))
        for row in graph.read("ingest/state_relationships")
    )
    return {"counts": counts(graph), "nodes": nodes, "relationships": relationships}


def facts(properties: dict[str, Any]) -> dict[str, Any]:
    """A node's properties but ``changedAt``: the database's clock at the last change (it
    tells the read models when, not what; two imports of the same data differ in it)."""
    return {key: value for key, value in properties.items() if key != "changedAt"}


def drift(graph: Graph) -> list[dict[str, Any]]:
    return [row for name in RECOUNTS for row in graph.read(name, limit=100)]


def video(graph: Graph, video_id: str) -> dict[str, Any]:
    [row] = [row for row in graph.read("ingest/state_nodes") if row["key"] == video_id]
    return facts(row["properties"])


def assert_totals(report: ImportReport, **expected: tuple[int, int, int]) -> None:
    got = {
        kind: (counts.loaded, counts.rejected, counts.already_present)
        for kind in expected
        for counts in [report.by_kind(kind)]
    }
    assert got == expected


# -- idempotency ------------------------------------------------------------------------
def test_reimporting_a_folder_changes_nothing(graph: Graph, tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "world", hand_made_world(), "jsonl")

    first = import_dir(graph, folder)
    assert first.rejections == []
    assert_totals(
        first,
        users=(4, 0, 0), creators=(3, 0, 0), videos=(4, 0, 0), follows=(3, 0, 0),
        interactions=(20, 0, 1),
    )  # fmt: skip
    before = fingerprint(graph)

    second = import_dir(graph, folder)
    assert second.rejections == []
    assert_totals(
        second,
        users=(0, 0, 4), creators=(0, 0, 3), videos=(0, 0, 4), follows=(0, 0, 3),
        interactions=(0, 0, 21),
    )  # fmt: skip
    assert fingerprint(graph) == before


def test_a_synthetic_world_reimports_unchanged_and_its_counters_match_a_recount(
    graph: Graph, tmp_path: Path
) -> None:
    world = generate_world(WorldSpec(users=100, videos=120, seed=7, days=3))
    folder = tmp_path / "synth"
    write_import_dir(world, folder)
    first = import_dir(graph, folder, batch_size=500)
    assert first.rejections == []
    assert first.by_kind("interactions").loaded > 500
    assert drift(graph) == []
    before = fingerprint(graph)

    second = import_dir(graph, folder, batch_size=500)
    assert second.loaded == 0 and second.rejected == 0
    assert second.already_present == first.loaded + first.already_present
    assert fingerprint(graph) == before


def test_reimporting_a_follows_snapshot_does_not_undo_later_unfollows(graph: Graph) -> None:
    def unfollow(event_id: str, user: str, at: int) -> dict[str, Any]:
        return {"eventId": event_id, "type": "unfollow", "userId": user, "creatorId": "star",
                "at": at}  # fmt: skip

    records: Records = {
        "users": [{"id": "gone"}, {"id": "back"}, {"id": "undated"}, {"id": "star"}],
        "follows": [
            {"userId": "gone", "creatorId": "star", "at": T0},
            {"userId": "back", "creatorId": "star", "at": T0 + 9_000},
            {"userId": "undated", "creatorId": "star"},
        ],
        "interactions": [
            unfollow("x1", "gone", T0 + 5_000),  # ends the follow the snapshot dates T0
            unfollow("x2", "back", T0 + 5_000),  # older than the follow it would end: stale
            unfollow("x3", "undated", T0 + 5_000),  # a follow with no time counts as older
        ],
    }

    def following() -> set[str]:
        relationships = fingerprint(graph)["relationships"]
        return {start for kind, start, end, _ in relationships if kind == "FOLLOWS"}

    first = import_records(graph, records)
    assert first.rejections == []
    assert following() == {"back"}
    assert drift(graph) == []
    before = fingerprint(graph)

    second = import_records(graph, records)
    assert second.loaded == 0
    assert following() == {"back"}
    assert fingerprint(graph) == before
    assert drift(graph) == []

    # A later snapshot that says "gone" followed again after the unfollow is believed.
    again = import_records(
        graph, {"follows": [{"userId": "gone", "creatorId": "star", "at": T0 + 7_000}]}
    )
    assert again.by_kind("follows").loaded == 1
    assert following() == {"back", "gone"}
    assert drift(graph) == []


def test_batch_size_does_not_change_the_result(graph: Graph) -> None:
    import_records(graph, hand_made_world(), batch_size=5000)
    whole = fingerprint(graph)
    wipe(graph)
    import_records(graph, hand_made_world(), batch_size=2)
    assert fingerprint(graph) == whole


# -- counters ---------------------------------------------------------------------------
def test_counters_of_the_hand_made_world(graph: Graph) -> None:
    import_records(graph, hand_made_world())
    assert drift(graph) == []
    v1 = video(graph, "v1")
    assert {k: v1[k] for k in ("views", "viewers", "completes", "watchMsSum", "rewatches")} == {
        "views": 2, "viewers": 1, "completes": 1, "watchMsSum": 11_600, "rewatches": 1,
    }  # fmt: skip
    assert v1["completionSum"] == pytest.approx(0.96 + 0.2)
    assert (v1["likes"], v1["shares"], v1["impressions"], v1["follows"]) == (1, 2, 2, 1)
    v3 = video(graph, "v3")
    assert (v3["views"], v3["completes"], v3["notInterested"], v3["status"]) == (1, 1, 1, "removed")
    assert v3["completionSum"] == 5.0, "a looped view counts at most 5 completions"
    assert video(graph, "v2")["skips"] == 1 and video(graph, "v2")["comments"] == 1


def test_recounts_find_drift(graph: Graph) -> None:
    """The recount queries are a real check: a counter off by one shows up."""
    import_records(graph, hand_made_world())
    assert graph.write("ingest/set_video_counter", videoId="v1", counter="views", value=3).records
    assert (
        graph.write("ingest/set_video_counter", videoId="v2", counter="id", value=1).records == []
    )
    off = [{"label": "Video", "id": "v1", "counter": "views", "stored": 3, "recounted": 2}]
    assert graph.read("ingest/recount_videos", limit=10) == off
    assert graph.read("ingest/recount_video_events", limit=10) == off


# -- rejections -------------------------------------------------------------------------
BAD_LINES: list[tuple[str, dict[str, Any], str]] = [
    ("videos", {"id": "vx", "creatorId": "nobody", "createdAt": T0, "durationMs": 1000},
     "unknown creator 'nobody'"),
    ("videos", {"id": "vy", "creatorId": "a1", "createdAt": T0, "durationMs": 0},
     "bad duration: durationMs must be > 0, got 0"),
    ("follows", {"userId": "ghost", "creatorId": "a1"}, "unknown user 'ghost'"),
    ("interactions", {"eventId": "b1", "type": "view", "userId": "ghost", "videoId": "v1",
                      "at": T0, "watchMs": 10}, "unknown user 'ghost'"),
    ("interactions", {"eventId": "b2", "type": "like", "userId": "u1", "videoId": "vx",
                      "at": T0}, "unknown video 'vx'"),
    ("interactions", {"eventId": "b3", "type": "follow", "userId": "u1", "creatorId": "ghost",
                      "at": T0}, "unknown creator 'ghost'"),
    ("interactions", {"eventId": "b4", "type": "view", "userId": "u1", "videoId": "v1",
                      "at": T0, "watchMs": -5}, "negative watch time: watchMs -5"),
    ("interactions", {"eventId": "b5", "type": "view", "userId": "u1", "videoId": "v1",
                      "at": T0, "watchMs": 1_000_001},
     "absurd watch time: watchMs 1000001 is over 100 times the video's duration (10000 ms)"),
    ("interactions", {"eventId": "b6", "type": "poke", "userId": "u1", "videoId": "v1",
                      "at": T0}, "unknown event type 'poke'"),
    ("interactions", {"eventId": "b7", "type": "like", "userId": "u1", "videoId": "v1",
                      "at": "25/04/2022"}, "malformed timestamp in 'at'"),
    ("interactions", {"eventId": "b8", "type": "like", "videoId": "v1", "at": T0},
     "missing required field 'userId'"),
]  # fmt: skip


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_each_bad_record_is_rejected_with_file_line_reason_and_nothing_of_it_is_written(
    graph: Graph, tmp_path: Path, fmt: str
) -> None:
    records = hand_made_world()
    for kind, raw, _ in BAD_LINES:
        records[kind].insert(1, raw)  # between valid neighbours
    header = 1 if fmt == "csv" else 0
    expected = sorted(
        (f"{kind}.{fmt}", records[kind].index(raw) + 1 + header, reason)
        for kind, raw, reason in BAD_LINES
    )

    report = import_dir(graph, write_folder(tmp_path / fmt, records, fmt))

    got = sorted((r.file, r.line, r.reason) for r in report.rejections)
    assert [(file, line) for file, line, _ in got] == [(file, line) for file, line, _ in expected]
    for (_, _, reason), (_, _, want) in zip(got, expected, strict=True):
        assert reason.startswith(want), reason
    assert report.rejected == len(BAD_LINES)
    # The valid neighbours all loaded...
    assert_totals(
        report,
        users=(4, 0, 0), creators=(3, 0, 0), videos=(4, 2, 0), follows=(3, 1, 0),
        interactions=(20, 8, 1),
    )  # fmt: skip
    # ...and nothing of the bad ones was written.
    bad_events = [f"b{n}" for n in range(1, 9)]
    assert graph.read("ingest/known_events", ids=bad_events) == []
    assert graph.read("ingest/known_videos", ids=["vx", "vy"]) == []
    assert graph.read("ingest/known_users", ids=["ghost", "nobody"]) == []
    assert drift(graph) == []
    v1 = video(graph, "v1")
    assert (v1["views"], v1["likes"]) == (2, 1)


def test_a_rejected_video_makes_its_events_unknown_too(graph: Graph) -> None:
    records = hand_made_world()
    records["videos"].append({"id": "v9", "creatorId": "a1", "createdAt": T0})
    records["interactions"].append(
        {"eventId": "e99", "type": "like", "userId": "u1", "videoId": "v9", "at": T0}
    )
    report = import_records(graph, records)
    assert report.rejections == [
        Rejection("videos", 5, "missing required field 'durationMs'"),
        Rejection("interactions", 22, "unknown video 'v9'"),
    ]


def test_ids_from_an_earlier_import_are_known(graph: Graph) -> None:
    world = hand_made_world()
    import_records(graph, {kind: world[kind] for kind in ("users", "creators", "videos")})
    later = import_records(graph, {"interactions": world["interactions"]})
    assert later.rejections == []
    assert later.by_kind("interactions").loaded == 20


# -- formats ----------------------------------------------------------------------------
def test_csv_and_jsonl_give_the_same_graph(graph: Graph, tmp_path: Path) -> None:
    import_dir(graph, write_folder(tmp_path / "jsonl", hand_made_world(), "jsonl"))
    from_jsonl = fingerprint(graph)
    wipe(graph)
    report = import_dir(graph, write_folder(tmp_path / "csv", hand_made_world(), "csv"))
    assert report.rejections == []
    assert set(report.files) == {f"{kind}.csv" for kind in hand_made_world()}
    assert fingerprint(graph) == from_jsonl


# The per-event Cypher files the bulk path's pre-aggregation mirrors (their reference).
REFERENCE_FILES: dict[str, tuple[str, tuple[str, ...]]] = {
    "view": ("ingest/events_view", (
        "id", "type", "at", "userId", "videoId", "watchMs", "completion", "rewatches",
    )),
    "impression": ("ingest/events_impression", (
        "id", "type", "at", "userId", "videoId", "requestId",
    )),
    "share": ("ingest/events_share", ("id", "type", "at", "userId", "videoId")),
    "comment": ("ingest/events_comment", ("id", "type", "at", "userId", "videoId")),
    "skip": ("ingest/events_skip", ("id", "type", "at", "userId", "videoId")),
}  # fmt: skip


def write_one_file_per_type(graph: Graph, events: list[EventRow]) -> int:
    """The batch through the per-event reference files (ordered types as the bulk path)."""
    counted: dict[str, list[dict[str, Any]]] = {}
    for event in sorted(events, key=lambda event: event["at"]):
        if event["type"] in REFERENCE_FILES:
            name, fields = REFERENCE_FILES[event["type"]]
            counted.setdefault(name, []).append({f: event[f] for f in fields})  # type: ignore[literal-required]
    ordered = group_ordered([event for event in events if event["type"] not in COUNTED_TYPES])

    def work(tx: Transaction) -> int:
        groups = {**counted, **ordered}
        return sum(int(tx.run(name, events=group)[0]["loaded"]) for name, group in groups.items())

    return in_write_transaction(graph, work)


def rounded(state: dict[str, Any]) -> dict[str, Any]:
    """``fingerprint`` with floats rounded: sums in another order may differ in the last bit."""

    def fix(value: Any) -> Any:
        if isinstance(value, float):
            return round(value, 9)
        if isinstance(value, (list, tuple)):
            return type(value)(fix(item) for item in value)
        return value

    return {key: fix(value) for key, value in state.items()}


def test_the_bulk_path_gives_the_graph_the_per_event_files_give(
    graph: Graph, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = generate_world(WorldSpec(users=80, videos=100, seed=11, days=3))
    records = {kind: list(rows) for kind, rows in world.records().items()}
    views = [event for event in records["interactions"] if event["type"] == "view"]
    for n, view in enumerate(views[::2]):  # the synthetic world has no impressions: add some
        records["interactions"].append({
            "eventId": f"imp{n}", "type": "impression", "userId": view["userId"],
            "videoId": view["videoId"], "at": view["at"], "requestId": f"r{n}" if n % 3 else None,
        })  # fmt: skip
    assert {"view", "impression", "skip", "like"} <= {e["type"] for e in records["interactions"]}

    # Small batches: most (user, video) pairs meet stored relationships in later batches.
    bulk = import_records(graph, records, batch_size=97)
    assert bulk.rejections == [] and drift(graph) == []
    expected = rounded(fingerprint(graph))

    wipe(graph)
    monkeypatch.setattr(target, "write_events", write_one_file_per_type)
    reference = import_records(graph, records, batch_size=97)
    assert reference.loaded == bulk.loaded
    assert rounded(fingerprint(graph)) == expected
