"""blocked_creator: a creator the request's controls block."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from graph.feed.filters.base import Filter
from graph.feed.query import FeedQuery
from graph.feed.slate import Slate


def _keep(query: FeedQuery, slate: Slate) -> NDArray[np.bool_]:
    blocked = query.controls.blocked_creators
    if not blocked:
        return np.ones(len(slate), dtype=bool)
    kept: NDArray[np.bool_] = ~np.isin(slate.creators, query.catalogue.creators.numbers(blocked))
    return kept


blocked_creator = Filter("blocked_creator", _keep)
