"""Validation of import records: pure functions, no database.

Two stages. :func:`validate` checks one raw record on its own (required fields,
types, event type, timestamps, watch-time bounds) and returns the row the Cypher
files take. :func:`check_refs` then checks it against the ids known to exist (in
the database or earlier in the same import) and finishes what needs them (a
view's completion needs its video's duration). Both raise :class:`Invalid` with a
reason a person can act on; rules are in docs/model.md.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any, Literal, NamedTuple, Protocol, TypedDict

from graph.ingest.timestamps import TimestampError, parse_timestamp
from graph.names import normalise_hashtag as normalise_hashtag  # re-exported for importers

Kind = Literal["users", "creators", "videos", "follows", "interactions"]
KINDS: tuple[Kind, ...] = ("users", "creators", "videos", "follows", "interactions")

Entity = Literal["user", "video", "hashtag", "sound"]

EVENT_TYPES = (
    "view", "like", "unlike", "share", "comment", "skip",
    "not_interested", "follow", "unfollow", "impression",
)  # fmt: skip
VIDEO_STATUSES = ("active", "removed")

DAY_MS = 24 * 60 * 60 * 1000
# A view may loop the video, but not more than this many times its length.
MAX_WATCH_OVER_DURATION = 100
# Whole loops of one view: the same bound as its watch time.
MAX_REWATCHES = MAX_WATCH_OVER_DURATION
# Completion (watch / duration) is capped so loops do not dominate averages.
MAX_COMPLETION = 5.0
# A view with at least this completion is a "complete" (docs/model.md).
COMPLETE_AT = 0.95


class Invalid(ValueError):
    """The record breaks a rule of the import format; ``str()`` is the reason."""


class UserRow(TypedDict):
    id: str
    name: str | None
    createdAt: int | None


class VideoRow(TypedDict):
    id: str
    creatorId: str
    createdAt: int
    durationMs: int
    caption: str | None
    hashtags: list[str]
    soundId: str | None
    soundTitle: str | None
    status: str | None


class FollowRow(TypedDict):
    userId: str
    creatorId: str
    at: int | None


class EventRow(TypedDict):
    id: str
    type: str
    at: int
    userId: str
    videoId: str | None
    # The target of follow / unfollow / not_interested: 'video', 'creator',
    # 'hashtag' or 'sound', and its id (a hashtag's normalised name).
    targetKind: str | None
    targetId: str | None
    watchMs: int | None
    completion: float | None
    rewatches: int | None
    requestId: str | None


Row = UserRow | VideoRow | FollowRow | EventRow


class Ref(NamedTuple):
    """An id a record points to; ``role`` names it in the rejection reason."""

    entity: Entity
    key: str
    role: str


class Known(Protocol):
    """What :func:`check_refs` needs to know about ids that exist."""

    def has(self, entity: Entity, key: str) -> bool: ...

    def duration_ms(self, video_id: str) -> int | None: ...


# -- field readers ---------------------------------------------------------------
def _present(raw: Mapping[str, Any], field: str) -> bool:
    value = raw.get(field)
    return value is not None and value != ""


def _required(raw: Mapping[str, Any], field: str) -> Any:
    if not _present(raw, field):
        raise Invalid(f"missing required field '{field}'")
    return raw[field]


def _id(raw: Mapping[str, Any], field: str, *, required: bool = True) -> str | None:
    if not _present(raw, field):
        if required:
            raise Invalid(f"missing required field '{field}'")
        return None
    value = raw[field]
    # JSON may carry numeric ids; CSV always gives strings. Both mean the same id.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise Invalid(f"field '{field}' must be a string id, got {value!r}")
    text = value.strip()
    if not text:
        raise Invalid(f"missing required field '{field}'")
    return text


def _text(raw: Mapping[str, Any], field: str) -> str | None:
    if not _present(raw, field):
        return None
    value = raw[field]
    if not isinstance(value, str):
        raise Invalid(f"field '{field}' must be text, got {value!r}")
    return value


def _int(raw: Mapping[str, Any], field: str) -> int:
    """A whole number from an int, an integral float or a decimal string (CSV)."""
    value = _required(raw, field)
    if isinstance(value, bool):
        raise Invalid(f"field '{field}' must be a number, got {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return round(value)
    if isinstance(value, str):
        text = value.strip()
        try:
            return int(text)
        except ValueError:
            try:
                number = float(text)
            except ValueError:
                number = math.nan
            if math.isfinite(number):
                return round(number)
    raise Invalid(f"field '{field}' must be a number, got {value!r}")


def _time(raw: Mapping[str, Any], field: str, *, required: bool = True) -> int | None:
    if not _present(raw, field):
        if required:
            raise Invalid(f"missing required field '{field}'")
        return None
    try:
        return parse_timestamp(raw[field])
    except TimestampError as error:
        raise Invalid(
            f"malformed timestamp in '{field}': {error} "
            "(expected epoch milliseconds or ISO-8601 with a time zone)"
        ) from None


def _hashtags(raw: Mapping[str, Any]) -> list[str]:
    if not _present(raw, "hashtags"):
        return []
    value = raw["hashtags"]
    if isinstance(value, str):  # CSV (and lenient JSON): '|'-separated
        value = value.split("|")
    if not isinstance(value, list) or not all(isinstance(tag, str) for tag in value):
        raise Invalid(f"field 'hashtags' must be a list of text, got {value!r}")
    names = (normalise_hashtag(tag) for tag in value)
    return list(dict.fromkeys(name for name in names if name))  # dedupe, keep order


# -- stage 1: one record on its own ------------------------------------------------
def validate_user(raw: Mapping[str, Any]) -> UserRow:
    return {
        "id": _required_id(raw, "id"),
        "name": _text(raw, "name"),
        "createdAt": _time(raw, "createdAt", required=False),
    }


def validate_video(raw: Mapping[str, Any]) -> VideoRow:
    video_id = _required_id(raw, "id")
    creator_id = _required_id(raw, "creatorId")
    created_at = _time(raw, "createdAt")
    duration = _int(raw, "durationMs")
    if duration <= 0:
        raise Invalid(f"bad duration: durationMs must be > 0, got {duration}")
    if duration > DAY_MS:
        raise Invalid(f"bad duration: durationMs {duration} is longer than 24 h")
    # No status keeps what the graph has (a new video starts active).
    status = _text(raw, "status")
    if status is not None and status not in VIDEO_STATUSES:
        raise Invalid(f"unknown status {status!r} (expected one of {', '.join(VIDEO_STATUSES)})")
    assert created_at is not None
    return {
        "id": video_id,
        "creatorId": creator_id,
        "createdAt": created_at,
        "durationMs": duration,
        "caption": _text(raw, "caption"),
        "hashtags": _hashtags(raw),
        "soundId": _id(raw, "soundId", required=False),
        "soundTitle": _text(raw, "soundTitle"),
        "status": status,
    }


def validate_follow(raw: Mapping[str, Any]) -> FollowRow:
    user_id = _required_id(raw, "userId")
    creator_id = _required_id(raw, "creatorId")
    if user_id == creator_id:
        raise Invalid(f"user '{user_id}' cannot follow themself")
    return {"userId": user_id, "creatorId": creator_id, "at": _time(raw, "at", required=False)}


def validate_event(raw: Mapping[str, Any]) -> EventRow:
    event_id = _required_id(raw, "eventId")
    kind = _required(raw, "type")
    if kind not in EVENT_TYPES:
        raise Invalid(f"unknown event type {kind!r} (expected one of {', '.join(EVENT_TYPES)})")
    user_id = _required_id(raw, "userId")
    at = _time(raw, "at")
    assert at is not None
    row: EventRow = {
        "id": event_id,
        "type": kind,
        "at": at,
        "userId": user_id,
        "videoId": _id(raw, "videoId", required=False),
        "targetKind": None,
        "targetId": None,
        "watchMs": None,
        "completion": None,
        "rewatches": None,
        "requestId": None,
    }
    if kind in ("follow", "unfollow"):
        row["targetKind"], row["targetId"] = "creator", _required_id(raw, "creatorId")
        if row["targetId"] == user_id:
            raise Invalid(f"user '{user_id}' cannot {kind} themself")
    elif kind == "not_interested":
        row["targetKind"], row["targetId"] = _not_interested_target(raw, row["videoId"])
    elif row["videoId"] is None:
        raise Invalid(f"missing required field 'videoId' (a {kind} event is about a video)")
    if kind == "view":
        row["watchMs"] = _watch_ms(raw)
        rewatches = _int(raw, "rewatches") if _present(raw, "rewatches") else 0
        if not 0 <= rewatches <= MAX_REWATCHES:
            raise Invalid(f"rewatches must be 0 to {MAX_REWATCHES} loops (got {rewatches})")
        row["rewatches"] = rewatches
    if kind == "impression":
        row["requestId"] = _text(raw, "requestId")
    return row


def _required_id(raw: Mapping[str, Any], field: str) -> str:
    value = _id(raw, field)
    assert value is not None
    return value


def _not_interested_target(raw: Mapping[str, Any], video_id: str | None) -> tuple[str, str]:
    # The most specific target wins: a frontend sends the video it was on as
    # context even when the viewer is not interested in its hashtag or creator.
    if _present(raw, "hashtag"):
        tag = _text(raw, "hashtag")
        name = normalise_hashtag(tag or "")
        if not name:
            raise Invalid("field 'hashtag' is empty after normalisation")
        return "hashtag", name
    if _present(raw, "soundId"):
        return "sound", _required_id(raw, "soundId")
    if _present(raw, "creatorId"):
        return "creator", _required_id(raw, "creatorId")
    if video_id is not None:
        return "video", video_id
    raise Invalid(
        "missing required field: a not_interested event needs one of "
        "'videoId', 'creatorId', 'hashtag' or 'soundId'"
    )


def _watch_ms(raw: Mapping[str, Any]) -> int:
    watch = _int(raw, "watchMs")
    if watch < 0:
        raise Invalid(f"negative watch time: watchMs {watch}")
    if watch > DAY_MS:
        raise Invalid(f"absurd watch time: watchMs {watch} is more than 24 h")
    return watch


VALIDATORS: dict[Kind, Callable[[Mapping[str, Any]], Any]] = {
    "users": validate_user,
    "creators": validate_user,
    "videos": validate_video,
    "follows": validate_follow,
    "interactions": validate_event,
}


def validate(kind: Kind, raw: Mapping[str, Any]) -> Row:
    """Stage 1: the row for ``kind``'s Cypher file, or :class:`Invalid`."""
    if not isinstance(raw, Mapping):
        raise Invalid(f"a record must be an object of fields, got {type(raw).__name__}")
    row: Row = VALIDATORS[kind](raw)
    return row


def dedupe_key(kind: Kind, row: Row) -> str | tuple[str, str]:
    """What makes two records of ``kind`` the same record (first one wins)."""
    if kind == "follows":
        follow: FollowRow = row  # type: ignore[assignment]
        return follow["userId"], follow["creatorId"]
    return row["id"]  # type: ignore[typeddict-item]


# -- stage 2: against the ids that exist ---------------------------------------------
_TARGET_ENTITY: dict[str, Entity] = {
    "video": "video",
    "creator": "user",
    "hashtag": "hashtag",
    "sound": "sound",
}


def refs_of(kind: Kind, row: Row) -> list[Ref]:
    """Ids ``row`` points to; each must exist for the row to load."""
    if kind == "videos":
        return [Ref("user", row["creatorId"], "creator")]  # type: ignore[typeddict-item]
    if kind == "follows":
        follow: FollowRow = row  # type: ignore[assignment]
        return [Ref("user", follow["userId"], "user"), Ref("user", follow["creatorId"], "creator")]
    if kind == "interactions":
        event: EventRow = row  # type: ignore[assignment]
        refs = [Ref("user", event["userId"], "user")]
        if event["videoId"] is not None:
            refs.append(Ref("video", event["videoId"], "video"))
        kind_of_target, target = event["targetKind"], event["targetId"]
        if kind_of_target is not None and target is not None and kind_of_target != "video":
            refs.append(Ref(_TARGET_ENTITY[kind_of_target], target, kind_of_target))
        return refs
    return []


def check_refs(kind: Kind, row: Row, known: Known) -> Row:
    """Stage 2: :class:`Invalid` for an unknown id; a view gains its completion."""
    for ref in refs_of(kind, row):
        if not known.has(ref.entity, ref.key):
            raise Invalid(f"unknown {ref.role} '{ref.key}'")
    if kind == "interactions" and row["type"] == "view":  # type: ignore[typeddict-item]
        event: EventRow = row  # type: ignore[assignment]
        assert event["videoId"] is not None and event["watchMs"] is not None
        duration = known.duration_ms(event["videoId"])
        if duration is None or duration <= 0:
            raise Invalid(f"video '{event['videoId']}' has no duration to measure a view against")
        event["completion"] = completion(event["watchMs"], duration)
    return row


def completion(watch_ms: int, duration_ms: int) -> float:
    """Watch time over duration, capped; :class:`Invalid` when absurdly long."""
    if watch_ms > MAX_WATCH_OVER_DURATION * duration_ms:
        raise Invalid(
            f"absurd watch time: watchMs {watch_ms} is over {MAX_WATCH_OVER_DURATION} times "
            f"the video's duration ({duration_ms} ms)"
        )
    return min(watch_ms / duration_ms, MAX_COMPLETION)
