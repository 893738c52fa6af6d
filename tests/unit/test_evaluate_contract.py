"""The one contract every recommender in an evaluation follows (graph.evaluate.recommenders.base).

Parametrised over every implementation: the baselines need nothing, the feed
adapter needs the real Neo4j (the session's throwaway server) and the real
FeedEngine, so its cases start the database when they run.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from graph.errors import ClientError
from graph.evaluate.datasets import build_interactions
from graph.evaluate.interactions import Interactions
from graph.evaluate.recommenders.als import ALS
from graph.evaluate.recommenders.base import Recommender
from graph.evaluate.recommenders.ease import EASE
from graph.evaluate.recommenders.itemknn import ItemKNN
from graph.evaluate.recommenders.lowpass import LowPassFilter
from graph.evaluate.recommenders.popularity import RecentPopularity
from graph.evaluate.recommenders.rp3beta import RP3Beta
from graph.evaluate.toy import source, toy_records

Factory = Callable[[pytest.FixtureRequest], Recommender]

K = 5


def _feed(request: pytest.FixtureRequest) -> Recommender:
    from graph.db import Graph
    from graph.evaluate.recommenders.feed import FeedAsServed, offline_config
    from graph.feed import FeedEngine

    graph: Graph = request.getfixturevalue("graph")  # wiped: the adapter loads the train split
    adapter = FeedAsServed(
        graph.conn, lambda async_graph: FeedEngine(async_graph, offline_config())
    )
    request.addfinalizer(adapter.close)
    return adapter


FACTORIES: dict[str, tuple[Factory, bool]] = {
    # name: (factory, personalised?)
    "popularity": (lambda _: RecentPopularity(), False),
    "itemknn": (lambda _: ItemKNN(neighbours=20, shrink=5.0), True),
    "ease": (lambda _: EASE(regularisation=10.0), True),
    "rp3beta": (lambda _: RP3Beta(alpha=0.8, beta=0.2, neighbours=20), True),
    "lowpass": (lambda _: LowPassFilter(rank=4), True),
    "als": (lambda _: ALS(factors=4, iterations=10, seed=0), True),
    "feed": (_feed, True),
}


@pytest.fixture(scope="module")
def train() -> Interactions:
    return build_interactions(source(toy_records()))


@pytest.fixture(params=sorted(FACTORIES))
def case(request: pytest.FixtureRequest) -> tuple[Recommender, bool]:
    factory, personalised = FACTORIES[request.param]
    return factory(request), personalised


def test_it_is_a_recommender(case: tuple[Recommender, bool]) -> None:
    recommender, _ = case
    assert isinstance(recommender, Recommender)
    assert recommender.name


def test_recommending_before_fit_is_a_client_error(case: tuple[Recommender, bool]) -> None:
    recommender, _ = case
    with pytest.raises(ClientError, match="fitted"):
        recommender.recommend(["u0"], K)


def test_lists_answer_every_user_with_at_most_k_unseen_catalog_items(
    case: tuple[Recommender, bool], train: Interactions
) -> None:
    recommender, _ = case
    recommender.fit(train)
    users = ["u0", "u1", "u7", "nobody"]
    lists = recommender.recommend(users, K)
    assert list(lists) == users
    catalog = set(train.items)
    for user, items in lists.items():
        assert len(items) <= K
        assert len(set(items)) == len(items), f"{user}: duplicate items {items}"
        assert set(items) <= catalog
        assert not set(items) & train.seen_items(user), f"{user}: recommended a seen item"
    for user in ("u0", "u1", "u7"):
        assert lists[user], f"{recommender.name} found nothing for warm user {user}"


def test_personalised_recommenders_learn_the_taste_groups(
    case: tuple[Recommender, bool], train: Interactions
) -> None:
    recommender, personalised = case
    if not personalised:
        pytest.skip("not personalised: the same list for everyone")
    recommender.fit(train)
    users = [f"u{i}" for i in range(10)]
    lists = recommender.recommend(users, K)
    own = sum(1 for user in users for item in lists[user] if int(item[1:]) % 2 == int(user[1:]) % 2)
    shown = sum(len(items) for items in lists.values())
    assert shown > 0
    assert own / shown >= 0.7, f"{recommender.name}: only {own}/{shown} items of the user's group"


def test_asking_twice_gives_the_same_lists(
    case: tuple[Recommender, bool], train: Interactions
) -> None:
    recommender, _ = case
    recommender.fit(train)
    users = ["u2", "u3", "u4"]
    assert recommender.recommend(users, K) == recommender.recommend(users, K)
