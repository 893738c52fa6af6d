"""What world to generate: sizes, seed, the knobs of its behaviour, and when it ends.

Time: a world is laid out backwards from its ``end`` (by default the wall clock,
floored to the hour): it covers the ``days`` before it, and every time in it is
``end`` minus an offset that only the other fields decide. So the same spec gives
byte-identical files, and the same spec at another end gives the same files with
every time moved by exactly the difference. A demo world therefore ends *now*:
live events land right after it, and "fresh" / "trending" windows find it.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from graph.errors import ClientError
from graph.synth.vocabulary import TOPICS

DAY_MS = 86_400_000
HOUR_MS = 3_600_000

#: How far ``end`` may lie ahead of this machine's clock: clocks of two machines
#: disagree a little; a world that ends later would stamp events in the future.
MAX_CLOCK_SKEW_MS = 5 * 60_000
#: Accounts are created up to two years before the start: an earlier end than this
#: would reach back towards 1970 (and is a typo anyway).
EARLIEST_END = datetime(2000, 1, 1, tzinfo=UTC)

#: Below this the inauthentic accounts, creators and topics no longer fit.
MIN_USERS = 20

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def default_end(now: datetime | None = None) -> datetime:
    """The wall clock (or ``now``) floored to the whole hour, in UTC.

    Why the hour: the simulated days then begin on whole UTC hours, so the world's
    hour-of-day rhythm fills whole hours of any by-hour chart; and every run within one
    hour places a seed's world identically, so running ``fyp generate`` (``make demo``)
    again soon after is a plain replay. The newest events are then at most an hour old,
    far inside the feed's windows (days).
    """
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    return moment.replace(minute=0, second=0, microsecond=0)


def parse_end(text: str) -> datetime:
    """``--end``: an ISO 8601 date-time with a time zone (``2026-12-06T12:00:00Z``)."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ClientError(
            f"end {text!r} is not an ISO 8601 date-time (e.g. 2026-12-06T12:00:00Z)"
        ) from None
    if moment.tzinfo is None:
        raise ClientError(
            f"end {text!r} has no time zone: give one, e.g. 2026-12-06T12:00:00Z (UTC) "
            "or 2026-12-06T13:00:00+01:00"
        )
    return moment


def iso_utc(moment: datetime) -> str:
    """``2026-12-06T12:00:00Z`` (milliseconds only when there are some)."""
    utc = moment.astimezone(UTC)
    spec = "milliseconds" if utc.microsecond else "seconds"
    return utc.replace(tzinfo=None).isoformat(timespec=spec) + "Z"


def utc_of_ms(ms: int) -> datetime:
    """Epoch milliseconds as an aware UTC datetime (exact: no float seconds)."""
    return _EPOCH + timedelta(milliseconds=ms)


def _normalised_end(end: object) -> datetime:
    if not isinstance(end, datetime) or end.tzinfo is None or end.utcoffset() is None:
        raise ClientError(f"invalid world: end must be a time-zone-aware datetime (got {end!r})")
    utc = end.astimezone(UTC)
    # Times in the graph are whole milliseconds: drop the rest rather than round up.
    return utc.replace(microsecond=utc.microsecond // 1000 * 1000)


@dataclass(frozen=True)
class WorldSpec:
    """Everything that decides a world: the same spec always gives the same world."""

    users: int
    videos: int
    seed: int = 0
    days: int = 14
    topics: int = 12
    #: Share of (authentic) users who post videos.
    creator_share: float = 0.08
    #: Mean feed impressions per active user and day (heavy-tailed across users).
    views_per_user_day: float = 4.0
    #: Share of impressions drawn from a random topic instead of the viewer's interests.
    exploration: float = 0.15
    trends: int = 3
    virals: int = 3
    bot_rings: int = 2
    bought_follower_creators: int = 2
    #: When the world ends (time-zone aware; kept in UTC, whole milliseconds). Nothing
    #: in it happens at or after this instant.
    end: datetime = field(default_factory=default_end)

    def __post_init__(self) -> None:
        # Normalised here so that equal instants make equal specs (and equal truth files).
        object.__setattr__(self, "end", _normalised_end(self.end))
        self._check()

    def _check(self) -> None:
        problems: list[str] = []
        if self.users < MIN_USERS:
            problems.append(f"users must be at least {MIN_USERS} (got {self.users})")
        if self.videos < 1:
            problems.append(f"videos must be at least 1 (got {self.videos})")
        if self.seed < 0:
            problems.append(f"seed must be >= 0 (got {self.seed})")
        if not 1 <= self.days <= 365:
            problems.append(f"days must be 1..365 (got {self.days})")
        if not 1 <= self.topics <= len(TOPICS):
            problems.append(f"topics must be 1..{len(TOPICS)} (got {self.topics})")
        if not 0 < self.creator_share <= 1:
            problems.append(f"creator_share must be in (0, 1] (got {self.creator_share})")
        if not 0 < self.views_per_user_day <= 500:
            problems.append(
                f"views_per_user_day must be in (0, 500] (got {self.views_per_user_day})"
            )
        if not 0 <= self.exploration <= 1:
            problems.append(f"exploration must be in [0, 1] (got {self.exploration})")
        for name in ("trends", "virals", "bot_rings", "bought_follower_creators"):
            if getattr(self, name) < 0:
                problems.append(f"{name} must be >= 0 (got {getattr(self, name)})")
        if self.end < EARLIEST_END:
            problems.append(
                f"end must be {iso_utc(EARLIEST_END)} or later (got {iso_utc(self.end)})"
            )
        now_ms = int(time.time() * 1000)
        if self.end_ms > now_ms + MAX_CLOCK_SKEW_MS:
            problems.append(
                f"end {iso_utc(self.end)} is in the future (the clock says "
                f"{iso_utc(utc_of_ms(now_ms))}): a world may not hold events that have not "
                "happened yet"
            )
        if problems:
            raise ClientError("invalid world: " + "; ".join(problems))
        inauthentic = self.inauthentic_accounts
        if inauthentic > self.users // 4:
            raise ClientError(
                f"invalid world: {inauthentic} inauthentic accounts do not fit in "
                f"{self.users} users (at most a quarter); lower bot_rings (--bot-rings) or "
                "bought_follower_creators (--bought-follower-creators), or generate more users"
            )

    @property
    def bot_ring_size(self) -> int:
        """Accounts per bot ring: grows with the world, within what real rings look like."""
        return min(25, max(5, self.users // 150))

    @property
    def bought_followers_per_creator(self) -> int:
        return min(400, max(5, self.users // 40))

    @property
    def inauthentic_accounts(self) -> int:
        return (
            self.bot_rings * self.bot_ring_size
            + self.bought_follower_creators * self.bought_followers_per_creator
        )

    @property
    def end_ms(self) -> int:
        """The end in epoch ms: every event is earlier."""
        return (self.end - _EPOCH) // timedelta(milliseconds=1)

    @property
    def start_ms(self) -> int:
        """The first simulated day begins here (videos and accounts may be older)."""
        return self.end_ms - self.days * DAY_MS

    def as_dict(self) -> dict[str, Any]:
        """The spec as JSON-ready values (the end as ISO 8601 in UTC)."""
        return {**asdict(self), "end": iso_utc(self.end)}

    @property
    def digest(self) -> str:
        """Short fingerprint of what the world is, not of when it ends: keeps event ids of
        different worlds apart. The end is left out so that one world placed at two ends
        has the same event ids: loading it again a day later is recognised as the same
        world (graph.cli.generate refuses to mix the two) instead of doubling every event.
        """
        what = {key: value for key, value in self.as_dict().items() if key != "end"}
        text = json.dumps(what, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:8]
