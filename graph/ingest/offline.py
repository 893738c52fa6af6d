"""The offline bulk path: the graph an online import would leave, as importer files.

:class:`OfflineGraph` is an :class:`~graph.ingest.target.ImportTarget` for an empty
database. It takes the batches the :class:`~graph.ingest.pipeline.Importer` makes (the
same validation, rejects, id resolution, batch boundaries and time order as online),
applies the rules of the ``cypher/ingest`` files to an in-memory graph, and writes the
CSV files ``neo4j-admin database import full`` takes. Each rule below names the file
it mirrors; ``tests/integration/test_ingest_offline.py`` loads one world both ways
and compares every node, relationship, property and counter.

What is held in memory: nodes with their counters, and one small record per
relationship whose properties later events change (follows, likes, not-interested,
one per (user, video) and type of counted event). Event nodes are never changed
after they are created, so they go to disk as their batch is applied; relationships
that never change (POSTED, TAGGED, USES_SOUND) too.

Because the database starts empty, every id the importer passes on is new (it
already drops repeats within an import), and every id it points to was written
earlier in the same import.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import IO, Any

from graph.db import Record
from graph.ingest.aggregate import COUNTED_TYPES, CountedBatch, aggregate
from graph.ingest.validate import Entity, EventRow, FollowRow, Kind, Row, UserRow, VideoRow

# -- the files and their columns (neo4j-admin's header syntax) ---------------------
_USER_COLUMNS = (
    "id:ID(User)", ":LABEL", "name", "createdAt:long", "followers:long",
    "following:long", "videos:long", "changedAt:long",
)  # fmt: skip
#: Every counter a new video starts with at 0 (ingest/videos), in file order.
VIDEO_COUNTERS = (
    "views", "viewers", "completes", "completionSum", "watchMsSum", "rewatches", "likes",
    "shares", "comments", "skips", "notInterested", "impressions", "follows",
)  # fmt: skip
_VIDEO_COLUMNS = (
    "id:ID(Video)", "createdAt:long", "durationMs:long", "changedAt:long", "caption",
    "status", *(f"{name}:{'double' if name == 'completionSum' else 'long'}"
                for name in VIDEO_COUNTERS),
)  # fmt: skip
# Nothing points at an Event node, so its id is a plain property, not an importer ID:
# the importer then keeps no id map of a million events (a third of its time).
_EVENT_COLUMNS = (
    "id", "type", "at:long", "userId", "videoId", "watchMs:long",
    "completion:double", "rewatches:long", "requestId", "targetKind", "targetId",
)  # fmt: skip
#: An Event node's cells, from a validated row (every key present, None for none).
_event_cells = itemgetter(*(column.split(":")[0] for column in _EVENT_COLUMNS))

#: A relationship type, its end labels and its property columns.
_PAIR_COLUMNS: dict[str, tuple[str, ...]] = {
    "view": ("count:long", "watchMs:long", "completion:double", "rewatches:long",
             "firstAt:long", "lastAt:long"),
    "impression": ("count:long", "firstAt:long", "lastAt:long", "requestId"),
    "share": ("count:long", "firstAt:long", "lastAt:long"),
    "comment": ("count:long", "firstAt:long", "lastAt:long"),
    "skip": ("count:long", "lastAt:long"),
}  # fmt: skip
_PAIR_TYPES = {
    "view": "VIEWED",
    "impression": "SERVED",
    "share": "SHARED",
    "comment": "COMMENTED",
    "skip": "SKIPPED",
}
#: A not_interested target kind: the label of its node.
_TARGET_LABEL = {"video": "Video", "creator": "User", "hashtag": "Hashtag", "sound": "Sound"}


@dataclass(frozen=True)
class ImporterFiles:
    """What to hand ``neo4j-admin database import full``: (label or type, CSV file) pairs.

    One argument per file: the importer reads the header of a group's first file only,
    and the files of one type (NOT_INTERESTED to videos, users, ...) differ in theirs.
    """

    nodes: list[tuple[str, Path]] = field(default_factory=list)
    relationships: list[tuple[str, Path]] = field(default_factory=list)
    #: Files with a value that holds a line break (the importer then reads them slower).
    multiline: list[Path] = field(default_factory=list)

    def arguments(self) -> list[str]:
        args = [f"--nodes={label}={path}" for label, path in self.nodes]
        args += [f"--relationships={kind}={path}" for kind, path in self.relationships]
        if self.multiline:
            args.append(f"--multiline-fields={','.join(map(str, self.multiline))}")
        return args

    def add_node_file(self, label: str, out: _Csv) -> None:
        self.nodes.append((label, out.close()))
        if out.multiline:
            self.multiline.append(out.path)

    def add_relationship_file(self, kind: str, out: _Csv) -> None:
        self.relationships.append((kind, out.close()))
        if out.multiline:
            self.multiline.append(out.path)


@dataclass
class _User:
    name: str | None
    createdAt: int | None
    followers: int = 0
    following: int = 0
    creator: bool = False
    videos: int | None = None
    changedAt: int | None = None


@dataclass
class _Sound:
    title: str | None
    videos: int = 0


class _Csv:
    """One CSV file, header first; ``None`` is an empty cell (no property).

    The csv module writes a float as its repr(): the shortest text that reads back as
    the same double, so a sum stored offline equals the one Cypher adds up online, to
    the last bit.
    """

    def __init__(self, path: Path, header: Iterable[str]) -> None:
        self.path = path
        self._handle: IO[str] = path.open("w", encoding="utf-8", newline="")
        self._write = csv.writer(self._handle, lineterminator="\n").writerow
        self._write(header)
        self.rows = 0
        #: Whether a value holds a line break (known once closed).
        self.multiline = False

    def row(self, values: Iterable[Any]) -> None:
        self.rows += 1
        self._write(values)

    def close(self) -> Path:
        """Close the file, and find out whether any value holds a line break: then the
        file has more line breaks than lines (the csv module quotes such a value)."""
        self._handle.close()
        breaks = 0
        with self.path.open("rb") as handle:
            while chunk := handle.read(1 << 22):
                breaks += chunk.count(b"\n") + chunk.count(b"\r")
        self.multiline = breaks != self.rows + 1
        return self.path


class OfflineGraph:
    """An import target that builds the graph in memory and writes importer files."""

    overlap_writes = False
    empty = True

    def __init__(self, folder: Path, *, now_ms: int | None = None) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        # What ``timestamp()`` stamps online (changedAt, read by the API's read models).
        self.now_ms = int(time.time() * 1000) if now_ms is None else now_ms
        self.users: dict[str, _User] = {}
        self.videos: dict[str, dict[str, Any]] = {}
        self.hashtags: dict[str, int] = {}
        self.sounds: dict[str, _Sound] = {}
        self.follows: dict[tuple[str, str], int | None] = {}
        self.likes: dict[tuple[str, str], int] = {}
        self.not_interested: dict[tuple[str, str, str], int] = {}
        self.pairs: dict[str, dict[tuple[str, str], dict[str, Any]]] = {
            kind: {} for kind in _PAIR_TYPES
        }
        self.events = 0
        self._rows: dict[str, Callable[[Any], int]] = {
            "users": self._user,
            "creators": self._creator,
            "videos": self._video,
            "follows": self._follow_row,
        }
        self._ordered: dict[str, Callable[[EventRow], None]] = {
            "like": self._like,
            "unlike": self._like,
            "follow": self._follow_event,
            "unfollow": self._follow_event,
            "not_interested": self._not_interested,
        }
        self._events = _Csv(folder / "events.csv", _EVENT_COLUMNS)
        self._posted = _Csv(folder / "posted.csv", (":START_ID(User)", ":END_ID(Video)", "at:long"))
        self._tagged = _Csv(folder / "tagged.csv", (":START_ID(Video)", ":END_ID(Hashtag)"))
        self._uses_sound = _Csv(folder / "uses_sound.csv", (":START_ID(Video)", ":END_ID(Sound)"))

    @property
    def where(self) -> str:
        return f"the offline import files in {self.folder}"

    # -- ImportTarget ---------------------------------------------------------------
    def lookup(self, entity: Entity, ids: list[str]) -> list[Record]:
        """Nothing is stored before the import: the database starts empty."""
        return []

    def write_rows(self, kind: Kind, rows: list[Row]) -> int:
        apply = self._rows[kind]
        return sum(apply(row) for row in rows)

    def write_events(self, events: list[EventRow]) -> int:
        """One batch, as graph.ingest.events.write_events applies it in one transaction.

        Every event leaves an Event node with the properties the row carries: the
        validated row of each type holds exactly what its Cypher file stores, and
        None (no property) elsewhere.
        """
        row = self._events.row
        for event in events:
            row(_event_cells(event))
        counted = [event for event in events if event["type"] in COUNTED_TYPES]
        if counted:
            self._counted(aggregate(counted, event_nodes=False))
        # Likes, follows and not-interested in time order (stable), as their files take
        # them; each touches what only its own kind touches, so the three interleave
        # here as they would run one file after the other.
        ordered = [event for event in events if event["type"] not in COUNTED_TYPES]
        for event in sorted(ordered, key=lambda event: event["at"]):
            self._ordered[event["type"]](event)
        self.events += len(events)
        return len(events)

    # -- rows (ingest/users, creators, videos, follows) -----------------------------
    def _user(self, row: UserRow) -> int:
        """ingest/users: MERGE the user, keep known fields a row leaves out."""
        user = self.users.get(row["id"])
        if user is None:
            self.users[row["id"]] = _User(row["name"], row["createdAt"])
            return 1
        user.name = row["name"] if row["name"] is not None else user.name
        user.createdAt = row["createdAt"] if row["createdAt"] is not None else user.createdAt
        return 0

    def _creator(self, row: UserRow) -> int:
        """ingest/creators: a user with the Creator label and a videos counter."""
        self._user(row)
        user = self.users[row["id"]]
        created = not user.creator
        user.creator = True
        user.videos = user.videos or 0
        user.changedAt = self.now_ms  # new (or changed): the read models refresh it
        return int(created)

    def _video(self, row: VideoRow) -> int:
        """ingest/videos for a new video: counters at 0, POSTED, TAGGED, USES_SOUND."""
        creator = self.users[row["creatorId"]]
        creator.creator = True
        creator.videos = (creator.videos or 0) + 1
        creator.changedAt = self.now_ms
        video: dict[str, Any] = {name: 0 for name in VIDEO_COUNTERS}
        video["completionSum"] = 0.0
        video.update(
            createdAt=row["createdAt"],
            durationMs=row["durationMs"],
            changedAt=self.now_ms,
            caption=row["caption"],
            status=row["status"] or "active",
        )
        self.videos[row["id"]] = video
        self._posted.row((row["creatorId"], row["id"], row["createdAt"]))
        for tag in row["hashtags"]:
            self.hashtags[tag] = self.hashtags.get(tag, 0) + 1
            self._tagged.row((row["id"], tag))
        if row["soundId"] is not None:
            sound = self.sounds.get(row["soundId"])
            if sound is None:
                sound = self.sounds[row["soundId"]] = _Sound(row["soundTitle"])
            elif row["soundTitle"] is not None:
                sound.title = row["soundTitle"]
            sound.videos += 1
            self._uses_sound.row((row["id"], row["soundId"]))
        return 1

    def _follow_row(self, row: FollowRow) -> int:
        """ingest/follows (no unfollow Event exists yet: interactions load last)."""
        key = (row["userId"], row["creatorId"])
        if key in self.follows:
            return 0
        self.follows[key] = row["at"]
        self.users[row["userId"]].following += 1
        self.users[row["creatorId"]].followers += 1
        return 1

    # -- interactions -----------------------------------------------------------------
    def _counted(self, batch: CountedBatch) -> None:
        """graph.ingest.events._write_counted: counters, Event nodes, one row per pair."""
        for row in batch.video_rows():  # ingest/video_counters
            video = self.videos[row["id"]]
            for name, value in row.items():
                if name != "id":
                    video[name] += value
        for kind, rows in batch.pairs.items():  # ingest/pairs_*
            stored = self.pairs[kind]
            for pair in rows:
                key = (pair["userId"], pair["videoId"])
                old = stored.get(key)
                if old is None:
                    stored[key] = pair
                    if kind == "view":  # ingest/video_viewers
                        self.videos[pair["videoId"]]["viewers"] += 1
                    continue
                _merge_pair(kind, old, pair)

    def _like(self, event: EventRow) -> None:
        """ingest/events_like: one LIKED at most; unlike removes it."""
        video_id = event["videoId"]
        assert video_id is not None  # validation requires it for likes
        key = (event["userId"], video_id)
        video = self.videos[video_id]
        if event["type"] == "like" and key not in self.likes:
            self.likes[key] = event["at"]
            video["likes"] += 1
        elif event["type"] == "unlike" and key in self.likes:
            del self.likes[key]
            video["likes"] -= 1

    def _follow_event(self, event: EventRow) -> None:
        """ingest/events_follow: a stale unfollow does not end a later follow."""
        target = event["targetId"]
        assert target is not None  # validation sets it for follows
        key = (event["userId"], target)
        user, followed = self.users[event["userId"]], self.users[target]
        if event["type"] == "follow" and key not in self.follows:
            self.follows[key] = event["at"]
            user.following += 1
            followed.followers += 1
            if event["videoId"] is not None:
                self.videos[event["videoId"]]["follows"] += 1
        elif event["type"] == "unfollow" and key in self.follows:
            began = self.follows[key]
            if (event["at"] if began is None else began) <= event["at"]:
                del self.follows[key]
                user.following -= 1
                followed.followers -= 1

    def _not_interested(self, event: EventRow) -> None:
        """ingest/events_not_interested: created once, the first time wins."""
        kind, target = event["targetKind"], event["targetId"]
        assert kind is not None and target is not None  # validation sets both
        key = (kind, event["userId"], target)
        if key in self.not_interested:
            return
        self.not_interested[key] = event["at"]
        if kind == "video":
            self.videos[target]["notInterested"] += 1

    # -- the files --------------------------------------------------------------------
    def finish(self) -> ImporterFiles:
        """Write what is held in memory and close every file."""
        files = ImporterFiles()
        files.add_node_file("Event", self._events)
        files.add_relationship_file("POSTED", self._posted)
        files.add_relationship_file("TAGGED", self._tagged)
        files.add_relationship_file("USES_SOUND", self._uses_sound)

        users = _Csv(self.folder / "users.csv", _USER_COLUMNS)
        for user_id, user in self.users.items():
            users.row((
                user_id, "User;Creator" if user.creator else "User", user.name, user.createdAt,
                user.followers, user.following, user.videos, user.changedAt,
            ))  # fmt: skip
        files.add_node_file("User", users)
        videos = _Csv(self.folder / "videos.csv", _VIDEO_COLUMNS)
        for video_id, video in self.videos.items():
            videos.row((
                video_id, video["createdAt"], video["durationMs"], video["changedAt"],
                video["caption"], video["status"],
                *(video[name] for name in VIDEO_COUNTERS),
            ))  # fmt: skip
        files.add_node_file("Video", videos)
        hashtags = _Csv(self.folder / "hashtags.csv", ("name:ID(Hashtag)", "videos:long"))
        for name, count in self.hashtags.items():
            hashtags.row((name, count))
        files.add_node_file("Hashtag", hashtags)
        sounds = _Csv(self.folder / "sounds.csv", ("id:ID(Sound)", "title", "videos:long"))
        for sound_id, sound in self.sounds.items():
            sounds.row((sound_id, sound.title, sound.videos))
        files.add_node_file("Sound", sounds)

        follows = _Csv(self.folder / "follows.csv", (":START_ID(User)", ":END_ID(User)", "at:long"))
        for (user_id, followed), at in self.follows.items():
            follows.row((user_id, followed, at))
        files.add_relationship_file("FOLLOWS", follows)
        liked = _Csv(self.folder / "liked.csv", (":START_ID(User)", ":END_ID(Video)", "at:long"))
        for (user_id, video_id), at in self.likes.items():
            liked.row((user_id, video_id, at))
        files.add_relationship_file("LIKED", liked)
        for out in self._not_interested_files():
            files.add_relationship_file("NOT_INTERESTED", out)
        for kind, pairs in self.pairs.items():
            columns = _PAIR_COLUMNS[kind]
            keys = [column.split(":")[0] for column in columns]
            out = _Csv(
                self.folder / f"{_PAIR_TYPES[kind].lower()}.csv",
                (":START_ID(User)", ":END_ID(Video)", *columns),
            )
            cells = itemgetter("userId", "videoId", *keys)
            for pair in pairs.values():
                out.row(cells(pair))
            files.add_relationship_file(_PAIR_TYPES[kind], out)
        return files

    def _not_interested_files(self) -> list[_Csv]:
        outs = {
            kind: _Csv(
                self.folder / f"not_interested_{kind}.csv",
                (":START_ID(User)", f":END_ID({label})", "at:long"),
            )
            for kind, label in _TARGET_LABEL.items()
        }
        for (kind, user_id, target), at in self.not_interested.items():
            outs[kind].row((user_id, target, at))
        return list(outs.values())


def _merge_pair(kind: str, old: dict[str, Any], new: dict[str, Any]) -> None:
    """ingest/pairs_*: a later batch's row added to the stored relationship."""
    old["count"] += new["count"]
    if kind == "view":
        old["watchMs"] += new["watchMs"]
        old["completion"] = max(old["completion"], new["completion"])
        old["rewatches"] += new["rewatches"]
    if kind == "impression" and new["lastAt"] >= old["lastAt"]:
        # Compared with the stored lastAt, so before lastAt moves (as the file does).
        old["requestId"] = new["requestId"] if new["requestId"] is not None else old["requestId"]
    if "firstAt" in old:
        old["firstAt"] = min(old["firstAt"], new["firstAt"])
    old["lastAt"] = max(old["lastAt"], new["lastAt"])
