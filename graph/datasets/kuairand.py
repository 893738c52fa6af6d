"""KuaiRand-Pure (Kuaishou, CC BY-SA 4.0) as import-format records, and its import.

Source: the public KuaiRand subset in ``shared/datasets/kuairand-pure-subset``
(see its README); layouts in :mod:`graph.datasets.kuairand_layout`. Credit
"KuaiRand, Kuaishou Technology" wherever results are shown.

Mapping onto docs/model.md:

* **Ids** keep KuaiRand's id spaces apart: users ``u<user_id>``, creators
  ``a<author_id>`` (authors are not ``user_id`` s), videos ``v<video_id>``, sounds
  ``m<music_id>``, hashtags ``tag<id>`` for each category id of ``tag``
  (``"39,68"``; ``"unknown"`` means none).
* **Catalogue** (loaded whatever the parts): every video of ``item_features`` with
  ``createdAt`` = ``upload_dt`` at midnight Beijing time and ``durationMs`` =
  ``video_duration``; ``music_id`` 0 means no sound. The 239 image posts
  (``LongPicture``, ``PictureSet``, some ``ShortImport``) have no duration: they
  are skipped, and so is every event on them (counted in
  :attr:`KuaiRandConversion.skipped`), since a view of them has no completion.
  Creators are the authors of the videos loaded. Users are every user of
  ``user_features`` (27,285), including the 208 who have no event, so that a
  user first seen in the test days is a known user with no history (cold start)
  rather than an unknown id. The smoke sample has no feature tables: its users
  and videos are those its files mention. There is no follow-graph snapshot
  (``follows`` stays empty); ``FOLLOWS`` comes from follow events.
* **Interaction rows** (``val``, ``test``, smoke ``train``): every row is a
  ``view`` (``watchMs`` = ``play_time_ms``, which may be 0: the video was shown
  and swiped away; ``rewatches`` = whole loops, ``play_time_ms // duration``),
  plus ``like`` (``is_like``), ``share`` (``is_forward``), ``comment``
  (``is_comment``), ``not_interested`` in the video (``is_hate``) and ``follow`` of
  the video's author (``is_follow``, attributed to the video), all at ``time_ms``.
* **Training sequences** (``sequences``): see :mod:`graph.datasets.kuairand_sequences`
  for how views, long watches and likes without times become timed events.
* **Event ids** are ``kr:<part>:u<user>:v<video>:<time>:<type>``: deterministic,
  so importing again changes nothing. Rows that repeat (user, video, time) —
  about 3% of the splits, logged twice — are one event.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from graph.datasets.kuairand_layout import DEFAULT_PARTS, KuaiRandLayout
from graph.datasets.kuairand_sequences import BEIJING, sequence_events, watch_ms
from graph.db import Graph
from graph.ingest import ImportReport, import_records
from graph.ingest.imports import Destination

log = logging.getLogger(__name__)

ImportRecord = dict[str, Any]
SOURCE = "kuairand"
CREDIT = "KuaiRand, Kuaishou Technology, CC BY-SA 4.0"

#: Interaction flags and the event each one adds to the row's view.
FLAG_EVENTS = (
    ("is_like", "like"),
    ("is_forward", "share"),
    ("is_comment", "comment"),
    ("is_hate", "not_interested"),
    ("is_follow", "follow"),
)
ROW_COLUMNS = ("user_id", "video_id", "time_ms", "play_time_ms", *(f for f, _ in FLAG_EVENTS))
SEQUENCE_COLUMNS = ("user_id", "history_len", "last_time_ms", "watch_seq", "long_watch_seq",
                    "like_seq")  # fmt: skip
NO_DURATION = "no duration (image post)"
UNKNOWN_VIDEO = "video not in item_features"
_TAG_ID = re.compile(r"\d+")


@dataclass(frozen=True, slots=True)
class KuaiRandVideo:
    """What ``item_features`` says about one video."""

    video_id: int
    author_id: int
    created_at: int
    duration_ms: int | None
    hashtags: tuple[str, ...]
    music_id: int | None

    @property
    def record(self) -> ImportRecord:
        assert self.duration_ms is not None
        record: ImportRecord = {
            "id": f"v{self.video_id}",
            "creatorId": f"a{self.author_id}",
            "createdAt": self.created_at,
            "durationMs": self.duration_ms,
            "hashtags": list(self.hashtags),
        }
        if self.music_id is not None:
            record["soundId"] = f"m{self.music_id}"
        return record


def hashtags_of(tag: str | None) -> tuple[str, ...]:
    """``"39,68"`` -> ``("tag39", "tag68")``; ``"unknown"`` or empty -> ``()``."""
    return tuple(dict.fromkeys(f"tag{number}" for number in _TAG_ID.findall(tag or "")))


def upload_time_ms(upload_dt: str) -> int:
    """``"2022-04-10"`` -> midnight of that day in Beijing, epoch ms."""
    day = datetime.strptime(upload_dt, "%Y-%m-%d").replace(tzinfo=BEIJING)
    return int(day.timestamp() * 1000)


def event_id(part: str, user_id: int, video_id: int, at: int, kind: str) -> str:
    return f"kr:{part}:u{user_id}:v{video_id}:{at}:{kind}"


def read_rows(path: Path, columns: Sequence[str]) -> Iterator[dict[str, Any]]:
    """The rows of a parquet file as dicts of ``columns``, a batch at a time."""
    for batch in pq.ParquetFile(path).iter_batches(batch_size=65_536, columns=list(columns)):
        data = batch.to_pydict()
        for values in zip(*(data[column] for column in columns), strict=True):
            yield dict(zip(columns, values, strict=True))


def read_videos(path: Path) -> dict[int, KuaiRandVideo]:
    columns = ("video_id", "author_id", "upload_dt", "video_duration", "tag", "music_id")
    videos: dict[int, KuaiRandVideo] = {}
    for row in read_rows(path, columns):
        duration = row["video_duration"]
        videos[row["video_id"]] = KuaiRandVideo(
            video_id=row["video_id"],
            author_id=row["author_id"],
            created_at=upload_time_ms(row["upload_dt"]),
            duration_ms=round(duration) if duration is not None and duration > 0 else None,
            hashtags=hashtags_of(row["tag"]),
            music_id=row["music_id"] or None,
        )
    return videos


class _Reiterable:
    """An iterable that runs its generator afresh on each pass."""

    def __init__(self, make: Callable[[], Iterator[ImportRecord]]) -> None:
        self._make = make

    def __iter__(self) -> Iterator[ImportRecord]:
        return self._make()


class KuaiRandConversion:
    """The records of one KuaiRand folder, produced lazily.

    :attr:`skipped` counts, per kind, what the last pass over that kind left out
    on purpose (reason -> count); see the module docstring.
    """

    def __init__(self, layout: KuaiRandLayout, parts: Collection[str] = DEFAULT_PARTS) -> None:
        self.layout = layout
        self.parts = layout.check_parts(parts)
        self.catalogue = read_videos(layout.item_features)
        self.skipped: dict[str, Counter[str]] = {}
        self._wanted_videos: set[int] | None = None
        if layout.smoke:
            self._wanted_videos = self._mentioned_videos()

    @property
    def records(self) -> dict[str, Iterable[ImportRecord]]:
        return {
            "users": _Reiterable(self.users),
            "creators": _Reiterable(self.creators),
            "videos": _Reiterable(self.videos),
            "follows": [],
            "interactions": _Reiterable(self.interactions),
        }

    # -- catalogue -----------------------------------------------------------------
    def loaded_videos(self) -> Iterator[KuaiRandVideo]:
        """Catalogue videos that load: those with a duration (and, in smoke, mentioned)."""
        for video in self.catalogue.values():
            if self._wanted_videos is None or video.video_id in self._wanted_videos:
                yield video

    def users(self) -> Iterator[ImportRecord]:
        if self.layout.user_features is not None:
            user_ids: Iterable[int] = (
                row["user_id"] for row in read_rows(self.layout.user_features, ("user_id",))
            )
        else:
            user_ids = sorted(self._mentioned_users())
        for user_id in user_ids:
            yield {"id": f"u{user_id}"}

    def creators(self) -> Iterator[ImportRecord]:
        authors = {v.author_id for v in self.loaded_videos() if v.duration_ms is not None}
        for author_id in sorted(authors):
            yield {"id": f"a{author_id}"}

    def videos(self) -> Iterator[ImportRecord]:
        skipped = self.skipped["videos"] = Counter()
        for video in self.loaded_videos():
            if video.duration_ms is None:
                skipped[NO_DURATION] += 1
                continue
            yield video.record

    # -- events --------------------------------------------------------------------
    def interactions(self) -> Iterator[ImportRecord]:
        skipped = self.skipped["interactions"] = Counter()
        for part in self.parts:
            if part == "sequences":
                yield from self._sequence_events(skipped)
            else:
                yield from self._row_events(part, skipped)

    def _video(self, video_id: int, skipped: Counter[str], events: int) -> KuaiRandVideo | None:
        video = self.catalogue.get(video_id)
        if video is None:
            skipped[UNKNOWN_VIDEO] += events
            return None
        if video.duration_ms is None:
            skipped[NO_DURATION] += events
            return None
        return video

    def _row_events(self, part: str, skipped: Counter[str]) -> Iterator[ImportRecord]:
        for row in read_rows(self.layout.splits[part], ROW_COLUMNS):
            flags = [kind for flag, kind in FLAG_EVENTS if row[flag]]
            video = self._video(row["video_id"], skipped, 1 + len(flags))
            if video is None:
                continue
            assert video.duration_ms is not None
            user, at, play = row["user_id"], row["time_ms"], row["play_time_ms"]
            base = {"userId": f"u{user}", "videoId": f"v{video.video_id}", "at": at}
            yield {
                "eventId": event_id(part, user, video.video_id, at, "view"),
                "type": "view",
                **base,
                "watchMs": play,
                "rewatches": play // video.duration_ms,
            }
            for kind in flags:
                event = {"eventId": event_id(part, user, video.video_id, at, kind), "type": kind}
                if kind == "follow":
                    event["creatorId"] = f"a{video.author_id}"
                yield {**event, **base}

    def _sequence_events(self, skipped: Counter[str]) -> Iterator[ImportRecord]:
        for row in read_rows(self.layout.sequences, SEQUENCE_COLUMNS):
            user = row["user_id"]
            for event in sequence_events(
                row["watch_seq"],
                row["long_watch_seq"],
                row["like_seq"],
                last_time_ms=row["last_time_ms"],
                history_len=row["history_len"],
            ):
                video = self._video(event.video_id, skipped, 1)
                if video is None:
                    continue
                assert video.duration_ms is not None
                record: ImportRecord = {
                    "eventId": event_id("sequences", user, video.video_id, event.at, event.type),
                    "type": event.type,
                    "userId": f"u{user}",
                    "videoId": f"v{video.video_id}",
                    "at": event.at,
                }
                if event.type == "view":
                    record["watchMs"] = watch_ms(video.duration_ms, long=event.long)
                yield record

    # -- sizes, for progress bars ---------------------------------------------------
    def counts(self) -> dict[str, int]:
        """How many records each kind yields (reads the files; no records are built)."""
        users = (
            pq.ParquetFile(self.layout.user_features).metadata.num_rows
            if self.layout.user_features is not None
            else len(self._mentioned_users())
        )
        loaded = [video for video in self.loaded_videos() if video.duration_ms is not None]
        return {
            "users": users,
            "creators": len({video.author_id for video in loaded}),
            "videos": len(loaded),
            "follows": 0,
            "interactions": sum(self._count_part(part, loaded) for part in self.parts),
        }

    def _count_part(self, part: str, loaded: list[KuaiRandVideo]) -> int:
        loadable = {video.video_id for video in loaded}
        if part == "sequences":
            return sum(
                1
                for row in read_rows(self.layout.sequences, SEQUENCE_COLUMNS)
                for event in sequence_events(
                    row["watch_seq"],
                    row["long_watch_seq"],
                    row["like_seq"],
                    last_time_ms=row["last_time_ms"],
                    history_len=row["history_len"],
                )
                if event.video_id in loadable
            )
        columns = ["video_id", *(flag for flag, _ in FLAG_EVENTS)]
        table = pq.read_table(self.layout.splits[part], columns=columns)
        loads = pc.is_in(table["video_id"], value_set=pa.array(sorted(loadable), pa.int64()))
        total = pc.sum(loads.cast(pa.int64())).as_py() or 0
        for flag, _ in FLAG_EVENTS:
            flagged = pc.and_(loads, pc.not_equal(table[flag], 0))
            total += pc.sum(flagged.cast(pa.int64())).as_py() or 0
        return int(total)

    # -- what the smoke sample mentions ----------------------------------------------
    def _mentioned_users(self) -> set[int]:
        users = {row["user_id"] for row in read_rows(self.layout.sequences, ("user_id",))}
        for path in self.layout.splits.values():
            users.update(row["user_id"] for row in read_rows(path, ("user_id",)))
        return users

    def _mentioned_videos(self) -> set[int]:
        columns = ("watch_seq", "long_watch_seq", "like_seq")
        videos: set[int] = set()
        for row in read_rows(self.layout.sequences, columns):
            for column in columns:
                videos.update(row[column])
        for path in self.layout.splits.values():
            videos.update(row["video_id"] for row in read_rows(path, ("video_id",)))
        return videos


def kuairand_records(
    path: Path, parts: Collection[str] = DEFAULT_PARTS, *, smoke: bool = False
) -> dict[str, Iterable[ImportRecord]]:
    """Import-format records (docs/model.md) of the KuaiRand folder ``path``.

    ``parts`` chooses the events: ``sequences`` (training period), ``val``, ``test``
    (and the smoke sample's ``train``); the catalogue always loads whole. Each
    value can be iterated more than once; each pass reads the files again.
    """
    return KuaiRandConversion(KuaiRandLayout.detect(path, smoke=smoke), parts).records


def load_conversion(
    graph: Destination,
    conversion: KuaiRandConversion,
    *,
    batch_size: int = 5000,
    progress: Callable[[str, int], None] | None = None,
) -> ImportReport:
    """Load ``conversion``'s records through the ingestion pipeline."""
    report = import_records(
        graph, conversion.records, source=SOURCE, batch_size=batch_size, progress=progress
    )
    for kind, reasons in conversion.skipped.items():
        for reason, count in reasons.items():
            log.info("kuairand %s: skipped %d (%s)", kind, count, reason)
    return report


def import_kuairand(
    graph: Graph,
    path: Path,
    parts: Collection[str] = DEFAULT_PARTS,
    *,
    smoke: bool = False,
    batch_size: int = 5000,
    progress: Callable[[str, int], None] | None = None,
) -> ImportReport:
    """Load the KuaiRand folder ``path`` (``parts`` as in :func:`kuairand_records`)."""
    conversion = KuaiRandConversion(KuaiRandLayout.detect(path, smoke=smoke), parts)
    return load_conversion(graph, conversion, batch_size=batch_size, progress=progress)
