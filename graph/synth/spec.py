"""What world to generate: sizes, seed and the knobs of its behaviour."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from typing import Any

from graph.errors import ClientError
from graph.synth.vocabulary import TOPICS

DAY_MS = 86_400_000
HOUR_MS = 3_600_000

#: 2024-01-01T00:00:00Z, a Monday: a fixed start keeps worlds byte-identical per seed.
DEFAULT_START_MS = 1_704_067_200_000

#: Below this the inauthentic accounts, creators and topics no longer fit.
MIN_USERS = 20


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
    start_ms: int = DEFAULT_START_MS

    def __post_init__(self) -> None:
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
        return self.start_ms + self.days * DAY_MS

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def digest(self) -> str:
        """Short fingerprint of the spec: keeps event ids of different worlds apart."""
        text = json.dumps(self.as_dict(), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:8]
