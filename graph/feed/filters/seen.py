"""already_seen: viewed, served, skipped or liked before (the viewer read), or served by
this process moments ago with its impression not written yet."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from graph.feed.filters.base import Filter
from graph.feed.query import FeedQuery
from graph.feed.slate import Slate


def _keep(query: FeedQuery, slate: Slate) -> NDArray[np.bool_]:
    kept: NDArray[np.bool_] = ~query.seen_mask[slate.numbers]
    return kept


already_seen = Filter("already_seen", _keep)
