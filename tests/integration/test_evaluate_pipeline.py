"""The evaluation end to end through the real Neo4j and the real FeedEngine."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph.cli import app
from graph.datasets.locate import find_kuairand
from graph.db import Graph
from graph.errors import ClientError
from graph.evaluate.datasets import kuairand_split, ranker_split
from graph.evaluate.pipeline import run_split
from graph.evaluate.ranker import collect_examples, fit_ranker, labels_from
from graph.evaluate.recommenders.als import ALS
from graph.evaluate.recommenders.feed import FeedAsServed, offline_config
from graph.evaluate.recommenders.itemknn import ItemKNN
from graph.evaluate.recommenders.popularity import RecentPopularity
from graph.evaluate.toy import source, toy_records, toy_test_records, write_import_folder
from graph.feed import FEATURE_NAMES, FeedConfig, FeedEngine
from graph.ingest import import_dir

REPO = Path(__file__).resolve().parents[2]


def _smoke_dataset() -> Path:
    found = find_kuairand(REPO, os.environ.get("FYP_KUAIRAND"))
    if found is None or not (found / "smoke").is_dir():
        pytest.skip("the KuaiRand smoke subset (shared/datasets/kuairand-pure-subset) is not here")
    return found / "smoke"


def _feed(graph: Graph) -> FeedAsServed:
    return FeedAsServed(graph.conn, lambda async_graph: FeedEngine(async_graph, offline_config()))


def test_kuairand_smoke_subset_end_to_end(graph: Graph) -> None:
    split = kuairand_split(_smoke_dataset())
    feed = _feed(graph)
    recommenders = [RecentPopularity(), ItemKNN(), ALS(factors=16), feed]
    try:
        evaluation = run_split(split, recommenders, users=30, seed=0)
    finally:
        feed.close()

    assert evaluation.users == 30
    assert [r.name for r in evaluation.results] == ["popularity", "itemknn", "als", "feed"]
    for result in evaluation.results:
        for key, value in result.metrics.items():
            if key != "mean_list_length":
                assert 0.0 <= value <= 1.0 and math.isfinite(value), (result.name, key, value)
    feed_result = evaluation.results[-1]
    assert feed_result.metrics["mean_list_length"] > 10, "the feed served (nearly) nothing"
    for user, items in feed_result.lists.items():
        assert not set(items) & split.train.seen_items(user), (
            f"feed re-served a seen video to {user}"
        )
    diagnostics = evaluation.diagnostics["feed"]
    assert diagnostics["sources"]["items"] == sum(len(i) for i in feed_result.lists.values())
    assert any(stage.startswith("source:") for stage in diagnostics["stages"])
    json.dumps(evaluation.to_json())  # serialisable as the CLI writes it

    # The adapter loads into an empty database only: never over someone's data.
    with pytest.raises(ClientError, match="empty database"):
        _feed(graph).fit(split.train)


def test_cli_evaluates_import_folders_served_from_the_configured_database(
    graph: Graph, cli_env: dict[str, str], tmp_path: Path
) -> None:
    train = toy_records()
    train_dir = write_import_folder(train, tmp_path / "train")
    test_dir = write_import_folder(toy_test_records(train), tmp_path / "test")
    import_dir(graph, train_dir)  # --reuse-db: the database holds exactly the train split
    out = tmp_path / "evaluation.json"

    result = CliRunner().invoke(
        app,
        ["evaluate", "--train", str(train_dir), "--test", str(test_dir), "--reuse-db",
         "--k", "5", "--k", "10", "--json", str(out)],
        env=cli_env,
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text())
    assert set(report["recommenders"]) == {
        "popularity",
        "itemknn",
        "als",
        "ease",
        "rp3beta",
        "lowpass",
        "feed",
    }
    assert report["users"] == 30
    scores = report["recommenders"]
    # Each toy user's answer is three unseen videos of their own taste group; the
    # popular list is the same for everyone, so every personalised recommender beats it.
    for name in ("itemknn", "feed"):
        assert scores[name]["recall_at_10"] > scores["popularity"]["recall_at_10"], name
    assert "feed" in result.output


def test_cli_refuses_two_datasets(cli_env: dict[str, str], tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["evaluate", "--synthetic", "--kuairand", str(tmp_path)], env=cli_env
    )
    assert result.exit_code == 2
    assert "exactly one dataset" in result.output


def test_train_ranker_fits_weights_the_feed_loads(graph: Graph, tmp_path: Path) -> None:
    train = toy_records()
    split = ranker_split("toy", source(train), source(toy_test_records(train)))
    _feed(graph).fit(split.train)  # loads the train records
    labels = labels_from(split.outcomes)
    # Shown-and-skipped negatives: the toy's test has positives only, add a skip per user.
    for user, user_labels in labels.items():
        other = next(
            v for v in split.train.items
            if int(v[1:]) % 2 != int(user[1:]) % 2 and v not in split.train.seen_items(user)
        )  # fmt: skip
        user_labels[other] = 0

    examples = collect_examples(
        graph.conn,
        lambda async_graph: FeedEngine(async_graph, offline_config()),
        labels,
        sorted(labels),
        now=split.train.max_at + 1,
    )
    fit = fit_ranker(examples)

    assert examples.features.shape == (fit.examples, len(FEATURE_NAMES))
    # With every unengaged candidate as a 0, the positives stay and the negatives grow.
    everything = collect_examples(
        graph.conn,
        lambda async_graph: FeedEngine(async_graph, offline_config()),
        labels,
        sorted(labels),
        now=split.train.max_at + 1,
        negatives="all",
    )
    assert int(everything.labels.sum()) == fit.positives
    assert everything.labels.size > examples.labels.size
    assert 0 < fit.positives < fit.examples
    assert fit.train_auc > 0.5
    path = tmp_path / "ranker.json"
    fit.write(path)
    loaded = FeedConfig().with_weights_file(path).weights
    assert loaded.bias == pytest.approx(fit.bias)
    assert loaded.as_dict() == pytest.approx(fit.weights)
