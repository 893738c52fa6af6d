"""Trends (hashtags and sounds that rise and fade) and viral videos.

A trend has a topic and a peak day: videos posted near the peak pick up its
hashtag or sound (mostly in its own topic, a little outside), and feeds boost
the videos that carry it while the trend is hot. A viral video wins a growing
share of *every* viewer's feed, whatever their interests, for a few days.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

from graph.synth.arrays import FloatArray, IntArray

#: Spread of a trend before and after its peak (days, Gaussian sigma): trends build
#: up over a few days and fade faster.
TREND_RISE_DAYS = 1.5
TREND_FADE_DAYS = 0.8
#: Chance that a video posted at the peak, in the trend's topic, joins the trend.
TREND_ADOPTION_IN_TOPIC = 0.7
#: The same chance for a video of another topic (trends spill over a little).
TREND_ADOPTION_OFF_TOPIC = 0.05
#: Feed weight multiplier of trend videos at the peak: 1 + TREND_BOOST.
TREND_BOOST = 3.0

#: Share of all impressions a viral video wins on the day it is posted...
VIRAL_FIRST_SHARE = 0.003
#: ... multiplied by this every day ...
VIRAL_GROWTH = 2.0
#: ... up to this share, after which it fades by VIRAL_FADE a day.
VIRAL_PEAK_SHARE = 0.05
VIRAL_FADE = 0.8
#: Viral videos are among those posted in the first third of the simulation.
VIRAL_WINDOW_SHARE = 1 / 3
#: Viral videos are good videos: their quality is at least this.
VIRAL_QUALITY = 0.9


@dataclass(frozen=True)
class Trend:
    kind: Literal["hashtag", "sound"]
    #: The hashtag name, or the index of the trend sound.
    hashtag: str | None
    sound: int | None
    topic: int
    peak_day: int

    def intensity(self, day: FloatArray | float) -> FloatArray:
        """0..1: how hot the trend is at (fractional) ``day`` since the start."""
        offset = np.asarray(day, dtype=np.float64) - (self.peak_day + 0.5)
        distance = offset / np.where(offset < 0, TREND_RISE_DAYS, TREND_FADE_DAYS)
        return np.asarray(np.exp(-0.5 * distance**2), dtype=np.float64)


@dataclass(frozen=True)
class Viral:
    video: int
    #: The day (since the start) it was posted and began to spread.
    from_day: int


def trend_peak_days(days: int, count: int, rng: np.random.Generator) -> IntArray:
    """Peaks inside the window with room on both sides to rise and fade where possible."""
    low = 1 if days >= 3 else 0
    high = max(low, days - 2)
    return rng.integers(low, high + 1, size=count).astype(np.int64)


def viral_share(days_since: int) -> float:
    """Share of a day's impressions a viral video wins, ``days_since`` its posting."""
    growth_days = math.log(VIRAL_PEAK_SHARE / VIRAL_FIRST_SHARE) / math.log(VIRAL_GROWTH)
    if days_since <= growth_days:
        return min(VIRAL_PEAK_SHARE, VIRAL_FIRST_SHARE * VIRAL_GROWTH**days_since)
    return float(VIRAL_PEAK_SHARE * VIRAL_FADE ** (days_since - growth_days))


def pick_virals(
    created_day: FloatArray,
    quality: FloatArray,
    reach: FloatArray,
    days: int,
    count: int,
    rng: np.random.Generator,
) -> list[Viral]:
    """Good videos of small creators (reach up to the median), posted early on: the
    classic story of a hit that comes from nowhere (and one whose growth shows)."""
    window = max(1.0, days * VIRAL_WINDOW_SHARE)
    small = reach <= np.median(reach)
    candidates = np.flatnonzero((created_day >= 0) & (created_day < window) & small)
    count = min(count, len(candidates))
    if count == 0:
        return []
    weights = quality[candidates] / quality[candidates].sum()
    chosen = np.sort(rng.choice(candidates, size=count, replace=False, p=weights))
    return [Viral(video=int(v), from_day=int(created_day[v])) for v in chosen]
