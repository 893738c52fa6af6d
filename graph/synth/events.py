"""A columnar table of interaction events: compact while generating, rows on demand."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum

import numpy as np

from graph.synth.arrays import IntArray


class EventType(IntEnum):
    """Interaction types the generator emits (names as in the import format)."""

    VIEW = 0
    LIKE = 1
    SHARE = 2
    COMMENT = 3
    SKIP = 4
    NOT_INTERESTED = 5
    FOLLOW = 6

    @property
    def wire_name(self) -> str:
        return self.name.lower()


#: Marks an absent value in the integer columns (no video, no watch time, ...).
NONE = -1


@dataclass(frozen=True)
class Events:
    """One row per event; ``video``/``creator``/``watch_ms``/``rewatches`` may be NONE.

    ``creator`` is the *user index* of the followed account (follow events).
    """

    kind: IntArray
    user: IntArray
    video: IntArray
    creator: IntArray
    at: IntArray
    watch_ms: IntArray
    rewatches: IntArray

    def __len__(self) -> int:
        return len(self.kind)

    @classmethod
    def build(
        cls,
        kind: EventType,
        user: IntArray,
        at: IntArray,
        *,
        video: IntArray | None = None,
        creator: IntArray | None = None,
        watch_ms: IntArray | None = None,
        rewatches: IntArray | None = None,
    ) -> Events:
        size = len(user)

        def column(values: IntArray | None) -> IntArray:
            if values is None:
                return np.full(size, NONE, dtype=np.int64)
            return np.asarray(values, dtype=np.int64)

        return cls(
            kind=np.full(size, int(kind), dtype=np.int64),
            user=column(user),
            video=column(video),
            creator=column(creator),
            at=column(at),
            watch_ms=column(watch_ms),
            rewatches=column(rewatches),
        )

    @classmethod
    def concat(cls, parts: Sequence[Events]) -> Events:
        """All parts in one table, ordered by time (ties: by type, then input order)."""
        joined = cls(
            **{
                name: np.concatenate([getattr(part, name) for part in parts])
                if parts
                else np.zeros(0, dtype=np.int64)
                for name in ("kind", "user", "video", "creator", "at", "watch_ms", "rewatches")
            }
        )
        order = np.lexsort((joined.kind, joined.at))
        return joined.take(order)

    def take(self, index: IntArray) -> Events:
        return Events(
            kind=self.kind[index],
            user=self.user[index],
            video=self.video[index],
            creator=self.creator[index],
            at=self.at[index],
            watch_ms=self.watch_ms[index],
            rewatches=self.rewatches[index],
        )

    def of(self, kind: EventType) -> Events:
        return self.take(np.flatnonzero(self.kind == int(kind)))
