"""The catalogue read model's columns (no database)."""

from __future__ import annotations

import numpy as np
from feedworld import NOW, catalogue, video

from graph.cypher import QueryLibrary
from graph.feed.catalogue.neighbours import Neighbourhood
from graph.feed.catalogue.store import ACTIVE, REMOVED, Catalogue


def test_rows_become_columns_groups_and_api_rows() -> None:
    videos = catalogue(
        video("a", views=10, likes=2, hashtags=[{"name": "dogs", "videos": 2}]),
        video("b", creator={"id": "c2", "name": "Bea", "followers": 7},
              hashtags=[{"name": "dogs"}, {"name": "cats"}], sound=None),
    )  # fmt: skip
    a, b = videos.number["a"], videos.number["b"]
    assert videos.counter(a, "views") == 10 and videos.counter(a, "likes") == 2
    assert videos.tag_names(b) == ("dogs", "cats")
    dogs = videos.tags.number["dogs"]
    assert sorted(videos.by_tag.members(dogs).tolist()) == [a, b]
    assert videos.sound_of(b) is None and videos.creator_of(b).name == "Bea"  # type: ignore[union-attr]
    row = videos.api_row("b")
    assert row is not None and row["creator"]["followers"] == 7
    assert row["hashtags"] == ["dogs", "cats"] and row["sound"] is None
    # The API's video rows and these carry the same keys, so a feed page needs no query.
    header = QueryLibrary.default()["api/videos_by_id"].text
    for key in ("completionSum", "notInterested", "hashtagRows", "creatorId"):
        assert key in row and key in header


def test_a_changed_row_moves_between_groups() -> None:
    videos = catalogue(video("a"))
    before = videos.version
    videos.upsert_videos([video("a", hashtags=[{"name": "cats"}], creator={"id": "c9"})])
    number = videos.number["a"]
    assert videos.by_tag.members(videos.tags.number["dogs"]).size == 0
    assert videos.by_tag.members(videos.tags.number["cats"]).tolist() == [number]
    assert videos.by_creator.members(videos.creators.number["c1"]).size == 0
    assert videos.version > before
    unchanged = videos.version
    videos.upsert_videos([video("a", hashtags=[{"name": "cats"}], creator={"id": "c9"})])
    assert videos.version == unchanged  # the same row again changes nothing


def test_newest_reads_the_time_window_newest_first() -> None:
    videos = catalogue(*(video(f"v{i}", createdAt=NOW - i * 1000) for i in range(10)))
    newest = [videos.ids[n] for n in videos.newest(NOW - 5000, NOW, limit=3)]
    assert newest == ["v0", "v1", "v2"]
    videos.upsert_videos([video("late", createdAt=NOW - 2500)])  # inserted in order
    assert [videos.ids[n] for n in videos.newest(NOW - 3000, NOW - 1500, 5)] == ["v2", "late"]


def test_removed_and_deleted_videos_stop_being_servable() -> None:
    videos = catalogue(video("a"), video("b"))
    videos.upsert_videos([video("a", status="removed")])
    videos.remove_videos(["b", "unknown"])
    assert videos.status[videos.number["a"]] == REMOVED
    assert videos.status[videos.number["b"]] == REMOVED
    assert videos.api_row("a") is None
    videos.upsert_videos([video("a")])
    assert videos.status[videos.number["a"]] == ACTIVE


def test_vectors_of_a_new_space_replace_the_old_ones() -> None:
    videos = catalogue(video("a", embedding=[1.0, 0.0]), video("b", embedding=[0.0, 1.0]))
    assert videos.vector(videos.number["a"]).tolist() == [1.0, 0.0]  # type: ignore[union-attr]
    videos.upsert_videos([video("a", embedding=[1.0, 0.0, 0.0])])
    assert videos.vector(videos.number["b"]) is None  # another space: dropped
    videos.upsert_videos([video("a", embedding=None)], vectors=False)
    assert videos.vector(videos.number["a"]) is not None  # rows without vectors keep them


def test_memory_grows_linearly_with_the_videos() -> None:
    def size(count: int) -> float:
        found = Catalogue()
        found.upsert_videos(video(f"video-{i:07d}", caption=f"caption {i}") for i in range(count))
        return found.memory().bytes / count

    small, large = size(4_000), size(32_000)
    assert large < small * 1.2  # per-video cost does not grow with the catalogue


def test_the_neighbour_walk_sums_weighted_scores() -> None:
    lists = [[(1, 0.5, 3), (2, 0.2, 1)], [(2, 1.0, 4)], []]
    for size in (3, 100_000):  # dense and sparse accumulation agree
        padded = lists + [[] for _ in range(size - 3)]
        walk = Neighbourhood.from_lists(padded).walk(np.array([0, 1]), np.array([2.0, 1.0]))
        assert walk.videos.tolist() == [1, 2]
        assert np.allclose(walk.scores, [1.0, 0.4 + 1.0])
        assert walk.detail(1) == (3, 0) and walk.detail(2) == (4, 1)
