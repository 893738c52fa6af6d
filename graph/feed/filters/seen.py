"""already_seen: viewed, served, skipped or liked before (the viewer read), or served by
this process moments ago with its impression not written yet. What the endless feed's
last step re-serves on purpose (graph.feed.widen) is kept."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from graph.feed.filters.base import Filter
from graph.feed.query import FeedQuery
from graph.feed.slate import Slate
from graph.feed.widen import RESURFACED


def _keep(query: FeedQuery, slate: Slate) -> NDArray[np.bool_]:
    kept: NDArray[np.bool_] = ~query.seen_mask[slate.numbers] | slate.proposed_by(RESURFACED)
    return kept


already_seen = Filter("already_seen", _keep)
