"""Candidate sources: each proposes videos with a score and a reason, from memory.

A source reads the request's :class:`~graph.feed.query.FeedQuery`: the viewer read (their
history, follows, personal list, their follows' likes), the process's catalogue read
model (each video's facts, per-creator / -hashtag / -sound lists, co-engagement
neighbours, embeddings) and the shared non-personal lists. None queries the database:
the expensive graph work ran nearline (``fyp precompute``, ``fyp embed``) or in the one
viewer read, so a source costs array operations, and a like recorded a moment ago
still changes the next page (the viewer read is fresh every time).

A source returns ``None`` when it has nothing to ask (no follows, no history): that is
reported as *skipped*. One that raises is dropped for the request (fail-open).
Every source proposes only videos that are servable at the request's time and that the
viewer has not seen; the filters check again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

from graph.feed.candidate import Proposal
from graph.feed.query import FeedQuery
from graph.feed.sources.co_engagement import co_engagement
from graph.feed.sources.embedding import embedding
from graph.feed.sources.following import following
from graph.feed.sources.fresh import fresh
from graph.feed.sources.hashtag_affinity import hashtag_affinity
from graph.feed.sources.personal import personal
from graph.feed.sources.shared import popular, trending, viral
from graph.feed.sources.social import social
from graph.feed.sources.sound_affinity import sound_affinity


class CandidateSource(Protocol):
    @property
    def name(self) -> str: ...

    def fetch(self, query: FeedQuery) -> Proposal | None: ...


@dataclass(frozen=True)
class Source:
    """A named source function."""

    name: str
    run: Callable[[FeedQuery], Proposal | None]

    def fetch(self, query: FeedQuery) -> Proposal | None:
        return self.run(query)


SOURCES: Mapping[str, CandidateSource] = {
    source.name: source
    for source in (
        Source("following", following),
        Source("co_engagement", co_engagement),
        Source("personal", personal),
        Source("hashtag_affinity", hashtag_affinity),
        Source("sound_affinity", sound_affinity),
        Source("embedding", embedding),
        Source("trending", trending),
        Source("viral", viral),
        Source("popular", popular),
        Source("fresh", fresh),
        Source("social", social),
    )
}
