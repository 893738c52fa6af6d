"""co_engagement: a live walk from the viewer's newest views and likes over the
precomputed co-engagement neighbours (``CO_ENGAGED``, in the read model).

Each seed weighs log(1 + its strength) (views + 2 for a long or complete view + 1 for a
like: a video swiped away after a second says little), halved every
``seed_half_life_ms`` before the viewer's newest seed, times the neighbour's score (an
EASE or cosine weight), summed over seeds: the item-to-item recommender's score. The
seeds come from the viewer read, so a view recorded a moment ago already counts; only
the item-item weights are as old as the last ``fyp precompute``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from graph.feed.candidate import Proposal
from graph.feed.query import FeedQuery


def co_engagement(query: FeedQuery) -> Proposal | None:
    profile, config = query.profile, query.config
    seeds = profile.seeds(config.sizes.co_engagement_seeds)
    if not seeds:
        return None
    catalogue = query.catalogue
    numbers, weights = [], []
    newest = max(seed.at for seed in seeds)
    for seed in seeds:
        number = catalogue.get(seed.video_id)
        if number is None:
            continue
        strength = seed.strength(config.complete_ratio, config.windows.long_view_ms)
        decay = 0.5 ** ((newest - seed.at) / config.windows.seed_half_life_ms)
        numbers.append(number)
        weights.append(math.log1p(strength) * decay)
    walk = query.neighbours.walk(
        np.array(numbers, dtype=np.int64), np.array(weights, dtype=np.float64)
    )
    keep = query.unseen_servable(walk.videos)
    videos, scores = walk.videos[keep], walk.scores[keep]
    order = np.lexsort((videos, -scores))[: config.sizes.per_source]

    def reason(number: int) -> Mapping[str, Any]:
        peers, seed = walk.detail(number)
        return {
            "peers": peers,
            "seeds": [{"id": catalogue.ids[seed], "caption": catalogue.captions[seed]}],
        }

    return Proposal("co_engagement", videos[order], scores[order], reason)
