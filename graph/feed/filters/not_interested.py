"""not_interested: the viewer said "not interested" in the video, its creator, its sound
or one of its hashtags."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from graph.feed.filters.base import Filter, flags
from graph.feed.query import FeedQuery
from graph.feed.slate import Slate


def _keep(query: FeedQuery, slate: Slate) -> NDArray[np.bool_]:
    viewer, catalogue = query.viewer, query.catalogue
    kept = np.ones(len(slate), dtype=bool)
    if viewer.muted_videos:
        kept &= ~np.isin(slate.numbers, catalogue.numbers(viewer.muted_videos))
    if viewer.muted_creators:
        muted = catalogue.creators.numbers(viewer.muted_creators)
        kept &= ~np.isin(slate.creators, muted)
    if viewer.muted_sounds:
        kept &= ~np.isin(slate.sounds, catalogue.sounds.numbers(viewer.muted_sounds))
    if viewer.muted_hashtags:
        muted_tags = frozenset(catalogue.tags.numbers(viewer.muted_hashtags))
        tags = catalogue.hashtags
        kept &= flags([muted_tags.isdisjoint(tags[number]) for number in slate.numbers.tolist()])
    return kept


not_interested = Filter("not_interested", _keep)
