"""Who is shown what, day by day: the feed impressions of the simulated period.

Each day every authentic user opens the app a random number of times (their
activity, a little more at weekends). Each impression picks a topic from the
viewer's interest mixture (or a random topic: exploration), then a video of that
topic weighted by creator reach, freshness and trends. Viral videos then take a
growing share of all impressions, whatever the viewer's interests.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graph.synth.arrays import (
    BoolArray,
    FloatArray,
    IntArray,
    Progress,
    first_occurrences,
    sample_rows,
)
from graph.synth.catalog import Catalog
from graph.synth.population import Creators, Population
from graph.synth.spec import DAY_MS, HOUR_MS, WorldSpec
from graph.synth.trends import viral_share

WEEKEND_LIFT = 1.2
#: Days 5 and 6 of every simulated week are its weekend (the world's first day is its
#: Monday). World time, not the calendar: counted from the start (the end minus the
#: days), so placing a world at another end moves every time by exactly the difference.
WEEKEND_DAYS = (5, 6)
#: Relative app use per hour of a simulated day (hours since the day began, i.e. since
#: the end's time of day): quiet nights, an evening peak in the hours before the end.
HOURLY_USE = np.array(
    [3, 2, 1, 1, 1, 1, 2, 3, 4, 4, 4, 5, 6, 5, 5, 5, 6, 7, 8, 9, 10, 9, 7, 5], dtype=np.float64
)
#: A feed rarely shows the same video twice: most repeats of a (viewer, video) pair go.
REPEAT_KEEP = 0.1


@dataclass(frozen=True)
class Impressions:
    """Served videos in time order: viewer, video, time shown."""

    user: IntArray
    video: IntArray
    at: IntArray

    def __len__(self) -> int:
        return len(self.user)

    def take(self, keep: BoolArray | IntArray) -> Impressions:
        return Impressions(self.user[keep], self.video[keep], self.at[keep])


def simulate_impressions(
    spec: WorldSpec,
    population: Population,
    creators: Creators,
    catalog: Catalog,
    rng: np.random.Generator,
    progress: Progress | None = None,
) -> Impressions:
    cumulative_interest = np.cumsum(population.mixture, axis=1)
    pools = _topic_pools(catalog, spec.topics)
    viewers = np.flatnonzero(population.activity > 0).astype(np.int64)
    reached = np.zeros((len(catalog.virals), population.size), dtype=np.bool_)
    days: list[Impressions] = []
    for day in range(spec.days):
        days.append(
            _one_day(
                spec, day, population, catalog, viewers, cumulative_interest, pools, reached, rng
            )
        )
        if progress is not None:
            progress("simulating days", day + 1, spec.days)
    users = np.concatenate([d.user for d in days])
    videos = np.concatenate([d.video for d in days])
    at = np.concatenate([d.at for d in days])
    order = np.argsort(at, kind="stable")
    served = Impressions(users[order], videos[order], at[order])
    # Creators do not watch their own posts in this world.
    served = served.take(creators.users[catalog.creator[served.video]] != served.user)
    first = first_occurrences(served.user * catalog.size + served.video)
    return served.take(first | (rng.random(len(served)) < REPEAT_KEEP))


def _topic_pools(catalog: Catalog, topics: int) -> list[tuple[IntArray, FloatArray]]:
    """Per topic: its videos, and how strongly each belongs (main 1, secondary 0.5)."""
    pools = []
    for topic in range(topics):
        members = np.flatnonzero((catalog.topic == topic) | (catalog.secondary == topic))
        pools.append((members, np.where(catalog.topic[members] == topic, 1.0, 0.5)))
    return pools


def _one_day(
    spec: WorldSpec,
    day: int,
    population: Population,
    catalog: Catalog,
    viewers: IntArray,
    cumulative_interest: FloatArray,
    pools: list[tuple[IntArray, FloatArray]],
    reached: BoolArray,
    rng: np.random.Generator,
) -> Impressions:
    """One day of impressions; marks in ``reached`` who has seen each viral video."""
    day_start = spec.start_ms + day * DAY_MS
    weekend = day % 7 in WEEKEND_DAYS
    sessions = rng.poisson(population.activity[viewers] * (WEEKEND_LIFT if weekend else 1.0))
    user = np.repeat(viewers, sessions)
    count = len(user)
    weight = catalog.feed_weight(day)
    if count == 0 or weight.sum() <= 0:
        return Impressions(*(np.zeros(0, dtype=np.int64) for _ in range(3)))

    explore = rng.random(count) < spec.exploration
    topic = np.where(
        explore,
        rng.integers(0, spec.topics, count),
        sample_rows(cumulative_interest, user, rng),
    )
    video = np.full(count, -1, dtype=np.int64)
    for index, (members, belonging) in enumerate(pools):
        slots = np.flatnonzero(topic == index)
        topic_weight = weight[members] * belonging
        if len(slots) and topic_weight.sum() > 0:
            video[slots] = rng.choice(members, size=len(slots), p=topic_weight / topic_weight.sum())
    # A topic with nothing posted yet: the viewer gets whatever is popular.
    empty = np.flatnonzero(video < 0)
    video[empty] = rng.choice(catalog.size, size=len(empty), p=weight / weight.sum())

    # A viral video keeps reaching people who have not seen it yet: its audience widens.
    for index, viral in enumerate(catalog.virals):
        if day >= viral.from_day:
            newcomers = np.flatnonzero(~reached[index, user])
            won = min(len(newcomers), int(rng.binomial(count, viral_share(day - viral.from_day))))
            video[rng.choice(newcomers, size=won, replace=False)] = viral.video
        reached[index, user[video == viral.video]] = True

    hour = rng.choice(24, size=count, p=HOURLY_USE / HOURLY_USE.sum())
    at = day_start + ((hour + rng.random(count)) * HOUR_MS).astype(np.int64)
    # Nobody sees a video before it is posted: move those views to later that day.
    created = catalog.created_at[video]
    early = np.flatnonzero(at <= created)
    span = day_start + DAY_MS - created[early]
    at[early] = created[early] + 1 + (rng.random(len(early)) * (span - 1)).astype(np.int64)
    return Impressions(user, video, at)
