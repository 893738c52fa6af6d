"""Train / test splits for the evaluation, all built from import-format records.

A *record source* is a function that returns import-format records by kind
(docs/model.md; the kinds are the file names: users, creators, videos, follows,
interactions), fresh each time it is called, so the same data can be read once
for the baselines and again by the feed adapter into Neo4j.

* :func:`folder_split`: any dataset as a train folder and a test folder.
* :func:`records_split`: two record sources (KuaiRand, the synthetic world).
* :func:`choose_split` / :func:`choose_ranker_split`: the split of a :class:`Dataset`
  (what ``fyp evaluate`` / ``fyp train-ranker`` and ``bench/quality.py`` were given).

Relevance (what a recommender should find) is the test positives of each warm
user that they had not seen in train (see ``runner.relevance_from``).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from graph.errors import ClientError
from graph.evaluate.interactions import (
    Interactions,
    InteractionsBuilder,
    RecordsByKind,
    RecordSource,
    VideoFacts,
)
from graph.evaluate.runner import relevance_from
from graph.ingest.sources import SourceRecord, find_files, read_file
from graph.ingest.validate import Invalid, validate
from graph.synth import World, WorldSpec, generate_world

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Split:
    name: str
    train: Interactions
    #: Per evaluated user, the items that count as hits.
    relevance: dict[str, frozenset[str]]
    #: How relevance was defined, for the report.
    relevance_rule: str


def build_interactions(
    source: RecordSource,
    videos: Mapping[str, VideoFacts] | None = None,
    *,
    keep_source: bool = True,
) -> Interactions:
    """Fold a record source into :class:`Interactions`; invalid records are skipped.

    Records are normalised with the ingest validator, so CSV text, ISO times and
    ``#Tags`` mean here what they mean in the graph. Replayed event ids count
    once, as in the graph.
    """
    builder = InteractionsBuilder(videos)
    event_ids: set[str] = set()
    skipped: Counter[str] = Counter()
    records = source()
    for kind in ("videos", "interactions"):
        for raw in records.get(kind, ()):
            try:
                row: Mapping[str, Any] = validate(kind, raw)
            except Invalid as problem:
                skipped[str(problem).split(":")[0]] += 1
                continue
            if kind == "videos":
                builder.add_video(row)
            elif row["id"] not in event_ids:
                event_ids.add(row["id"])
                builder.add_interaction(row)
    if skipped:
        log.warning("skipped %d invalid records: %s", sum(skipped.values()), dict(skipped))
    return builder.build(source if keep_source else None)


def records_split(name: str, train: RecordSource, test: RecordSource, rule: str) -> Split:
    train_interactions = build_interactions(train)
    test_interactions = build_interactions(test, train_interactions.videos, keep_source=False)
    return Split(
        name=name,
        train=train_interactions,
        relevance=relevance_from(test_interactions, train_interactions),
        relevance_rule=rule,
    )


def folder_records(folder: Path) -> RecordSource:
    """The records of an import folder (re-read on every call)."""
    files = find_files(folder)

    def read() -> dict[str, Iterator[Mapping[str, Any]]]:
        return {source.kind: _data(read_file(source)) for source in files}

    return read


def _data(records: Iterable[SourceRecord]) -> Iterator[Mapping[str, Any]]:
    return (record.data for record in records if record.data is not None)


POSITIVE_RULE = (
    "test positives (a view of >= 18 s or >= 95% of the video, or a like, share or "
    "comment) of users with train history, on videos they had not seen in train"
)


def folder_split(train: Path, test: Path) -> Split:
    return records_split(
        f"{train.name} -> {test.name}", folder_records(train), folder_records(test), POSITIVE_RULE
    )


# -- the synthetic world ---------------------------------------------------------------
DAY_MS = 86_400_000

FUTURE = "future"
INTEREST = "interest"
SYNTHETIC_RELEVANCE = (FUTURE, INTEREST)


def synthetic_split(world: World, holdout_days: int = 2, relevance: str = FUTURE) -> Split:
    """Train on the world before its last ``holdout_days``; test against the future or the truth.

    * ``future``: the held-out days' positives (as for any dataset).
    * ``interest``: the planted ground truth: every train-catalog video the user had
      not seen whose main topic is the user's strongest latent interest. Those sets
      are large (a topic's share of the catalog), so Recall@K is bounded by
      K / |relevant|; NDCG@K (whose ideal is capped at K hits) reads as precision there.
    """
    if relevance not in SYNTHETIC_RELEVANCE:
        raise ClientError(f"relevance must be one of {', '.join(SYNTHETIC_RELEVANCE)}")
    if not 1 <= holdout_days < world.spec.days:
        raise ClientError(f"holdout days must be 1..{world.spec.days - 1}")
    cutoff = world.spec.start_ms + (world.spec.days - holdout_days) * DAY_MS
    train, test = _world_window(world, cutoff, cutoff + holdout_days * DAY_MS)
    name = (
        f"synthetic(users={world.spec.users}, videos={world.spec.videos}, seed={world.spec.seed})"
    )
    if relevance == FUTURE:
        return records_split(name, train, test, f"last {holdout_days} days: " + POSITIVE_RULE)
    train_interactions = build_interactions(train)
    return Split(
        name=name,
        train=train_interactions,
        relevance=_interest_relevance(world.truth, train_interactions),
        relevance_rule=(
            "planted truth: unseen train-catalog videos whose main topic is the user's "
            "strongest latent interest"
        ),
    )


def _world_window(world: World, cutoff: int, end: int) -> tuple[RecordSource, RecordSource]:
    """The world before ``cutoff`` (videos posted by then, every user, the follow
    snapshot) and its interactions in [cutoff, end)."""
    records = world.records()

    def before(kind: str, field: str) -> Iterable[Mapping[str, Any]]:
        return (row for row in records[kind] if int(row.get(field) or 0) < cutoff)

    def train() -> RecordsByKind:
        return {
            "users": iter(records["users"]),
            "creators": iter(records["creators"]),
            "videos": before("videos", "createdAt"),
            "follows": iter(records["follows"]),
            "interactions": before("interactions", "at"),
        }

    def later() -> RecordsByKind:
        return {
            "interactions": (
                row for row in records["interactions"] if cutoff <= int(row["at"]) < end
            )
        }

    return train, later


def _interest_relevance(truth: Mapping[str, Any], train: Interactions) -> dict[str, frozenset[str]]:
    topics: list[str] = truth["topics"]
    by_topic: dict[str, set[str]] = {}
    for video, facts in truth["videoTopics"].items():
        if video in train.item_index:
            by_topic.setdefault(facts["topic"], set()).add(video)
    engaged_rows = np.flatnonzero(np.diff(train.strength.indptr) > 0)
    relevance: dict[str, frozenset[str]] = {}
    for row in engaged_rows.tolist():
        user = train.users[row]
        shares = truth["userInterests"].get(user)
        if not shares:
            continue
        top = topics[int(np.argmax(shares))]
        items = frozenset(by_topic.get(top, set()) - train.seen_items(user))
        if items:
            relevance[user] = items
    return relevance


# -- KuaiRand --------------------------------------------------------------------------
KUAIRAND_RULE = (
    "KuaiRand test period (2022-05-01..08) positives (is_positive: long view, finish or "
    "like) of users with train history, on videos they had not seen in train"
)


def kuairand_split(path: Path) -> Split:
    """Train on the training sequences + val, test on the positives of test."""
    from graph.datasets.kuairand import kuairand_records

    def train() -> RecordsByKind:
        return kuairand_records(path, parts=("sequences", "val"))

    def test() -> RecordsByKind:
        return kuairand_records(path, parts=("test",))

    return records_split(f"kuairand({path.name})", train, test, KUAIRAND_RULE)


# -- splits for fitting the ranker -------------------------------------------------------
@dataclass(frozen=True)
class RankerSplit:
    """The graph's data up to T (``train``) and what users did after T (``outcomes``)."""

    name: str
    train: Interactions
    outcomes: Interactions


def ranker_split(name: str, train: RecordSource, outcomes: RecordSource) -> RankerSplit:
    train_interactions = build_interactions(train)
    return RankerSplit(
        name,
        train_interactions,
        build_interactions(outcomes, train_interactions.videos, keep_source=False),
    )


def synthetic_ranker_split(world: World, holdout_days: int = 2) -> RankerSplit:
    """Fit on the window *before* the evaluation's test days, so the evaluation stays unseen:
    graph up to D - 2h, labels from [D - 2h, D - h)."""
    if not 1 <= 2 * holdout_days < world.spec.days:
        raise ClientError(f"holdout days must be 1..{(world.spec.days - 1) // 2} to fit a ranker")
    cutoff = world.spec.start_ms + (world.spec.days - 2 * holdout_days) * DAY_MS
    train, outcomes = _world_window(world, cutoff, cutoff + holdout_days * DAY_MS)
    return ranker_split(f"synthetic(seed={world.spec.seed})", train, outcomes)


def kuairand_ranker_split(path: Path) -> RankerSplit:
    """Graph: the training sequences; labels: val (the evaluation's test stays unseen)."""
    from graph.datasets.kuairand import kuairand_records

    def train() -> RecordsByKind:
        return kuairand_records(path, parts=("sequences",))

    def outcomes() -> RecordsByKind:
        return kuairand_records(path, parts=("val",))

    return ranker_split(f"kuairand({path.name})", train, outcomes)


def folder_ranker_split(train: Path, labels: Path) -> RankerSplit:
    return ranker_split(
        f"{train.name} -> {labels.name}", folder_records(train), folder_records(labels)
    )


# -- choosing one dataset ----------------------------------------------------------------
@dataclass(frozen=True)
class Dataset:
    """What to evaluate on (or fit the ranker on): exactly one of two import folders, a
    KuaiRand folder or a generated synthetic world."""

    train: Path | None = None
    #: The second import folder: the test split (evaluation) or the labels (ranker).
    test: Path | None = None
    kuairand: Path | None = None
    synthetic: bool = False
    #: The synthetic world: its size, seed, days held out and relevance rule.
    synth_users: int = 2000
    synth_videos: int = 2000
    seed: int = 0
    holdout_days: int = 2
    relevance: str = FUTURE

    def world(self) -> World:
        return generate_world(
            WorldSpec(users=self.synth_users, videos=self.synth_videos, seed=self.seed)
        )


def choose_split(dataset: Dataset) -> Split:
    """The evaluation's train / test split of ``dataset``."""
    _check_one(dataset, "--test")
    if dataset.kuairand is not None:
        return kuairand_split(dataset.kuairand)
    if dataset.synthetic:
        return synthetic_split(
            dataset.world(), holdout_days=dataset.holdout_days, relevance=dataset.relevance
        )
    return folder_split(*_folders(dataset, "--test"))


def choose_ranker_split(dataset: Dataset) -> RankerSplit:
    """The ranker's graph / labels split of ``dataset`` (its ``test`` folder: the labels)."""
    _check_one(dataset, "--labels")
    if dataset.kuairand is not None:
        return kuairand_ranker_split(dataset.kuairand)
    if dataset.synthetic:
        return synthetic_ranker_split(dataset.world(), dataset.holdout_days)
    return folder_ranker_split(*_folders(dataset, "--labels"))


def _check_one(dataset: Dataset, second: str) -> None:
    folders = dataset.train is not None or dataset.test is not None
    if sum([folders, dataset.kuairand is not None, dataset.synthetic]) != 1:
        raise ClientError(
            f"give exactly one dataset: --train DIR {second} DIR, --kuairand PATH or --synthetic"
        )


def _folders(dataset: Dataset, second: str) -> tuple[Path, Path]:
    if dataset.train is None or dataset.test is None:
        raise ClientError(f"--train and {second} go together: give both folders")
    return dataset.train, dataset.test
