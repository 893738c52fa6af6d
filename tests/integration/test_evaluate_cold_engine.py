"""The cold-video evaluation's engine side on a real Neo4j: load without the hidden
videos, embed, publish them, fold them in, route them (graph.evaluate.cold_engine)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from graph.db import Connection, Graph
from graph.embed import EmbedOptions
from graph.errors import ClientError
from graph.evaluate.cold_engine import run_cold
from graph.evaluate.database import EmptyDatabase
from graph.evaluate.datasets import Split, records_split
from graph.evaluate.toy import source, toy_records, toy_test_records
from graph.ingest import import_records
from graph.schema import counts

OPTIONS = EmbedOptions(dimensions=16, walk_length=20, walks_per_node=10, seed=3)


def _split() -> Split:
    train = toy_records(users=40, videos=300)
    return records_split("toy", source(train), source(toy_test_records(train)), "toy")


@contextmanager
def _this_database(graph: Graph) -> Iterator[tuple[Connection, EmptyDatabase]]:
    yield graph.conn, EmptyDatabase()


def test_the_engine_routes_videos_nobody_watched_to_their_taste_group(graph: Graph) -> None:
    report = run_cold(_split(), _this_database(graph), fraction=0.5, seed=1, options=OPTIONS)
    assert report.hidden == 150 and report.covered == 1.0
    engine, luck = report.engine, report.results["random"]
    # Half the hidden videos are of the viewer's group: luck finds about a third of their
    # positives in 50 of 150; the vectors folded in from creator, hashtags and sound, all
    # of the viewer's group, find more.
    assert engine.recall > luck.recall + 0.2
    keys = report.to_json()
    assert keys["cold_recall_at_50"] == round(engine.recall, 5)
    for name in ("random", "hashtags", "creator"):
        assert f"cold_{name}_recall_at_50" in keys and f"cold_{name}_reach" in keys
    # The hidden videos were published after the embedding run, and folded in then.
    stored = {row["id"] for row in graph.read("embed/dump_vectors") if "Video" in row["labels"]}
    published = {row["id"] for row in source(toy_records(users=40, videos=300))()["videos"]}
    assert stored == published


def test_a_database_that_holds_data_is_refused_and_left_alone(graph: Graph) -> None:
    import_records(graph, {"users": [{"id": "someone", "name": "someone"}]})
    with pytest.raises(ClientError, match="empty database"):
        run_cold(_split(), _this_database(graph), fraction=0.5, seed=1, options=OPTIONS)
    assert {name: n for name, n in counts(graph).items() if n} == {"node:User": 1}
