"""Recommendation quality on KuaiRand: the feed against popularity, item-kNN and ALS.

Train: KuaiRand's training sequences + val (through 2022-04-30); test: the
positives of test (2022-05-01..08) of sampled users with train history, on
videos they had not seen. The baselines train in memory; the feed serves from a
throwaway Neo4j loaded with the same train records (or, with ``--neo4j-uri``,
from a server that already holds exactly them, to skip the load on reruns).

Progress goes to stderr; the last stdout line is one JSON object::

    {"name": "quality", "dataset": "kuairand", "recall_at_50": r,
     "popularity_recall_at_50": p, "itemknn_recall_at_50": i, "als_recall_at_50": a,
     "ndcg_at_20": n, "intra_list_diversity": d, "als_intra_list_diversity": ad, ...}

Targets: recall_at_50 >= 1.5 x popularity and >= max(item-kNN, ALS); the feed's
diversity above ALS's. Data: KuaiRand, Kuaishou Technology, CC BY-SA 4.0.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from graph.config import Settings
from graph.datasets.locate import find_kuairand
from graph.db import Connection
from graph.evaluate.datasets import kuairand_split
from graph.evaluate.pipeline import run_split
from graph.evaluate.recommenders.als import ALS
from graph.evaluate.recommenders.base import Recommender
from graph.evaluate.recommenders.feed import FeedAsServed, offline_config
from graph.evaluate.recommenders.itemknn import ItemKNN
from graph.evaluate.recommenders.popularity import RecentPopularity
from graph.evaluate.report import Evaluation
from graph.feed import FeedEngine
from graph.local_neo4j import throwaway_server
from graph.precompute import CoEngagementOptions

log = logging.getLogger("bench.quality")

REPO = Path(__file__).resolve().parents[1]


def default_dataset() -> Path:
    found = find_kuairand(REPO, os.environ.get("FYP_KUAIRAND"))
    if found is None:
        raise SystemExit("KuaiRand not found: pass --kuairand PATH or set FYP_KUAIRAND")
    return found


@contextmanager
def feed_connection(args: argparse.Namespace) -> Iterator[tuple[Connection, bool]]:
    """(connection, load?): the given server as it is, or a throwaway one to load."""
    if args.neo4j_uri:
        yield (
            Connection(args.neo4j_uri, "neo4j", args.neo4j_password, "neo4j", timeout_s=300.0),
            False,
        )
        return
    settings = Settings()
    with throwaway_server(settings.cache, settings.neo4j_version, heap="2g", pagecache="1g") as s:
        yield Connection(s.uri, "neo4j", s.password(), "neo4j", timeout_s=300.0), True


def summary(evaluation: Evaluation, seconds: float) -> dict[str, Any]:
    def metric(name: str, key: str) -> float:
        return round(evaluation.metric(name, key), 5)

    feed_recall = metric("feed", "recall_at_50")
    baselines = {name: metric(name, "recall_at_50") for name in ("popularity", "itemknn", "als")}
    return {
        "name": "quality",
        "dataset": "kuairand",
        "users": evaluation.users,
        "recall_at_50": feed_recall,
        "popularity_recall_at_50": baselines["popularity"],
        "itemknn_recall_at_50": baselines["itemknn"],
        "als_recall_at_50": baselines["als"],
        "ndcg_at_20": metric("feed", "ndcg_at_20"),
        "intra_list_diversity": metric("feed", "intra_list_diversity"),
        "als_intra_list_diversity": metric("als", "intra_list_diversity"),
        "coverage": metric("feed", "coverage"),
        "fresh_creator_share": metric("feed", "fresh_creator_share"),
        "targets": {
            "recall_vs_popularity": feed_recall >= 1.5 * baselines["popularity"],
            "recall_vs_best_baseline": feed_recall >= max(baselines["itemknn"], baselines["als"]),
            "diversity_vs_als": metric("feed", "intra_list_diversity")
            > metric("als", "intra_list_diversity"),
        },
        "seconds": round(seconds, 1),
    }


LOADED: dict[str, int] = {}


def log_load(kind: str, batch: int) -> None:
    before = LOADED.get(kind, 0)
    LOADED[kind] = before + batch
    if LOADED[kind] // 100_000 > before // 100_000:
        log.info("loaded %s: %d records", kind, LOADED[kind])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kuairand", type=Path, default=None)
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--neo4j-uri", default=None, help="a server already holding the train split"
    )
    parser.add_argument("--neo4j-password", default=os.environ.get("FYP_NEO4J_PASSWORD", ""))
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument(
        "--skip-precompute",
        action="store_true",
        help="with --neo4j-uri: the server already holds this data's CO_ENGAGED and "
        "RECOMMENDED edges",
    )
    parser.add_argument("--weights", type=Path, default=None, help="fitted scorer weights JSON")
    parser.add_argument("--report", type=Path, default=None, help="write the full report here")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(message)s")
    logging.getLogger("neo4j").setLevel(logging.WARNING)

    started = time.perf_counter()
    split = kuairand_split(args.kuairand or default_dataset())
    log.info("split ready: %d users to draw from", len(split.relevance))
    config = offline_config(args.weights)
    with feed_connection(args) as (connection, load):
        feed = FeedAsServed(
            connection,
            lambda graph: FeedEngine(graph, config),
            load=load,
            concurrency=args.concurrency,
            load_progress=log_load,
            co_engagement=None if args.skip_precompute else CoEngagementOptions(),
        )
        recommenders: list[Recommender] = [
            RecentPopularity(), ItemKNN(), ALS(seed=args.seed), feed,
        ]  # fmt: skip

        def progress(name: str, done: int, total: int) -> None:
            if done == total or done % 200 == 0:
                log.info("%s: %d / %d users", name, done, total)

        try:
            evaluation = run_split(
                split, recommenders, users=args.users, seed=args.seed, progress=progress
            )
        finally:
            feed.close()
    if args.report is not None:
        args.report.write_text(json.dumps(evaluation.to_json(), indent=2) + "\n")
    print(json.dumps(evaluation.to_json()["recommenders"]), file=sys.stderr)
    print(json.dumps(evaluation.diagnostics), file=sys.stderr)
    print(json.dumps(summary(evaluation, time.perf_counter() - started)))


if __name__ == "__main__":
    main()
