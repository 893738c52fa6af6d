"""Filters: each a named predicate that keeps or removes a candidate, cheapest first.

Every filter reads the request (:class:`~graph.feed.query.FeedQuery`: the cursor, the
viewer read, the controls) and the read model; none queries the database. Each reports
how many it kept and removed. Sources already leave out what the viewer saw; these
filters hold whatever a source proposes.
"""

from __future__ import annotations

from graph.feed.filters.base import Filter
from graph.feed.filters.blocked_creator import blocked_creator
from graph.feed.filters.in_session import already_in_session
from graph.feed.filters.muted_keyword import muted_keyword
from graph.feed.filters.not_interested import not_interested
from graph.feed.filters.own_video import own_video
from graph.feed.filters.seen import already_seen
from graph.feed.filters.unavailable import unavailable

#: In order, cheapest first.
FILTERS: tuple[Filter, ...] = (
    already_in_session,
    unavailable,
    already_seen,
    own_video,
    not_interested,
    blocked_creator,
    muted_keyword,
)

__all__ = ["FILTERS", "Filter"]
