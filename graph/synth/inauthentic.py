"""Inauthentic behaviour, with ground truth for authenticity checks.

- **Bot rings**: fresh accounts that, on one day, follow each other densely and
  follow one or two target creators, within a few hours. They never watch or
  engage. Ring members are followed by each other, so they are listed as
  creators (a follow always points at a Creator) although they post nothing.
- **Bought followers**: a creator gains a burst of follows within two hours from
  accounts created the day before, which never watch or engage either.

All of it arrives as ``follow`` interaction events during the simulated days, so
the spikes are visible in time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graph.synth.arrays import IntArray, uniform_ms
from graph.synth.events import Events, EventType
from graph.synth.population import Creators, Population
from graph.synth.spec import DAY_MS, HOUR_MS, WorldSpec

RING_DENSITY = 0.75
RING_WINDOW_MS = 6 * HOUR_MS
PURCHASE_WINDOW_MS = 2 * HOUR_MS


@dataclass(frozen=True)
class BotRing:
    members: list[int]
    targets: list[int]
    day: int


@dataclass(frozen=True)
class Purchase:
    creator: int
    followers: list[int]
    day: int


@dataclass(frozen=True)
class Inauthentic:
    rings: list[BotRing]
    purchases: list[Purchase]
    events: Events
    #: Account creation times of the fake accounts (shortly before they act).
    created_at: dict[int, int]

    @property
    def accounts(self) -> list[int]:
        found = {m for ring in self.rings for m in ring.members}
        found |= {f for purchase in self.purchases for f in purchase.followers}
        return sorted(found)

    @property
    def ring_members(self) -> list[int]:
        return sorted({m for ring in self.rings for m in ring.members})


def make_inauthentic(
    spec: WorldSpec,
    population: Population,
    creators: Creators,
    rng: np.random.Generator,
) -> Inauthentic:
    """Casts the accounts that ``population`` marked inauthentic into rings and purchases."""
    pool = rng.permutation(np.flatnonzero(~population.authentic)).tolist()
    targets = _mid_reach_creators(creators)
    rings: list[BotRing] = []
    purchases: list[Purchase] = []
    events: list[Events] = []
    created_at: dict[int, int] = {}
    for _ in range(spec.bot_rings):
        members = [int(pool.pop()) for _ in range(spec.bot_ring_size)]
        day = int(rng.integers(0, spec.days))
        wanted = min(len(targets), 1 + int(rng.integers(0, 2)))
        chosen = rng.choice(targets, size=wanted, replace=False).tolist()
        ring = BotRing(members, chosen, day)
        rings.append(ring)
        events.append(_ring_follows(spec, ring, created_at, rng))
    buyers = spec.bought_follower_creators
    for creator in rng.choice(targets, size=buyers, replace=len(targets) < buyers).tolist():
        followers = [int(pool.pop()) for _ in range(spec.bought_followers_per_creator)]
        day = int(rng.integers(min(1, spec.days - 1), spec.days))
        purchase = Purchase(creator, followers, day)
        purchases.append(purchase)
        events.append(_purchase_follows(spec, purchase, created_at, rng))
    return Inauthentic(rings, purchases, Events.concat(events), created_at)


def _mid_reach_creators(creators: Creators) -> IntArray:
    """Creators between the top 10 % and the top 60 % by reach (user indexes): big
    enough to want more followers, small enough for a spike to matter."""
    by_reach = creators.users[np.argsort(-creators.reach, kind="stable")]
    low, high = creators.size // 10, max(creators.size // 10 + 1, creators.size * 6 // 10)
    return by_reach[low:high]


def _ring_follows(
    spec: WorldSpec, ring: BotRing, created_at: dict[int, int], rng: np.random.Generator
) -> Events:
    start = spec.start_ms + ring.day * DAY_MS + int(rng.integers(0, 12 * HOUR_MS))
    members = np.asarray(ring.members, dtype=np.int64)
    born = uniform_ms(rng, np.full(len(members), start - 5 * DAY_MS), start - DAY_MS)
    created_at.update(zip(ring.members, born.tolist(), strict=True))
    follower, followed = np.meshgrid(members, members, indexing="ij")
    dense = (follower != followed) & (rng.random(follower.shape) < RING_DENSITY)
    user = np.concatenate([follower[dense], np.repeat(members, len(ring.targets))])
    creator = np.concatenate([followed[dense], np.tile(ring.targets, len(members))])
    at = uniform_ms(rng, np.full(len(user), start), start + RING_WINDOW_MS)
    return Events.build(EventType.FOLLOW, user, at, creator=creator.astype(np.int64))


def _purchase_follows(
    spec: WorldSpec, purchase: Purchase, created_at: dict[int, int], rng: np.random.Generator
) -> Events:
    start = spec.start_ms + purchase.day * DAY_MS + int(rng.integers(8 * HOUR_MS, 14 * HOUR_MS))
    followers = np.asarray(purchase.followers, dtype=np.int64)
    born = uniform_ms(rng, np.full(len(followers), start - DAY_MS), start - HOUR_MS)
    created_at.update(zip(purchase.followers, born.tolist(), strict=True))
    at = uniform_ms(rng, np.full(len(followers), start), start + PURCHASE_WINDOW_MS)
    creator = np.full(len(followers), purchase.creator, dtype=np.int64)
    return Events.build(EventType.FOLLOW, followers, at, creator=creator)
