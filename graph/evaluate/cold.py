"""Cold videos: does the engine route a video nobody has watched to its audience?

The protocol: hide every train interaction of a seeded random share of the catalogue's
videos (they keep their creator, hashtags and sound), then ask each *router* to rank
those hidden videos for every warm test viewer who engaged with at least one of them in
the test period. To a router every hidden video is brand new (no age, no impressions):
only what is known of a video when it is published tells them apart. Reported per router:

* ``cold_recall_at_50``: per viewer, the share of their hidden-video positives in the
  router's top 50 of the hidden videos, averaged over viewers;
* ``cold_reach``: the share of hidden videos with a later engager that reach the top 50
  of at least one of their later engagers (did the video find anyone of its audience?).

Routers (:class:`ColdRouter`, one contract, like the warm recommenders'): ``random``;
``hashtags`` (popularity within the viewer's hashtags); ``creator`` (the creator's other
videos' audience); and the engine's own, ``embedding``, which ranks by
:func:`graph.feed.audience.first_audience_scores` over the vectors the engine stores
(:mod:`graph.evaluate.cold_engine` builds them the way a deployment would).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from graph.errors import ClientError
from graph.evaluate import metrics
from graph.evaluate.datasets import Split
from graph.evaluate.interactions import Interactions, RecordsByKind, RecordSource
from graph.feed.audience import audience_match, first_audience_scores

#: Share of the catalogue hidden, and the list length judged.
DEFAULT_FRACTION = 0.1
COLD_K = 50


@dataclass(frozen=True)
class ColdSplit:
    """A train split with some videos' history hidden, and who engaged with them later."""

    #: The hidden videos, sorted.
    hidden: tuple[str, ...]
    #: The train split without any interaction on a hidden video (catalogue unchanged).
    train: Interactions
    #: Per warm viewer, their test positives on hidden videos.
    relevance: dict[str, frozenset[str]]
    #: The train records without the hidden videos and their interactions (what is
    #: loaded and embedded before the hidden videos are published).
    records: RecordSource
    #: The hidden videos' catalogue records, as if published after the embedding run.
    published: RecordSource


def hide_videos(split: Split, fraction: float = DEFAULT_FRACTION, seed: int = 0) -> ColdSplit:
    """Hide every train interaction of ``fraction`` of the train catalogue (seeded)."""
    if not 0 < fraction < 1:
        raise ClientError("the share of videos to hide must be between 0 and 1")
    train = split.train
    if train.records is None:
        raise ClientError("the cold-video evaluation needs the train records")
    count = max(1, round(fraction * len(train.items)))
    columns = np.sort(np.random.default_rng(seed).choice(len(train.items), count, replace=False))
    hidden = frozenset(train.items[j] for j in columns)
    records = _records_without(train.records, hidden)
    cold_train = _without_columns(train, columns, records)
    engaged = np.diff(cold_train.strength.indptr) > 0
    relevance = {
        user: items & hidden
        for user, items in split.relevance.items()
        if items & hidden and engaged[cold_train.user_index[user]]
    }
    if not relevance:
        raise ClientError("no warm test viewer engaged with a hidden video: nothing to judge")
    return ColdSplit(
        hidden=tuple(sorted(hidden)),
        train=cold_train,
        relevance=relevance,
        records=records,
        published=_published(train.records, hidden),
    )


def _without_columns(
    train: Interactions, columns: NDArray[np.int64], records: RecordSource
) -> Interactions:
    keep = np.ones(len(train.items), dtype=np.float64)
    keep[columns] = 0.0
    mask = sp.diags(keep)

    def masked(matrix: sp.csr_matrix) -> sp.csr_matrix:
        out = sp.csr_matrix(matrix @ mask)
        out.eliminate_zeros()
        return out

    return Interactions(
        users=train.users,
        items=train.items,
        strength=masked(train.strength),
        positive=masked(train.positive),
        seen=masked(train.seen),
        last_at=masked(train.last_at),
        videos=train.videos,
        records=records,
    )


def _records_without(source: RecordSource, hidden: frozenset[str]) -> RecordSource:
    def read() -> RecordsByKind:
        records = source()
        out: dict[str, Iterable[Mapping[str, Any]]] = {}
        for kind, rows in records.items():
            if kind == "videos":
                out[kind] = (row for row in rows if str(row.get("id")) not in hidden)
            else:
                out[kind] = (row for row in rows if str(row.get("videoId")) not in hidden)
        return out

    return read


def _published(source: RecordSource, hidden: frozenset[str]) -> RecordSource:
    def read() -> RecordsByKind:
        videos = source().get("videos", ())
        return {"videos": (row for row in videos if str(row.get("id")) in hidden)}

    return read


class ColdRouter(Protocol):
    """Ranks the hidden videos for viewers: ``fit`` once, then ``rank`` many."""

    name: str

    def fit(self, train: Interactions, hidden: Sequence[str]) -> None: ...

    def rank(self, user_ids: Sequence[str], k: int) -> dict[str, list[str]]: ...


@dataclass
class _ScoredRouter:
    """Shared shape: a users x hidden-videos score block, ties broken by video id."""

    name: str
    _hidden: tuple[str, ...] = field(default=(), init=False)
    _train: Interactions | None = field(default=None, init=False)

    def fit(self, train: Interactions, hidden: Sequence[str]) -> None:
        self._train = train
        self._hidden = tuple(sorted(hidden))
        self.prepare(train, self._hidden)

    def prepare(self, train: Interactions, hidden: tuple[str, ...]) -> None:
        """Precompute what scoring needs."""

    def scores(self, rows: NDArray[np.int64], user_ids: Sequence[str]) -> NDArray[np.float64]:
        raise NotImplementedError

    def rank(self, user_ids: Sequence[str], k: int) -> dict[str, list[str]]:
        if self._train is None:
            raise ClientError(f"router {self.name!r} must be fitted before it ranks")
        index = self._train.user_index
        rows = np.array([index.get(user, -1) for user in user_ids], dtype=np.int64)
        block = self.scores(rows, user_ids)
        out: dict[str, list[str]] = {}
        order_by_id = np.arange(len(self._hidden))
        for user, row_scores in zip(user_ids, block, strict=True):
            order = np.lexsort((order_by_id, -row_scores))[:k]
            out[user] = [self._hidden[j] for j in order]
        return out


def _item_columns(train: Interactions, hidden: Sequence[str]) -> NDArray[np.int64]:
    return np.array([train.item_index[video] for video in hidden], dtype=np.int64)


def _one_hot(labels: Sequence[Sequence[str]]) -> sp.csr_matrix:
    """Items x distinct labels, 1 where an item carries a label."""
    vocabulary: dict[str, int] = {}
    rows: list[int] = []
    columns: list[int] = []
    for row, names in enumerate(labels):
        for name in names:
            rows.append(row)
            columns.append(vocabulary.setdefault(name, len(vocabulary)))
    shape = (len(labels), max(1, len(vocabulary)))
    return sp.csr_matrix((np.ones(len(rows)), (rows, columns)), shape=shape)


def _rows(matrix: sp.csr_matrix, rows: NDArray[np.int64]) -> sp.csr_matrix:
    """Rows of ``matrix``; an unknown user (-1) gets an empty row."""
    known = np.maximum(rows, 0)
    picked = sp.csr_matrix(matrix[known])
    return sp.csr_matrix(sp.diags((rows >= 0).astype(np.float64)) @ picked)


class RandomRouter(_ScoredRouter):
    """Hidden videos in a seeded random order per viewer: what luck alone finds."""

    def __init__(self, seed: int = 0) -> None:
        super().__init__("random")
        self.seed = seed

    def scores(self, rows: NDArray[np.int64], user_ids: Sequence[str]) -> NDArray[np.float64]:
        out = np.empty((len(user_ids), len(self._hidden)))
        for i, user in enumerate(user_ids):
            rng = np.random.default_rng([self.seed, *user.encode()])
            out[i] = rng.random(len(self._hidden))
        return out


class _LabelRouter(_ScoredRouter):
    """The viewer's positives per label (hashtag or creator) against each hidden video's
    labels, the labels' popularity breaking ties."""

    def labels(self, train: Interactions, video: str) -> Sequence[str]:
        raise NotImplementedError

    def prepare(self, train: Interactions, hidden: tuple[str, ...]) -> None:
        labels = _one_hot([self.labels(train, video) for video in train.items])
        self._viewer_labels = sp.csr_matrix(train.positive @ labels)
        self._hidden_labels = sp.csr_matrix(labels[_item_columns(train, hidden)])
        popularity = np.asarray(train.positive.sum(axis=0)).ravel() @ labels
        # Below one positive of affinity however popular: only breaks ties.
        scale = float(popularity.max()) if popularity.size and popularity.max() > 0 else 1.0
        self._popularity = self._hidden_labels @ (popularity / scale) / 2

    def scores(self, rows: NDArray[np.int64], user_ids: Sequence[str]) -> NDArray[np.float64]:
        affinity = _rows(self._viewer_labels, rows) @ self._hidden_labels.T
        dense: NDArray[np.float64] = np.asarray(affinity.todense()) + self._popularity[None, :]
        return dense


class HashtagRouter(_LabelRouter):
    """Popularity within the viewer's hashtags: hidden videos tagged with the hashtags the
    viewer engaged with most first."""

    def __init__(self) -> None:
        super().__init__("hashtags")

    def labels(self, train: Interactions, video: str) -> Sequence[str]:
        return train.videos[video].hashtags


class CreatorRouter(_LabelRouter):
    """The creator's other videos' audience: a hidden video goes first to the viewers who
    engaged most with its creator's other videos, then by the creator's audience size."""

    def __init__(self) -> None:
        super().__init__("creator")

    def labels(self, train: Interactions, video: str) -> Sequence[str]:
        return (train.videos[video].creator,)


#: Id -> vector, as the engine stores them.
Vectors = Mapping[str, NDArray[np.float32]]
#: ``vectors()`` -> (viewers' vectors, videos' vectors).
VectorSource = Callable[[], tuple[Vectors, Vectors]]


class EmbeddingRouter(_ScoredRouter):
    """The engine's router: the fresh source's first-audience score over the vectors the
    engine stored (viewers' trained vectors; the hidden videos' folded in when they were
    published), every hidden video as new as the others."""

    def __init__(self, vectors: VectorSource, *, sharpness: float = 4.0) -> None:
        super().__init__("embedding")
        self.vectors = vectors
        self.sharpness = sharpness

    def prepare(self, train: Interactions, hidden: tuple[str, ...]) -> None:
        viewers, videos = self.vectors()
        dimension = next(iter(videos.values())).shape[0] if videos else 0
        self._viewers = viewers
        self._videos = np.zeros((len(hidden), max(dimension, 1)), dtype=np.float32)
        self._has_vector = np.zeros(len(hidden), dtype=bool)
        for j, video in enumerate(hidden):
            vector = videos.get(video)
            if vector is not None and vector.shape[0] == dimension:
                self._videos[j] = vector
                self._has_vector[j] = True
        #: Hidden videos that got a vector when published (the rest can only tie).
        self.covered = float(self._has_vector.mean()) if hidden else 0.0

    def scores(self, rows: NDArray[np.int64], user_ids: Sequence[str]) -> NDArray[np.float64]:
        size = len(self._hidden)
        new = np.zeros(size, dtype=np.float64)
        out = np.empty((len(user_ids), size))
        for i, user in enumerate(user_ids):
            match = audience_match(self._viewers.get(user), self._videos, self._has_vector)
            out[i] = first_audience_scores(
                new, new, match, half_life_ms=1.0, audience=1.0, sharpness=self.sharpness
            )
        return out


def cold_baselines(seed: int = 0) -> list[ColdRouter]:
    return [RandomRouter(seed), HashtagRouter(), CreatorRouter()]


@dataclass(frozen=True)
class ColdResult:
    name: str
    recall: float
    reach: float
    users: int
    videos: int

    def to_json(self) -> dict[str, Any]:
        return {"cold_recall_at_50": round(self.recall, 5), "cold_reach": round(self.reach, 5),
                "users": self.users, "videos": self.videos}  # fmt: skip


def judge(router: ColdRouter, cold: ColdSplit, k: int = COLD_K) -> ColdResult:
    """Fit ``router`` on the cold train split, rank the hidden videos, score the lists."""
    router.fit(cold.train, cold.hidden)
    users = sorted(cold.relevance)
    lists: dict[str, list[str]] = {}
    for start in range(0, len(users), 256):
        lists.update(router.rank(users[start : start + 256], k))
    recall = float(np.mean([metrics.recall_at_k(lists[u], cold.relevance[u], k) for u in users]))
    engaged: dict[str, set[str]] = {}
    for user, videos in cold.relevance.items():
        for video in videos:
            engaged.setdefault(video, set()).add(user)
    reached = sum(
        1 for video, viewers in engaged.items() if any(video in lists[u][:k] for u in viewers)
    )
    return ColdResult(router.name, recall, reached / len(engaged), len(users), len(engaged))
