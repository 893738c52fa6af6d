"""Authenticity of a creator's following: ghost followers, follow rings, unexplained spikes.

Three signals, read from the graph by ``cypher/brands/authenticity.cypher``:

- **ghost followers**: accounts that followed during the recorded history but never
  watched, skipped or engaged with any video (bought followers are accounts nobody
  uses; follows older than the history say nothing, as we cannot see what the
  account did back then);
- **follow rings**: followers that follow at least 3 accounts, half or more of which
  follow them back (rings follow each other and little else);
- **spikes**: a day with far more new followers than the window's usual, most of
  whom never watched or engaged with the creator.

The score is the share of followers that none of these signals catches, so it reads
as "X % of the following looks real"; a spike caps it at ``SPIKE_SCORE_CAP``, since
buying followers at all is a red flag whatever their share. A creator is flagged when
at least ``FLAG_SHARE`` of its followers, and at least ``FLAG_MIN_FOLLOWERS`` of them,
look inauthentic (a single ghost among three followers is noise, not fraud), or when
it had a spike. Everything is judged within the recorded history (from the first
event on): what an account did before it cannot be seen.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graph.brands.models import Authenticity, Spike
from graph.brands.window import DAY_MS, history
from graph.db import Graph

log = logging.getLogger(__name__)

FLAG_SHARE = 0.2
FLAG_MIN_FOLLOWERS = 5
#: A spike has at least this many new followers in a day...
SPIKE_MIN_FOLLOWS = 5
#: ... at least this many times the average of the other days of the window...
SPIKE_FACTOR = 5.0
#: ... and more than this share of them never watched or engaged with the creator.
SPIKE_UNENGAGED_SHARE = 0.5
#: The highest score of a creator with an unexplained follower spike.
SPIKE_SCORE_CAP = 0.6
DEFAULT_WINDOW_DAYS = 30
#: Creators per authenticity query (each reads every follower of its creators).
BATCH = 200

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class SuspiciousAccount:
    user_id: str
    following: int
    ghost: bool
    ring: bool


def assess(signals: Mapping[str, Any], window_days: int) -> Authenticity:
    """Score one creator from its row of ``brands/authenticity`` (pure)."""
    followers = int(signals["followers"])
    ghosts, ring = int(signals["ghosts"]), int(signals["ringMembers"])
    suspicious = int(signals["suspicious"])
    spike = find_spike(signals["days"], window_days)
    if spike is not None:
        # Unengaged spike followers that are not already ghosts or ring members.
        day = next(d for d in signals["days"] if d["day"] == spike.day)
        suspicious += int(day["unengagedOnly"])
    suspicious = min(suspicious, followers)
    share = suspicious / followers if followers else 0.0
    score = 1.0 - share if spike is None else min(1.0 - share, SPIKE_SCORE_CAP)
    reasons = _reasons(followers, ghosts, ring, spike)
    return Authenticity(
        score=round(score, 4),
        flagged=(share >= FLAG_SHARE and suspicious >= FLAG_MIN_FOLLOWERS) or spike is not None,
        reasons=reasons,
        followers=followers,
        ghost_followers=ghosts,
        ring_followers=ring,
        suspicious_followers=suspicious,
        spike=spike,
    )


def find_spike(days: Sequence[Mapping[str, Any]], window_days: int) -> Spike | None:
    """The busiest day, when it stands out and its new followers did not engage."""
    if not days:
        return None
    busiest = max(days, key=lambda d: (int(d["follows"]), str(d["day"])))
    follows = int(busiest["follows"])
    others = sum(int(d["follows"]) for d in days) - follows
    baseline = others / max(window_days - 1, 1)
    unengaged = int(busiest["unengaged"])
    if (
        follows >= SPIKE_MIN_FOLLOWS
        and follows >= SPIKE_FACTOR * max(baseline, 1.0)
        and unengaged > SPIKE_UNENGAGED_SHARE * follows
    ):
        return Spike(str(busiest["day"]), follows, round(baseline, 2), unengaged)
    return None


def _reasons(followers: int, ghosts: int, ring: int, spike: Spike | None) -> tuple[str, ...]:
    reasons: list[str] = []
    if ghosts:
        reasons.append(
            f"{ghosts} of {followers} followers ({ghosts / followers:.0%}) never watched "
            "or engaged with any video"
        )
    if ring:
        reasons.append(
            f"{ring} of {followers} followers ({ring / followers:.0%}) are in a dense "
            "follow ring (they mostly follow each other)"
        )
    if spike is not None:
        reasons.append(
            f"follower spike on {spike.day}: {spike.follows} new followers against "
            f"{spike.baseline:g} a day otherwise; {spike.unengaged} of them never watched "
            "or engaged with this creator"
        )
    if not reasons:
        reasons.append("followers watch and engage; no follow rings or unexplained spikes")
    return tuple(reasons)


def creator_authenticity(
    graph: Graph,
    creator_ids: Iterable[str],
    *,
    as_of: int | None = None,
    window_days: int = DEFAULT_WINDOW_DAYS,
) -> dict[str, Authenticity]:
    """Authenticity of each creator found among ``creator_ids`` (unknown ids are left out)."""
    ids = list(dict.fromkeys(creator_ids))
    recorded = history(graph, as_of)
    # Spikes are looked for in the window, but only where the history is recorded.
    since = max(recorded.as_of - window_days * DAY_MS, recorded.first - 1)
    observed_days = max(1, math.ceil((recorded.as_of - since) / DAY_MS))
    found: dict[str, Authenticity] = {}
    for start in range(0, len(ids), BATCH):
        rows = graph.read(
            "brands/authenticity",
            creatorIds=ids[start : start + BATCH],
            since=since,
            asOf=recorded.as_of,
            observedSince=recorded.first,
        )
        for row in rows:
            found[row["creatorId"]] = assess(row, observed_days)
    return found


def suspicious_accounts(graph: Graph) -> list[SuspiciousAccount]:
    """Every account that is a ghost (followed during the recorded history, never
    watched or engaged) or sits in a follow ring."""
    rows = graph.read("brands/suspicious_accounts", observedSince=history(graph).first)
    return [
        SuspiciousAccount(row["userId"], int(row["following"]), row["ghost"], row["ring"])
        for row in rows
    ]


def store_authenticity(
    graph: Graph,
    *,
    as_of: int | None = None,
    window_days: int = DEFAULT_WINDOW_DAYS,
    progress: Progress | None = None,
) -> dict[str, Authenticity]:
    """Score every creator with videos and store it on the node, for the feed to read.

    Writes ``Creator.authenticity`` (the score), ``Creator.authenticityFlagged`` and
    ``Creator.authenticityAt``; returns the assessments by creator id.
    """
    end = history(graph, as_of).as_of
    ids: list[str] = []
    while True:
        page = graph.read(
            "brands/creators_with_videos", afterId=ids[-1] if ids else "", limit=10_000
        )
        if not page:
            break
        ids.extend(row["creatorId"] for row in page)
    checked_at = int(time.time() * 1000)
    results: dict[str, Authenticity] = {}
    for start in range(0, len(ids), BATCH):
        batch = creator_authenticity(
            graph, ids[start : start + BATCH], as_of=end, window_days=window_days
        )
        rows = [
            {"creatorId": cid, "score": a.score, "flagged": a.flagged, "at": checked_at}
            for cid, a in batch.items()
        ]
        graph.write("brands/store_authenticity", rows=rows)
        results.update(batch)
        if progress is not None:
            progress(min(start + BATCH, len(ids)), len(ids))
    flagged = sum(a.flagged for a in results.values())
    log.info("authenticity stored for %d creators (%d flagged)", len(results), flagged)
    return results
