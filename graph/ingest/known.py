"""The ids an import may point to: looked up in the database once, in batches.

Records may only point to ids that exist, in the database or earlier in the same
import. Instead of one existence query per record, each batch asks once per kind
of id for those it has not seen yet, and the answers (yes and no) are kept for
the rest of the import.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from graph.db import Record
from graph.ingest.validate import Entity, Ref

ENTITIES: tuple[Entity, ...] = ("user", "video", "hashtag", "sound")

#: ``lookup(entity, ids)``: the stored ones among ``ids`` (see graph.ingest.target).
Lookup = Callable[[Entity, list[str]], list[Record]]


class KnownIds:
    """What exists, as far as this import has asked or written."""

    def __init__(self) -> None:
        self._present: dict[Entity, set[str]] = {entity: set() for entity in ENTITIES}
        self._absent: dict[Entity, set[str]] = {entity: set() for entity in ENTITIES}
        self._durations: dict[str, int] = {}

    def has(self, entity: Entity, key: str) -> bool:
        return key in self._present[entity]

    def duration_ms(self, video_id: str) -> int | None:
        return self._durations.get(video_id)

    def add(self, entity: Entity, key: str, duration_ms: int | None = None) -> None:
        """``key`` exists now (written by this import, or found in the database)."""
        self._present[entity].add(key)
        self._absent[entity].discard(key)
        if duration_ms is not None:
            self._durations[key] = duration_ms

    def unresolved(self, refs: Iterable[Ref]) -> dict[Entity, list[str]]:
        """Ids of ``refs`` this import knows nothing about yet, by entity."""
        wanted: dict[Entity, set[str]] = {}
        for ref in refs:
            if ref.key not in self._present[ref.entity] and ref.key not in self._absent[ref.entity]:
                wanted.setdefault(ref.entity, set()).add(ref.key)
        return {entity: sorted(keys) for entity, keys in wanted.items()}

    def resolve(self, lookup: Lookup, refs: Iterable[Ref]) -> None:
        """Look up the unresolved ids of ``refs``: one read per entity, not per id."""
        for entity, keys in self.unresolved(refs).items():
            found = lookup(entity, keys)
            for row in found:
                self.add(entity, row["id"], row.get("durationMs"))
            self._absent[entity].update(set(keys) - {row["id"] for row in found})
