"""One feed request's state as it moves through the pipeline (X's home-mixer "query").

The query hydrator (the viewer read) fills in the viewer; candidate sources, filters,
the scorer and the selector then only read from it and from the process's read model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from graph.feed.candidate import SourceHit
from graph.feed.catalogue.neighbours import Neighbourhood
from graph.feed.catalogue.store import ACTIVE, Catalogue
from graph.feed.config import FeedConfig
from graph.feed.cursor import Cursor
from graph.feed.model import Controls, FeedRequest
from graph.feed.pools import PoolLists
from graph.feed.profile import UserProfile
from graph.feed.viewer import Viewer

if TYPE_CHECKING:
    from graph.feed.pipeline import FeedPipeline


@dataclass
class FeedQuery:
    request: FeedRequest
    pipeline: FeedPipeline
    config: FeedConfig
    catalogue: Catalogue
    neighbours: Neighbourhood
    cursor: Cursor
    now: int
    viewer: Viewer
    #: Empty (no history, no tallies) when the pipeline does not profile the viewer.
    profile: UserProfile
    #: The request's controls merged with the viewer's stored settings.
    controls: Controls
    #: Diversity strength and exploration share: the request's, else the engine's.
    diversity: float = 0.5
    exploration: float = 0.1
    #: The shared non-personal lists (trending, viral, popular) for this *now*; None
    #: where fetching them failed (those sources are then dropped for the request).
    pools: PoolLists | None = None
    #: Videos served by this process whose impressions are not written yet.
    pending_served: frozenset[str] = frozenset()
    #: The viewer's vector (stored, or folded in from their history), when the pipeline
    #: profiles them and there is one.
    vector: NDArray[np.float32] | None = field(default=None)

    @property
    def user_id(self) -> str:
        return self.request.user_id

    @cached_property
    def seen(self) -> frozenset[str]:
        """What the viewer must not be shown again: seen in the graph, served by this
        process behind the response, or earlier in this feed session (the cursor)."""
        return self.viewer.seen | self.pending_served | frozenset(self.cursor.served)

    @cached_property
    def seen_numbers(self) -> NDArray[np.int64]:
        """The read model's numbers of :attr:`seen`, sorted."""
        return np.unique(np.array(self.catalogue.numbers(self.seen), dtype=np.int64))

    @cached_property
    def seen_mask(self) -> NDArray[np.bool_]:
        """Over the catalogue: whether the viewer saw each video (one byte a video)."""
        mask = np.zeros(self.catalogue.size, dtype=bool)
        mask[self.seen_numbers] = True
        return mask

    def unseen_servable(self, numbers: NDArray[np.int64]) -> NDArray[np.bool_]:
        """Per video number: servable at the request's time and not seen by the viewer."""
        catalogue = self.catalogue
        kept: NDArray[np.bool_] = (
            (catalogue.status[numbers] == ACTIVE)
            & (catalogue.created_at[numbers] <= self.now)
            & ~self.seen_mask[numbers]
        )
        return kept

    def new_hits(self, hits: Sequence[SourceHit], limit: int) -> list[SourceHit]:
        """The first ``limit`` hits the viewer may be shown (servable now, not seen)."""
        number = self.catalogue.number
        numbers = np.array([number.get(hit.video_id, -1) for hit in hits], dtype=np.int64)
        known = numbers >= 0
        keep = np.zeros(len(hits), dtype=bool)
        keep[known] = self.unseen_servable(numbers[known])
        return [hit for hit, kept in zip(hits, keep.tolist(), strict=True) if kept][:limit]

    def servable(self, number: int) -> bool:
        """Active and already posted at the request's time."""
        catalogue = self.catalogue
        return bool(catalogue.status[number] == ACTIVE and catalogue.created_at[number] <= self.now)

    def new_to_viewer(self, number: int) -> bool:
        return self.servable(number) and self.catalogue.ids[number] not in self.seen

    @cached_property
    def servable_mask(self) -> NDArray[np.bool_]:
        """Over the whole catalogue: servable and not seen (for the sources that scan every
        video, such as the embedding's nearest neighbours)."""
        catalogue = self.catalogue
        size = catalogue.size
        mask = (catalogue.status[:size] == ACTIVE) & (catalogue.created_at[:size] <= self.now)
        mask &= ~self.seen_mask
        found: NDArray[np.bool_] = mask
        return found
