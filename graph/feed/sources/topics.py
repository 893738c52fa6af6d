"""Best videos of a group (a hashtag or a sound) at a request time: shared by the
hashtag and sound affinity sources.

A video's quality is its smoothed completion rate times recency,
``(completes + 3) / (views + 10) * 0.5 ** (age / half_life)``; each group's best are
ranked among its servable videos before the viewer's seen-check, so a viewer who
watched the group's best sees its next best rather than its long tail.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from graph.feed.catalogue.store import ACTIVE, COUNTER, Catalogue

Best = tuple[NDArray[np.int64], NDArray[np.float64]]
MEMO_MS = 60_000


def best_of_group(
    catalogue: Catalogue, kind: str, group: int, now: int, half_life_ms: int, limit: int
) -> Best:
    """The ``limit`` best servable videos of a hashtag (``kind`` "tag") or sound and their
    quality, best first; remembered until the read model changes (every request near in
    time asks for the same popular groups)."""
    # Requests within a minute share a list (recency barely moves the order in a minute;
    # the filters drop anything posted after a request's own time).
    bucket = now // MEMO_MS
    key = ("best", kind, group, bucket, half_life_ms, limit)
    found: Best | None = catalogue.memo.get(key)
    if found is None:
        groups = catalogue.by_tag if kind == "tag" else catalogue.by_sound
        found = _best(catalogue, groups.members(group), (bucket + 1) * MEMO_MS - 1,
                      half_life_ms, limit)  # fmt: skip
        catalogue.remember(key, found)
    return found


def _best(
    catalogue: Catalogue, members: NDArray[np.int32], now: int, half_life_ms: int, limit: int
) -> Best:
    videos = members.astype(np.int64)
    if videos.size == 0:
        return videos, np.zeros(0)
    created = catalogue.created_at[videos]
    keep = (catalogue.status[videos] == ACTIVE) & (created <= now)
    videos, created = videos[keep], created[keep]
    counters = catalogue.counters[videos]
    quality = (counters[:, COUNTER["completes"]] + 3.0) / (counters[:, COUNTER["views"]] + 10.0)
    quality *= 0.5 ** ((now - created) / half_life_ms)
    if videos.size > limit:
        top = np.argpartition(-quality, limit - 1)[:limit]
        videos, quality = videos[top], quality[top]
    order = np.lexsort((videos, -quality))
    return videos[order], quality[order]
