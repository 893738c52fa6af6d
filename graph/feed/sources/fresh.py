"""fresh: videos posted within ``fresh_ms``, newest first, favouring those with few
impressions, so new uploads (and new creators) get a first audience; for a viewer with
a vector, the new videos nearest them in the embedding first (graph.feed.audience).
Always present, and non-personal where the request is (no vector without profiling):
the floor every feed stands on."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from graph.feed.audience import audience_match, first_audience_scores
from graph.feed.candidate import Proposal
from graph.feed.catalogue.store import COUNTER
from graph.feed.query import FeedQuery


def fresh(query: FeedQuery) -> Proposal | None:
    catalogue, config = query.catalogue, query.config
    windows = config.windows
    since = query.now - windows.fresh_ms
    videos = catalogue.newest(since, query.now, config.sizes.fresh_scan)
    videos = videos[query.unseen_servable(videos)] if videos.size else videos
    if not videos.size:
        return Proposal.empty("fresh")
    vectors = catalogue.vectors
    match = audience_match(
        query.vector,
        None if vectors is None else vectors[videos],
        catalogue.has_vector[videos],
    )
    scores = first_audience_scores(
        (query.now - catalogue.created_at[videos]).astype(np.float64),
        catalogue.counters[videos, COUNTER["impressions"]].astype(np.float64),
        match,
        half_life_ms=windows.half_life_ms,
        audience=windows.fresh_audience,
        sharpness=windows.fresh_match,
    )
    order = np.lexsort((videos, -scores))[: config.sizes.per_source]
    match_of = dict(zip(videos[order].tolist(), match[order].tolist(), strict=True))

    def reason(number: int) -> Mapping[str, Any]:
        creator = catalogue.creator_of(number)
        new_creator = creator is not None and (
            creator.videos <= 1 or (creator.created_at or 0) > since
        )
        return {
            "postedAt": int(catalogue.created_at[number]),
            "impressions": catalogue.counter(number, "impressions"),
            "creatorId": creator.id if creator else None,
            "creatorName": creator.name if creator else None,
            "newCreator": new_creator,
            "match": round(float(match_of[number]), 4),
        }

    return Proposal("fresh", videos[order].astype(np.int64), scores[order], reason)
