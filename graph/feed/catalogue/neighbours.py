"""Each video's precomputed co-engagement neighbours, in memory (a CSR over video numbers).

``fyp precompute`` writes every video's closest videos as ``CO_ENGAGED`` edges; the read
model loads them once per precompute run (:mod:`graph.feed.catalogue.sync`), so the
``co_engagement`` source walks them with a few array operations instead of a Cypher
traversal per request. 100 neighbours cost 12 bytes each (number, score, shared viewers).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

#: Accumulate a walk densely (one slot per video) when the catalogue is at most this many
#: times the walk's length; sort the walk's videos otherwise.
DENSE_FACTOR = 4


@dataclass(frozen=True)
class Neighbourhood:
    """Row ``i``: the neighbours of video number ``i``, best first."""

    indptr: NDArray[np.int64]
    columns: NDArray[np.int32]
    scores: NDArray[np.float32]
    viewers: NDArray[np.int32]
    #: ``computedAt`` of the precompute run these came from (None: no run yet).
    computed_at: int | None = None

    @classmethod
    def empty(cls) -> Neighbourhood:
        return cls(
            np.zeros(1, dtype=np.int64),
            np.zeros(0, dtype=np.int32),
            np.zeros(0, dtype=np.float32),
            np.zeros(0, dtype=np.int32),
        )

    @classmethod
    def from_rows(
        cls,
        rows: Iterable[Mapping[str, Any]],
        number: Mapping[str, int],
        size: int,
        computed_at: int | None,
    ) -> Neighbourhood:
        """From ``catalogue/neighbours`` rows (``videoId``, ``neighbours``: lists of
        ``[id, score, viewers]`` best first); ids the catalogue does not know are dropped."""
        builder = NeighbourhoodBuilder(size)
        builder.add(rows, number)
        return builder.build(computed_at)

    @classmethod
    def from_lists(
        cls, lists: Sequence[Sequence[tuple[int, float, int]]], computed_at: int | None = None
    ) -> Neighbourhood:
        sizes = np.fromiter((len(entries) for entries in lists), dtype=np.int64, count=len(lists))
        flat = [entry for entries in lists for entry in entries]
        return cls(
            indptr=np.concatenate([np.zeros(1, dtype=np.int64), np.cumsum(sizes)]),
            columns=np.fromiter((e[0] for e in flat), dtype=np.int32, count=len(flat)),
            scores=np.fromiter((e[1] for e in flat), dtype=np.float32, count=len(flat)),
            viewers=np.fromiter((e[2] for e in flat), dtype=np.int32, count=len(flat)),
            computed_at=computed_at,
        )

    @property
    def rows(self) -> int:
        return self.indptr.size - 1

    @property
    def nbytes(self) -> int:
        return sum(a.nbytes for a in (self.indptr, self.columns, self.scores, self.viewers))

    def walk(self, seeds: NDArray[np.int64], weights: NDArray[np.float64]) -> Walk:
        """Sum ``weight(seed) * score(seed -> video)`` over seeds, per reached video."""
        known = seeds < self.rows
        seeds, weights = seeds[known], weights[known]
        starts, ends = self.indptr[seeds], self.indptr[seeds + 1]
        lengths = ends - starts
        total = int(lengths.sum())
        if total == 0:
            return Walk.empty()
        # Positions of every (seed, neighbour) pair in the CSR arrays, without a loop.
        owner = np.repeat(np.arange(seeds.size), lengths)
        offsets = np.arange(total) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        positions = np.repeat(starts, lengths) + offsets
        videos = self.columns[positions].astype(np.int64)
        parts = weights[owner] * self.scores[positions]
        if self.rows <= DENSE_FACTOR * total:
            # Small catalogue against a long walk: accumulate over every video at once.
            present = np.zeros(self.rows, dtype=bool)
            present[videos] = True
            reached = np.flatnonzero(present)
            scores = np.bincount(videos, weights=parts, minlength=self.rows)[reached]
        else:
            reached, inverse = np.unique(videos, return_inverse=True)
            scores = np.bincount(inverse, weights=parts, minlength=reached.size)
        return Walk(
            reached.astype(np.int64),
            scores.astype(np.float64),
            videos,
            parts,
            seeds[owner],
            self.viewers[positions],
        )


@dataclass(frozen=True)
class Walk:
    """The videos a walk reached with their summed scores, and what explains each one."""

    videos: NDArray[np.int64]
    scores: NDArray[np.float64]
    #: Every (seed, neighbour) step: the neighbour, its part of the score, the seed, and
    #: the viewers the two share.
    step_videos: NDArray[np.int64]
    step_parts: NDArray[np.float64]
    step_seeds: NDArray[np.int64]
    step_viewers: NDArray[np.int32]

    @classmethod
    def empty(cls) -> Walk:
        none = np.zeros(0, dtype=np.int64)
        return cls(none, np.zeros(0), none, np.zeros(0), none, np.zeros(0, dtype=np.int32))

    def detail(self, video: int) -> tuple[int, int]:
        """(most viewers shared with one seed, the seed that contributed most) of ``video``
        (computed for the few items a page explains, not for every video reached)."""
        steps = np.flatnonzero(self.step_videos == video)
        best = steps[np.argmax(self.step_parts[steps])]
        return int(self.step_viewers[steps].max()), int(self.step_seeds[best])


class NeighbourhoodBuilder:
    """Collects neighbour rows page by page into flat arrays (no Python object per edge
    survives a page), then lays them out as a CSR over ``size`` video numbers."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._owners: list[NDArray[np.int64]] = []
        self._columns: list[NDArray[np.int32]] = []
        self._scores: list[NDArray[np.float32]] = []
        self._viewers: list[NDArray[np.int32]] = []

    def add(self, rows: Iterable[Mapping[str, Any]], number: Mapping[str, int]) -> None:
        owners: list[int] = []
        columns: list[int] = []
        scores: list[float] = []
        viewers: list[int] = []
        for row in rows:
            owner = number.get(row["videoId"])
            if owner is None or owner >= self.size:
                continue
            for video_id, score, shared in row["neighbours"]:
                found = number.get(video_id)
                if found is not None:
                    owners.append(owner)
                    columns.append(found)
                    scores.append(score)
                    viewers.append(shared or 0)
        self.add_arrays(
            np.array(owners, dtype=np.int64),
            np.array(columns, dtype=np.int32),
            np.array(scores, dtype=np.float32),
            np.array(viewers, dtype=np.int32),
        )

    def add_arrays(
        self,
        owners: NDArray[np.int64],
        columns: NDArray[np.int32],
        scores: NDArray[np.float32],
        viewers: NDArray[np.int32],
    ) -> None:
        """Edges in best-first order per owner (owners may come in any order)."""
        self._owners.append(owners)
        self._columns.append(columns)
        self._scores.append(scores)
        self._viewers.append(viewers)

    def build(self, computed_at: int | None) -> Neighbourhood:
        if not self._owners:
            empty = Neighbourhood.empty()
            return Neighbourhood(np.zeros(self.size + 1, dtype=np.int64), empty.columns,
                                 empty.scores, empty.viewers, computed_at)  # fmt: skip
        owners = np.concatenate(self._owners)
        # A stable sort by owner keeps each owner's edges in their best-first order.
        order = np.argsort(owners, kind="stable")
        counts = np.bincount(owners, minlength=self.size)
        return Neighbourhood(
            indptr=np.concatenate([np.zeros(1, dtype=np.int64), np.cumsum(counts)]),
            columns=np.concatenate(self._columns)[order],
            scores=np.concatenate(self._scores)[order],
            viewers=np.concatenate(self._viewers)[order],
            computed_at=computed_at,
        )
