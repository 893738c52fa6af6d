"""The offline bulk path leaves the graph the online path leaves, to the last property.

One world, with every kind of event and every rule that depends on order (likes and
unlikes, stale unfollows, not-interested of each target, impressions whose latest
request wins, rejects and repeats), is loaded online into the session's database and
offline into a fresh server, in small batches so that pairs merge across batches.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from graph.config import Settings
from graph.db import Connection, Graph
from graph.errors import ClientError
from graph.ingest import ImportReport, import_records
from graph.ingest.offline_load import load_offline
from graph.local_neo4j import LocalNeo4j, throwaway_server
from graph.schema import counts
from graph.synth import WorldSpec, generate_world

BATCH = 64
T0 = 1_780_000_000_000


def world() -> dict[str, list[dict[str, Any]]]:
    records = {
        kind: list(rows)
        for kind, rows in generate_world(WorldSpec(users=150, videos=200, seed=7)).records().items()
    }
    videos = records["videos"]
    user, other = records["users"][0]["id"], records["users"][1]["id"]
    creator = records["creators"][0]["id"]
    video, second = videos[0]["id"], videos[1]["id"]
    tag, sound = videos[0]["hashtags"][0], videos[0]["soundId"]
    follow = next(row for row in records["follows"] if row.get("at"))
    crafted: list[dict[str, Any]] = [
        # Impressions of one pair over several batches, newest first: the latest wins.
        *({"eventId": f"x-imp-{i}", "type": "impression", "userId": user, "videoId": video,
           "at": T0 + (150 - i) * 1000, "requestId": None if i % 3 else f"r{i}"}
          for i in range(150)),
        # Like, unlike, like again; an unlike of nothing.
        {"eventId": "x-l1", "type": "like", "userId": other, "videoId": second, "at": T0 + 1},
        {"eventId": "x-l2", "type": "unlike", "userId": other, "videoId": second, "at": T0 + 2},
        {"eventId": "x-l3", "type": "like", "userId": other, "videoId": second, "at": T0 + 3},
        {"eventId": "x-l4", "type": "unlike", "userId": user, "videoId": second, "at": T0 + 4},
        # Follow from a video, a stale unfollow (older than the follow), a real one.
        {"eventId": "x-f1", "type": "follow", "userId": other, "creatorId": creator,
         "videoId": video, "at": T0 + 10},
        {"eventId": "x-f2", "type": "unfollow", "userId": other, "creatorId": creator,
         "at": T0 + 5},
        {"eventId": "x-f3", "type": "unfollow", "userId": user, "creatorId": creator,
         "at": T0 + 11},
        # Not interested in each kind of target, twice (the first time wins).
        *({"eventId": f"x-n-{field}-{i}", "type": "not_interested", "userId": other,
           field: value, "at": T0 + 20 + i}
          for field, value in (("hashtag", tag), ("soundId", sound), ("creatorId", creator),
                               ("videoId", video)) for i in range(2)),
        # An unfollow older than the follows row it would end: it leaves the follow.
        {"eventId": "x-f4", "type": "unfollow", "userId": follow["userId"],
         "creatorId": follow["creatorId"], "at": follow["at"] - 1},
        # Rejects and a repeat.
        {"eventId": "x-bad", "type": "view", "userId": user, "videoId": "no-such-video",
         "at": T0, "watchMs": 10},
        {"eventId": "x-l1", "type": "like", "userId": user, "videoId": video, "at": T0 + 9},
    ]  # fmt: skip
    records["interactions"] = records["interactions"] + crafted
    return records


def fingerprint(graph: Graph) -> dict[str, Any]:
    """Every node, relationship and Event with every property, exactly (no rounding);
    ``changedAt`` only as present or not: it is the database's clock."""

    def facts(properties: dict[str, Any]) -> str:
        text = repr(sorted(properties.items()))
        return re.sub(r"\('changedAt', \d+\)", "('changedAt', <time>)", text)

    return {
        # Labels and types in use (a database keeps those of nodes deleted before at 0).
        "counts": {name: n for name, n in counts(graph).items() if n},
        "nodes": sorted(
            repr((sorted(row["labels"]), row["key"], facts(row["properties"])))
            for row in graph.read("ingest/state_nodes")
        ),
        "relationships": sorted(
            repr((row["type"], row["start"], row["end"], facts(row["properties"])))
            for row in graph.read("ingest/state_relationships")
        ),
        "events": sorted(facts(row["properties"]) for row in graph.read("ingest/state_events")),
    }


def outcome(report: ImportReport) -> list[tuple[str, int, int, int]]:
    return [(name, c.loaded, c.rejected, c.already_present) for name, c in report.files.items()] + [
        (r.file, r.line, 0, 0) for r in report.rejections
    ]


def connection_of(server: LocalNeo4j) -> Connection:
    return Connection(server.uri, "neo4j", server.password(), "neo4j", 120.0)


@pytest.fixture(scope="module")
def offline_server() -> Iterator[LocalNeo4j]:
    settings = Settings()
    with throwaway_server(settings.cache, settings.neo4j_version, start=False) as server:
        yield server


def test_offline_and_online_imports_leave_the_same_graph(
    graph: Graph, offline_server: LocalNeo4j
) -> None:
    records = world()
    online = import_records(graph, records, batch_size=BATCH)
    offline = load_offline(
        offline_server, lambda target: import_records(target, records, batch_size=BATCH)
    )
    assert outcome(offline.report) == outcome(online)
    assert {r.reason for r in online.rejections} == {"unknown video 'no-such-video'"}
    with Graph(connection_of(offline_server)) as loaded:
        expected, got = fingerprint(graph), fingerprint(loaded)
        assert got["counts"] == expected["counts"]
        for part in ("nodes", "relationships", "events"):
            assert got[part] == expected[part], part
        assert offline.events == len(expected["events"])

        # Online afterwards: every event id is present, and nothing changes.
        again = import_records(loaded, records, batch_size=BATCH)
        assert again.loaded == 0
        assert fingerprint(loaded) == expected


def test_a_database_that_holds_data_is_replaced_only_when_asked(
    offline_server: LocalNeo4j,
) -> None:
    # The previous test left the world in it (or, run alone, this loads one first).
    records = {"users": [{"id": "only-one"}]}
    if not offline_server.status().running:
        load_offline(offline_server, lambda target: import_records(target, world()))
    with Graph(connection_of(offline_server)) as graph:
        before = counts(graph)
    with pytest.raises(ClientError, match=r"not empty .*--replace"):
        load_offline(offline_server, lambda target: import_records(target, records))
    with Graph(connection_of(offline_server)) as graph:
        assert counts(graph) == before
    load_offline(offline_server, lambda target: import_records(target, records), replace=True)
    with Graph(connection_of(offline_server)) as graph:
        assert [row["id"] for row in graph.read("ingest/known_users", ids=["only-one", "u0"])] == [
            "only-one"
        ]
