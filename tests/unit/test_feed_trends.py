"""Trending velocity and viral acceleration from the recent-activity samples (no database)."""

from __future__ import annotations

from typing import Any

import pytest

from graph.feed.trends import HOUR_MS, RecentActivity, TrendParams, trending, viral

NOW = 1_000 * HOUR_MS
PARAMS = TrendParams()
#: Every sampled type reaches back 3 hours, except shares (rare: 12 hours).
WINDOWS = [
    {"type": kind, "oldest": NOW - 3 * HOUR_MS, "events": 100}
    for kind in ("view", "like", "comment", "impression")
] + [{"type": "share", "oldest": NOW - 12 * HOUR_MS, "events": 10}]


def video(vid: str, types: list[str], **fields: Any) -> dict[str, Any]:
    base = {"windows": WINDOWS, "videoCount": 100, "videoId": vid, "types": types,
            "createdAt": NOW - 500 * HOUR_MS, "hashtags": [{"name": "misc", "videos": 100}],
            "soundId": None}  # fmt: skip
    return {**base, **fields}


def activity(*videos: dict[str, Any]) -> RecentActivity:
    return RecentActivity.from_records(NOW, list(videos))


def test_rates_use_the_window_of_each_type() -> None:
    sample = activity(video("v", ["like"] * 3 + ["share"] * 3))
    assert sample.hours("like") == 3.0 and sample.hours("share") == 12.0
    assert sample.hours("complete") == sample.hours("view")
    counts = sample.videos[0].counts
    assert sample.engagement_rate(counts) == pytest.approx(3 * 3 / 3 + 5 * 3 / 12)
    assert sample.engagement_hours == 12.0


def test_a_sudden_burst_on_an_old_video_trends() -> None:
    burst = video("burst", ["like"] * 10, likes=10)
    steady = video("steady", ["view"] * 3, views=500)
    hits = trending(activity(burst, steady), PARAMS, 10)
    assert [hit.video_id for hit in hits] == ["burst"]
    reason = hits[0].reason
    assert reason["kind"] == "video" and reason["events"] == 10 and reason["hours"] == 12.0
    assert reason["lift"] > 5


def test_impressions_alone_do_not_trend() -> None:
    assert trending(activity(video("shown", ["impression"] * 50)), PARAMS, 10) == []


def test_a_hashtag_over_its_catalogue_share_carries_its_videos() -> None:
    # #rare is on 1 of 100 videos but has all of the sampled engagement.
    rows = [
        video(f"r{i}", ["view"] * 2, views=2000, hashtags=[{"name": "rare", "videos": 1}])
        for i in range(3)
    ]
    hits = trending(activity(*rows), PARAMS, 10)
    assert hits and all(hit.reason["kind"] == "hashtag" for hit in hits)
    assert hits[0].reason["name"] == "rare" and hits[0].reason["events"] == 6


def test_empty_activity_has_no_trends() -> None:
    empty = RecentActivity.from_records(NOW, [])
    assert trending(empty, PARAMS, 10) == [] and viral(empty, PARAMS, 10) == []


def test_viral_needs_accelerating_engagement_among_enough_impressions() -> None:
    accelerating = video("hot", ["impression"] * 10 + ["like"] * 6, impressions=50, likes=6)
    steady = video("same", ["impression"] * 10 + ["like"] * 1, impressions=100, likes=10)
    too_few = video("few", ["impression"] * 2 + ["like"] * 2, impressions=2, likes=2)
    hits = viral(activity(accelerating, steady, too_few), PARAMS, 10)
    assert [hit.video_id for hit in hits] == ["hot"]
    assert hits[0].reason["impressions"] == 10
    assert hits[0].reason["recentRate"] == 0.6


def test_views_stand_in_for_impressions_when_the_data_has_none() -> None:
    hot = video("hot", ["view"] * 8 + ["like"] * 8, views=8, likes=8)
    assert [hit.video_id for hit in viral(activity(hot), PARAMS, 10)] == ["hot"]


def test_limit_keeps_the_best() -> None:
    rows = [video(f"v{i}", ["like"] * (i + 2), likes=i + 2) for i in range(5)]
    assert [hit.video_id for hit in trending(activity(*rows), PARAMS, 2)] == ["v4", "v3"]
