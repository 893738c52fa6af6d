"""personal: the viewer's own precomputed list (``RECOMMENDED``, ``fyp precompute``: their
whole engagement history scored against every video with the item-item model).

Scored ``1 / log2(1 + rank)``: the list's order is what the model knows; its raw scores'
scale depends on the data size and regularisation. The list is as old as the last run,
so what the viewer saw since is dropped; the viewer read only returns a list while some
engagement older than it remains (not after "refresh your feed" or erasure).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from graph.feed.candidate import Proposal
from graph.feed.query import FeedQuery


def personal(query: FeedQuery) -> Proposal | None:
    listed = query.viewer.recommended
    if not listed or not query.profile.has_history:
        return None
    number = query.catalogue.number
    ranked = [(rank, number[video]) for rank, video in enumerate(listed, start=1)
              if video in number]  # fmt: skip
    ranks = np.array([rank for rank, _ in ranked], dtype=np.float64)
    numbers = np.array([video for _, video in ranked], dtype=np.int64)
    rank_of = {video: rank for rank, video in ranked}
    computed_at = query.viewer.recommended_at

    def reason(video: int) -> Mapping[str, Any]:
        return {"rank": rank_of[video], "computedAt": computed_at}

    proposal = Proposal("personal", numbers, np.log(2.0) / np.log1p(ranks), reason)
    return proposal.take(query.unseen_servable(numbers), query.config.sizes.per_source)
