"""sound_affinity: well-watched, recent videos using the sounds the viewer engages with
most, from the read model's per-sound lists (each video keeps its best sound)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from graph.feed.candidate import Proposal
from graph.feed.query import FeedQuery
from graph.feed.sources.topics import best_of_group


def sound_affinity(query: FeedQuery) -> Proposal | None:
    profile, sizes = query.profile, query.config.sizes
    top = profile.top(profile.sounds, sizes.affinity_sounds)
    if not top:
        return None
    catalogue = query.catalogue
    strongest = top[0].weight
    best: dict[int, tuple[float, int]] = {}
    for tally in top:
        sound = catalogue.sounds.number.get(tally.key)
        if sound is None:
            continue
        videos, quality = best_of_group(catalogue, "sound", sound, query.now,
                                        query.config.windows.half_life_ms,
                                        sizes.affinity_per_sound)  # fmt: skip
        if not videos.size:
            continue
        keep = query.unseen_servable(videos)
        weight = tally.weight / strongest
        for number, value in zip(videos[keep].tolist(), quality[keep].tolist(), strict=True):
            score = weight * value
            if number not in best or score > best[number][0]:
                best[number] = (score, sound)
    ranked = sorted(best, key=lambda n: (-best[n][0], catalogue.ids[n]))[: sizes.per_source]

    def reason(number: int) -> Mapping[str, Any]:
        facts = catalogue.sound_facts[best[number][1]]
        return {"soundId": facts.key, "soundTitle": facts.title}

    return Proposal(
        "sound_affinity",
        np.array(ranked, dtype=np.int64),
        np.array([best[n][0] for n in ranked], dtype=np.float64),
        reason,
    )
