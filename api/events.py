"""Mutations for what a viewer does, and for creators publishing.

Each takes a client ``eventId``: replaying it (a retry after a timeout, an offline
queue flushed twice) changes nothing and answers ``ALREADY_RECORDED``. Events are
stored under ``<userId>/<eventId>``, so two clients that number their events alike
never collide.

Time is the server's: an event is stamped when it arrives. A client may send ``at`` for
an event it queued while offline, up to :data:`MAX_CLIENT_AGE` old and at most
:data:`MAX_CLIENT_SKEW` ahead of the server's clock; anything else is ``BAD_INPUT``
(older history goes through ``fyp import``), so no client can move the graph's clock.
Writes go through the ingestion code (the same rules and counters as
file imports), synchronously in a worker thread; the next ``feed`` sees them.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

import strawberry
from starlette.concurrency import run_in_threadpool

from api.context import Context, Info, gql_mutation
from api.types import Creator, Video, to_ms
from graph.embed.foldin import fold_in_new_videos
from graph.errors import ClientError, NotFoundError
from graph.ingest import import_records, record_event
from graph.names import normalise_hashtag

MAX_EVENT_ID = 200
MAX_CAPTION = 2200
MAX_HASHTAGS = 30
#: How old a client's ``at`` may be: an offline queue flushed the next day.
MAX_CLIENT_AGE = timedelta(hours=24)
#: How far ahead of the server a client's clock may run.
MAX_CLIENT_SKEW = timedelta(minutes=5)


@strawberry.enum
class EventStatus(Enum):
    RECORDED = "loaded"
    ALREADY_RECORDED = "already_present"


@strawberry.type
class EventPayload:
    event_id: strawberry.ID
    status: EventStatus
    video: Video | None = None
    creator: Creator | None = None


@strawberry.input(one_of=True, description="Exactly one thing the viewer is not interested in.")
class NotInterestedTarget:
    video_id: strawberry.ID | None = strawberry.UNSET
    creator_id: strawberry.ID | None = strawberry.UNSET
    hashtag: str | None = strawberry.UNSET
    sound_id: strawberry.ID | None = strawberry.UNSET


@strawberry.input
class SoundInput:
    id: strawberry.ID
    title: str | None = None


def event_time(at: datetime | None, now_ms: int) -> int:
    """When an event happened, in ms: the server's clock, or the client's ``at`` when it
    falls inside the accepted window."""
    if at is None:
        return now_ms
    at_ms = to_ms(at)
    ahead_ms = at_ms - now_ms
    if ahead_ms > MAX_CLIENT_SKEW / timedelta(milliseconds=1):
        raise ClientError(
            f"`at` is {_span(ahead_ms)} ahead of the server's clock (at most "
            f"{_span(MAX_CLIENT_SKEW)} of clock skew is accepted); omit `at` and the "
            "server stamps the event."
        )
    if -ahead_ms > MAX_CLIENT_AGE / timedelta(milliseconds=1):
        raise ClientError(
            f"`at` is {_span(-ahead_ms)} in the past; the API takes events up to "
            f"{_span(MAX_CLIENT_AGE)} old (older history is loaded with `fyp import`)."
        )
    return at_ms


def _span(span: timedelta | int) -> str:
    seconds = span.total_seconds() if isinstance(span, timedelta) else span / 1000
    if seconds >= 2 * 86_400:
        return f"{seconds / 86_400:.0f} days"
    if seconds >= 2 * 3600:
        return f"{seconds / 3600:.0f} hours"
    if seconds >= 120:
        return f"{seconds / 60:.0f} minutes"
    return f"{seconds:.0f} seconds"


def stored_event_id(user_id: str, event_id: str) -> str:
    if not event_id or len(event_id) > MAX_EVENT_ID:
        raise ClientError(f"`eventId` must be 1 to {MAX_EVENT_ID} characters.")
    return f"{user_id}/{event_id}"


async def _video(context: Context, video_id: str) -> Video:
    row = await context.loaders.video.load(video_id)
    if row is None:
        raise NotFoundError(f"No video with id {video_id!r}.")
    return Video.from_row(row)


async def _creator(context: Context, creator_id: str) -> Creator:
    row = await context.loaders.user.load(creator_id)
    if row is None or not row.get("isCreator"):
        raise NotFoundError(f"No creator with id {creator_id!r}.")
    return Creator.from_row(row)


async def _record(
    info: Info, user_id: str | None, event_id: str, type_: str, at: datetime | None, **fields: Any
) -> tuple[EventStatus, str]:
    context = info.context
    user = context.acting_user(user_id)  # checked again: cheap, and no path can skip it
    event = {
        "eventId": stored_event_id(user, event_id),
        "type": type_,
        "userId": user,
        "at": event_time(at, context.services.clock()),
        **{name: value for name, value in fields.items() if value is not None},
    }
    status = await run_in_threadpool(record_event, context.services.sync_graph, event)
    context.loaders.forget(fields.get("videoId"), [user, *filter(None, [fields.get("creatorId")])])
    return EventStatus(status), user


async def _video_event(
    info: Info,
    type_: str,
    event_id: str,
    video_id: str,
    at: datetime | None,
    user_id: str | None,
    **fields: Any,
) -> EventPayload:
    info.context.acting_user(user_id)  # who may write comes before what exists
    await _video(info.context, video_id)  # NOT_FOUND before anything is written
    status, _ = await _record(info, user_id, event_id, type_, at, videoId=video_id, **fields)
    return EventPayload(
        event_id=strawberry.ID(event_id), status=status, video=await _video(info.context, video_id)
    )


ID = strawberry.ID
OptionalID = strawberry.ID | None


@strawberry.type
class EventMutation:
    @gql_mutation("A view: watch time, completion and rewatches (loops).")
    async def record_view(
        self,
        info: Info,
        event_id: ID,
        video_id: ID,
        watch_ms: int | None = None,
        completed: bool | None = None,
        rewatches: int = 0,
        at: datetime | None = None,
        user_id: OptionalID = None,
    ) -> EventPayload:
        info.context.acting_user(user_id)
        video = await _video(info.context, video_id)
        if watch_ms is None:
            if not completed:
                raise ClientError("Give `watchMs`, or `completed: true` for a full view.")
            watch_ms = video.duration_ms
        elif completed and watch_ms < video.duration_ms:
            # Clients that only know "played to the end" still count as a complete.
            watch_ms = video.duration_ms
        return await _video_event(
            info, "view", event_id, video_id, at, user_id, watchMs=watch_ms, rewatches=rewatches
        )

    @strawberry.mutation
    async def like(
        self, info: Info, event_id: ID, video_id: ID, at: datetime | None = None,
        user_id: OptionalID = None,
    ) -> EventPayload:  # fmt: skip
        return await _video_event(info, "like", event_id, video_id, at, user_id)

    @strawberry.mutation
    async def unlike(
        self, info: Info, event_id: ID, video_id: ID, at: datetime | None = None,
        user_id: OptionalID = None,
    ) -> EventPayload:  # fmt: skip
        return await _video_event(info, "unlike", event_id, video_id, at, user_id)

    @strawberry.mutation
    async def share(
        self, info: Info, event_id: ID, video_id: ID, at: datetime | None = None,
        user_id: OptionalID = None,
    ) -> EventPayload:  # fmt: skip
        return await _video_event(info, "share", event_id, video_id, at, user_id)

    @gql_mutation("A comment (the graph keeps the signal, not the text).")
    async def comment(
        self, info: Info, event_id: ID, video_id: ID, at: datetime | None = None,
        user_id: OptionalID = None,
    ) -> EventPayload:  # fmt: skip
        return await _video_event(info, "comment", event_id, video_id, at, user_id)

    @gql_mutation("Swiped away in the first seconds.")
    async def skip(
        self, info: Info, event_id: ID, video_id: ID, at: datetime | None = None,
        user_id: OptionalID = None,
    ) -> EventPayload:  # fmt: skip
        return await _video_event(info, "skip", event_id, video_id, at, user_id)

    @strawberry.mutation
    async def follow(
        self, info: Info, event_id: ID, creator_id: ID, video_id: OptionalID = None,
        at: datetime | None = None, user_id: OptionalID = None,
    ) -> EventPayload:  # fmt: skip
        return await _follow_event(info, "follow", event_id, creator_id, video_id, at, user_id)

    @strawberry.mutation
    async def unfollow(
        self, info: Info, event_id: ID, creator_id: ID, at: datetime | None = None,
        user_id: OptionalID = None,
    ) -> EventPayload:  # fmt: skip
        return await _follow_event(info, "unfollow", event_id, creator_id, None, at, user_id)

    @gql_mutation("Hide a video, a creator, a hashtag or a sound from the feed.")
    async def not_interested(
        self, info: Info, event_id: ID, target: NotInterestedTarget, at: datetime | None = None,
        user_id: OptionalID = None,
    ) -> EventPayload:  # fmt: skip
        info.context.acting_user(user_id)
        if target.video_id:
            return await _video_event(
                info, "not_interested", event_id, target.video_id, at, user_id
            )
        if target.creator_id:
            await _creator(info.context, target.creator_id)
            status, _ = await _record(
                info, user_id, event_id, "not_interested", at, creatorId=target.creator_id
            )
            creator = await _creator(info.context, target.creator_id)
            return EventPayload(event_id=event_id, status=status, creator=creator)
        if target.hashtag:
            fields: dict[str, Any] = {"hashtag": normalise_hashtag(target.hashtag)}
        elif target.sound_id:
            fields = {"soundId": target.sound_id}
        else:
            raise ClientError("Say what you are not interested in: one of the target's fields.")
        status, _ = await _record(info, user_id, event_id, "not_interested", at, **fields)
        return EventPayload(event_id=event_id, status=status)

    @gql_mutation("A creator posts a video; the same eventId never posts twice.")
    async def publish_video(
        self,
        info: Info,
        event_id: ID,
        duration_ms: int,
        caption: str = "",
        hashtags: list[str] | None = None,
        sound: SoundInput | None = None,
        at: datetime | None = None,
        creator_id: OptionalID = None,
    ) -> EventPayload:
        context = info.context
        creator = context.acting_user(creator_id)
        if len(caption) > MAX_CAPTION:
            raise ClientError(f"A caption has at most {MAX_CAPTION} characters.")
        if len(hashtags or []) > MAX_HASHTAGS:
            raise ClientError(f"At most {MAX_HASHTAGS} hashtags per video.")
        video_id = published_video_id(creator, stored_event_id(creator, event_id))
        existed = await context.loaders.video.load(video_id) is not None
        video = {
            "id": video_id,
            "creatorId": creator,
            "createdAt": event_time(at, context.services.clock()),
            "durationMs": duration_ms,
            "caption": caption,
            "hashtags": [normalise_hashtag(tag) for tag in hashtags or []],
            "soundId": sound.id if sound else None,
            "soundTitle": sound.title if sound else None,
        }
        if not existed:
            # The video's creator gains the Creator label in the same write.
            report = await run_in_threadpool(
                import_records, context.services.sync_graph, {"videos": [video]}
            )
            if report.rejections:
                raise ClientError(f"video rejected: {report.rejections[0].reason}")
            # A vector from its creator, hashtags and sound, so the feed's fresh and
            # embedding sources can route it to its first audience before anyone watched.
            await run_in_threadpool(fold_in_new_videos, context.services.sync_graph, [video_id])
            # This process's feeds see the new video at once; other replicas within a
            # refresh tick (README, "Scaling out").
            context.services.feed.invalidate()
        context.loaders.forget(video_id, [creator])
        return EventPayload(
            event_id=event_id,
            status=EventStatus.ALREADY_RECORDED if existed else EventStatus.RECORDED,
            video=await _video(context, video_id),
        )


def published_video_id(creator: str, stored_event: str) -> str:
    """The id a published video gets: derived from its event, so a replay finds it."""
    return "pv" + hashlib.sha256(f"{creator}\x00{stored_event}".encode()).hexdigest()[:20]


async def _follow_event(
    info: Info,
    type_: str,
    event_id: str,
    creator_id: str,
    video_id: str | None,
    at: datetime | None,
    user_id: str | None,
) -> EventPayload:
    info.context.acting_user(user_id)
    await _creator(info.context, creator_id)
    if video_id is not None:
        await _video(info.context, video_id)
    status, _ = await _record(
        info, user_id, event_id, type_, at, creatorId=creator_id, videoId=video_id
    )
    return EventPayload(
        event_id=strawberry.ID(event_id),
        status=status,
        creator=await _creator(info.context, creator_id),
    )
