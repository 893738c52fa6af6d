"""social: videos the people the viewer follows liked lately (from the viewer read),
scored by how many of them did."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from graph.feed.candidate import Proposal
from graph.feed.query import FeedQuery


def social(query: FeedQuery) -> Proposal | None:
    if not query.viewer.following:
        return None
    catalogue = query.catalogue
    likers: dict[int, list[dict[str, str | None]]] = {}
    latest: dict[int, int] = {}
    for like in query.viewer.social_likes:
        number = catalogue.get(like.video_id)
        if number is None:
            continue
        likers.setdefault(number, []).append({"id": like.liker_id, "name": like.liker_name})
        latest[number] = max(latest.get(number, 0), like.at)
    numbers = np.array(list(likers), dtype=np.int64)
    keep = query.unseen_servable(numbers) if numbers.size else np.zeros(0, dtype=bool)
    own = catalogue.creators.number.get(query.user_id, -2)
    keep &= catalogue.creator[numbers] != own
    ranked = sorted(numbers[keep].tolist(), key=lambda n: (-len(likers[n]), -latest[n],
                                                           catalogue.ids[n]))  # fmt: skip
    ranked = ranked[: query.config.sizes.per_source]

    def reason(number: int) -> Mapping[str, Any]:
        return {"likers": likers[number][:3], "count": len(likers[number])}

    return Proposal(
        "social",
        np.array(ranked, dtype=np.int64),
        np.array([float(len(likers[n])) for n in ranked], dtype=np.float64),
        reason,
    )
