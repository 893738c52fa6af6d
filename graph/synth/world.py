"""Putting a world together, and reading it back as import records and ground truth."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

import numpy as np

from graph.synth.arrays import Progress
from graph.synth.behaviour import FollowSnapshot, follow_events, snapshot_follows, watch_events
from graph.synth.catalog import Catalog, make_catalog
from graph.synth.events import NONE, Events, EventType
from graph.synth.inauthentic import Inauthentic, make_inauthentic
from graph.synth.population import Creators, Population, make_creators, make_population
from graph.synth.spec import WorldSpec
from graph.synth.truth import build_truth
from graph.synth.viewing import simulate_impressions

log = logging.getLogger(__name__)

#: Files of the import format, in the order they load (docs/model.md).
RECORD_KINDS = ("users", "creators", "videos", "follows", "interactions")

Row = dict[str, Any]


class RecordStream(Iterable[Row]):
    """Rows built on demand from the world's arrays; iterable any number of times."""

    def __init__(self, count: int, rows: Callable[[], Iterator[Row]]) -> None:
        self._count = count
        self._rows = rows

    def __iter__(self) -> Iterator[Row]:
        return self._rows()

    def __len__(self) -> int:
        return self._count


@dataclass(frozen=True)
class World:
    spec: WorldSpec
    population: Population
    creators: Creators
    catalog: Catalog
    follows_before: FollowSnapshot
    inauthentic: Inauthentic
    #: Every interaction event, in time order.
    events: Events

    @cached_property
    def user_ids(self) -> list[str]:
        return [f"u{i}" for i in range(self.population.size)]

    @cached_property
    def video_ids(self) -> list[str]:
        return [f"v{i}" for i in range(self.catalog.size)]

    @cached_property
    def creator_accounts(self) -> list[int]:
        """User indexes listed as creators: the posters, plus bot-ring members (see
        graph.synth.inauthentic for why)."""
        return sorted(set(self.creators.users.tolist()) | set(self.inauthentic.ring_members))

    @cached_property
    def event_id_prefix(self) -> str:
        """Event ids are ``e<spec digest>-<n>``: replaying a world is a no-op, and two
        different worlds loaded into one database do not swallow each other's events."""
        return f"e{self.spec.digest}-"

    def records(self) -> dict[str, RecordStream]:
        """The world in the import format of docs/model.md, one stream per file."""
        return {
            "users": RecordStream(self.population.size, self._users),
            "creators": RecordStream(len(self.creator_accounts), self._creators),
            "videos": RecordStream(self.catalog.size, self._videos),
            "follows": RecordStream(len(self.follows_before), self._follows),
            "interactions": RecordStream(len(self.events), self._interactions),
        }

    def counts(self) -> dict[str, int]:
        return {name: len(stream) for name, stream in self.records().items()}

    def _users(self) -> Iterator[Row]:
        created = self.population.created_at.tolist()
        for index, (uid, name) in enumerate(zip(self.user_ids, self.population.names, strict=True)):
            yield {"id": uid, "name": name, "createdAt": created[index]}

    def _creators(self) -> Iterator[Row]:
        created = self.population.created_at
        for index in self.creator_accounts:
            yield {
                "id": self.user_ids[index],
                "name": self.population.names[index],
                "createdAt": int(created[index]),
            }

    def _videos(self) -> Iterator[Row]:
        catalog = self.catalog
        creator_user = self.creators.users[catalog.creator].tolist()
        created = catalog.created_at.tolist()
        duration = catalog.duration_ms.tolist()
        sound = catalog.sound.tolist()
        for index, vid in enumerate(self.video_ids):
            yield {
                "id": vid,
                "creatorId": self.user_ids[creator_user[index]],
                "createdAt": created[index],
                "durationMs": duration[index],
                "caption": catalog.captions[index],
                "hashtags": catalog.hashtags[index],
                "soundId": f"s{sound[index]}",
                "soundTitle": catalog.sounds[sound[index]].title,
                "status": "active",
            }

    def _follows(self) -> Iterator[Row]:
        snapshot = self.follows_before
        for user, creator, at in zip(
            snapshot.user.tolist(), snapshot.creator.tolist(), snapshot.at.tolist(), strict=True
        ):
            yield {"userId": self.user_ids[user], "creatorId": self.user_ids[creator], "at": at}

    def _interactions(self) -> Iterator[Row]:
        events = self.events
        names = {int(kind): kind.wire_name for kind in EventType}
        columns = zip(
            events.kind.tolist(),
            events.user.tolist(),
            events.video.tolist(),
            events.creator.tolist(),
            events.at.tolist(),
            events.watch_ms.tolist(),
            events.rewatches.tolist(),
            strict=True,
        )
        prefix = self.event_id_prefix
        for index, (kind, user, video, creator, at, watch_ms, rewatches) in enumerate(columns):
            row: Row = {
                "eventId": f"{prefix}{index}",
                "type": names[kind],
                "userId": self.user_ids[user],
                "at": at,
            }
            if video != NONE:
                row["videoId"] = self.video_ids[video]
            if creator != NONE:
                row["creatorId"] = self.user_ids[creator]
            if watch_ms != NONE:
                row["watchMs"] = watch_ms
            if rewatches != NONE:
                row["rewatches"] = rewatches
            yield row

    @cached_property
    def truth(self) -> dict[str, Any]:
        """What the world was generated from: JSON-serialisable, ids as in the records."""
        return build_truth(self)


def generate_world(spec: WorldSpec, progress: Progress | None = None) -> World:
    """Build the whole world for ``spec``; the same spec always gives the same world."""
    started = time.perf_counter()
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(spec.seed).spawn(7)]
    population = make_population(spec, streams[0])
    creators = make_creators(spec, population, streams[1])
    catalog = make_catalog(spec, population, creators, streams[2])
    if progress is not None:
        progress("building catalog", 1, 1)
    inauthentic = make_inauthentic(spec, population, creators, streams[3])
    created_at = population.created_at.copy()
    for account, at in inauthentic.created_at.items():
        created_at[account] = at
    population = replace(population, created_at=created_at)
    before = snapshot_follows(spec, population, creators, streams[4])

    served = simulate_impressions(spec, population, creators, catalog, streams[5], progress)
    watched = watch_events(served, population, catalog, streams[6])
    follows = follow_events(
        watched.of(EventType.VIEW), population, creators, catalog, before, streams[6]
    )
    events = Events.concat([watched, follows, inauthentic.events])
    # Impressions all fall before the end, but a like, comment, share or follow comes
    # seconds after its view: those of the last moments have not happened yet at the
    # end (which is *now* for a demo world), so they are left out.
    events = events.take(np.flatnonzero(events.at < spec.end_ms))
    log.info(
        "generated world seed=%d: %d users, %d videos, %d impressions, %d events in %.1f s",
        spec.seed, spec.users, spec.videos, len(served), len(events),
        time.perf_counter() - started,
    )  # fmt: skip
    return World(spec, population, creators, catalog, before, inauthentic, events)
