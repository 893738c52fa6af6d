"""trending, viral and popular: the shared non-personal lists (graph.feed.pools), each
ranked once for every viewer; per request, only what this viewer may see is kept."""

from __future__ import annotations

from graph.feed.candidate import Proposal
from graph.feed.query import FeedQuery


def _unseen(query: FeedQuery, name: str) -> Proposal:
    if query.pools is None:
        raise RuntimeError("the shared lists were not fetched")
    shared = query.pools.proposal(name, query.catalogue)
    return shared.take(query.unseen_servable(shared.numbers), query.config.sizes.per_source)


def trending(query: FeedQuery) -> Proposal | None:
    return _unseen(query, "trending")


def viral(query: FeedQuery) -> Proposal | None:
    return _unseen(query, "viral")


def popular(query: FeedQuery) -> Proposal | None:
    return _unseen(query, "popular")
