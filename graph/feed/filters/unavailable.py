"""unavailable: removed, or not posted yet at the request time."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from graph.feed.catalogue.store import ACTIVE
from graph.feed.filters.base import Filter
from graph.feed.query import FeedQuery
from graph.feed.slate import Slate


def _keep(query: FeedQuery, slate: Slate) -> NDArray[np.bool_]:
    catalogue, numbers = query.catalogue, slate.numbers
    kept: NDArray[np.bool_] = (catalogue.status[numbers] == ACTIVE) & (
        catalogue.created_at[numbers] <= query.now
    )
    return kept


unavailable = Filter("unavailable", _keep)
