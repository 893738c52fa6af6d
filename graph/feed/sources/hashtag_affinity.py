"""hashtag_affinity: well-watched, recent videos under the hashtags the viewer engages
with most (or picked as interests), from the read model's per-hashtag lists."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from graph.feed.candidate import Proposal
from graph.feed.query import FeedQuery
from graph.feed.sources.topics import best_of_group


def hashtag_affinity(query: FeedQuery) -> Proposal | None:
    profile, sizes = query.profile, query.config.sizes
    top = profile.top(profile.hashtags, sizes.affinity_hashtags)
    if not top:
        return None
    catalogue = query.catalogue
    strongest = top[0].weight
    parts, scores, names = [], [], []
    for tally in top:
        tag = catalogue.tags.number.get(tally.key)
        if tag is None:
            continue
        videos, quality = best_of_group(catalogue, "tag", tag, query.now,
                                        query.config.windows.half_life_ms,
                                        sizes.affinity_per_hashtag)  # fmt: skip
        parts.append(videos)
        scores.append(quality * (tally.weight / strongest))
        names += [tally.key] * videos.size
    if not parts:
        return Proposal.empty("hashtag_affinity")
    videos, part_scores = np.concatenate(parts), np.concatenate(scores)
    keep = query.unseen_servable(videos)
    videos, part_scores = videos[keep], part_scores[keep]
    kept_names = [name for name, kept in zip(names, keep.tolist(), strict=True) if kept]
    reached, inverse = np.unique(videos, return_inverse=True)
    totals = np.bincount(inverse, weights=part_scores, minlength=reached.size)
    order = np.lexsort((reached, -totals))[: sizes.per_source]
    tags_of: dict[int, list[tuple[float, str]]] = {}
    for video, score, name in zip(videos.tolist(), part_scores.tolist(), kept_names, strict=True):
        tags_of.setdefault(video, []).append((score, name))

    def reason(number: int) -> Mapping[str, Any]:
        return {"hashtags": [name for _, name in sorted(tags_of[number], key=lambda t: -t[0])]}

    return Proposal("hashtag_affinity", reached[order], totals[order], reason)
