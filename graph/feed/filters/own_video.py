"""own_video: the viewer posted it."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from graph.feed.filters.base import Filter
from graph.feed.query import FeedQuery
from graph.feed.slate import Slate


def _keep(query: FeedQuery, slate: Slate) -> NDArray[np.bool_]:
    own = query.catalogue.creators.number.get(query.user_id)
    if own is None:
        return np.ones(len(slate), dtype=bool)
    kept: NDArray[np.bool_] = slate.creators != own
    return kept


own_video = Filter("own_video", _keep)
