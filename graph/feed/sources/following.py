"""following: the newest videos of the creators the viewer follows (recency-scored)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from graph.feed.candidate import Proposal
from graph.feed.query import FeedQuery


def following(query: FeedQuery) -> Proposal | None:
    followed = query.viewer.following
    if not followed:
        return None
    catalogue, sizes = query.catalogue, query.config.sizes
    picked = []
    for creator in catalogue.creators.numbers(followed[: sizes.following_creators]):
        videos = catalogue.by_creator.members(creator).astype(np.int64)
        videos = videos[query.unseen_servable(videos)] if videos.size else videos
        if videos.size:
            newest = videos[np.argsort(-catalogue.created_at[videos], kind="stable")]
            picked.append(newest[: sizes.following_per_creator])
    if not picked:
        return Proposal.empty("following")
    numbers = np.concatenate(picked)
    posted = catalogue.created_at[numbers]
    scores = 0.5 ** ((query.now - posted) / query.config.windows.half_life_ms)
    order = np.lexsort((numbers, -scores))[: sizes.per_source]

    def reason(number: int) -> Mapping[str, Any]:
        creator = catalogue.creator_of(number)
        return {
            "creatorId": creator.id if creator else None,
            "creatorName": creator.name if creator else None,
            "postedAt": int(catalogue.created_at[number]),
        }

    return Proposal("following", numbers[order], scores[order], reason)
