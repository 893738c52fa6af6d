"""A validation split carved from the data the engine holds: each viewer's newest
positive engagements are held out.

Tuning never looks at the test period: it fits on the rest of the train data and
scores on these held-out pairs. Where times carry no meaning (a log without real
timestamps), "newest" is simply a random choice, which is what a validation split
should be then.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import scipy.sparse as sp

from graph.errors import ClientError
from graph.evaluate.interactions import Interactions, RecordsByKind, RecordSource


@dataclass(frozen=True)
class Holdout:
    """``fit``: the train data without the held-out pairs (records included, for a
    recommender that loads them); ``relevance``: per validation viewer, the items held
    out (what a recommender fitted on ``fit`` should find)."""

    fit: Interactions
    relevance: dict[str, frozenset[str]]
    fraction: float
    #: The records of the held-out pairs only: imported on top of ``fit``'s, they make
    #: the whole train split again.
    held_records: RecordSource | None = None

    @property
    def users(self) -> int:
        return len(self.relevance)


def holdout(
    train: Interactions,
    *,
    fraction: float = 0.2,
    min_positives: int = 3,
    max_users: int | None = None,
    seed: int = 0,
) -> Holdout:
    """Hold out the newest ``fraction`` (at least one) of the positive pairs of every
    viewer with ``min_positives`` or more, for ``max_users`` sampled viewers (all of
    them when None); their other pairs and every other viewer stay in ``fit``."""
    if not 0 < fraction < 1:
        raise ClientError("the validation fraction must be between 0 and 1")
    if min_positives < 2:
        raise ClientError("a validation viewer needs at least 2 positives (one to learn from)")
    positive = train.positive.tocsr()
    last_at = train.last_at.tocsr()
    counts = np.diff(positive.indptr)
    eligible = np.flatnonzero(counts >= min_positives)
    if eligible.size == 0:
        raise ClientError(
            f"no viewer has {min_positives} positive engagements: nothing to validate on"
        )
    rng = np.random.default_rng(seed)
    if max_users is not None and eligible.size > max_users:
        eligible = np.sort(rng.choice(eligible, size=max_users, replace=False))
    held_rows: list[int] = []
    held_cols: list[int] = []
    relevance: dict[str, frozenset[str]] = {}
    for row in eligible.tolist():
        start, end = positive.indptr[row], positive.indptr[row + 1]
        columns = positive.indices[start:end]
        times = np.asarray(last_at[row, columns].todense()).ravel()
        # Newest first; ties broken at random (seeded), never by item id.
        order = np.lexsort((rng.random(columns.size), -times))
        take = min(columns.size - 1, max(1, round(fraction * columns.size)))
        chosen = columns[order[:take]]
        held_rows += [row] * chosen.size
        held_cols += chosen.tolist()
        relevance[train.users[row]] = frozenset(train.items[j] for j in chosen.tolist())
    held = sp.csr_matrix(
        (np.ones(len(held_rows)), (held_rows, held_cols)), shape=train.strength.shape
    )
    held_pairs = {
        (train.users[r], train.items[c]) for r, c in zip(held_rows, held_cols, strict=True)
    }
    fit = replace(
        train,
        strength=_without(train.strength, held),
        positive=_without(train.positive, held),
        seen=_without(train.seen, held),
        last_at=_without(train.last_at, held),
        records=_records_of(train.records, held_pairs, held=False) if train.records else None,
    )
    held_records = _records_of(train.records, held_pairs, held=True) if train.records else None
    return Holdout(fit=fit, relevance=relevance, fraction=fraction, held_records=held_records)


def _without(matrix: sp.csr_matrix, held: sp.csr_matrix) -> sp.csr_matrix:
    kept = sp.csr_matrix(matrix - matrix.multiply(held))
    kept.eliminate_zeros()
    return kept


def _records_of(source: RecordSource, pairs: set[tuple[str, str]], *, held: bool) -> RecordSource:
    """Without ``held``: the records, every event on a held-out (viewer, video) pair left
    out; with it: only those events (and no users, videos or follows)."""

    def read() -> RecordsByKind:
        records = source()
        if held:
            return {"interactions": _events(records.get("interactions", ()), pairs, True)}
        return {
            kind: (_events(rows, pairs, False) if kind == "interactions" else rows)
            for kind, rows in records.items()
        }

    return read


def _events(
    rows: Iterable[Mapping[str, Any]], pairs: set[tuple[str, str]], held: bool
) -> Iterable[Any]:
    for row in rows:
        video = row.get("videoId")
        on_pair = video is not None and (str(row.get("userId")), str(video)) in pairs
        if on_pair == held:
            yield row
