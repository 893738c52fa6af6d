"""The endless feed's widening steps (graph.feed.widen), over an in-memory read model."""

from __future__ import annotations

import numpy as np
from feedworld import NOW, catalogue, query, video

from graph.feed.candidate import Proposal
from graph.feed.catalogue.store import Catalogue
from graph.feed.slate import Slate
from graph.feed.viewer import Viewer
from graph.feed.widen import LONG_TAIL, RESURFACED, long_tail, page_ranking

DAY = 86_400_000


def test_the_long_tail_is_every_unseen_servable_video_best_engaging_first() -> None:
    videos = catalogue(
        video("loved", views=1000, likes=400),
        video("lucky", views=3, likes=3),  # three of three: smoothed, not ranked on luck
        video("meh", views=1000, likes=10),
        video("seen", views=1000, likes=900),
        video("removed", status="removed", views=1000, likes=900),
        video("future", createdAt=NOW + DAY, views=1000, likes=900),
        video("proposed", views=1000, likes=900),
    )
    asked = query(videos, viewer=Viewer("u1", seen=frozenset({"seen"})))
    exclude = np.array([videos.number["proposed"]], dtype=np.int64)
    tail = long_tail(asked, exclude)
    assert tail.source == LONG_TAIL
    assert [videos.ids[n] for n in tail.numbers] == ["loved", "lucky", "meh"]
    assert tail.reason(int(tail.numbers[0])) == {
        "postedAt": NOW - DAY,
        "views": 1000,
        "likes": 400,
    }


def test_the_long_tail_leaves_out_this_sessions_items_and_is_bounded() -> None:
    videos = catalogue(*(video(f"v{i}", views=10, likes=i % 7) for i in range(500)))
    asked = query(videos, served=("v6", "v13"))
    tail = long_tail(asked, np.zeros(0, dtype=np.int64))
    ids = [videos.ids[n] for n in tail.numbers]
    assert len(ids) == asked.config.sizes.max_candidates
    assert not {"v6", "v13"} & set(ids)
    assert list(tail.scores) == sorted(tail.scores, reverse=True)


def test_nothing_left_is_an_empty_proposal() -> None:
    videos = catalogue(video("only"))
    asked = query(videos, viewer=Viewer("u1", seen=frozenset({"only"})))
    assert len(long_tail(asked, np.zeros(0, dtype=np.int64))) == 0


def _slate(videos: Catalogue, unseen: list[str], again: list[str]) -> Slate:
    numbers = videos.numbers
    proposals = [
        Proposal("trending", np.array(numbers(unseen)), np.ones(len(unseen)), lambda n: {}),
        Proposal(
            RESURFACED,
            np.array(numbers(again), dtype=np.int64),
            1.0 - np.arange(len(again)) / max(1, len(again)),
            lambda n: {},
        ),
    ]
    return Slate.merge(videos, proposals, limit=100)


def test_re_served_rows_rank_below_every_unseen_one_oldest_first() -> None:
    videos = catalogue(*(video(v) for v in ("a", "b", "old", "older")))
    slate = _slate(videos, ["a", "b"], ["older", "old"])
    slate.scores = np.array([0.01 if n < 2 else 0.99 for n in slate.numbers.tolist()])
    ranking = page_ranking(slate)
    by_id = dict(zip(slate.ids, ranking.tolist(), strict=True))
    assert min(by_id["a"], by_id["b"]) > max(by_id["old"], by_id["older"]) > 0
    assert by_id["older"] > by_id["old"]


def test_without_re_served_rows_the_ranking_is_the_score() -> None:
    videos = catalogue(video("a"), video("b"))
    slate = _slate(videos, ["a", "b"], [])
    slate.scores = np.array([0.3, 0.6])
    assert page_ranking(slate) is slate.scores
