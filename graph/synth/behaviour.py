"""What viewers do with what they are shown, and whom they follow.

*Appeal* of an impression is the viewer's affinity to the video's topic(s)
(their interest in it relative to their favourite topic, 0..1) plus the video's
own quality, plus noise. From it:

- a **skip** (swiped away within ~3 s) is likely when appeal is low;
- a strong mismatch sometimes ends in **not_interested**;
- otherwise a **view** whose completion grows with appeal (and falls with
  length); completes (>= 95 %) of appealing videos are often rewatched;
- **likes**, then far rarer **comments** and **shares**, grow with completion;
- a **follow** of the creator comes only after the viewer completed two or more
  of that creator's videos.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graph.synth.arrays import FloatArray, IntArray, first_occurrences, sample_rows, uniform_ms
from graph.synth.catalog import Catalog
from graph.synth.events import Events, EventType
from graph.synth.population import Creators, Population
from graph.synth.spec import WorldSpec
from graph.synth.viewing import Impressions

COMPLETE = 0.95
MAX_REWATCHES = 4
#: Skip probability: SKIP_FLOOR + SKIP_SPAN * (1 - appeal) ** 2.
SKIP_FLOOR, SKIP_SPAN = 0.03, 0.6
#: Skips of videos this far from the viewer's interests may end in "not interested".
STRONG_MISMATCH = 0.15
NOT_INTERESTED_RATE = 0.08
#: Comments and shares, relative to the like probability.
COMMENT_RATIO, SHARE_RATIO = 0.25, 0.18
#: Chance that one more complete of a creator (from the second on) turns into a follow.
FOLLOW_RATE = 0.25
#: Follows each user already had before the simulation started (Poisson mean).
FOLLOWS_BEFORE = 3.0


@dataclass(frozen=True)
class FollowSnapshot:
    """The follow graph as it stood at the start: user index -> creator user index."""

    user: IntArray
    creator: IntArray
    at: IntArray

    def __len__(self) -> int:
        return len(self.user)


def affinity(
    population: Population, catalog: Catalog, user: IntArray, video: IntArray
) -> FloatArray:
    """0..1: the viewer's interest in the video's topics relative to their top topic."""
    mixture = population.mixture
    main = mixture[user, catalog.topic[video]]
    secondary = catalog.secondary[video]
    mixed = 0.7 * main + 0.3 * mixture[user, np.maximum(secondary, 0)]
    interest = np.where(secondary >= 0, mixed, main)
    return np.asarray(interest / mixture.max(axis=1)[user], dtype=np.float64)


def watch_events(
    served: Impressions,
    population: Population,
    catalog: Catalog,
    rng: np.random.Generator,
) -> Events:
    """Skips, views, not-interested, likes, comments and shares for every impression."""
    user, video, at = served.user, served.video, served.at
    duration = catalog.duration_ms[video]
    fit = affinity(population, catalog, user, video)
    appeal = np.clip(
        0.75 * fit + 0.5 * (catalog.quality[video] - 0.5) + rng.normal(0, 0.1, len(user)), 0, 1
    )

    skipped = rng.random(len(user)) < SKIP_FLOOR + SKIP_SPAN * (1 - appeal) ** 2
    skip_ms = uniform_ms(rng, 300, np.minimum(3_000, duration // 3))
    skipped_rows = np.flatnonzero(skipped)
    skips = Events.build(
        EventType.SKIP, user[skipped], at[skipped], video=video[skipped],
        watch_ms=skip_ms[skipped],
    )  # fmt: skip
    refuse = skipped_rows[
        (fit[skipped_rows] < STRONG_MISMATCH)
        & (rng.random(len(skipped_rows)) < NOT_INTERESTED_RATE)
    ]
    refused = first_occurrences(user[refuse] * catalog.size + video[refuse])
    refuse = refuse[refused]
    not_interested = Events.build(
        EventType.NOT_INTERESTED, user[refuse], at[refuse] + skip_ms[refuse] + 400,
        video=video[refuse],
    )  # fmt: skip

    watched = np.flatnonzero(~skipped)
    completion, rewatches = _completion(appeal[watched], duration[watched], rng)
    watch_ms = np.where(
        completion >= COMPLETE,
        duration[watched] * (1 + rewatches),
        np.floor(completion * duration[watched]),
    ).astype(np.int64)
    views = Events.build(
        EventType.VIEW, user[watched], at[watched], video=video[watched],
        watch_ms=watch_ms, rewatches=rewatches,
    )  # fmt: skip
    engagement = _engagement(
        views, np.minimum(completion, 1.0), appeal[watched], population.engagement, catalog, rng
    )
    return Events.concat([views, skips, not_interested, *engagement])


def _completion(
    appeal: FloatArray, duration_ms: IntArray, rng: np.random.Generator
) -> tuple[FloatArray, IntArray]:
    """Share of the video watched (Beta around an appeal-driven mean) and rewatches."""
    length_penalty = 0.1 * np.log2(duration_ms / 24_000)
    mean = np.clip(0.15 + 0.8 * appeal - length_penalty, 0.03, 0.97)
    concentration = 3.5
    completion = rng.beta(mean * concentration, (1 - mean) * concentration)
    completed = completion >= COMPLETE
    rewatches = np.where(
        completed, np.minimum(rng.poisson(1.5 * appeal**3), MAX_REWATCHES), 0
    ).astype(np.int64)
    return np.where(completed, 1.0, completion), rewatches


def _engagement(
    views: Events,
    completion: FloatArray,
    appeal: FloatArray,
    user_engagement: FloatArray,
    catalog: Catalog,
    rng: np.random.Generator,
) -> list[Events]:
    like_p = np.clip(
        user_engagement[views.user] * (0.01 + 0.14 * completion**2 * (0.4 + appeal))
        + 0.03 * views.rewatches,
        0.0,
        0.9,
    )
    liked = np.flatnonzero(rng.random(len(views)) < like_p)
    # One like per (viewer, video): a second view does not like it again.
    liked = liked[first_occurrences(views.user[liked] * catalog.size + views.video[liked])]
    commented = np.flatnonzero(rng.random(len(views)) < like_p * COMMENT_RATIO)
    shared = np.flatnonzero(rng.random(len(views)) < like_p * SHARE_RATIO)
    events = []
    # Likes come while watching; comments and shares mostly right after.
    for kind, rows, delay_low, delay_high in (
        (EventType.LIKE, liked, 0.3, 1.0),
        (EventType.COMMENT, commented, 1.0, 3.0),
        (EventType.SHARE, shared, 1.0, 1.5),
    ):
        delay = views.watch_ms[rows] * rng.uniform(delay_low, delay_high, len(rows))
        at = views.at[rows] + delay.astype(np.int64) + 200
        events.append(Events.build(kind, views.user[rows], at, video=views.video[rows]))
    return events


def snapshot_follows(
    spec: WorldSpec, population: Population, creators: Creators, rng: np.random.Generator
) -> FollowSnapshot:
    """Follows made before the start: creators of the user's topics, popular ones first."""
    users = np.flatnonzero(population.authentic).astype(np.int64)
    user = np.repeat(users, rng.poisson(FOLLOWS_BEFORE, len(users)))
    topic = sample_rows(np.cumsum(population.mixture, axis=1), user, rng)
    slot = np.full(len(user), -1, dtype=np.int64)
    everyone = creators.reach / creators.reach.sum()
    for index in range(spec.topics):
        rows = np.flatnonzero(topic == index)
        members = np.flatnonzero(creators.topic == index)
        if len(members) == 0:
            members, weight = np.arange(creators.size), everyone
        else:
            weight = creators.reach[members] / creators.reach[members].sum()
        slot[rows] = rng.choice(members, size=len(rows), p=weight)
    creator = creators.users[slot]
    keep = (creator != user) & first_occurrences(user * spec.users + creator)
    user, creator = user[keep], creator[keep]
    since = np.maximum(population.created_at[user], population.created_at[creator])
    return FollowSnapshot(user, creator, uniform_ms(rng, since, spec.start_ms))


def follow_events(
    views: Events,
    population: Population,
    creators: Creators,
    catalog: Catalog,
    before: FollowSnapshot,
    rng: np.random.Generator,
) -> Events:
    """Follows that come after the viewer's second (or later) complete of a creator."""
    completes = views.take(
        np.flatnonzero(views.watch_ms >= COMPLETE * catalog.duration_ms[views.video])
    )
    creator = creators.users[catalog.creator[completes.video]]
    pair = completes.user * population.size + creator
    order = np.lexsort((completes.at, pair))
    completes, creator, pair = completes.take(order), creator[order], pair[order]
    first_of_pair = np.searchsorted(pair, pair, side="left")
    repeat = np.arange(len(pair)) - first_of_pair >= 1
    fit = affinity(population, catalog, completes.user, completes.video)
    wants = repeat & (rng.random(len(pair)) < FOLLOW_RATE * (0.3 + 0.7 * fit))
    wants &= ~np.isin(pair, before.user * population.size + before.creator)
    rows = np.flatnonzero(wants)
    rows = rows[first_occurrences(pair[rows])]
    done = completes.at[rows] + completes.watch_ms[rows]
    return Events.build(
        EventType.FOLLOW, completes.user[rows], uniform_ms(rng, done + 1_000, done + 10_000),
        video=completes.video[rows], creator=creator[rows],
    )  # fmt: skip
