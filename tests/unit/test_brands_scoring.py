"""Pure parts of brand discovery: authenticity scoring, spikes, cursors, overlap sums."""

from __future__ import annotations

from typing import Any

import pytest

from graph.brands.authenticity import FLAG_MIN_FOLLOWERS, SPIKE_SCORE_CAP, assess, find_spike
from graph.brands.cursor import Cursor
from graph.brands.discover import _params, topic_words
from graph.brands.lookalike import _blend, _Evidence
from graph.brands.models import CreatorFilter, CreatorSort
from graph.brands.overlap import combine
from graph.errors import ClientError


def signals(followers: int, ghosts: int = 0, ring: int = 0, days: Any = ()) -> dict[str, Any]:
    return {
        "followers": followers, "ghosts": ghosts, "ringMembers": ring,
        "suspicious": max(ghosts, ring), "days": list(days),
    }  # fmt: skip


def day(name: str, follows: int, unengaged: int = 0, only: int = 0) -> dict[str, Any]:
    return {"day": name, "follows": follows, "unengaged": unengaged, "unengagedOnly": only}


def test_a_clean_following_scores_one() -> None:
    clean = assess(signals(40, days=[day("2024-01-02", 3)]), window_days=30)
    assert (clean.score, clean.flagged, clean.spike) == (1.0, False, None)
    assert clean.reasons == ("followers watch and engage; no follow rings or unexplained spikes",)


def test_ghost_followers_lower_the_score_and_flag_past_a_fifth() -> None:
    bought = assess(signals(100, ghosts=30), window_days=30)
    assert bought.score == 0.7 and bought.flagged
    assert bought.reasons[0] == "30 of 100 followers (30%) never watched or engaged with any video"
    assert not assess(signals(100, ghosts=10), window_days=30).flagged  # a tenth: not yet


def test_tiny_followings_are_not_flagged_on_noise() -> None:
    few = assess(signals(3, ghosts=FLAG_MIN_FOLLOWERS - 4), window_days=30)
    assert few.score == pytest.approx(2 / 3, abs=1e-4) and not few.flagged


def test_rings_are_reported() -> None:
    ring = assess(signals(10, ghosts=6, ring=6), window_days=30)
    assert ring.flagged and any("dense follow ring" in reason for reason in ring.reasons)


def test_a_spike_of_unengaged_followers_flags_and_caps_the_score() -> None:
    # 8 follows in a day against 9 over 29 other days, none of them engaged.
    usual = [day(f"2024-01-0{n}", 3, unengaged=1) for n in (1, 2, 3)]
    days = [day("2024-01-05", 8, unengaged=8, only=0), *usual]
    spiked = assess(signals(90, ghosts=8, days=days), window_days=30)
    assert spiked.spike is not None and spiked.spike.follows == 8
    assert spiked.spike.baseline == pytest.approx(9 / 29, abs=0.01)
    assert spiked.flagged and spiked.score == SPIKE_SCORE_CAP
    assert spiked.suspicious_followers == 8  # ghosts are not counted twice


def test_unengaged_spike_followers_that_are_not_ghosts_count_as_suspicious() -> None:
    days = [day("2024-01-05", 10, unengaged=9, only=9)]
    spiked = assess(signals(50, days=days), window_days=30)
    assert spiked.suspicious_followers == 9 and spiked.score == SPIKE_SCORE_CAP


@pytest.mark.parametrize(
    ("days", "spike"),
    [
        ([day("d1", 4, unengaged=4)], False),  # too few
        ([day("d1", 8, unengaged=8), day("d2", 60)], False),  # not far above the usual
        ([day("d1", 8, unengaged=3)], False),  # most of them engaged: a viral video
        ([day("d1", 8, unengaged=5)], True),
        ([], False),
    ],
)
def test_spike_rules(days: list[dict[str, Any]], spike: bool) -> None:
    assert (find_spike(days, window_days=30) is not None) is spike


def test_cursor_round_trip_and_mismatch() -> None:
    cursor = Cursor("engagement", 0.1 + 0.2, "c:1")
    assert Cursor.decode(cursor.encode(), "engagement") == cursor
    with pytest.raises(ClientError, match="sorted by 'engagement', not 'growth'"):
        Cursor.decode(cursor.encode(), "growth")
    for garbage in ("", "%%%", "bm90IGpzb24"):
        with pytest.raises(ClientError, match="not one this API gave out"):
            Cursor.decode(garbage, "engagement")


def test_topics_become_words_and_a_safe_fulltext_query() -> None:
    assert topic_words("Street-Dance! dance") == ["street", "dance"]
    assert topic_words(None) == [] and topic_words("  ") == []
    params = _params(CreatorFilter(topic='pasta (al "dente")'), CreatorSort.ENGAGEMENT, 5, None, 0)
    assert params["topicQuery"] == "pasta OR al OR dente"
    assert _params(CreatorFilter(hashtags=("#Dance", "dance")), CreatorSort.GROWTH, 5, None, 0)[
        "hashtags"
    ] == ["dance"]


def test_overlap_from_audience_signatures() -> None:
    rows = [
        {"creators": ["a"], "users": 3},
        {"creators": ["a", "b"], "users": 2},
        {"creators": ["b", "c"], "users": 1},
        {"creators": ["c"], "users": 4},
    ]
    audiences, pairs, union = combine(["a", "b", "c"], rows)
    assert audiences == {"a": 5, "b": 3, "c": 5}
    assert [(p.creator_a, p.creator_b, p.shared) for p in pairs] == [
        ("a", "b", 2), ("a", "c", 0), ("b", "c", 1),
    ]  # fmt: skip
    assert pairs[0].jaccard == pytest.approx(2 / 6)
    assert union == 10


def test_lookalike_blend_scales_each_evidence_by_its_best() -> None:
    found = {
        x.creator_id: x
        for x in _blend(
            {
                "near": _Evidence("n", similarity=0.9, jaccard=0.05, shared=2),
                "shared": _Evidence("s", similarity=0.45, jaccard=0.1, shared=5),
                "only_audience": _Evidence("o", jaccard=0.1, shared=5),
            }
        )
    }
    assert found["near"].score == pytest.approx(0.5 * 1.0 + 0.5 * 0.5)
    assert found["shared"].score == pytest.approx(0.5 * 0.5 + 0.5 * 1.0)
    assert found["only_audience"].score == pytest.approx(0.5)
    assert found["near"].reasons == (
        "embedding similarity 0.90", "shares 2 engaged viewers (Jaccard 0.05)",
    )  # fmt: skip
    audience_only = _blend({"x": _Evidence("x", jaccard=0.2, shared=1)})
    assert audience_only[0].score == 1.0
