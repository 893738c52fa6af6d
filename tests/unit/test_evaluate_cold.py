"""The cold-video evaluation: hiding videos, the routers' shared contract, the scores."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from graph.errors import ClientError
from graph.evaluate.cold import (
    ColdRouter,
    ColdSplit,
    CreatorRouter,
    EmbeddingRouter,
    HashtagRouter,
    RandomRouter,
    Vectors,
    hide_videos,
    judge,
)
from graph.evaluate.datasets import Split, records_split
from graph.evaluate.toy import source, toy_records, toy_test_records


def _split() -> Split:
    train = toy_records(users=40, videos=60)
    return records_split("toy", source(train), source(toy_test_records(train)), "toy")


@pytest.fixture(scope="module")
def cold() -> ColdSplit:
    return hide_videos(_split(), fraction=0.5, seed=1)


def _group(item: str) -> int:
    return int(item[1:]) % 2


def _group_vectors() -> tuple[Vectors, Vectors]:
    """Each toy user and video points along its taste group's axis (even / odd ids)."""
    axes = np.eye(2, dtype=np.float32)
    viewers = {f"u{i}": axes[i % 2] for i in range(40)}
    videos = {f"v{i}": axes[i % 2] for i in range(60)}
    return viewers, videos


ROUTERS: dict[str, Callable[[], ColdRouter]] = {
    "random": lambda: RandomRouter(seed=3),
    "hashtags": HashtagRouter,
    "creator": CreatorRouter,
    "embedding": lambda: EmbeddingRouter(_group_vectors),
}


def test_hidden_videos_lose_their_history_and_keep_their_catalogue(cold: ColdSplit) -> None:
    assert len(cold.hidden) == 30 and list(cold.hidden) == sorted(cold.hidden)
    hidden = set(cold.hidden)
    columns = [cold.train.item_index[video] for video in hidden]
    for matrix in (cold.train.strength, cold.train.positive, cold.train.seen):
        assert matrix[:, columns].nnz == 0
    assert hidden <= set(cold.train.items)  # still in the catalogue
    records = cold.records()
    assert not hidden & {row["id"] for row in records["videos"]}
    assert not hidden & {row["videoId"] for row in records["interactions"]}
    assert {row["id"] for row in cold.published()["videos"]} == hidden
    assert cold.relevance
    for user, videos in cold.relevance.items():
        assert videos <= hidden and user in cold.train.user_index


def test_the_same_seed_hides_the_same_videos() -> None:
    split = _split()
    assert hide_videos(split, 0.5, seed=1).hidden == hide_videos(split, 0.5, seed=1).hidden
    assert hide_videos(split, 0.5, seed=1).hidden != hide_videos(split, 0.5, seed=2).hidden


@pytest.mark.parametrize("fraction", [0.0, 1.0, -0.1])
def test_a_share_outside_zero_one_is_refused(fraction: float) -> None:
    with pytest.raises(ClientError, match="between 0 and 1"):
        hide_videos(_split(), fraction)


@pytest.mark.parametrize("name", sorted(ROUTERS))
def test_every_router_ranks_only_hidden_videos_for_every_viewer(name: str, cold: ColdSplit) -> None:
    router = ROUTERS[name]()
    with pytest.raises(ClientError, match="fitted"):
        router.rank(["u0"], 5)
    router.fit(cold.train, cold.hidden)
    users = [*sorted(cold.relevance)[:5], "nobody-knows-me"]
    lists = router.rank(users, 7)
    assert set(lists) == set(users)
    for ranked in lists.values():
        assert len(ranked) == 7 == len(set(ranked))
        assert set(ranked) <= set(cold.hidden)
    assert router.rank(users, 7) == lists  # deterministic


@pytest.mark.parametrize("name", ["hashtags", "creator", "embedding"])
def test_routers_that_learn_send_each_hidden_video_to_its_taste_group(
    name: str, cold: ColdSplit
) -> None:
    router = ROUTERS[name]()
    router.fit(cold.train, cold.hidden)
    for user, ranked in router.rank(sorted(cold.relevance), 3).items():
        assert all(_group(item) == int(user[1:]) % 2 for item in ranked)


def test_judge_scores_recall_and_reach(cold: ColdSplit) -> None:
    k = max(sum(_group(item) == group for item in cold.hidden) for group in (0, 1))
    learned = judge(ROUTERS["embedding"](), cold, k=k)
    luck = judge(ROUTERS["random"](), cold, k=k)
    assert learned.users == luck.users == len(cold.relevance)
    assert learned.videos == len({v for videos in cold.relevance.values() for v in videos})
    # Every toy viewer's hidden positives are among their own group's hidden videos.
    assert learned.recall == pytest.approx(1.0) and learned.reach == pytest.approx(1.0)
    assert luck.recall < 0.8
    assert judge(ROUTERS["embedding"](), cold, k=1).recall < learned.recall


def test_a_hidden_video_without_a_vector_only_ties_at_the_end(cold: ColdSplit) -> None:
    viewers, videos = _group_vectors()
    missing = cold.hidden[0]
    router = EmbeddingRouter(lambda: (viewers, {k: v for k, v in videos.items() if k != missing}))
    router.fit(cold.train, cold.hidden)
    assert router.covered == pytest.approx(1 - 1 / len(cold.hidden))
    user = next(u for u in sorted(cold.relevance) if int(u[1:]) % 2 != _group(missing))
    ranked = router.rank([user], len(cold.hidden))[user]
    own = sum(_group(item) == int(user[1:]) % 2 for item in cold.hidden)
    assert missing not in ranked[:own]
