"""The candidates of one request as columns: one row per video, one score column per
source, and the values the hydrators add.

A request proposes hundreds of videos and shows twenty, so every stage between the
sources and the page works on whole arrays (one numpy operation per rule); a
:class:`~graph.feed.candidate.Candidate` object, with its reasons, is only built for
what is explained (:meth:`Slate.candidate`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from graph.feed.candidate import Candidate, Proposal, SourceHit
from graph.feed.catalogue.store import Catalogue


@dataclass
class Slate:
    catalogue: Catalogue
    #: Each candidate's read-model number.
    numbers: NDArray[np.int64]
    #: The sources, in column order of :attr:`raw`.
    sources: tuple[str, ...]
    #: Each source's raw score per candidate (NaN: that source did not propose it).
    raw: NDArray[np.float64]
    proposals: Mapping[str, Proposal]
    #: Per-candidate values the hydrators computed, by feature name (the scorer's input).
    columns: dict[str, NDArray[np.float64]] = field(default_factory=dict)
    #: Predicted engagement per candidate (the scorer's output).
    scores: NDArray[np.float64] | None = None

    @classmethod
    def merge(cls, catalogue: Catalogue, proposals: Sequence[Proposal], limit: int) -> Slate:
        """Dedupe the proposals, keeping every source's score, then keep the best ``limit``
        by their best rank within any source (so every source gets its top items
        through); ties go to videos more sources agree on, then to the earlier."""
        sources = tuple(p.source for p in proposals)
        if not proposals or not any(len(p) for p in proposals):
            empty = np.zeros(0, dtype=np.int64)
            return cls(catalogue, empty, sources, np.zeros((0, len(sources))),
                       {p.source: p for p in proposals})  # fmt: skip
        numbers = np.concatenate([p.numbers for p in proposals])
        ranks = np.concatenate([np.arange(len(p)) for p in proposals])
        columns = np.concatenate([np.full(len(p), i) for i, p in enumerate(proposals)])
        scores = np.concatenate([p.scores for p in proposals])
        unique, first, inverse = np.unique(numbers, return_index=True, return_inverse=True)
        best_rank = np.full(unique.size, np.iinfo(np.int64).max)
        np.minimum.at(best_rank, inverse, ranks)
        agreeing = np.bincount(inverse, minlength=unique.size)
        order = np.lexsort((first, -agreeing, best_rank))[:limit]
        raw = np.full((unique.size, len(sources)), np.nan)
        raw[inverse, columns] = scores
        return cls(catalogue, unique[order], sources, raw[order],
                   {p.source: p for p in proposals})  # fmt: skip

    def __len__(self) -> int:
        return int(self.numbers.size)

    @property
    def ids(self) -> list[str]:
        ids = self.catalogue.ids
        return [ids[number] for number in self.numbers.tolist()]

    @cached_property
    def proposed(self) -> NDArray[np.bool_]:
        """Per candidate and source: whether that source proposed it."""
        found: NDArray[np.bool_] = ~np.isnan(self.raw)
        return found

    def proposed_by(self, source: str) -> NDArray[np.bool_]:
        if source not in self.sources:
            return np.zeros(len(self), dtype=bool)
        found: NDArray[np.bool_] = self.proposed[:, self.sources.index(source)]
        return found

    @cached_property
    def creators(self) -> NDArray[np.int32]:
        """Creator number per candidate (-1: none)."""
        found: NDArray[np.int32] = self.catalogue.creator[self.numbers]
        return found

    @cached_property
    def sounds(self) -> NDArray[np.int32]:
        found: NDArray[np.int32] = self.catalogue.sound[self.numbers]
        return found

    def column(self, name: str) -> NDArray[np.float64]:
        """A hydrated column, or zeros where no hydrator filled it in."""
        found = self.columns.get(name)
        return found if found is not None else np.zeros(len(self))

    def keep(self, mask: NDArray[np.bool_]) -> Slate:
        return Slate(
            self.catalogue,
            self.numbers[mask],
            self.sources,
            self.raw[mask],
            self.proposals,
            {name: values[mask] for name, values in self.columns.items()},
            None if self.scores is None else self.scores[mask],
        )

    def candidate(self, row: int) -> Candidate:
        """Candidate ``row`` with every source's hit and reason (for explanations)."""
        number = int(self.numbers[row])
        video_id = self.catalogue.ids[number]
        found = Candidate(video_id, number=number)
        for source, value in zip(self.sources, self.raw[row].tolist(), strict=True):
            if not math.isnan(value):
                reason = self.proposals[source].reason(number)
                found.hits[source] = SourceHit(video_id, source, value, reason)
        found.age_ms = int(self.column("age_ms")[row])
        if self.scores is not None:
            found.score = float(self.scores[row])
        return found
