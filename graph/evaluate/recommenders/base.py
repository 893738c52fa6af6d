"""The recommender contract every candidate in an evaluation follows.

In the style of benfred/implicit: ``fit`` once on a train split, then
``recommend`` top-K lists for many users at once. Every implementation promises
(and tests/unit/test_evaluate_contract.py checks) that ``recommend``:

* answers every requested user, and only those;
* returns at most ``k`` distinct items per user, best first, all from the
  train split's catalog;
* never returns an item the user has already seen in train;
* never fails for a user it knows nothing about (an empty or a
  non-personalised list).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol, runtime_checkable

import numpy as np
from numpy.typing import NDArray

from graph.errors import ClientError
from graph.evaluate.interactions import Interactions


@runtime_checkable
class Recommender(Protocol):
    name: str

    def fit(self, train: Interactions) -> None: ...

    def recommend(self, user_ids: Sequence[str], k: int) -> dict[str, list[str]]: ...


def top_unseen(
    scores: NDArray[np.floating[Any]], seen_columns: NDArray[np.int32], k: int
) -> NDArray[np.int64]:
    """Column indices of the ``k`` best scores, skipping seen columns and non-positive scores.

    Ties are broken by column index, so equal scores give a deterministic order.
    """
    masked = scores.astype(np.float64, copy=True)
    masked[seen_columns] = -np.inf
    candidates = np.flatnonzero(masked > 0)
    if candidates.size == 0:
        return candidates
    if candidates.size > k:
        # argpartition for speed, then a stable sort of the survivors.
        keep = np.argpartition(-masked[candidates], k - 1)[:k]
        candidates = candidates[keep]
        threshold = masked[candidates].min()
        candidates = np.flatnonzero(masked >= threshold)
    order = np.lexsort((candidates, -masked[candidates]))
    best: NDArray[np.int64] = candidates[order][:k]
    return best


def require_fit(train: Interactions | None, name: str) -> Interactions:
    if train is None:
        raise ClientError(f"recommender {name!r} must be fitted before it recommends")
    return train


def seen_columns(train: Interactions, user: str) -> NDArray[np.int32]:
    """Item columns the user has any train event on (empty for an unknown user)."""
    row = train.user_index.get(user)
    if row is None:
        return np.zeros(0, dtype=np.int32)
    columns: NDArray[np.int32] = train.seen.indices[
        train.seen.indptr[row] : train.seen.indptr[row + 1]
    ]
    return columns


#: Scores a block of users (train row indices) against every item: rows x items.
ScoreRows = Callable[[NDArray[np.int64]], NDArray[np.floating[Any]]]

#: Users scored per block (a dense users x items block of floats).
SCORE_BLOCK = 256


def recommend_by_scores(
    train: Interactions, user_ids: Sequence[str], k: int, score_rows: ScoreRows
) -> dict[str, list[str]]:
    """Top ``k`` unseen items per user from a model that scores users in blocks; users
    the split does not know get an empty list."""
    out: dict[str, list[str]] = {user: [] for user in user_ids}
    known = [(user, train.user_index[user]) for user in user_ids if user in train.user_index]
    for start in range(0, len(known), SCORE_BLOCK):
        block = known[start : start + SCORE_BLOCK]
        scores = score_rows(np.array([row for _, row in block], dtype=np.int64))
        for (user, _), row_scores in zip(block, scores, strict=True):
            best = top_unseen(row_scores, seen_columns(train, user), k)
            out[user] = [train.items[j] for j in best]
    return out
