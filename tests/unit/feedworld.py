"""An in-memory catalogue read model and feed requests over it, for unit tests of the
feed's components (no database)."""

from __future__ import annotations

from typing import Any

import numpy as np

from graph.feed.candidate import Proposal
from graph.feed.catalogue.neighbours import Neighbourhood
from graph.feed.catalogue.store import Catalogue
from graph.feed.config import FeedConfig
from graph.feed.cursor import Cursor
from graph.feed.model import Controls, FeedRequest, Mode
from graph.feed.pipeline import PIPELINES
from graph.feed.pools import PoolLists
from graph.feed.profile import UserProfile
from graph.feed.query import FeedQuery
from graph.feed.slate import Slate
from graph.feed.viewer import Viewer

NOW = 1_000_000_000_000


def video(video_id: str, **fields: Any) -> dict[str, Any]:
    """A ``catalogue/videos`` row: creator c1, #dogs, sound s1, posted a day ago."""
    row: dict[str, Any] = {
        "id": video_id,
        "createdAt": NOW - 86_400_000,
        "durationMs": 10_000,
        "caption": "A cute dog",
        "status": "active",
        "creator": {"id": "c1", "name": "Cee", "videos": 3},
        "sound": {"id": "s1", "title": "Song", "videos": 1},
        "hashtags": [{"name": "dogs", "videos": 1}],
    }
    row.update(fields)
    return row


def catalogue(*rows: dict[str, Any]) -> Catalogue:
    found = Catalogue()
    found.upsert_videos(rows)
    return found


def query(
    videos: Catalogue,
    *,
    viewer: Viewer | None = None,
    controls: Controls | None = None,
    served: tuple[str, ...] = (),
    mode: Mode = Mode.FOR_YOU,
    profile: UserProfile | None = None,
    config: FeedConfig | None = None,
    now: int = NOW,
) -> FeedQuery:
    viewer = viewer or Viewer("u1")
    return FeedQuery(
        request=FeedRequest("u1", mode=mode),
        pipeline=PIPELINES[mode],
        config=config or FeedConfig(),
        catalogue=videos,
        neighbours=Neighbourhood.empty(),
        cursor=Cursor(now=now, offset=0, served=served),
        now=now,
        viewer=viewer,
        profile=profile or UserProfile("u1"),
        controls=controls or Controls(),
        pools=PoolLists(),
    )


def slate(videos: Catalogue, *ids: str, source: str = "trending") -> Slate:
    """The given videos proposed by one source, scored 1, 2, 3... in order."""
    numbers = np.array([videos.number[video_id] for video_id in ids], dtype=np.int64)
    proposal = Proposal(source, numbers, np.arange(1.0, len(ids) + 1), lambda n: {})
    return Slate.merge(videos, [proposal], limit=len(ids))
