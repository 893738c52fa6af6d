"""already_in_session: served earlier in this feed session (the cursor's ids), unless the
endless feed's last step re-serves it on purpose (graph.feed.widen)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from graph.feed.filters.base import Filter
from graph.feed.query import FeedQuery
from graph.feed.slate import Slate
from graph.feed.widen import RESURFACED


def _keep(query: FeedQuery, slate: Slate) -> NDArray[np.bool_]:
    served = query.cursor.served
    if not served:
        return np.ones(len(slate), dtype=bool)
    kept: NDArray[np.bool_] = ~np.isin(slate.numbers, query.catalogue.numbers(served))
    kept |= slate.proposed_by(RESURFACED)
    return kept


already_in_session = Filter("already_in_session", _keep)
