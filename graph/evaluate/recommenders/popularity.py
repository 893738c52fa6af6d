"""Recent popularity: the videos most users engaged with positively lately."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from graph.errors import ClientError
from graph.evaluate.interactions import Interactions
from graph.evaluate.recommenders.base import require_fit, seen_columns, top_unseen

DAY_MS = 86_400_000


class RecentPopularity:
    """Ranks videos by distinct positive users within the last ``window_days`` of train.

    "Last" is relative to the latest engagement in the split, not the wall clock,
    so an old dataset behaves like a live one. Older positives break ties (a
    small weight), so the list never runs short when the window is sparse.
    """

    name = "popularity"

    def __init__(self, window_days: float = 7.0) -> None:
        if window_days <= 0:
            raise ClientError("popularity window must be positive (days)")
        self.window_days = window_days
        self._train: Interactions | None = None
        self._scores: NDArray[np.float64] = np.zeros(0)

    def fit(self, train: Interactions) -> None:
        since = train.max_at - self.window_days * DAY_MS
        last_at = train.last_at.tocsc()
        recent = (last_at >= since).astype(np.float64) if last_at.nnz else last_at
        recent_users = np.asarray(recent.sum(axis=0)).ravel()
        all_users = np.asarray(train.positive.sum(axis=0)).ravel()
        # Any recent user outweighs every older one: older counts are scaled below 1.
        self._scores = recent_users + all_users / (all_users.max() + 1.0 if all_users.size else 1.0)
        self._train = train

    def recommend(self, user_ids: Sequence[str], k: int) -> dict[str, list[str]]:
        train = require_fit(self._train, self.name)
        return {
            user: [train.items[j] for j in top_unseen(self._scores, seen_columns(train, user), k)]
            for user in user_ids
        }
