"""What every recommender trains on: a user x item engagement matrix plus item facts.

Built from the same interaction events the graph ingests (the import format of
docs/model.md), so the baselines and the feed learn from identical data.

Per (user, video) pair the builder keeps:

* ``strength``: how strongly the user engaged, the confidence the baselines train
  on: 1 for a view, +2 when the view was *positive*, +1 each for a like, share and
  comment. Skips, "not interested" and impressions add nothing (they only count
  as *seen*).
* ``positive``: a positive engagement, KuaiRand's ``is_positive`` carried over to
  the import format: a view watched for at least 18 s (KuaiRand's "long view") or
  to completion >= 0.95, or a like, share or comment.
* ``seen``: any event at all on the pair; recommenders never recommend a seen
  item (the feed's "already seen" filter does the same).
* ``last_at``: when the pair last had a positive engagement (for recent
  popularity).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from graph.names import normalise_hashtag

LONG_VIEW_MS = 18_000
COMPLETE_RATIO = 0.95
#: Creators whose videos got at most this many views in train are "fresh".
FRESH_CREATOR_MAX_VIEWS = 10

STRENGTH_VIEW = 1.0
STRENGTH_POSITIVE_VIEW = 2.0
STRENGTH_ACTION = 1.0

# Event types that carry no positive signal but mean the user has seen the video.
_SEEN_ONLY = frozenset({"skip", "not_interested", "impression"})
_ACTIONS = frozenset({"like", "share", "comment"})

Record = dict[str, Any]
#: Import-format records by kind (the file names: users, videos, interactions, ...),
#: the shape ``graph.ingest.import_records`` takes.
RecordsByKind = Mapping[str, Iterable[Mapping[str, Any]]]
#: Returns fresh iterables of the same records every time it is called.
RecordSource = Callable[[], RecordsByKind]


def is_positive_view(watch_ms: float, duration_ms: float) -> bool:
    completed = duration_ms > 0 and watch_ms >= COMPLETE_RATIO * duration_ms
    return watch_ms >= LONG_VIEW_MS or completed


@dataclass(frozen=True)
class VideoFacts:
    creator: str
    created_at: int
    duration_ms: int
    hashtags: tuple[str, ...]


@dataclass(slots=True)
class _Pair:
    strength: float = 0.0
    positive: bool = False
    last_positive_at: int = 0
    views: int = 0


@dataclass(frozen=True)
class Interactions:
    """A frozen train split: matrices indexed by ``users`` x ``items``."""

    users: tuple[str, ...]
    items: tuple[str, ...]
    strength: sp.csr_matrix
    positive: sp.csr_matrix
    seen: sp.csr_matrix
    last_at: sp.csr_matrix
    videos: Mapping[str, VideoFacts]
    #: Re-yields the import-format records this split was built from, for a
    #: recommender that loads them somewhere (the feed loads them into Neo4j).
    records: RecordSource | None = None
    user_index: Mapping[str, int] = field(init=False)
    item_index: Mapping[str, int] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "user_index", {u: i for i, u in enumerate(self.users)})
        object.__setattr__(self, "item_index", {v: i for i, v in enumerate(self.items)})

    @property
    def max_at(self) -> int:
        """The latest positive-engagement time in the split (the split's "now")."""
        return int(self.last_at.max()) if self.last_at.nnz else 0

    def seen_items(self, user: str) -> set[str]:
        row = self.user_index.get(user)
        if row is None:
            return set()
        start, end = self.seen.indptr[row], self.seen.indptr[row + 1]
        return {self.items[j] for j in self.seen.indices[start:end]}

    def creator_views(self) -> Counter[str]:
        """Train views per creator (sum over their videos, every user)."""
        views: NDArray[np.int64] = np.asarray((self.strength > 0).sum(axis=0)).ravel()
        counts: Counter[str] = Counter()
        for item, facts in self.videos.items():
            column = self.item_index.get(item)
            counts[facts.creator] += int(views[column]) if column is not None else 0
        return counts

    def fresh_creators(self, max_views: int = FRESH_CREATOR_MAX_VIEWS) -> set[str]:
        """Creators whose videos had at most ``max_views`` train views in total."""
        return {creator for creator, views in self.creator_views().items() if views <= max_views}


class InteractionsBuilder:
    """Folds import-format records (videos + interactions) into :class:`Interactions`."""

    def __init__(self, videos: Mapping[str, VideoFacts] | None = None) -> None:
        # A test split is built with the train split's videos, so both share a catalog.
        self.videos: dict[str, VideoFacts] = dict(videos or {})
        self.users: set[str] = set()
        self._pairs: dict[tuple[str, str], _Pair] = {}
        self._seen: set[tuple[str, str]] = set()

    def add_video(self, record: Mapping[str, Any]) -> None:
        hashtags = record.get("hashtags") or ()
        if isinstance(hashtags, str):
            hashtags = [tag for tag in hashtags.split("|") if tag]
        self.videos[str(record["id"])] = VideoFacts(
            creator=str(record["creatorId"]),
            created_at=int(record["createdAt"]),
            duration_ms=int(record["durationMs"]),
            hashtags=tuple(normalise_hashtag(str(tag)) for tag in hashtags),
        )

    def add_interaction(self, record: Mapping[str, Any]) -> None:
        kind = str(record["type"])
        video = record.get("videoId")
        if video is None:
            return
        key = (str(record["userId"]), str(video))
        self.users.add(key[0])
        self._seen.add(key)
        if kind in _SEEN_ONLY:
            return
        pair = self._pairs.setdefault(key, _Pair())
        at = int(record["at"])
        if kind == "view":
            facts = self.videos.get(key[1])
            duration = facts.duration_ms if facts else 0
            pair.views += 1
            pair.strength += STRENGTH_VIEW
            if is_positive_view(float(record.get("watchMs") or 0), duration):
                if not pair.positive:
                    pair.strength += STRENGTH_POSITIVE_VIEW
                self._mark_positive(pair, at)
        elif kind in _ACTIONS:
            pair.strength += STRENGTH_ACTION
            self._mark_positive(pair, at)

    @staticmethod
    def _mark_positive(pair: _Pair, at: int) -> None:
        pair.positive = True
        pair.last_positive_at = max(pair.last_positive_at, at)

    def build(self, records: RecordSource | None = None) -> Interactions:
        items = tuple(sorted(self.videos))
        users = tuple(sorted(self.users))
        user_index = {u: i for i, u in enumerate(users)}
        item_index = {v: i for i, v in enumerate(items)}
        shape = (len(users), len(items))

        def matrix(entries: Iterable[tuple[tuple[str, str], float]]) -> sp.csr_matrix:
            rows, cols, values = [], [], []
            for (user, item), value in entries:
                if item in item_index and value:
                    rows.append(user_index[user])
                    cols.append(item_index[item])
                    values.append(value)
            return sp.csr_matrix((values, (rows, cols)), shape=shape, dtype=np.float64)

        pairs = self._pairs.items()
        return Interactions(
            users=users,
            items=items,
            strength=matrix((key, pair.strength) for key, pair in pairs),
            positive=matrix((key, float(pair.positive)) for key, pair in pairs),
            seen=matrix((key, 1.0) for key in self._seen),
            last_at=matrix((key, float(pair.last_positive_at)) for key, pair in pairs),
            videos=dict(self.videos),
            records=records,
        )
