"""KuaiRand through the real ingestion into Neo4j, checked against its source files.

Every expected count is computed here straight from the parquet files with
pyarrow, without the converter: distinct users, videos, authors, tags, sounds,
(user, video) pairs per relationship, (user, author) follow pairs, events.
Needs the dataset in ``shared/datasets/kuairand-pure-subset`` beside the
repository (or ``FYP_KUAIRAND``); skipped when it is not there.
"""

from __future__ import annotations

import logging
import os
import time
from collections import Counter
from collections.abc import Collection
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from graph.cli import app
from graph.datasets.kuairand import CREDIT, import_kuairand
from graph.datasets.locate import find_kuairand
from graph.db import Graph
from graph.schema import counts

log = logging.getLogger(__name__)
REPO = Path(__file__).resolve().parents[2]
FLAGS = {"is_like": "like", "is_forward": "share", "is_comment": "comment",
         "is_hate": "not_interested", "is_follow": "follow"}  # fmt: skip
ROW_COLUMNS = ["user_id", "video_id", "time_ms", "play_time_ms", "author_id", *FLAGS]


DATASET = find_kuairand(REPO, os.environ.get("FYP_KUAIRAND"))
pytestmark = pytest.mark.skipif(DATASET is None, reason="KuaiRand dataset not found")


@pytest.fixture(scope="module")
def dataset() -> Path:
    assert DATASET is not None
    return DATASET


def expected_graph(dataset: Path, *, smoke: bool, parts: Collection[str]) -> dict[str, Any]:
    """What the graph must hold after importing ``parts``, from the files alone."""
    processed = dataset / "processed"
    folder = dataset / "smoke" if smoke else processed
    items = pq.read_table(
        processed / "item_features.parquet",
        columns=["video_id", "author_id", "tag", "music_id", "video_duration"],
    ).to_pylist()
    sequences = pq.read_table(folder / "user_sequences.parquet").to_pylist()
    split_names = ("train", "val", "test") if smoke else ("val", "test")
    splits = {
        name: pq.read_table(folder / "splits" / f"{name}.parquet", columns=ROW_COLUMNS).to_pylist()
        for name in split_names
    }
    if smoke:  # the smoke sample's catalogue is what its files mention
        users = {s["user_id"] for s in sequences} | {
            row["user_id"] for rows in splits.values() for row in rows
        }
        lists = ("watch_seq", "long_watch_seq", "like_seq")
        mentioned = {v for s in sequences for key in lists for v in s[key]}
        mentioned |= {row["video_id"] for rows in splits.values() for row in rows}
    else:
        users = set(pq.read_table(processed / "user_features.parquet")["user_id"].to_pylist())
        mentioned = {item["video_id"] for item in items}
    videos = {
        item["video_id"]: item
        for item in items
        if item["video_duration"] and item["video_id"] in mentioned
    }
    authors = {item["author_id"] for item in videos.values()}
    tags = {v: {t for t in item["tag"].split(",") if t.isdigit()} for v, item in videos.items()}
    sounds = {item["music_id"] for item in videos.values() if item["music_id"] != 0}

    pairs: dict[str, set[tuple[int, int]]] = {
        name: set() for name in ("VIEWED", "LIKED", "SHARED", "COMMENTED", "NOT_INTERESTED")
    }
    follows: set[tuple[int, int]] = set()
    events: Counter[str] = Counter()
    watch_ms = 0
    if "sequences" in parts:
        for s in sequences:
            user = s["user_id"]
            # Every watched or long-watched video is viewed; every liked one liked.
            pairs["VIEWED"] |= {(user, v) for v in s["watch_seq"] + s["long_watch_seq"]
                                if v in videos}  # fmt: skip
            pairs["LIKED"] |= {(user, v) for v in s["like_seq"] if v in videos}
            events["sequences:like"] += sum(1 for v in s["like_seq"] if v in videos)
            events["sequences:view"] += sum(1 for v in s["watch_seq"] if v in videos)
    relationship_of = {"like": "LIKED", "share": "SHARED", "comment": "COMMENTED",
                       "not_interested": "NOT_INTERESTED"}  # fmt: skip
    for name in split_names:
        if name not in parts:
            continue
        seen: set[tuple[int, int, int]] = set()
        flagged: dict[str, set[tuple[int, int, int]]] = {kind: set() for kind in FLAGS.values()}
        for row in splits[name]:
            user, video, at = row["user_id"], row["video_id"], row["time_ms"]
            if video not in videos:
                continue
            if (user, video, at) not in seen:  # a row logged twice is one event
                seen.add((user, video, at))
                watch_ms += row["play_time_ms"]
            pairs["VIEWED"].add((user, video))
            for flag, kind in FLAGS.items():
                if row[flag]:
                    flagged[kind].add((user, video, at))
                    if kind == "follow":
                        follows.add((user, row["author_id"]))
                    else:
                        pairs[relationship_of[kind]].add((user, video))
        events[f"{name}:view"] += len(seen)
        for kind, keys in flagged.items():
            if keys:
                events[f"{name}:{kind}"] += len(keys)

    return {
        "nodes": {
            "User": len(users) + len(authors),  # authors are users of their own id space
            "Creator": len(authors),
            "Video": len(videos),
            "Hashtag": len(set().union(*tags.values())),
            "Sound": len(sounds),
        },
        "relationships": {
            "POSTED": len(videos),
            "TAGGED": sum(len(t) for t in tags.values()),
            "USES_SOUND": sum(1 for item in videos.values() if item["music_id"] != 0),
            **{name: len(found) for name, found in pairs.items()},
            "FOLLOWS": len(follows),
            "SKIPPED": 0,
            "SERVED": 0,
        },
        "events": dict(events),
        "watch_ms_from_rows": watch_ms,
        "sequence_views_at_most": sum(
            len(s["watch_seq"]) + len(s["long_watch_seq"]) for s in sequences
        ),
    }


def graph_totals(graph: Graph) -> dict[str, Any]:
    found = counts(graph)
    rows = graph.read("datasets/kuairand_totals")
    return {
        "nodes": {k.split(":", 1)[1]: v for k, v in found.items() if k.startswith("node:")},
        "relationships": {
            k.split(":", 1)[1]: v for k, v in found.items() if k.startswith("relationship:")
        },
        "events": {row["name"]: row["count"] for row in rows if row["kind"] == "events"},
        "counters": {row["name"]: row["count"] for row in rows if row["kind"] == "counter"},
    }


def check_against_source(got: dict[str, Any], want: dict[str, Any]) -> None:
    for section in ("nodes", "relationships"):
        for name, count in want[section].items():
            assert got[section].get(name, 0) == count, f"{section} {name}"
    assert got["nodes"].get("Event", 0) == sum(got["events"].values())
    events = dict(got["events"])
    sequence_views = events.pop("sequences:view", 0)
    wanted_events = dict(want["events"])
    wanted_sequence_views = wanted_events.pop("sequences:view", 0)
    assert events == wanted_events
    # A long watch from before the watch window adds a view of its own.
    assert wanted_sequence_views <= sequence_views <= want["sequence_views_at_most"]
    counters, rels = got["counters"], got["relationships"]
    assert counters["views"] == sum(n for k, n in got["events"].items() if k.endswith(":view"))
    assert counters["likes"] == rels.get("LIKED", 0)
    assert counters["notInterested"] == rels.get("NOT_INTERESTED", 0)
    assert counters["follows"] == counters["following"] == rels.get("FOLLOWS", 0)
    for kind, counter in (("share", "shares"), ("comment", "comments")):
        assert counters[counter] == sum(n for k, n in events.items() if k.endswith(f":{kind}"))


def test_the_smoke_sample_loads_as_its_files_say(graph: Graph, dataset: Path) -> None:
    report = import_kuairand(graph, dataset, smoke=True, batch_size=500)
    assert report.rejected == 0, report.rejections[:5]
    want = expected_graph(dataset, smoke=True, parts=("sequences", "val", "test"))
    got = graph_totals(graph)
    check_against_source(got, want)
    assert got["events"]["sequences:like"] > 0 and got["events"]["test:view"] > 0


def test_every_flag_of_the_smoke_rows_lands(graph: Graph, dataset: Path) -> None:
    parts = ("train", "val", "test")
    report = import_kuairand(graph, dataset, parts, smoke=True)
    assert report.rejected == 0, report.rejections[:5]
    want = expected_graph(dataset, smoke=True, parts=parts)
    got = graph_totals(graph)
    check_against_source(got, want)
    assert got["counters"]["watchMsSum"] == want["watch_ms_from_rows"]
    for name in ("FOLLOWS", "COMMENTED", "NOT_INTERESTED", "LIKED"):
        assert got["relationships"][name] >= 1, name


def test_importing_again_changes_nothing(graph: Graph, dataset: Path) -> None:
    first = import_kuairand(graph, dataset, smoke=True)
    before = graph_totals(graph)
    second = import_kuairand(graph, dataset, smoke=True)
    assert graph_totals(graph) == before
    assert second.loaded == 0
    for kind in ("users", "creators", "videos", "interactions"):
        assert second.by_kind(kind).already_present == first.by_kind(kind).total, kind


def test_evaluation_parts_keep_the_test_days_aside(graph: Graph, dataset: Path) -> None:
    import_kuairand(graph, dataset, ("sequences", "val"), smoke=True)
    got = graph_totals(graph)
    assert {name.split(":")[0] for name in got["events"]} == {"sequences", "val"}
    want = expected_graph(dataset, smoke=True, parts=("sequences", "val"))
    check_against_source(got, want)


def test_the_cli_loads_the_smoke_sample_and_credits_kuairand(
    graph: Graph, dataset: Path, cli_env: dict[str, str]
) -> None:
    result = CliRunner().invoke(
        app, ["import-kuairand", str(dataset), "--smoke", "--parts", "val,test"], env=cli_env
    )
    assert result.exit_code == 0, result.output
    assert "kuairand:interactions" in result.output
    assert CREDIT in " ".join(result.output.split())
    assert {name.split(":")[0] for name in graph_totals(graph)["events"]} == {"val", "test"}


def test_the_cli_names_a_bad_part(dataset: Path, cli_env: dict[str, str]) -> None:
    result = CliRunner().invoke(
        app, ["import-kuairand", str(dataset), "--parts", "sequences,train"], env=cli_env
    )
    assert result.exit_code == 2
    assert "unknown KuaiRand part" in result.output


@pytest.mark.slow
def test_the_full_dataset_loads_as_its_files_say(graph: Graph, dataset: Path) -> None:
    started = time.perf_counter()
    report = import_kuairand(graph, dataset)
    seconds = time.perf_counter() - started
    log.warning("full KuaiRand import: %d records in %.0f s", report.loaded, seconds)
    assert report.rejected == 0, report.rejections[:5]
    want = expected_graph(dataset, smoke=False, parts=("sequences", "val", "test"))
    check_against_source(graph_totals(graph), want)
