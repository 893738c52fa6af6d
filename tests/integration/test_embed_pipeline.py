"""``fyp embed`` on a real Neo4j: every kind gets a vector, the indexes answer, planted
topic communities come out as neighbourhoods, and a seed reproduces the vectors.

One synthetic world is imported and embedded once for the module (the tests here
only read it); tests that change the graph live in test_embed_foldin.py.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from graph.db import Graph, Record
from graph.embed import (
    EmbedOptions,
    EmbedReport,
    latest_run,
    nearest_videos_for_user,
    run_embedding,
    similar_creators,
    similar_videos,
)
from graph.embed.nodes import NodeKind
from graph.embed.store import VECTOR_INDEXES, coverage
from graph.errors import ClientError, NotFoundError
from graph.ingest import import_records
from graph.schema import wipe
from graph.synth import WorldSpec, generate_world

OPTIONS = EmbedOptions(dimensions=32, walk_length=30, walks_per_node=8, seed=7)


@dataclass(frozen=True)
class EmbeddedWorld:
    graph: Graph
    truth: dict[str, Any]
    report: EmbedReport


@pytest.fixture(scope="module")
def world(session_graph: Graph) -> Iterator[EmbeddedWorld]:
    wipe(session_graph)
    synthetic = generate_world(WorldSpec(users=300, videos=400, seed=11, topics=5))
    import_records(session_graph, synthetic.records())
    report = run_embedding(session_graph, OPTIONS)
    yield EmbeddedWorld(session_graph, synthetic.truth, report)
    wipe(session_graph)


def _vectors(graph: Graph) -> dict[tuple[str, str], list[float]]:
    found: dict[tuple[str, str], list[float]] = {}
    for row in graph.read("embed/dump_vectors"):
        if row["embedding"] is not None:
            found[(row["labels"][0], row["id"])] = row["embedding"]
        if row["creatorEmbedding"] is not None:
            found[("Creator", row["id"])] = row["creatorEmbedding"]
    return found


def test_every_kind_gets_vectors(world: EmbeddedWorld) -> None:
    covered = coverage(world.graph)
    for kind in NodeKind:
        _, embedded = covered[kind]
        assert embedded > 0, f"no {kind.value} has a vector"
        assert embedded == world.report.written[kind]
    # Every video and every creator in the synthetic world has edges, so all are embedded.
    assert covered[NodeKind.VIDEO][0] == covered[NodeKind.VIDEO][1]
    assert covered[NodeKind.CREATOR][0] == covered[NodeKind.CREATOR][1]
    dimensions = {len(vector) for vector in _vectors(world.graph).values()}
    assert dimensions == {OPTIONS.dimensions}


def test_run_metadata_is_stored(world: EmbeddedWorld) -> None:
    run = latest_run(world.graph)
    assert run is not None
    assert run.id == world.report.run_id
    assert (run.dimensions, run.seed, run.p, run.q) == (32, 7, OPTIONS.p, OPTIONS.q)
    assert run.status == "complete" and run.finished_at is not None
    assert run.finished_at >= run.started_at


def test_vector_indexes_are_online_with_the_run_dimension(world: EmbeddedWorld) -> None:
    rows: list[Record] = world.graph.read("embed/vector_indexes")
    found = {row["name"]: row for row in rows}
    for index in VECTOR_INDEXES:
        assert found[index.name]["state"] == "ONLINE"
        assert found[index.name]["dimensions"] == OPTIONS.dimensions


def test_similar_videos_come_from_the_same_planted_topic(world: EmbeddedWorld) -> None:
    topics = {video: about["topic"] for video, about in world.truth["videoTopics"].items()}
    chance = sum((n / len(topics)) ** 2 for n in Counter(topics.values()).values())
    precisions = []
    for video in sorted(topics)[:40]:
        hits = similar_videos(world.graph, video, k=10)
        assert len(hits) == 10
        assert video not in {hit.id for hit in hits}
        assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)
        precisions.append(sum(topics[hit.id] == topics[video] for hit in hits) / len(hits))
    precision = sum(precisions) / len(precisions)
    assert precision > 0.7, precision
    assert precision > chance + 0.3, (precision, chance)


def test_similar_creators_leave_the_creator_out(world: EmbeddedWorld) -> None:
    creator = sorted(world.truth["creators"])[0]
    hits = similar_creators(world.graph, creator, k=5)
    assert len(hits) == 5
    assert creator not in {hit.id for hit in hits}
    assert set(hit.id for hit in hits) <= set(world.truth["creators"])


def test_nearest_videos_for_a_user_lean_to_their_interests(world: EmbeddedWorld) -> None:
    interests = world.truth["userInterests"]
    topics = world.truth["topics"]
    video_topics = {video: about["topic"] for video, about in world.truth["videoTopics"].items()}
    agree = []
    for user in sorted(interests)[:30]:
        hits = nearest_videos_for_user(world.graph, user, k=10)
        if not hits:
            continue
        favourite = topics[max(range(len(topics)), key=interests[user].__getitem__)]
        agree.append(sum(video_topics[hit.id] == favourite for hit in hits) / len(hits))
    assert len(agree) >= 20
    assert sum(agree) / len(agree) > 0.5


def test_unknown_items_are_not_found_and_k_is_bounded(world: EmbeddedWorld) -> None:
    with pytest.raises(NotFoundError):
        similar_videos(world.graph, "no-such-video")
    with pytest.raises(NotFoundError):
        similar_creators(world.graph, "no-such-creator")
    with pytest.raises(NotFoundError):
        nearest_videos_for_user(world.graph, "no-such-user")
    with pytest.raises(ClientError, match="k must be"):
        similar_videos(world.graph, "v1", k=0)


def test_a_rerun_with_the_same_seed_reproduces_the_vectors(world: EmbeddedWorld) -> None:
    before = _vectors(world.graph)
    again = run_embedding(world.graph, OPTIONS)
    after = _vectors(world.graph)
    assert again.run_id != world.report.run_id
    assert again.cleared == 0
    assert after.keys() == before.keys()
    assert all(after[key] == before[key] for key in before)
