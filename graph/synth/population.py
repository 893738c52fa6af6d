"""Who lives in the world: users with latent interests, and the creators among them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graph.synth.arrays import BoolArray, FloatArray, IntArray, zipf_weights
from graph.synth.spec import DAY_MS, WorldSpec
from graph.synth.vocabulary import NAME_ADJECTIVES, NAME_NOUNS

#: Share of a user's interest mixture on their 1-3 focus topics; the rest is spread
#: thinly over every topic, so nobody is strictly zero on anything.
FOCUS = 0.85
#: How many focus topics users have (1, 2 or 3).
FOCUS_COUNT_P = (0.45, 0.35, 0.20)
#: Spread of daily activity across users (log-normal sigma): a few heavy viewers.
ACTIVITY_SIGMA = 0.9
#: Creator popularity follows Zipf over a random ranking of creators.
CREATOR_ZIPF = 1.0


@dataclass(frozen=True)
class Population:
    """Every account, authentic or not, indexed 0..users-1 (id ``u<index>``)."""

    #: (users, topics) latent interest mixture; rows sum to 1.
    mixture: FloatArray
    #: Relative size of each topic's audience (sums to 1).
    topic_weight: FloatArray
    #: Mean feed impressions per day; 0 for inauthentic accounts, which never watch.
    activity: FloatArray
    #: Multiplier of a user's like/share/comment rates (some people like everything).
    engagement: FloatArray
    created_at: IntArray
    names: list[str]
    authentic: BoolArray

    @property
    def size(self) -> int:
        return len(self.names)


@dataclass(frozen=True)
class Creators:
    """The users who post, as slots 0..n-1; ``users[slot]`` is the account."""

    users: IntArray
    #: Audience reach, Zipf-distributed, max 1: drives videos posted and views won.
    reach: FloatArray
    #: Each creator's main topic (the focus of their own interests).
    topic: IntArray

    @property
    def size(self) -> int:
        return len(self.users)


def make_population(spec: WorldSpec, rng: np.random.Generator) -> Population:
    users, topics = spec.users, spec.topics
    # Some topics draw bigger audiences than others; which ones is random per seed.
    topic_weight = zipf_weights(topics, 0.6)[rng.permutation(topics)]
    mixture = _interest_mixtures(users, topic_weight, rng)

    authentic = np.ones(users, dtype=np.bool_)
    authentic[rng.choice(users, size=spec.inauthentic_accounts, replace=False)] = False

    activity = spec.views_per_user_day * rng.lognormal(
        -(ACTIVITY_SIGMA**2) / 2, ACTIVITY_SIGMA, users
    )
    activity[~authentic] = 0.0
    engagement = rng.lognormal(-0.125, 0.5, users)
    # Accounts are between two weeks and two years old when the simulation starts.
    age_ms = np.ceil(rng.uniform(14, 730, users) * DAY_MS).astype(np.int64)
    # Integer offsets from the start, so another end moves these times by exactly as much
    # (a float sum with the start could round differently at other magnitudes).
    created_at = spec.start_ms - age_ms
    return Population(
        mixture=mixture,
        topic_weight=topic_weight,
        activity=activity,
        engagement=engagement,
        created_at=created_at,
        names=_names(users, rng),
        authentic=authentic,
    )


def _interest_mixtures(
    users: int, topic_weight: FloatArray, rng: np.random.Generator
) -> FloatArray:
    topics = len(topic_weight)
    focus_count = np.minimum(rng.choice([1, 2, 3], size=users, p=FOCUS_COUNT_P), topics)
    # Gumbel top-k: each user's focus topics, without replacement, favouring big topics.
    keys = np.log(topic_weight)[None, :] + rng.gumbel(size=(users, topics))
    ranked = np.argsort(-keys, axis=1, kind="stable")
    mixture = (1 - FOCUS) * rng.dirichlet(np.full(topics, 0.3), size=users)
    for count in (1, 2, 3):
        rows = np.flatnonzero(focus_count == count)
        if len(rows) == 0:
            continue
        shares = rng.dirichlet(np.full(count, 2.0), size=len(rows))
        mixture[rows[:, None], ranked[rows, :count]] += FOCUS * shares
    mixture /= mixture.sum(axis=1, keepdims=True)
    return mixture


def _names(users: int, rng: np.random.Generator) -> list[str]:
    adjectives = rng.integers(0, len(NAME_ADJECTIVES), users).tolist()
    nouns = rng.integers(0, len(NAME_NOUNS), users).tolist()
    numbers = rng.integers(1, 1000, users).tolist()
    return [
        f"{NAME_ADJECTIVES[a]}_{NAME_NOUNS[n]}{k}"
        for a, n, k in zip(adjectives, nouns, numbers, strict=True)
    ]


def make_creators(spec: WorldSpec, population: Population, rng: np.random.Generator) -> Creators:
    candidates = np.flatnonzero(population.authentic)
    wanted = round(len(candidates) * spec.creator_share)
    count = int(min(max(wanted, 1), len(candidates), spec.videos))
    users = np.sort(rng.choice(candidates, size=count, replace=False)).astype(np.int64)
    rank = rng.permutation(count)
    reach = 1.0 / (rank + 1.0) ** CREATOR_ZIPF
    topic = np.argmax(population.mixture[users], axis=1).astype(np.int64)
    return Creators(users=users, reach=reach, topic=topic)
