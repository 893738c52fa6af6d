"""The viewer's side of a request: one indexed read (``feed/viewer``), then pure parsing.

Everything that depends on the viewer is read fresh for every request, so a like, a
follow or a "not interested" recorded a moment ago shapes the very next page; what
depends only on the catalogue comes from the process's read model
(:mod:`graph.feed.catalogue`). The read returns ids only; the videos' creators, sounds
and hashtags are looked up in the read model when the profile is built.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from graph.db import AsyncGraph
from graph.errors import NotFoundError
from graph.feed.catalogue.store import Catalogue
from graph.feed.config import FeedConfig
from graph.feed.profile import Interaction, Signals, UserProfile, profile_from
from graph.settings_store import UserSettings


@dataclass(frozen=True)
class SocialLike:
    video_id: str
    liker_id: str
    liker_name: str | None
    at: int

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> SocialLike:
        return cls(row["videoId"], row["likerId"], row.get("likerName"), int(row.get("at") or 0))


@dataclass(frozen=True)
class Viewer:
    """What the one viewer read returned (see ``cypher/feed/viewer.cypher``)."""

    user_id: str
    name: str | None = None
    settings: UserSettings = field(default_factory=UserSettings)
    embedding: tuple[float, ...] | None = None
    following_count: int = 0
    following: tuple[str, ...] = ()
    #: The raw rows of the newest interactions (the profile is built from them).
    recent: tuple[Mapping[str, Any], ...] = ()
    seen: frozenset[str] = frozenset()
    muted_videos: frozenset[str] = frozenset()
    muted_creators: frozenset[str] = frozenset()
    muted_hashtags: frozenset[str] = frozenset()
    muted_sounds: frozenset[str] = frozenset()
    #: The precomputed personal list by rank, when it still belongs to this history.
    recommended: tuple[str, ...] = ()
    recommended_at: int | None = None
    social_likes: tuple[SocialLike, ...] = ()

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Viewer:
        embedding = record.get("embedding")
        valid = bool(record.get("recommendedValid"))
        return cls(
            user_id=record["userId"],
            name=record.get("name"),
            settings=UserSettings(
                personalized=bool(record.get("personalized", True)),
                keyword_filters=tuple(record.get("keywordFilters") or ()),
                interests=tuple(record.get("interests") or ()),
            ),
            embedding=tuple(float(x) for x in embedding) if embedding else None,
            following_count=int(record.get("followingCount") or 0),
            following=tuple(record.get("following") or ()),
            recent=_interactions(record.get("recent") or {}),
            seen=frozenset(record.get("seen") or ()),
            muted_videos=frozenset(record.get("mutedVideos") or ()),
            muted_creators=frozenset(record.get("mutedCreators") or ()),
            muted_hashtags=frozenset(record.get("mutedHashtags") or ()),
            muted_sounds=frozenset(record.get("mutedSounds") or ()),
            recommended=tuple(record.get("recommended") or ()) if valid else (),
            recommended_at=record.get("recommendedAt") if valid else None,
            social_likes=tuple(SocialLike.from_row(row) for row in record.get("socialLikes") or ()),
        )


def _interactions(recent: Mapping[str, Any]) -> tuple[Mapping[str, Any], ...]:
    """The viewer read's parallel lists as one row per interaction, newest first."""
    ids = recent.get("videoIds") or ()
    columns = ("at", "completion", "kinds", "views", "watchMs")
    values = [recent.get(name) or [None] * len(ids) for name in columns]
    return tuple(
        {"videoId": video, **dict(zip(columns, row, strict=True))}
        for video, *row in zip(ids, *values, strict=True)
    )


async def read_viewer(
    graph: AsyncGraph, config: FeedConfig, user_id: str, *, personal: bool, now: int
) -> Viewer:
    """The viewer read; ``NotFoundError`` for an unknown user."""
    sizes = config.sizes
    records = await graph.read(
        "feed/viewer",
        timeout_s=config.budgets.required_s,
        userId=user_id,
        personal=personal,
        recentLimit=sizes.recent_interactions,
        seenLimit=sizes.seen_limit,
        followLimit=sizes.following_creators,
        recommendedLimit=sizes.per_source,
        socialFollowees=sizes.social_followees,
        socialPerFollowee=sizes.social_per_followee,
        now=now,
    )
    if not records:
        raise NotFoundError(f"no user with id {user_id!r}")
    return Viewer.from_record(records[0])


def profile_of(
    viewer: Viewer,
    catalogue: Catalogue,
    *,
    interests: Sequence[str] = (),
    signals: Signals = Signals(),  # frozen, so one shared default is safe
) -> UserProfile:
    """The viewer's profile: their recent interactions with each video's creator, sound
    and hashtags from the read model (videos it no longer holds are left out)."""
    recent = []
    for row in viewer.recent:
        number = catalogue.get(row["videoId"])
        if number is None:
            continue
        kinds = row.get("kinds") or ()
        creator = catalogue.creator_of(number)
        sound = catalogue.sound_of(number)
        recent.append(
            Interaction(
                video_id=row["videoId"],
                at=int(row.get("at") or 0),
                completion=float(row.get("completion") or 0.0),
                viewed="VIEWED" in kinds,
                liked="LIKED" in kinds,
                shared="SHARED" in kinds,
                skipped="SKIPPED" in kinds,
                views=int(row.get("views") or 0),
                watch_ms=int(row.get("watchMs") or 0),
                creator_id=creator.id if creator else None,
                creator_name=creator.name if creator else None,
                sound_id=sound.key if sound else None,
                sound_title=sound.title if sound else None,
                hashtags=catalogue.tag_names(number),
                caption=catalogue.captions[number],
            )
        )
    return profile_from(
        viewer.user_id,
        tuple(recent),
        name=viewer.name,
        embedding=viewer.embedding,
        following=viewer.following_count,
        interests=interests,
        signals=signals,
    )
