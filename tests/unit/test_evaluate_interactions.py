"""Building the train matrices and the test relevance from import-format records."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from graph.errors import ClientError
from graph.evaluate.datasets import (
    Dataset,
    build_interactions,
    choose_ranker_split,
    choose_split,
    records_split,
)
from graph.evaluate.interactions import is_positive_view
from graph.evaluate.runner import sample_users, score_lists
from graph.evaluate.toy import source, toy_records, toy_test_records, write_import_folder

T0 = 1_700_000_000_000


def _video(
    vid: str, creator: str = "c1", duration: int = 60_000, tags: Any = ("A",)
) -> dict[str, Any]:
    return {
        "id": vid,
        "creatorId": creator,
        "createdAt": T0,
        "durationMs": duration,
        "hashtags": list(tags),
    }


def _event(
    eid: str, kind: str, user: str, video: str, at: int = T0, **extra: Any
) -> dict[str, Any]:
    return {"eventId": eid, "type": kind, "userId": user, "videoId": video, "at": at, **extra}


def test_positive_view_is_a_long_view_or_a_complete() -> None:
    assert is_positive_view(18_000, 60_000)  # KuaiRand's long view
    assert not is_positive_view(17_999, 60_000)
    assert is_positive_view(9_500, 10_000)  # 95 % of a short video
    assert not is_positive_view(9_000, 10_000)


def test_strength_positive_seen_and_last_at() -> None:
    records = {
        "videos": [_video("v1"), _video("v2", tags=["#B", "c"]), _video("v3")],
        "interactions": [
            _event("e1", "view", "u1", "v1", watchMs=20_000, at=T0 + 5),
            _event("e2", "like", "u1", "v1", at=T0 + 9),
            _event("e3", "view", "u1", "v2", watchMs=1_000),
            _event("e4", "skip", "u2", "v3"),
            _event("e1", "view", "u1", "v1", watchMs=20_000, at=T0 + 99),  # replayed id
            _event("bad", "view", "u1", "v1"),  # no watchMs: invalid, skipped
        ],
    }
    train = build_interactions(source(records))
    assert train.users == ("u1", "u2")
    assert train.items == ("v1", "v2", "v3")
    u1, v1, v2 = train.user_index["u1"], train.item_index["v1"], train.item_index["v2"]
    # view 1 + positive 2 + like 1; the replay counts once.
    assert train.strength[u1, v1] == pytest.approx(4.0)
    assert train.strength[u1, v2] == pytest.approx(1.0)
    assert train.positive[u1, v1] == 1 and train.positive[u1, v2] == 0
    assert train.last_at[u1, v1] == T0 + 9
    assert train.max_at == T0 + 9
    assert train.seen_items("u2") == {"v3"}  # a skip is seen, with no strength
    assert train.strength[train.user_index["u2"]].nnz == 0
    assert train.videos["v2"].hashtags == ("b", "c")


def test_relevance_keeps_warm_users_unseen_catalog_positives() -> None:
    train = {
        "videos": [_video("v1"), _video("v2"), _video("v3")],
        "interactions": [
            _event("e1", "view", "u1", "v1", watchMs=30_000),
            _event("e2", "skip", "cold", "v1"),
        ],
    }
    test = {
        "videos": [_video("v9")],
        "interactions": [
            _event("t1", "view", "u1", "v2", watchMs=30_000),  # relevant
            _event("t2", "view", "u1", "v3", watchMs=500),  # not positive
            _event("t3", "view", "u1", "v1", watchMs=30_000),  # seen in train
            _event("t4", "view", "u1", "v9", watchMs=30_000),  # not in the train catalog
            _event("t5", "like", "cold", "v2"),  # user without train engagement
        ],
    }
    split = records_split("t", source(train), source(test), "rule")
    assert split.relevance == {"u1": frozenset({"v2"})}


def test_a_dataset_is_exactly_one_choice_and_folders_come_in_pairs(tmp_path: Path) -> None:
    with pytest.raises(ClientError, match="exactly one dataset: --train DIR --test DIR"):
        choose_split(Dataset())
    with pytest.raises(ClientError, match="exactly one dataset: --train DIR --labels DIR"):
        choose_ranker_split(Dataset(kuairand=tmp_path, synthetic=True))
    with pytest.raises(ClientError, match="--train and --test go together"):
        choose_split(Dataset(test=tmp_path))
    with pytest.raises(ClientError, match="--train and --labels go together"):
        choose_ranker_split(Dataset(train=tmp_path))

    train = toy_records()
    folders = Dataset(
        train=write_import_folder(train, tmp_path / "train"),
        test=write_import_folder(toy_test_records(train), tmp_path / "test"),
    )
    split = choose_split(folders)
    assert split.name == "train -> test" and len(split.relevance) == 30
    ranker = choose_ranker_split(folders)
    assert ranker.train.users == split.train.users and ranker.outcomes.users


def test_fresh_creators_have_few_train_views() -> None:
    records = {
        "videos": [_video("v1", "big"), _video("v2", "small"), _video("v3", "silent")],
        "interactions": [_event(f"e{i}", "view", f"u{i}", "v1", watchMs=1_000) for i in range(12)]
        + [_event("s", "view", "u0", "v2", watchMs=1_000)],
    }
    train = build_interactions(source(records))
    assert train.creator_views() == {"big": 12, "small": 1, "silent": 0}
    assert train.fresh_creators(max_views=10) == {"small", "silent"}


def test_sample_users_is_seeded_and_bounded() -> None:
    relevance = {f"u{i}": {"v"} for i in range(100)}
    first = sample_users(relevance, 10, seed=3)
    assert first == sample_users(relevance, 10, seed=3)
    assert first != sample_users(relevance, 10, seed=4)
    assert len(first) == 10 and set(first) <= set(relevance)
    assert sample_users(relevance, None, 0) == sorted(relevance)
    with pytest.raises(ClientError):
        sample_users(relevance, 0, 0)


def test_score_lists_combines_every_metric() -> None:
    records = {
        "videos": [_video("v1", "c1", tags=["x"]), _video("v2", "c2", tags=["y"]),
                   _video("v3", "c1", tags=["x"]), _video("v4", "c3", tags=["x"])],
        "interactions": [_event(f"e{i}", "view", f"u{i}", "v1", watchMs=1_000) for i in range(11)],
    }  # fmt: skip
    train = build_interactions(source(records))
    lists = {"a": ["v2", "v1"], "b": ["v3"]}
    relevance = {"a": frozenset({"v1", "v4"}), "b": frozenset({"v2"})}
    scores = score_lists(lists, relevance, train, ks=(1, 2))
    assert scores["recall_at_1"] == pytest.approx(0.0)
    assert scores["recall_at_2"] == pytest.approx((0.5 + 0.0) / 2)
    assert scores["coverage"] == pytest.approx(3 / 4)
    # a: tags y vs x -> 1; b: a single item -> 0.
    assert scores["intra_list_diversity"] == pytest.approx(0.5)
    # Exposure c1: 2 (v1, v3), c2: 1, c3: 0; c1 had 11 views, so c2 and c3 are fresh.
    assert scores["creator_coverage"] == pytest.approx(2 / 3)
    assert scores["fresh_creator_share"] == pytest.approx(1 / 3)
    assert scores["mean_list_length"] == pytest.approx(1.5)
