"""Candidate hydrators: the viewer's ties to each candidate, from the read model (no database)."""

from __future__ import annotations

import pytest
from feedworld import catalogue, query, slate, video

from graph.feed.hydrators.personal import hydrate_personal
from graph.feed.profile import build_profile
from graph.feed.viewer import Viewer


def test_affinities_follows_and_skips_per_candidate() -> None:
    videos = catalogue(
        video("seen", hashtags=[{"name": "cats"}], creator={"id": "c1"}, sound={"id": "s1"}),
        video("a", hashtags=[{"name": "dogs"}, {"name": "cats"}], creator={"id": "c1"}, sound=None),
        video("b", hashtags=[], creator={"id": "c2"}, sound={"id": "s1"}),
        video("c", hashtags=[{"name": "birds"}], creator={"id": "c3"}, sound=None),
    )
    profile = build_profile("u1", {"recent": [
        {"videoId": "seen", "at": 1, "completion": 1.0, "viewed": True, "liked": True,
         "creatorId": "c1", "soundId": "s1", "hashtags": ["cats"]},
        {"videoId": "x", "at": 2, "skipped": True, "viewed": True, "creatorId": "c3",
         "hashtags": ["birds"]},
    ]})  # fmt: skip
    request = query(videos, profile=profile, viewer=Viewer("u1", following=("c2",)))
    found = slate(videos, "a", "b", "c")
    hydrate_personal(request, found)
    columns = {name: values.tolist() for name, values in found.columns.items()}
    assert columns["creator_affinity"] == [1.0, 0.0, 0.0]
    assert columns["hashtag_affinity"] == [1.0, 0.0, 0.0]  # birds: only a skip, negative
    assert columns["sound_affinity"] == [0.0, 1.0, 0.0]
    assert columns["follows_creator"] == [0.0, 1.0, 0.0]
    assert columns["creator_skips"] == [0.0, 0.0, 1.0]
    assert "embedding_similarity" not in columns  # nobody has a vector


def test_similarity_is_the_cosine_of_viewer_and_video() -> None:
    videos = catalogue(video("a", embedding=[1.0, 0.0]), video("b", embedding=[1.0, 1.0]),
                       video("c"))  # fmt: skip
    request = query(videos)
    request.vector = videos.vectors[videos.number["a"]]  # type: ignore[index]
    found = slate(videos, "a", "b", "c")
    hydrate_personal(request, found)
    assert found.columns["embedding_similarity"].tolist() == pytest.approx([1.0, 0.7071, 0.0],
                                                                           abs=1e-4)  # fmt: skip
