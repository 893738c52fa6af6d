"""The viewer's profile for one request, built from their recent history (pure).

The viewer read (``feed/viewer``) returns the viewer's most recent interactions, and
the read model adds each video's creator, sound and hashtags (graph.feed.viewer); this
module turns them into affinities (what the hashtag and sound sources ask about, and
what the scorer weighs) and the seed videos of the co-engagement source. Nothing is
cached between requests, so a like or a skip recorded a moment ago already counts.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from graph.names import normalise_hashtag

#: A view at or above this watch ratio is a complete (docs/model.md).
COMPLETE_RATIO = 0.95


@dataclass(frozen=True)
class Signals:
    """How much each kind of interaction says about taste (affinity points)."""

    complete: float = 1.0
    #: A partial view past the first seconds is exploration: weak evidence, by watch ratio.
    partial_view: float = 0.3
    like: float = 2.0
    share: float = 3.0
    skip: float = -1.0
    #: A hashtag the viewer picked as an interest counts like this many completes.
    interest: float = 3.0


@dataclass
class Tally:
    """What the viewer did with one hashtag, sound or creator in their recent history."""

    key: str
    label: str | None = None
    weight: float = 0.0
    completes: int = 0
    likes: int = 0
    shares: int = 0
    views: int = 0
    skips: int = 0
    chosen: bool = False


@dataclass(slots=True)
class Interaction:
    """One recent video of the viewer and what they did with it."""

    video_id: str
    at: int
    completion: float = 0.0
    viewed: bool = False
    liked: bool = False
    shared: bool = False
    skipped: bool = False
    #: Views of the video (the VIEWED relationship's count) and their total watch time.
    views: int = 0
    watch_ms: int = 0
    creator_id: str | None = None
    creator_name: str | None = None
    sound_id: str | None = None
    sound_title: str | None = None
    hashtags: tuple[str, ...] = ()
    caption: str = ""

    @property
    def completed(self) -> bool:
        return self.completion >= COMPLETE_RATIO

    def strength(self, complete_ratio: float, long_view_ms: int) -> float:
        """How much this says about taste, as a co-engagement seed: its views, 2 more for
        a long or complete view, 1 for a like (a one-second swipe says little)."""
        strength = float(self.views) if self.viewed else 0.0
        if self.viewed and (self.completion >= complete_ratio or self.watch_ms >= long_view_ms):
            strength += 2.0
        return strength + (1.0 if self.liked else 0.0)

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Interaction:
        return cls(
            video_id=record["videoId"],
            at=int(record.get("at") or 0),
            completion=float(record.get("completion") or 0.0),
            viewed=bool(record.get("viewed")),
            liked=bool(record.get("liked")),
            shared=bool(record.get("shared")),
            skipped=bool(record.get("skipped")),
            views=int(record.get("views") or 0),
            watch_ms=int(record.get("watchMs") or 0),
            creator_id=record.get("creatorId"),
            creator_name=record.get("creatorName"),
            sound_id=record.get("soundId"),
            sound_title=record.get("soundTitle"),
            hashtags=tuple(record.get("hashtags") or ()),
            caption=record.get("caption") or "",
        )


def _points(interaction: Interaction, signals: Signals) -> float:
    points = 0.0
    if interaction.completed:
        points += signals.complete
    elif interaction.viewed and not interaction.skipped:
        points += signals.partial_view * interaction.completion
    if interaction.liked:
        points += signals.like
    if interaction.shared:
        points += signals.share
    if interaction.skipped:
        points += signals.skip
    return points


def _count(tally: Tally, interaction: Interaction, points: float) -> None:
    tally.weight += points
    tally.completes += interaction.completed
    tally.likes += interaction.liked
    tally.shares += interaction.shared
    tally.views += interaction.viewed
    tally.skips += interaction.skipped


@dataclass(frozen=True)
class UserProfile:
    user_id: str
    name: str | None = None
    embedding: tuple[float, ...] | None = None
    following: int = 0
    recent: tuple[Interaction, ...] = ()
    hashtags: dict[str, Tally] = field(default_factory=dict)
    sounds: dict[str, Tally] = field(default_factory=dict)
    creators: dict[str, Tally] = field(default_factory=dict)

    @property
    def has_history(self) -> bool:
        return bool(self.recent)

    def seeds(self, limit: int) -> list[Interaction]:
        """Recent videos the viewer viewed or liked, newest first (co-engagement seeds,
        each weighed by :meth:`Interaction.strength`)."""
        chosen = [i for i in self.recent if i.viewed or i.liked]
        return sorted(chosen, key=lambda i: i.at, reverse=True)[:limit]

    def top(self, tallies: Mapping[str, Tally], limit: int) -> list[Tally]:
        """The strongest positive affinities, best first (ties by key)."""
        positive = (tally for tally in tallies.values() if tally.weight > 0)
        return heapq.nsmallest(limit, positive, key=lambda t: (-t.weight, t.key))

    @staticmethod
    def scaled(tallies: Mapping[str, Tally], key: str | None) -> float:
        """Affinity to ``key`` in 0..1, relative to the strongest one (negatives are 0)."""
        if key is None or key not in tallies:
            return 0.0
        best = max(tally.weight for tally in tallies.values())
        return max(0.0, tallies[key].weight / best) if best > 0 else 0.0

    def hashtag_affinity(self, hashtags: Iterable[str]) -> float:
        return max((self.scaled(self.hashtags, tag) for tag in hashtags), default=0.0)


def build_profile(
    user_id: str,
    record: Mapping[str, Any],
    *,
    interests: Sequence[str] = (),
    signals: Signals = Signals(),  # frozen, so one shared default is safe
) -> UserProfile:
    """A profile from a record (``recent``: interaction rows as
    :meth:`Interaction.from_record` reads them; ``name``, ``embedding``, ``following``)
    plus the interests the viewer picked."""
    recent = tuple(Interaction.from_record(row) for row in record.get("recent") or ())
    embedding = record.get("embedding")
    return profile_from(
        user_id,
        recent,
        name=record.get("name"),
        embedding=tuple(float(x) for x in embedding) if embedding else None,
        following=int(record.get("following") or 0),
        interests=interests,
        signals=signals,
    )


def profile_from(
    user_id: str,
    recent: tuple[Interaction, ...],
    *,
    name: str | None = None,
    embedding: tuple[float, ...] | None = None,
    following: int = 0,
    interests: Sequence[str] = (),
    signals: Signals = Signals(),  # frozen, so one shared default is safe
) -> UserProfile:
    """The profile of these interactions (newest first) and picked interests."""
    hashtags: dict[str, Tally] = {}
    sounds: dict[str, Tally] = {}
    creators: dict[str, Tally] = {}
    for interaction in recent:
        points = _points(interaction, signals)
        for tag in interaction.hashtags:
            _count(hashtags.setdefault(tag, Tally(tag)), interaction, points)
        if interaction.sound_id is not None:
            sound = sounds.setdefault(interaction.sound_id, Tally(interaction.sound_id))
            sound.label = interaction.sound_title
            _count(sound, interaction, points)
        if interaction.creator_id is not None:
            creator = creators.setdefault(interaction.creator_id, Tally(interaction.creator_id))
            creator.label = interaction.creator_name
            _count(creator, interaction, points)
    for interest in interests:
        tag = normalise_hashtag(interest)
        tally = hashtags.setdefault(tag, Tally(tag))
        tally.weight += signals.interest
        tally.chosen = True
    return UserProfile(
        user_id=user_id,
        name=name,
        embedding=embedding,
        following=following,
        recent=recent,
        hashtags=hashtags,
        sounds=sounds,
        creators=creators,
    )
