"""The catalogue read model: every video's facts in flat columns, in process memory.

What a feed request needs about videos depends only on the catalogue, not on the
viewer: who posted each one, its sound and hashtags, its counters, status, age and
embedding. Reading them from Neo4j for every request (the old ``feed/hydrate``) made a
feed cost a 300-video query; here they are kept once per process, as numpy columns
indexed by a dense video number, and kept current by :mod:`graph.feed.catalogue.sync`.

Memory is linear in the catalogue: per video a few numeric columns, its id and caption
strings, a tuple of hashtag numbers and, once embeddings exist, a float32 vector
(:meth:`Catalogue.memory` reports it; README, "Serving"). Creators, sounds and hashtags
are tables of their own, referenced by number.

Only the event loop thread mutates a catalogue; readers see a consistent state because
a request never awaits between reading two columns.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

#: The video counters kept per video, in column order (docs/model.md).
COUNTERS: tuple[str, ...] = (
    "views",
    "viewers",
    "completes",
    "completionSum",
    "watchMsSum",
    "rewatches",
    "likes",
    "shares",
    "comments",
    "skips",
    "notInterested",
    "impressions",
    "follows",
)
COUNTER = {name: column for column, name in enumerate(COUNTERS)}
#: Status codes of the ``status`` column.
ACTIVE, REMOVED = 0, 1
_INITIAL_CAPACITY = 1024
#: Derived values remembered at most (see :meth:`Catalogue.remember`).
MEMO_ENTRIES = 10_000


@dataclass
class Creator:
    """One creator's facts (the API's creator row and what the scorer reads)."""

    id: str
    name: str | None = None
    created_at: int | None = None
    followers: int = 0
    following: int = 0
    videos: int = 0
    #: Authenticity score in [0, 1] from ``fyp creators authenticity --store``; None = never.
    authenticity: float | None = None

    def row(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "createdAt": self.created_at,
            "followers": self.followers,
            "following": self.following,
            "videos": self.videos,
            "isCreator": True,
        }


@dataclass
class Named:
    """A sound or hashtag: its key, an optional title, and how many videos use it."""

    key: str
    title: str | None = None
    videos: int = 0


@dataclass
class Table:
    """Entities by number, with a lookup by key; numbers never change or get reused."""

    keys: list[str] = field(default_factory=list)
    number: dict[str, int] = field(default_factory=dict)

    def numbers(self, keys: Iterable[str]) -> list[int]:
        """The numbers of the keys this table knows (others are left out)."""
        number = self.number
        return [found for found in map(number.get, keys) if found is not None]

    def intern(self, key: str) -> int:
        found = self.number.get(key)
        if found is None:
            found = self.number[key] = len(self.keys)
            self.keys.append(key)
        return found


class Groups:
    """Video numbers per group (a creator, sound or hashtag): compact, append-only arrays
    with removal by rebuild (a video changes creator, sound or hashtags rarely)."""

    def __init__(self) -> None:
        self._members: dict[int, array[int]] = {}

    def add(self, group: int, video: int) -> None:
        members = self._members.get(group)
        if members is None:
            members = self._members[group] = array("i")
        members.append(video)

    def remove(self, group: int, video: int) -> None:
        members = self._members.get(group)
        if members is not None:
            self._members[group] = array("i", (v for v in members if v != video))

    def members(self, group: int) -> NDArray[np.int32]:
        found = self._members.get(group)
        if not found:
            return np.zeros(0, dtype=np.int32)
        return np.frombuffer(found, dtype=np.int32)

    def nbytes(self) -> int:
        return sum(sys.getsizeof(members) for members in self._members.values()) + sys.getsizeof(
            self._members
        )


@dataclass(frozen=True)
class Memory:
    """What the read model holds, in bytes, and per video."""

    videos: int
    bytes: int

    @property
    def bytes_per_video(self) -> float:
        return self.bytes / self.videos if self.videos else 0.0


class Catalogue:
    """Every video's facts, by dense number (see the module docstring)."""

    def __init__(self) -> None:
        self.size = 0
        self.ids: list[str] = []
        self.number: dict[str, int] = {}
        self.captions: list[str] = []
        self.hashtags: list[tuple[int, ...]] = []
        capacity = _INITIAL_CAPACITY
        self.created_at = np.zeros(capacity, dtype=np.int64)
        self.duration_ms = np.zeros(capacity, dtype=np.int64)
        self.status = np.zeros(capacity, dtype=np.int8)
        self.creator = np.full(capacity, -1, dtype=np.int32)
        self.sound = np.full(capacity, -1, dtype=np.int32)
        self.counters = np.zeros((capacity, len(COUNTERS)), dtype=np.float64)
        #: Embeddings (float32, one row per video) once any video has one; ``has_vector``
        #: says which rows hold one (dimension changes start the matrix over).
        self.vectors: NDArray[np.float32] | None = None
        self.has_vector = np.zeros(capacity, dtype=bool)
        self.creators = Table()
        self.creator_facts: list[Creator] = []
        #: Each creator's authenticity (NaN: never assessed), by creator number: the scorer
        #: reads it for a whole slate at once.
        self._authenticity = np.full(_INITIAL_CAPACITY, np.nan)
        self.sounds = Table()
        self.sound_facts: list[Named] = []
        self.tags = Table()
        self.tag_facts: list[Named] = []
        self.by_creator = Groups()
        self.by_sound = Groups()
        self.by_tag = Groups()
        #: Video numbers sorted by ``createdAt`` (the fresh pool and "newest" lists).
        self._by_time = np.zeros(0, dtype=np.int64)
        self._times = np.zeros(0, dtype=np.int64)
        #: Bumped on every change; :attr:`memo` (derived lists, such as a hashtag's best
        #: videos at a request time) is emptied with it.
        self.version = 0
        self.memo: dict[Hashable, Any] = {}

    def _changed(self) -> None:
        self.version += 1
        self.memo.clear()

    def remember(self, key: Hashable, value: Any) -> None:
        """Keep a derived value until the catalogue changes (bounded: emptied when full)."""
        if len(self.memo) >= MEMO_ENTRIES:
            self.memo.clear()
        self.memo[key] = value

    # -- growth -------------------------------------------------------------------------

    def _grow(self, needed: int) -> None:
        capacity = self.created_at.shape[0]
        if needed <= capacity:
            return
        while capacity < needed:
            capacity *= 2
        self.created_at = _resized(self.created_at, capacity, 0)
        self.duration_ms = _resized(self.duration_ms, capacity, 0)
        self.status = _resized(self.status, capacity, 0)
        self.creator = _resized(self.creator, capacity, -1)
        self.sound = _resized(self.sound, capacity, -1)
        self.counters = _resized(self.counters, capacity, 0)
        self.has_vector = _resized(self.has_vector, capacity, False)
        if self.vectors is not None:
            self.vectors = _resized(self.vectors, capacity, 0)

    # -- writes -------------------------------------------------------------------------

    def upsert_videos(self, rows: Iterable[Mapping[str, Any]], *, vectors: bool = True) -> int:
        """Insert or refresh videos from ``catalogue/videos`` rows; returns how many.
        ``vectors=False``: the rows did not ask for embeddings; keep the stored ones."""
        added: list[int] = []
        moved = False
        count = 0
        changed = False
        for row in rows:
            count += 1
            video_id = str(row["id"])
            number = self.number.get(video_id)
            if number is None:
                number = self.size
                self._grow(number + 1)
                self.size += 1
                self.ids.append(video_id)
                self.number[video_id] = number
                self.captions.append("")
                self.hashtags.append(())
                added.append(number)
            elif int(row.get("createdAt") or 0) != int(self.created_at[number]):
                moved = True
            changed |= self._set_video(number, row, vectors)
        if added and not moved:
            self._insert_by_time(added)
        elif moved or added:
            self._sort_by_time()
        if changed or added:
            self._changed()
        return count

    def _set_video(self, number: int, row: Mapping[str, Any], vectors: bool) -> bool:
        """Store one row; whether anything the feed ranks by changed (not creator counts)."""
        status = ACTIVE if (row.get("status") or "active") == "active" else REMOVED
        counters = [float(row.get(name) or 0) for name in COUNTERS]
        changed = (
            status != self.status[number]
            or counters != self.counters[number].tolist()
            or self.captions[number] != (row.get("caption") or "")
        )
        self.created_at[number] = int(row.get("createdAt") or 0)
        self.duration_ms[number] = int(row.get("durationMs") or 0)
        self.status[number] = status
        self.captions[number] = row.get("caption") or ""
        self.counters[number] = counters
        creator = row.get("creator")
        changed |= self._regroup(self.by_creator, self.creator, number,
                                 self._creator(creator) if creator else -1)  # fmt: skip
        sound = row.get("sound")
        changed |= self._regroup(self.by_sound, self.sound, number, self._named(
            sound, self.sounds, self.sound_facts, "id") if sound else -1)  # fmt: skip
        tags = tuple(
            dict.fromkeys(self._named(tag, self.tags, self.tag_facts, "name")
                          for tag in row.get("hashtags") or ())
        )  # fmt: skip
        old = self.hashtags[number]
        if tags != old:
            for tag in set(old) - set(tags):
                self.by_tag.remove(tag, number)
            for tag in tags:
                if tag not in old:
                    self.by_tag.add(tag, number)
            self.hashtags[number] = tags
            changed = True
        if vectors:
            changed |= self._set_vector(number, row.get("embedding"))
        return changed

    def _regroup(self, groups: Groups, column: NDArray[np.int32], number: int, group: int) -> bool:
        old = int(column[number])
        if old == group:
            return False
        if old >= 0:
            groups.remove(old, number)
        if group >= 0:
            groups.add(group, number)
        column[number] = group
        return True

    def _creator(self, row: Mapping[str, Any]) -> int:
        number = self.creators.intern(str(row["id"]))
        if number == len(self.creator_facts):
            self.creator_facts.append(Creator(str(row["id"])))
            if number >= self._authenticity.size:
                self._authenticity = _resized(self._authenticity, 2 * self._authenticity.size,
                                              np.nan)  # fmt: skip
        facts = self.creator_facts[number]
        _update_creator(facts, row)
        self._authenticity[number] = np.nan if facts.authenticity is None else facts.authenticity
        return number

    def _named(
        self, row: Mapping[str, Any], table: Table, facts: list[Named], key: str
    ) -> int:  # fmt: skip
        number = table.intern(str(row[key]))
        if number == len(facts):
            facts.append(Named(str(row[key])))
        named = facts[number]
        if row.get("title") is not None:
            named.title = row["title"]
        named.videos = int(row.get("videos") or named.videos or 0)
        return number

    def _set_vector(self, number: int, vector: Sequence[float] | None) -> bool:
        """Store a video's vector (None removes it); whether it changed."""
        if not vector:
            had = bool(self.has_vector[number])
            self.has_vector[number] = False
            return had
        if self.vectors is None or self.vectors.shape[1] != len(vector):
            # A new embedding space (first run, or other dimensions): older rows are stale.
            self.vectors = np.zeros((self.created_at.shape[0], len(vector)), dtype=np.float32)
            self.has_vector[:] = False
        new = np.asarray(vector, dtype=np.float32)
        if self.has_vector[number] and np.array_equal(self.vectors[number], new):
            return False
        self.vectors[number] = new
        self.has_vector[number] = True
        return True

    def update_creators(self, rows: Iterable[Mapping[str, Any]]) -> int:
        """Refresh creators from ``catalogue/creators`` rows (followers, authenticity...)."""
        count = 0
        for row in rows:
            self._creator(row)
            count += 1
        if count:
            self._changed()
        return count

    def remove_videos(self, video_ids: Iterable[str]) -> int:
        """Mark deleted videos as removed (numbers are never reused; they stop being served)."""
        removed = 0
        for video_id in video_ids:
            number = self.number.get(video_id)
            if number is not None and self.status[number] != REMOVED:
                self.status[number] = REMOVED
                removed += 1
        if removed:
            self._changed()
        return removed

    def _insert_by_time(self, added: list[int]) -> None:
        new = np.array(added, dtype=np.int64)
        times = self.created_at[new]
        order = np.argsort(times, kind="stable")
        new, times = new[order], times[order]
        at = np.searchsorted(self._times, times, side="right")
        self._by_time = np.insert(self._by_time, at, new)
        self._times = np.insert(self._times, at, times)

    def _sort_by_time(self) -> None:
        order = np.argsort(self.created_at[: self.size], kind="stable").astype(np.int64)
        self._by_time = order
        self._times = self.created_at[order]

    # -- reads --------------------------------------------------------------------------

    def get(self, video_id: str) -> int | None:
        return self.number.get(video_id)

    def numbers(self, video_ids: Iterable[str]) -> list[int]:
        """The numbers of the ids the catalogue knows (unknown ids are skipped)."""
        number = self.number
        return [found for found in map(number.get, video_ids) if found is not None]

    def newest(self, since: int, until: int, limit: int) -> NDArray[np.int64]:
        """Up to ``limit`` videos created in ``(since, until]``, newest first."""
        start = int(np.searchsorted(self._times, since, side="right"))
        end = int(np.searchsorted(self._times, until, side="right"))
        return self._by_time[max(start, end - limit) : end][::-1]

    @property
    def latest_created_at(self) -> int | None:
        return int(self._times[-1]) if self._times.size else None

    def creator_of(self, number: int) -> Creator | None:
        creator = int(self.creator[number])
        return self.creator_facts[creator] if creator >= 0 else None

    def authenticity_of(self, numbers: NDArray[np.int64]) -> NDArray[np.float64]:
        """The creator's authenticity per video (NaN: no creator, or never assessed)."""
        creators = self.creator[numbers]
        found: NDArray[np.float64] = np.where(
            creators >= 0, self._authenticity[np.maximum(creators, 0)], np.nan
        )
        return found

    def sound_of(self, number: int) -> Named | None:
        sound = int(self.sound[number])
        return self.sound_facts[sound] if sound >= 0 else None

    def tag_names(self, number: int) -> tuple[str, ...]:
        keys = self.tags.keys
        return tuple(keys[tag] for tag in self.hashtags[number])

    def counter(self, number: int, name: str) -> int:
        return int(self.counters[number, COUNTER[name]])

    def vector(self, number: int) -> NDArray[np.float32] | None:
        if self.vectors is None or not self.has_vector[number]:
            return None
        vector: NDArray[np.float32] = self.vectors[number]
        return vector

    def api_row(self, video_id: str) -> dict[str, Any] | None:
        """The video as the API's ``api/videos_by_id`` row (creator, sound, hashtags inline)."""
        number = self.number.get(video_id)
        if number is None or self.status[number] == REMOVED:
            return None
        counters = self.counters[number]
        row: dict[str, Any] = {
            name: (float(counters[column]) if name in ("completionSum", "watchMsSum")
                   else int(counters[column]))
            for column, name in enumerate(COUNTERS)
        }  # fmt: skip
        creator = self.creator_of(number)
        sound = self.sound_of(number)
        tags = [self.tag_facts[tag] for tag in self.hashtags[number]]
        row.update(
            id=video_id,
            createdAt=int(self.created_at[number]),
            durationMs=int(self.duration_ms[number]),
            caption=self.captions[number],
            status="active",
            creatorId=creator.id if creator else None,
            soundId=sound.key if sound else None,
            hashtags=[tag.key for tag in tags],
            creator=creator.row() if creator else None,
            sound={"id": sound.key, "title": sound.title, "videos": sound.videos}
            if sound
            else None,
            hashtagRows=[{"name": tag.key, "videos": tag.videos} for tag in tags],
        )
        return row

    def memory(self) -> Memory:
        """Bytes held for the videos (columns, strings, groups) and their entity tables."""
        arrays = (
            self.created_at, self.duration_ms, self.status, self.creator, self.sound,
            self.counters, self.has_vector, self._by_time, self._times, self._authenticity,
        )  # fmt: skip
        total = sum(column.nbytes for column in arrays)
        if self.vectors is not None:
            total += self.vectors.nbytes
        total += _strings(self.ids) + _strings(self.captions) + _dict_bytes(self.number)
        total += sys.getsizeof(self.hashtags) + sum(sys.getsizeof(t) for t in self.hashtags)
        total += sum(groups.nbytes() for groups in (self.by_creator, self.by_sound, self.by_tag))
        for table in (self.creators, self.sounds, self.tags):
            total += _strings(table.keys) + _dict_bytes(table.number)
        total += sum(sys.getsizeof(c) + sys.getsizeof(c.__dict__) for c in self.creator_facts)
        total += sum(sys.getsizeof(n) for n in (*self.sound_facts, *self.tag_facts))
        return Memory(videos=self.size, bytes=int(total))


def _update_creator(creator: Creator, row: Mapping[str, Any]) -> None:
    creator.name = row.get("name", creator.name)
    created = row.get("createdAt")
    creator.created_at = int(created) if created is not None else creator.created_at
    for name in ("followers", "following", "videos"):
        if name in row:
            setattr(creator, name, int(row.get(name) or 0))
    if "authenticity" in row:
        value = row.get("authenticity")
        creator.authenticity = None if value is None else float(value)


def _resized(column: NDArray[Any], capacity: int, fill: Any) -> NDArray[Any]:
    grown = np.full((capacity, *column.shape[1:]), fill, dtype=column.dtype)
    grown[: column.shape[0]] = column
    return grown


def _strings(values: list[str]) -> int:
    return sys.getsizeof(values) + sum(sys.getsizeof(value) for value in values)


def _dict_bytes(mapping: dict[str, int]) -> int:
    # Keys are the strings counted with their list; the values are small ints or shared.
    return sys.getsizeof(mapping) + sum(sys.getsizeof(v) for v in mapping.values() if v > 256)
