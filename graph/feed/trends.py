"""Trending and viral scores from a sample of the newest events (pure; no database).

``feed/recent_activity`` returns the newest events grouped by video. From them:

* **trending** — engagement *velocity* beats the baseline: a video's weighted
  engagement in the sampled window against what its lifetime average predicts for a
  window that long; a hashtag's or sound's share of the sampled events against its
  share of the catalogue. A video trends on its own lift or on its best tag's.
* **viral** — the engagement *rate* among recent impressions accelerates: likes,
  shares, comments and completes per recent impression against the video's rate
  before the window (both smoothed, so three lucky impressions are not a trend).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graph.feed.candidate import SourceHit

HOUR_MS = 3_600_000

#: Weighted engagement per event type; a completed view counts twice a plain view.
ENGAGEMENT_WEIGHTS: Mapping[str, float] = {
    "view": 1.0,
    "complete": 2.0,
    "like": 3.0,
    "comment": 4.0,
    "share": 5.0,
}
#: Event types that count as engaging with an impression (viral).
ENGAGING = ("complete", "like", "comment", "share")


@dataclass(frozen=True)
class TrendParams:
    #: Shortest window velocities are measured over (a burst of events in one
    #: second is not a rate).
    min_window_ms: int = HOUR_MS
    #: A video, hashtag or sound trends when its velocity beats the baseline this much.
    min_lift: float = 1.5
    #: Viral: recent engagement rate over the lifetime rate must exceed this.
    min_acceleration: float = 1.3
    #: Viral: recent impressions needed before a rate means anything.
    min_impressions: int = 5
    #: Pseudo-impressions pulling the recent rate towards the rate before the window.
    rate_strength: float = 5.0
    #: Typical engagements per impression, and its weight in pseudo-impressions, for the
    #: rate before the window (a brand-new video is compared with this).
    prior_rate: float = 0.2
    prior_strength: float = 10.0


@dataclass(frozen=True)
class VideoActivity:
    video_id: str
    counts: Counter[str]
    created_at: int
    views: int
    likes: int
    shares: int
    comments: int
    completes: int
    impressions: int
    hashtags: tuple[tuple[str, int], ...]
    sound_id: str | None
    sound_title: str | None
    sound_videos: int

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> VideoActivity:
        return cls(
            video_id=record["videoId"],
            counts=Counter(record.get("types") or ()),
            created_at=int(record.get("createdAt") or 0),
            views=int(record.get("views") or 0),
            likes=int(record.get("likes") or 0),
            shares=int(record.get("shares") or 0),
            comments=int(record.get("comments") or 0),
            completes=int(record.get("completes") or 0),
            impressions=int(record.get("impressions") or 0),
            hashtags=tuple(
                (tag["name"], int(tag.get("videos") or 1)) for tag in record.get("hashtags") or ()
            ),
            sound_id=record.get("soundId"),
            sound_title=record.get("soundTitle"),
            sound_videos=int(record.get("soundVideos") or 1),
        )

    @property
    def engagements(self) -> int:
        """Sampled events that engage (not impressions or skips)."""
        return sum(n for kind, n in self.counts.items() if kind in ENGAGEMENT_WEIGHTS)

    @property
    def recent_engagement(self) -> float:
        return sum(ENGAGEMENT_WEIGHTS.get(kind, 0.0) * n for kind, n in self.counts.items())

    @property
    def lifetime_engagement(self) -> float:
        # The same weights as recent_engagement: a complete is a view plus one more.
        return (
            self.views * ENGAGEMENT_WEIGHTS["view"]
            + self.completes * (ENGAGEMENT_WEIGHTS["complete"] - ENGAGEMENT_WEIGHTS["view"])
            + self.likes * ENGAGEMENT_WEIGHTS["like"]
            + self.comments * ENGAGEMENT_WEIGHTS["comment"]
            + self.shares * ENGAGEMENT_WEIGHTS["share"]
        )


@dataclass(frozen=True)
class RecentActivity:
    now: int
    window_start: int
    sampled: int
    video_count: int
    videos: tuple[VideoActivity, ...]

    @classmethod
    def from_records(cls, now: int, records: Sequence[Mapping[str, Any]]) -> RecentActivity:
        if not records:
            return cls(now, now, 0, 0, ())
        first = records[0]
        return cls(
            now=now,
            window_start=int(first["windowStart"]),
            sampled=int(first["sampled"]),
            video_count=int(first["videoCount"]),
            videos=tuple(VideoActivity.from_record(record) for record in records),
        )

    def window_ms(self, params: TrendParams) -> int:
        return max(self.now - self.window_start, params.min_window_ms)


def _tag_lifts(activity: RecentActivity) -> dict[tuple[str, str], tuple[float, int]]:
    """(kind, name) -> (lift, sampled events) for every hashtag and sound in the sample."""
    events: Counter[tuple[str, str]] = Counter()
    catalogue: dict[tuple[str, str], int] = {}
    for video in activity.videos:
        n = sum(video.counts.values())
        for name, videos in video.hashtags:
            events[("hashtag", name)] += n
            catalogue[("hashtag", name)] = videos
        if video.sound_id is not None:
            events[("sound", video.sound_id)] += n
            catalogue[("sound", video.sound_id)] = video.sound_videos
    lifts: dict[tuple[str, str], tuple[float, int]] = {}
    total = max(activity.sampled, 1)
    for key, n in events.items():
        expected = total * catalogue[key] / max(activity.video_count, 1)
        lifts[key] = ((n + 1.0) / (expected + 1.0), n)
    return lifts


def trending(activity: RecentActivity, params: TrendParams, limit: int) -> list[SourceHit]:
    window = activity.window_ms(params)
    hours = window / HOUR_MS
    tag_lifts = _tag_lifts(activity)
    hits: list[SourceHit] = []
    for video in activity.videos:
        recent = video.recent_engagement
        if recent <= 0:
            continue
        age = max(activity.now - video.created_at, 1)
        expected = video.lifetime_engagement * window / max(age, window)
        best: tuple[float, dict[str, Any]] = (
            (recent + 1.0) / (expected + 1.0),
            {"kind": "video", "events": video.engagements},
        )
        titles = {video.sound_id: video.sound_title}
        keys = [("hashtag", name) for name, _ in video.hashtags]
        if video.sound_id is not None:
            keys.append(("sound", video.sound_id))
        for kind, name in keys:
            lift, events = tag_lifts[(kind, name)]
            if lift > best[0]:
                reason: dict[str, Any] = {"kind": kind, "name": name, "events": events}
                if kind == "sound":
                    reason["title"] = titles.get(name)
                best = (lift, reason)
        lift, reason = best
        if lift < params.min_lift:
            continue
        reason.update(lift=round(lift, 2), hours=round(hours, 1))
        hits.append(SourceHit(video.video_id, "trending", math.log1p(recent) * lift, reason))
    hits.sort(key=lambda hit: (-hit.score, hit.video_id))
    return hits[:limit]


def viral(activity: RecentActivity, params: TrendParams, limit: int) -> list[SourceHit]:
    hits: list[SourceHit] = []
    for video in activity.videos:
        counts = video.counts
        impressions = max(counts["impression"], counts["view"] + counts["complete"])
        if impressions < params.min_impressions:
            continue
        engaged = sum(counts[kind] for kind in ENGAGING)
        # The rate before the window (lifetime counters minus the sample), smoothed
        # towards a typical rate so a video with no past still has a baseline.
        before_engaged = max(
            0, video.likes + video.shares + video.comments + video.completes - engaged
        )
        before_impressions = max(0, max(video.impressions, video.views) - impressions)
        before_rate = (before_engaged + params.prior_rate * params.prior_strength) / (
            before_impressions + params.prior_strength
        )
        recent_rate = (engaged + params.rate_strength * before_rate) / (
            impressions + params.rate_strength
        )
        acceleration = recent_rate / before_rate
        if acceleration < params.min_acceleration or engaged == 0:
            continue
        reason = {
            "recentRate": round(engaged / impressions, 3),
            "beforeRate": round(before_rate, 3),
            "impressions": impressions,
            "acceleration": round(acceleration, 2),
        }
        hits.append(SourceHit(video.video_id, "viral", acceleration * math.log1p(engaged), reason))
    hits.sort(key=lambda hit: (-hit.score, hit.video_id))
    return hits[:limit]
