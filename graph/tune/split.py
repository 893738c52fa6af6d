"""A validation split carved from the data the engine holds.

Two ways, both seeded: :func:`holdout` holds out each sampled viewer's newest positive
engagements (everyone else's history, up to the end, stays in), and :func:`time_holdout`
cuts the log at a time and holds out everything after it, for everyone: validation
viewers are then scored on what they engaged with later, as a served feed is, and no
engagement from the validation period (a video trending in it, say) informs the fit.
:func:`time_carries_signal` tells whether the cut is worth what it costs (everyone's
latest history): ``fyp tune``'s default picks the split with it.

Tuning never looks at the test period: it fits on the rest of the train data and
scores on these held-out pairs. Where times carry no meaning (a log without real
timestamps), "newest" and "after the cut" are simply random choices, which is what a
validation split should be then.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, cast

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from graph.errors import ClientError
from graph.evaluate.interactions import Interactions, RecordsByKind, RecordSource
from graph.ingest.validate import Invalid, Kind, validate

log = logging.getLogger(__name__)

#: The ways to carve the validation split (``fyp tune --split``): ``auto`` takes the time
#: cut where the log's time order carries signal (:func:`time_carries_signal`).
SPLITS = ("auto", "time", "newest")
#: The newest share of the fit's positives that makes "recent" popularity.
RECENT_SHARE = 0.1


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
    #: How it was carved: one of :data:`SPLITS`.
    kind: str = "newest"

    def describe(self) -> str:
        if self.kind == "time":
            return f"a time cut with the newest {self.fraction:.0%} of positive pairs after it"
        return f"each viewer's newest {self.fraction:.0%} of positives held out"

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
    _check(fraction, min_positives)
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


def time_holdout(
    train: Interactions,
    *,
    fraction: float = 0.2,
    min_positives: int = 3,
    max_users: int | None = None,
    seed: int = 0,
) -> Holdout:
    """Cut the log where the newest ``fraction`` of the positive pairs lie after the cut.

    ``fit`` is every record from before the cut (videos created after it are held out
    too: they did not exist yet); a validation viewer has ``min_positives - 1`` or more
    positives before it, and is scored on the videos of the fit's catalogue that they
    engaged with positively after it and had not engaged with before, the rule of a
    test period (graph.evaluate.runner.relevance_from). ``max_users`` of them are
    sampled (all when None); there may be none, where no viewer's history spans the cut.
    """
    # Imported here: graph.evaluate.datasets imports the evaluator, which imports this.
    from graph.evaluate.datasets import build_interactions
    from graph.evaluate.runner import relevance_from

    _check(fraction, min_positives)
    if train.records is None or not train.last_at.nnz:
        raise ClientError("a time split needs the train records and their times")
    cut = int(np.quantile(train.last_at.data, 1 - fraction))
    # A video's creation time may be coarser than its first views' (a day, say): one
    # engaged with before the cut existed then, whatever its stamp says.
    engaged = {
        str(row.get("videoId"))
        for row in train.records().get("interactions", ())
        if _stamped_before("interactions", row, cut)
    }
    fit = build_interactions(_before(train.records, cut, engaged, before=True))
    after = _before(train.records, cut, engaged, before=False)
    later = build_interactions(after, fit.videos, keep_source=False)
    history = np.diff(fit.positive.tocsr().indptr)
    relevance = {
        user: items
        for user, items in relevance_from(later, fit).items()
        if history[fit.user_index[user]] >= min_positives - 1
    }
    users = sorted(relevance)
    if max_users is not None and len(users) > max_users:
        rng = np.random.default_rng(seed)
        users = sorted(rng.choice(users, size=max_users, replace=False).tolist())
    return Holdout(
        fit=fit,
        relevance={user: relevance[user] for user in users},
        fraction=fraction,
        held_records=after,
        kind="time",
    )


def time_carries_signal(split: Holdout) -> bool:
    """Whether, on a time split, what was popular just before the cut predicts what the
    validation viewers engaged with after it better than what was popular over the
    whole fit. Where it does, time order carries signal, and only a time cut judges a
    feed as it will be judged. Where it does not (a log whose times are shuffled, or
    meaningless), a cut only takes everyone's latest history from the fit.
    """
    # Imported here: graph.evaluate.recommenders imports the evaluator, which imports this.
    from graph.evaluate.recommenders.base import recommend_by_scores
    from graph.tune.search import recall

    last_at = split.fit.last_at.tocsr()
    if not last_at.nnz:
        return False
    since = np.quantile(last_at.data, 1 - RECENT_SHARE)
    recent = sp.csr_matrix(
        ((last_at.data >= since).astype(np.float64), last_at.indices, last_at.indptr),
        shape=last_at.shape,
    )
    users = sorted(split.relevance)

    def measured(counts: sp.csr_matrix) -> float:
        column = np.asarray(counts.sum(axis=0), dtype=np.float64).ravel()

        def same_for_all(rows: NDArray[np.int64]) -> NDArray[np.float64]:
            return np.broadcast_to(column, (len(rows), column.size))

        # A plain sum, not the searches' objective: this asks which of two lists is
        # better at all, not how to trade one cutoff against the other.
        return sum(recall(recommend_by_scores(split.fit, users, 50, same_for_all), split.relevance))

    recent_recall, overall_recall = measured(recent), measured(split.fit.positive.tocsr())
    log.info(
        "time split: recall@20 + recall@50 of recent popularity %.4f, of all-time %.4f",
        recent_recall, overall_recall,
    )  # fmt: skip
    return recent_recall > overall_recall


def _check(fraction: float, min_positives: int) -> None:
    if not 0 < fraction < 1:
        raise ClientError("the validation fraction must be between 0 and 1")
    if min_positives < 2:
        raise ClientError("a validation viewer needs at least 2 positives (one to learn from)")


def _before(source: RecordSource, cut: int, engaged: set[str], *, before: bool) -> RecordSource:
    """The records from before ``cut`` (with ``before``; else the others): interactions
    by their time, videos by their creation unless ``engaged`` before the cut;
    everything without a time (users, creators, follows) goes with the records before."""

    def earlier(kind: str, row: Mapping[str, Any]) -> bool:
        if kind == "videos" and str(row.get("id")) in engaged:
            return True
        return _stamped_before(kind, row, cut)

    def read() -> RecordsByKind:
        records = source()
        return {
            kind: (
                (row for row in rows if earlier(kind, row) == before)
                if kind in _STAMPS
                else (rows if before else ())
            )
            for kind, rows in records.items()
        }

    return read


#: The time that places a record on one side of a cut, by kind.
_STAMPS: dict[Kind, str] = {"videos": "createdAt", "interactions": "at"}


def _stamped_before(kind: str, row: Mapping[str, Any], cut: int) -> bool:
    stamped = cast(Kind, kind)
    stamp = row.get(_STAMPS[stamped])
    if not isinstance(stamp, int):
        try:
            # Text times (CSV, ISO) read as the importer reads them.
            stamp = dict(validate(stamped, row)).get(_STAMPS[stamped])
        except Invalid:
            return True  # skipped on either side; it stays with the fit
    return not isinstance(stamp, int) or stamp < cut  # no time: with the fit


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
