"""Fold-in, dimension changes and the CLI on a real Neo4j (each test starts from an
empty database and plants a small graph through the ingestion API)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from graph.cli import app
from graph.db import AsyncGraph, Graph
from graph.embed import (
    EmbedOptions,
    fold_in_missing,
    fold_in_new_videos,
    fold_in_user,
    fold_in_user_async,
    fold_in_video,
    latest_run,
    nearest_videos_for_user,
    run_embedding,
    similar_videos,
)
from graph.embed.nodes import NodeKind
from graph.embed.store import VECTOR_INDEXES, coverage
from graph.errors import ClientError
from graph.evaluate.toy import write_import_folder
from graph.feed import FeedConfig, FeedEngine, FeedRequest
from graph.feed.config import Budgets
from graph.ingest import import_records

DAY = 86_400_000
START = 1_700_000_000_000
TOPICS = ("cats", "cars", "cake")
OPTIONS = EmbedOptions(dimensions=16, walk_length=20, walks_per_node=10, seed=3)
#: Walks long enough to pull the three communities well apart in a world this small.
SEPARATED = replace(OPTIONS, walk_length=40, walks_per_node=30, epochs=3)


def _community_records(
    users_per_topic: int = 12, videos_per_topic: int = 10
) -> dict[str, list[dict[str, object]]]:
    """Three planted communities: users watch and like videos of their own topic."""
    rng = np.random.default_rng(5)
    users, creators, videos, events = [], [], [], []
    for t, topic in enumerate(TOPICS):
        creator = f"c_{topic}"
        creators.append({"id": creator, "name": creator, "createdAt": START})
        for v in range(videos_per_topic):
            videos.append({
                "id": f"v_{topic}_{v}", "creatorId": creator, "createdAt": START + t,
                "durationMs": 20_000, "hashtags": [topic], "soundId": f"s_{topic}",
            })  # fmt: skip
        for u in range(users_per_topic):
            user = f"u_{topic}_{u}"
            users.append({"id": user, "name": user, "createdAt": START})
            for v in rng.choice(videos_per_topic, size=min(5, videos_per_topic), replace=False):
                video = f"v_{topic}_{v}"
                at = START + DAY + len(events)
                events.append({"eventId": f"e{len(events)}", "type": "view", "userId": user,
                               "videoId": video, "watchMs": 19_000, "at": at})  # fmt: skip
                if rng.random() < 0.5:
                    events.append({"eventId": f"e{len(events)}", "type": "like", "userId": user,
                                   "videoId": video, "at": at + 1})  # fmt: skip
    return {"users": users, "creators": creators, "videos": videos, "interactions": events}


def _newcomer(user: str, topic: str, videos: int = 4) -> dict[str, list[dict[str, object]]]:
    events: list[dict[str, object]] = [
        {
            "eventId": f"{user}-{v}",
            "type": "view",
            "userId": user,
            "videoId": f"v_{topic}_{v}",
            "watchMs": 20_000,
            "at": START + 2 * DAY + v,
        }
        for v in range(videos)
    ]
    return {"users": [{"id": user, "name": user, "createdAt": START + 2 * DAY}],
            "interactions": events}  # fmt: skip


def _vector_of(graph: Graph, label: str, node_id: str) -> np.ndarray:
    for row in graph.read("embed/dump_vectors"):
        if row["id"] == node_id and label in row["labels"]:
            return np.asarray(row["embedding"])
    raise AssertionError(f"{label} {node_id} has no vector")


def _cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


@pytest.fixture
def planted(graph: Graph) -> Graph:
    import_records(graph, _community_records())
    run_embedding(graph, OPTIONS)
    return graph


def test_fold_in_places_a_new_user_near_what_they_watched(planted: Graph) -> None:
    import_records(planted, _newcomer("newbie", "cars"))
    vector = fold_in_user(planted, "newbie")
    assert vector is not None and len(vector) == OPTIONS.dimensions
    folded = np.asarray(vector)
    watched = [_cosine(folded, _vector_of(planted, "Video", f"v_cars_{v}")) for v in range(4)]
    others = [_cosine(folded, _vector_of(planted, "Video", f"v_cats_{v}")) for v in range(4)]
    assert min(watched) > 0.5
    assert min(watched) > max(others)
    # The trained users of that community are its nearest users too.
    same = _cosine(folded, _vector_of(planted, "User", "u_cars_0"))
    other = _cosine(folded, _vector_of(planted, "User", "u_cake_0"))
    assert same > other


async def test_the_async_fold_in_agrees(planted: Graph) -> None:
    from graph.db import AsyncGraph

    import_records(planted, _newcomer("newbie", "cake"))
    async_graph = AsyncGraph(planted.conn)
    try:
        folded = await fold_in_user_async(async_graph, "newbie")
    finally:
        await async_graph.close()
    assert folded == pytest.approx(fold_in_user(planted, "newbie"))


def test_skips_and_not_interested_do_not_pull_a_newcomer_in(planted: Graph) -> None:
    records = _newcomer("picky", "cats", videos=3)
    records["interactions"] += [
        {"eventId": "p-skip", "type": "skip", "userId": "picky", "videoId": "v_cars_1",
         "watchMs": 500, "at": START + 3 * DAY},
        {"eventId": "p-ni", "type": "not_interested", "userId": "picky", "videoId": "v_cake_1",
         "at": START + 3 * DAY + 1},
    ]  # fmt: skip
    import_records(planted, records)
    with_negatives = np.asarray(fold_in_user(planted, "picky"))
    only_cats = _vector_of(planted, "Video", "v_cats_0")
    assert _cosine(with_negatives, only_cats) > 0.5
    assert _cosine(with_negatives, _vector_of(planted, "Video", "v_cars_1")) < _cosine(
        with_negatives, only_cats
    )


def test_nobody_to_fold_from_means_no_vector(planted: Graph) -> None:
    import_records(planted, {"users": [{"id": "lurker", "name": "lurker"}]})
    assert fold_in_user(planted, "lurker") is None
    assert fold_in_user(planted, "no-such-user") is None
    assert nearest_videos_for_user(planted, "lurker") == []


def test_fold_in_missing_stores_vectors_the_index_can_use(planted: Graph) -> None:
    import_records(planted, _newcomer("newbie", "cats"))
    import_records(planted, {"videos": [{
        "id": "v_cats_new", "creatorId": "c_cats", "createdAt": START + 3 * DAY,
        "durationMs": 15_000, "hashtags": ["cats"], "soundId": "s_cats",
    }]})  # fmt: skip
    assert fold_in_video(planted, "v_cats_new") is not None
    run = latest_run(planted)
    assert run is not None
    stored = fold_in_missing(planted, run.id, run.dimensions)
    assert stored[NodeKind.USER] == 1 and stored[NodeKind.VIDEO] == 1
    covered = coverage(planted)
    assert covered[NodeKind.USER][0] == covered[NodeKind.USER][1]
    assert covered[NodeKind.VIDEO][0] == covered[NodeKind.VIDEO][1]
    near = similar_videos(planted, "v_cats_new", k=5)
    assert sum(hit.id.startswith("v_cats_") for hit in near) >= 4
    nearest = nearest_videos_for_user(planted, "newbie", k=5)
    assert nearest and all(hit.id.startswith("v_cats_") for hit in nearest[:3])
    watched = {f"v_cats_{v}" for v in range(4)}
    assert not watched & {hit.id for hit in nearest}
    assert fold_in_missing(planted, run.id, run.dimensions) == {
        NodeKind.USER: 0, NodeKind.VIDEO: 0, NodeKind.CREATOR: 0,
    }  # fmt: skip


def test_a_new_dimension_rebuilds_the_indexes_and_clears_nothing_it_should_keep(
    planted: Graph,
) -> None:
    report = run_embedding(planted, EmbedOptions(dimensions=8, walk_length=10, seed=3))
    indexes = {row["name"]: row for row in planted.read("embed/vector_indexes")}
    assert {indexes[name]["dimensions"] for name in report.indexes} == {8}
    assert len(_vector_of(planted, "Video", "v_cake_0")) == 8
    assert len(similar_videos(planted, "v_cake_0", k=3)) == 3


def test_vectors_of_nodes_that_lost_their_edges_are_cleared(graph: Graph) -> None:
    records = _community_records()
    records["users"].append({"id": "fan", "name": "fan", "createdAt": START})
    records["follows"] = [{"userId": "fan", "creatorId": "c_cake", "at": START}]
    import_records(graph, records)
    run_embedding(graph, OPTIONS)
    assert len(_vector_of(graph, "User", "fan")) == OPTIONS.dimensions
    unfollow = {"eventId": "unf", "type": "unfollow", "userId": "fan", "creatorId": "c_cake",
                "at": START + 5 * DAY}  # fmt: skip
    import_records(graph, {"interactions": [unfollow]})
    report = run_embedding(graph, OPTIONS)
    assert report.cleared == 1
    with pytest.raises(AssertionError, match="no vector"):
        _vector_of(graph, "User", "fan")


def test_an_empty_graph_is_a_clear_error(graph: Graph) -> None:
    with pytest.raises(ClientError, match="nothing to embed"):
        run_embedding(graph, OPTIONS)


def test_similarity_without_vectors_is_empty_and_without_index_says_to_run_embed(
    graph: Graph,
) -> None:
    for index in VECTOR_INDEXES:  # wiping keeps the schema: drop what earlier tests built
        graph.write("embed/drop_index", indexName=index.name)
    import_records(graph, _community_records(users_per_topic=2, videos_per_topic=2))
    assert similar_videos(graph, "v_cats_0") == []
    assert nearest_videos_for_user(graph, "u_cats_0") == []
    run_embedding(graph, OPTIONS)
    graph.write("embed/drop_index", indexName="video_embedding")
    with pytest.raises(ClientError, match="fyp embed"):
        similar_videos(graph, "v_cats_0")


def _new_video(video: str, topic: str) -> dict[str, list[dict[str, object]]]:
    """A video nobody has seen, from a new creator, with a topic's hashtag and sound."""
    creator = {"id": "c_newcomer", "name": "c_newcomer", "createdAt": START + DAY}
    posted = {"id": video, "creatorId": "c_newcomer", "createdAt": START + DAY,
              "durationMs": 15_000, "hashtags": [topic], "soundId": f"s_{topic}"}  # fmt: skip
    return {"creators": [creator], "videos": [posted]}


async def test_a_published_video_reaches_the_viewers_its_hashtag_and_sound_lead_to(
    planted: Graph,
) -> None:
    run_embedding(planted, SEPARATED)
    import_records(planted, _new_video("v_new", "cake"))
    assert fold_in_new_videos(planted, ["v_new"]) == 1
    assert fold_in_new_videos(planted, ["no-such-video"]) == 0
    config = FeedConfig(budgets=Budgets(required_s=60.0, non_personal_s=30.0))
    async_graph = AsyncGraph(planted.conn)
    try:
        engine = FeedEngine(async_graph, config)
        pages = {
            user: await engine.feed(FeedRequest(user_id=user, first=30, record_impressions=False))
            for user in [f"u_{topic}_{n}" for topic in TOPICS for n in range(4)]
        }
    finally:
        await async_graph.close()

    def position(user: str) -> int:
        """Where v_new sits in the viewer's feed (it has no views: only its vector and
        its being new can place it)."""
        ids = [item.video_id for item in pages[user].items]
        return ids.index("v_new") if "v_new" in ids else len(ids)

    cake = [position(f"u_cake_{n}") for n in range(4)]
    others = [position(f"u_{topic}_{n}") for topic in ("cats", "cars") for n in range(4)]
    # Earlier for every cake viewer than for anyone else, in the first half of their feed.
    assert max(cake) < min(others), (cake, others)
    assert all(at < len(pages[f"u_cake_{n}"].items) / 2 for n, at in enumerate(cake)), cake
    item = next(i for i in pages["u_cake_0"].items if i.video_id == "v_new")
    assert {"fresh", "embedding"} <= set(item.sources)


def test_first_viewers_refresh_a_folded_in_video_until_the_next_run(planted: Graph) -> None:
    run_embedding(planted, SEPARATED)
    import_records(planted, _new_video("v_new", "cake"))
    assert fold_in_new_videos(planted) == 1
    cake = _vector_of(planted, "Video", "v_cake_0")
    cats = _vector_of(planted, "Video", "v_cats_0")
    before = _vector_of(planted, "Video", "v_new")
    assert _cosine(before, cake) > _cosine(before, cats)
    # Its first audience turns out to be the cat people: the next fold-in follows them.
    events = [
        {"eventId": f"first-{n}-{kind}", "type": kind, "userId": f"u_cats_{n}",
         "videoId": "v_new", "at": START + 2 * DAY + n, "watchMs": 15_000}
        for n in range(12) for kind in ("view", "like")
    ]  # fmt: skip
    import_records(planted, {"interactions": events})
    assert fold_in_new_videos(planted) == 0  # nothing new without a vector...
    after = _vector_of(planted, "Video", "v_new")  # ...but v_new was folded again
    assert _cosine(after, cats) > _cosine(before, cats) + 0.1
    marked = planted.read("embed/folded_videos", after="", batchSize=10)
    assert [row["id"] for row in marked] == ["v_new"]
    # A full run trains it like any other video: no longer a folded-in vector.
    run_embedding(planted, OPTIONS)
    assert planted.read("embed/folded_videos", after="", batchSize=10) == []


def test_cli_embeds_and_folds_in(graph: Graph, cli_env: dict[str, str], tmp_path: Path) -> None:
    import_records(graph, _community_records(users_per_topic=4, videos_per_topic=4))
    runner = CliRunner()
    result = runner.invoke(
        app, ["embed", "--dimensions", "8", "--walk-length", "10", "--walks-per-node", "4"],
        env=cli_env,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "total" in result.output and "vector indexes" in result.output
    import_records(graph, _newcomer("newbie", "cats", videos=2))
    folded = runner.invoke(app, ["embed", "--fold-in"], env=cli_env)
    assert folded.exit_code == 0, folded.output
    assert "1 users" in folded.output
    # An import of new videos into an embedded graph gives them vectors at once.
    folder = write_import_folder(_new_video("v_new", "cats"), tmp_path / "new")
    imported = runner.invoke(app, ["import", str(folder)], env=cli_env)
    assert imported.exit_code == 0, imported.output
    assert "gave 1 new videos a vector" in imported.output
    folded = _vector_of(graph, "Video", "v_new")
    assert len(folded) == 8
    # Its first viewers arrive in a later import: the folded-in vector follows them.
    views = [{"eventId": f"v_new-{n}", "type": "view", "userId": f"u_cake_{n}",
              "videoId": "v_new", "at": START + 2 * DAY + n, "watchMs": 15_000}
             for n in range(4)]  # fmt: skip
    later = write_import_folder({"interactions": views}, tmp_path / "views")
    assert runner.invoke(app, ["import", str(later)], env=cli_env).exit_code == 0
    assert not np.allclose(_vector_of(graph, "Video", "v_new"), folded)
    bad = runner.invoke(app, ["embed", "--p", "0"], env=cli_env)
    assert bad.exit_code == 2
    assert "p and q must be positive" in bad.output
