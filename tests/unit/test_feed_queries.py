"""Every feed query is called with exactly the parameters its Cypher file declares."""

from __future__ import annotations

from typing import Any

import pytest

from graph.cypher import QueryLibrary
from graph.feed import Controls, FeedConfig, FeedRequest
from graph.feed.candidate import SOURCE_NAMES
from graph.feed.pipeline import PIPELINES
from graph.feed.profile import build_profile
from graph.feed.sources import SOURCES, CypherSource, RequestScope

LIBRARY = QueryLibrary.default()


def scope() -> RequestScope:
    profile = build_profile(
        "u1",
        {
            "following": 2,
            "recent": [{"videoId": "c1", "at": 1, "completion": 1.0, "viewed": True,
                        "hashtags": ["cats"], "soundId": "s1", "creatorId": "c"}],
        },
    )  # fmt: skip
    request = FeedRequest("u1", controls=Controls())
    return RequestScope(graph=None, config=FeedConfig(), request=request,  # type: ignore[arg-type]
                        profile=profile, now=1_000)  # fmt: skip


@pytest.mark.parametrize(
    "source", [s for s in SOURCES.values() if isinstance(s, CypherSource)], ids=str
)
def test_cypher_sources_pass_exactly_their_parameters(source: CypherSource) -> None:
    params: dict[str, Any] | None = source.params(scope())
    assert params is not None
    LIBRARY[source.query].check(params)


def test_every_source_is_registered_and_every_mode_has_the_non_personal_floor() -> None:
    assert tuple(SOURCES) == SOURCE_NAMES
    for mode, pipeline in PIPELINES.items():
        if mode.value != "following":
            assert {"trending", "fresh"} <= set(pipeline.source_names), mode


def test_sources_with_nothing_to_ask_are_skipped() -> None:
    empty = scope()
    empty.profile = build_profile("u1", {"recent": []})
    for name in ("following", "co_engagement", "hashtag_affinity", "sound_affinity", "social"):
        source = SOURCES[name]
        assert isinstance(source, CypherSource)
        assert source.params(empty) is None, name
