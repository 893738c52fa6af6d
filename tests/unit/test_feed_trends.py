"""Trending velocity and viral acceleration from the recent-activity sample (no database)."""

from __future__ import annotations

from typing import Any

from graph.feed.trends import HOUR_MS, RecentActivity, TrendParams, trending, viral

NOW = 1_000 * HOUR_MS
PARAMS = TrendParams()


def video(vid: str, types: list[str], **fields: Any) -> dict[str, Any]:
    base = {"windowStart": NOW - 3 * HOUR_MS, "sampled": 100, "videoCount": 100,
            "videoId": vid, "types": types, "createdAt": NOW - 500 * HOUR_MS,
            "hashtags": [{"name": "misc", "videos": 50}], "soundId": None}  # fmt: skip
    return {**base, **fields}


def activity(*videos: dict[str, Any]) -> RecentActivity:
    return RecentActivity.from_records(NOW, list(videos))


def test_a_sudden_burst_on_an_old_video_trends() -> None:
    burst = video("burst", ["like"] * 10, likes=10)
    steady = video("steady", ["view"] * 3, views=500)
    hits = trending(activity(burst, steady), PARAMS, 10)
    assert [hit.video_id for hit in hits] == ["burst"]
    reason = hits[0].reason
    assert reason["kind"] == "video" and reason["events"] == 10 and reason["hours"] == 3.0
    assert reason["lift"] > 10


def test_a_hashtag_over_its_catalogue_share_carries_its_videos() -> None:
    # #rare is on 1 of 100 videos but has most of the sampled events.
    rows = [
        video(f"r{i}", ["view"] * 2, views=200, hashtags=[{"name": "rare", "videos": 1}])
        for i in range(3)
    ]
    hits = trending(activity(*rows), PARAMS, 10)
    assert hits and all(hit.reason["kind"] == "hashtag" for hit in hits)
    assert hits[0].reason["name"] == "rare"


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


def test_limit_keeps_the_best() -> None:
    rows = [video(f"v{i}", ["like"] * (i + 2), likes=i + 2) for i in range(5)]
    assert [hit.video_id for hit in trending(activity(*rows), PARAMS, 2)] == ["v4", "v3"]
