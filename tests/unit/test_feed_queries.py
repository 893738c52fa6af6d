"""The feed's queries get exactly their parameters; every source is registered; sources
with nothing to ask are skipped (no database)."""

from __future__ import annotations

from typing import Any

from feedworld import catalogue, query, video

from graph.cypher import QueryLibrary
from graph.db import AsyncGraph, Record
from graph.feed import FeedConfig
from graph.feed.candidate import SOURCE_NAMES
from graph.feed.pipeline import PIPELINES
from graph.feed.sources import SOURCES
from graph.feed.viewer import read_viewer

LIBRARY = QueryLibrary.default()


class Recorder:
    """Stands in for the graph: checks and records the parameters of each read."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    async def read(self, name: str, timeout_s: float | None = None, **params: Any) -> list[Record]:
        LIBRARY[name].check(params)
        self.calls.append((name, params))
        return [{"userId": params["userId"]}]


async def test_the_viewer_read_passes_exactly_its_parameters() -> None:
    recorder = Recorder()
    graph: AsyncGraph = recorder  # type: ignore[assignment]
    viewer = await read_viewer(graph, FeedConfig(), "u1", personal=True, now=5)
    assert viewer.user_id == "u1" and not viewer.seen
    assert [name for name, _ in recorder.calls] == ["feed/viewer"]


def test_every_source_is_registered_and_every_mode_has_the_non_personal_floor() -> None:
    assert tuple(SOURCES) == SOURCE_NAMES
    for mode, pipeline in PIPELINES.items():
        assert set(pipeline.sources) <= set(SOURCES)
        if mode.value != "following":
            assert {"trending", "fresh"} <= set(pipeline.sources), mode


def test_sources_with_nothing_to_ask_are_skipped() -> None:
    empty = query(catalogue(video("v1")))
    for name in ("following", "co_engagement", "personal", "hashtag_affinity",
                 "sound_affinity", "embedding", "social"):  # fmt: skip
        assert SOURCES[name].fetch(empty) is None, name
    assert SOURCES["fresh"].fetch(empty) is not None
