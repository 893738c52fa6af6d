"""When the feed runs dry: it widens, it does not end.

The sources propose what the graph says this viewer would like; a viewer who scrolls
long enough sees all of it. Rather than a short page and then an empty one, the
widening feeds (For You, non-personalised) take two more steps, each only when the
page could not be filled well from what came before:

1. :func:`long_tail`: every video the viewer has not seen, from the whole read model:
   older uploads and the long tail beyond the trending, popular and fresh windows,
   best-engaging first (a smoothed rate, so a video with few views is not ranked on
   luck). In memory and always there, it is also the floor that fills a page when
   sources failed or timed out.
2. :func:`resurfaced`: when not one unseen video is left, what the viewer saw longest
   ago (one more indexed read, :file:`cypher/feed/resurface.cypher`), with this
   session's items last. So a seen video never shows while an unseen one could; the
   page where the unseen ones run out may be short, the next is full again.

The filters still apply (removed, blocked, not interested, muted keywords, the
viewer's own videos), so a page is empty only when the catalogue holds nothing else
the viewer may see. Each step's items say so in their explanation.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray

from graph.db import AsyncGraph
from graph.feed.candidate import Proposal
from graph.feed.catalogue.store import COUNTER
from graph.feed.query import FeedQuery
from graph.feed.slate import Slate

LONG_TAIL, RESURFACED = "long_tail", "resurfaced"
#: Widen when fewer candidates than this many pages are left after the filters: the
#: diversifier needs choice beyond exactly one page to keep creators apart.
WIDEN_BELOW_PAGES = 2
#: Pseudo-views in the long tail's engagement prior (a video with 3 views and 3 likes
#: is not ranked above one with 1,000 views and 400 likes).
PRIOR_VIEWS = 20.0


def long_tail(query: FeedQuery, exclude: NDArray[np.int64]) -> Proposal:
    """Unseen, servable videos not already proposed, best smoothed engagement first."""
    catalogue = query.catalogue
    mask = query.servable_mask.copy()
    mask[exclude] = False
    videos = np.flatnonzero(mask).astype(np.int64)
    if not videos.size:
        return Proposal.empty(LONG_TAIL)
    counters = catalogue.counters[videos]
    engaged = (
        counters[:, COUNTER["completes"]]
        + counters[:, COUNTER["likes"]]
        + counters[:, COUNTER["shares"]]
    )
    views = counters[:, COUNTER["views"]]
    scores = (engaged + 1.0) / (views + PRIOR_VIEWS)
    limit = query.config.sizes.max_candidates
    if videos.size > limit:
        best = np.argpartition(-scores, limit - 1)[:limit]
        videos, scores = videos[best], scores[best]
    # Best first; ties to the newer upload, then the lower number (deterministic).
    order = np.lexsort((videos, -catalogue.created_at[videos], -scores))

    def reason(number: int) -> Mapping[str, Any]:
        return {
            "postedAt": int(catalogue.created_at[number]),
            "views": catalogue.counter(number, "views"),
            "likes": catalogue.counter(number, "likes"),
        }

    return Proposal(LONG_TAIL, videos[order], scores[order], reason)


async def resurfaced(graph: AsyncGraph, query: FeedQuery, timeout_s: float) -> Proposal:
    """What the viewer saw longest ago (servable now), oldest first; what this session
    already served goes last, oldest served first."""
    catalogue = query.catalogue
    limit = query.config.sizes.max_candidates
    records = await graph.read(
        "feed/resurface", timeout_s=timeout_s, userId=query.user_id, limit=limit
    )
    row = records[0] if records else {}
    seen_at = dict(zip(row.get("videoIds") or (), row.get("at") or (), strict=True))
    session = list(dict.fromkeys(query.cursor.served))
    in_session = set(session)
    ids = [video for video in seen_at if video not in in_session] + session
    found = [(number, video) for video in ids if (number := catalogue.get(video)) is not None]
    numbers = np.array([number for number, _ in found], dtype=np.int64)
    if not numbers.size:
        return Proposal.empty(RESURFACED)
    keep = np.array([query.servable(int(number)) for number in numbers], dtype=bool)
    numbers = numbers[keep][:limit]
    last_seen = {number: seen_at.get(video) for number, video in found}
    # Raw scores fall with the position, so the oldest contact ranks first.
    scores = 1.0 - np.arange(numbers.size) / max(1, numbers.size)

    def reason(number: int) -> Mapping[str, Any]:
        at = last_seen.get(number)
        return {"lastSeenAt": at, "agoMs": None if at is None else max(0, query.now - at)}

    return Proposal(RESURFACED, numbers, scores, reason)


def page_ranking(slate: Slate) -> NDArray[np.float64]:
    """What the selector ranks by: the scores, unless some rows are re-served; then every
    unseen row (in (1, 2)) ranks above every re-served one (in (0.25, 0.75], the longest
    unseen first), and the values stay positive (the diversifier divides by the best)."""
    scores = slate.scores if slate.scores is not None else np.zeros(len(slate))
    again = slate.proposed_by(RESURFACED)
    if not again.any():
        return scores
    ranking = 1.0 + scores
    raw = slate.raw[:, slate.sources.index(RESURFACED)]
    ranking[again] = 0.25 + 0.5 * raw[again]
    return ranking
