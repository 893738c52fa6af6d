"""Trending and viral scores from samples of the newest events (pure; no database).

``feed/recent_activity`` reads, per event type, the newest events before *now*, and
groups them by video. Each type's sample spans its own window (a busy type covers
minutes, a rare one hours), so everything below works with *rates*: events per hour
of that type's window.

* **trending** -- engagement *velocity* beats the baseline: a video's weighted
  engagement rate now against its lifetime average rate; a hashtag's or sound's
  share of the current engagement against its share of the catalogue. A video trends
  on its own lift or on its best tag's.
* **viral** -- the engagement *rate among impressions* accelerates: completes,
  likes, comments and shares per recent impression against the rate before the
  window (both smoothed, so three lucky impressions are not a trend).
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
#: Event types sampled (a complete is a kind of view, sampled with the views).
SAMPLED_TYPES = ("view", "like", "comment", "share", "impression")


def _sampled_as(kind: str) -> str:
    return "view" if kind == "complete" else kind


@dataclass(frozen=True)
class TrendParams:
    #: Shortest window a rate is measured over (a burst within a second is not a rate).
    min_window_ms: int = HOUR_MS
    #: A video, hashtag or sound trends when its velocity beats the baseline this much.
    min_lift: float = 1.5
    #: Viral: recent engagement rate over the rate before must exceed this.
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
    def lifetime_engagement(self) -> float:
        # The same weights as the recent rate: a complete is a view plus one more.
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
    #: Per sampled type: how far back its sample reaches (ms) and how many events it holds.
    windows: Mapping[str, tuple[int, int]]
    video_count: int
    videos: tuple[VideoActivity, ...]

    @classmethod
    def from_records(
        cls, now: int, records: Sequence[Mapping[str, Any]], params: TrendParams | None = None
    ) -> RecentActivity:
        params = params or TrendParams()
        if not records:
            return cls(now, {}, 0, ())
        windows = {
            window["type"]: (max(now - int(window["oldest"]), params.min_window_ms),
                             int(window["events"]))
            for window in records[0]["windows"]
            if window.get("events")
        }  # fmt: skip
        return cls(
            now=now,
            windows=windows,
            video_count=int(records[0]["videoCount"]),
            videos=tuple(VideoActivity.from_record(record) for record in records),
        )

    def hours(self, kind: str) -> float:
        window = self.windows.get(_sampled_as(kind))
        return window[0] / HOUR_MS if window else 0.0

    def rate(self, kind: str, count: int) -> float:
        """``count`` events of ``kind`` as events per hour of that type's window."""
        hours = self.hours(kind)
        return count / hours if hours > 0 else 0.0

    def engagement_rate(self, counts: Counter[str]) -> float:
        """Weighted engagement per hour."""
        return sum(
            weight * self.rate(kind, counts[kind]) for kind, weight in ENGAGEMENT_WEIGHTS.items()
        )

    @property
    def engagement_hours(self) -> float:
        """The longest window among the engagement samples (for explanations)."""
        return max((self.hours(kind) for kind in ENGAGEMENT_WEIGHTS), default=0.0)


def _tag_lifts(activity: RecentActivity) -> dict[tuple[str, str], tuple[float, int]]:
    """(kind, name) -> (lift, sampled engagements) for every hashtag and sound sampled:
    its share of the current engagement rate against its share of the catalogue."""
    rate: dict[tuple[str, str], float] = {}
    events: Counter[tuple[str, str]] = Counter()
    catalogue: dict[tuple[str, str], int] = {}
    for video in activity.videos:
        video_rate = activity.engagement_rate(video.counts)
        keys = [(("hashtag", name), videos) for name, videos in video.hashtags]
        if video.sound_id is not None:
            keys.append((("sound", video.sound_id), video.sound_videos))
        for key, videos in keys:
            rate[key] = rate.get(key, 0.0) + video_rate
            events[key] += video.engagements
            catalogue[key] = videos
    total_rate = sum(activity.engagement_rate(v.counts) for v in activity.videos)
    total_events = sum(v.engagements for v in activity.videos)
    if total_rate <= 0:
        return {}
    # One sampled engagement's worth of share smooths tags seen once or twice.
    smoothing = 1.0 / max(total_events, 1)
    lifts = {}
    for key, value in rate.items():
        expected = catalogue[key] / max(activity.video_count, 1)
        lifts[key] = ((value / total_rate + smoothing) / (expected + smoothing), events[key])
    return lifts


def trending(activity: RecentActivity, params: TrendParams, limit: int) -> list[SourceHit]:
    tag_lifts = _tag_lifts(activity)
    hours = round(activity.engagement_hours, 1)
    hits: list[SourceHit] = []
    for video in activity.videos:
        velocity = activity.engagement_rate(video.counts)
        if velocity <= 0:
            continue
        age_hours = max(activity.now - video.created_at, params.min_window_ms) / HOUR_MS
        baseline = video.lifetime_engagement / age_hours
        best: tuple[float, dict[str, Any]] = (
            (velocity + 1.0) / (baseline + 1.0),
            {"kind": "video", "events": video.engagements},
        )
        keys = [("hashtag", name) for name, _ in video.hashtags]
        if video.sound_id is not None:
            keys.append(("sound", video.sound_id))
        for kind, name in keys:
            lift, events = tag_lifts.get((kind, name), (0.0, 0))
            if lift > best[0]:
                reason: dict[str, Any] = {"kind": kind, "name": name, "events": events}
                if kind == "sound":
                    reason["title"] = video.sound_title
                best = (lift, reason)
        lift, reason = best
        if lift < params.min_lift:
            continue
        reason.update(lift=round(lift, 2), hours=hours)
        hits.append(SourceHit(video.video_id, "trending", math.log1p(velocity) * lift, reason))
    hits.sort(key=lambda hit: (-hit.score, hit.video_id))
    return hits[:limit]


def viral(activity: RecentActivity, params: TrendParams, limit: int) -> list[SourceHit]:
    hits: list[SourceHit] = []
    for video in activity.videos:
        counts = video.counts
        # Impressions when the data has them, else views stand in for them.
        shown = "impression" if counts["impression"] else "view"
        impressions = counts["impression"] or counts["view"] + counts["complete"]
        if impressions < params.min_impressions:
            continue
        # Engagements over the impression window, from their own (different) windows.
        shown_hours = activity.hours(shown)
        engaged = sum(activity.rate(kind, counts[kind]) * shown_hours for kind in ENGAGING)
        sampled_engagements = sum(counts[kind] for kind in ENGAGING)
        # The rate before the window (lifetime counters minus the sample), smoothed
        # towards a typical rate so a video with no past still has a baseline.
        before_engaged = max(
            0, video.likes + video.shares + video.comments + video.completes - sampled_engagements
        )
        before_impressions = max(0, max(video.impressions, video.views) - impressions)
        before_rate = (before_engaged + params.prior_rate * params.prior_strength) / (
            before_impressions + params.prior_strength
        )
        recent_rate = (engaged + params.rate_strength * before_rate) / (
            impressions + params.rate_strength
        )
        acceleration = recent_rate / before_rate
        if acceleration < params.min_acceleration or sampled_engagements == 0:
            continue
        reason = {
            "recentRate": round(min(1.0, engaged / impressions), 3),
            "beforeRate": round(before_rate, 3),
            "impressions": impressions,
            "acceleration": round(acceleration, 2),
        }
        score = acceleration * math.log1p(sampled_engagements)
        hits.append(SourceHit(video.video_id, "viral", score, reason))
    hits.sort(key=lambda hit: (-hit.score, hit.video_id))
    return hits[:limit]
