"""Filters: each removes exactly what it names (no database)."""

from __future__ import annotations

from typing import Any

import pytest
from feedworld import NOW, catalogue, query, slate, video

from graph.feed import Controls
from graph.feed.filters import FILTERS, Filter
from graph.feed.viewer import Viewer


def rule(name: str) -> Filter:
    return next(f for f in FILTERS if f.name == name)


def kept(name: str, row: dict[str, Any], **options: Any) -> bool:
    """Whether filter ``name`` keeps video ``v1`` (made from ``row``) for viewer u1."""
    other = video("other", caption="Sunset", creator={"id": "c2"}, sound={"id": "s2"},
                  hashtags=[{"name": "sky"}])  # fmt: skip
    videos = catalogue(video("v1", **row), other)
    found = rule(name).keep(query(videos, **options), slate(videos, "v1", "other"))
    assert found[1], "the other video is always kept"
    return bool(found[0])


def test_cheap_filters_run_first() -> None:
    assert [f.name for f in FILTERS][:3] == ["already_in_session", "unavailable", "already_seen"]


@pytest.mark.parametrize(
    ("name", "row", "options"),
    [
        ("already_in_session", {}, {"served": ("v1",)}),
        ("unavailable", {"status": "removed"}, {}),
        ("unavailable", {"createdAt": NOW + 1}, {}),  # not posted yet at the request time
        ("already_seen", {}, {"viewer": Viewer("u1", seen=frozenset({"v1"}))}),
        ("own_video", {"creator": {"id": "u1"}}, {}),
        ("not_interested", {}, {"viewer": Viewer("u1", muted_videos=frozenset({"v1"}))}),
        ("not_interested", {"creator": {"id": "c9"}},
         {"viewer": Viewer("u1", muted_creators=frozenset({"c9"}))}),
        ("not_interested", {"sound": {"id": "s9"}},
         {"viewer": Viewer("u1", muted_sounds=frozenset({"s9"}))}),
        ("not_interested", {"hashtags": [{"name": "cats"}, {"name": "dogs"}]},
         {"viewer": Viewer("u1", muted_hashtags=frozenset({"cats"}))}),
        ("blocked_creator", {"creator": {"id": "c9"}},
         {"controls": Controls(blocked_creators=("c9",))}),
    ],
)  # fmt: skip
def test_each_filter_removes_what_it_names(
    name: str, row: dict[str, Any], options: dict[str, Any]
) -> None:
    assert kept(name, {})  # a plain video passes
    assert not kept(name, row, **options)


@pytest.mark.parametrize("keyword", ["dog", "#dogs", "DOGS", "cute dog"])
def test_keywords_match_caption_words_hashtags_and_phrases(keyword: str) -> None:
    muted = Controls(keyword_filters=(keyword,))
    assert not kept("muted_keyword", {"hashtags": [{"name": "dogs"}]}, controls=muted)


@pytest.mark.parametrize("keyword", ["do", "cat", "cute cat"])
def test_keywords_do_not_match_parts_of_words(keyword: str) -> None:
    muted = Controls(keyword_filters=(keyword,))
    assert kept("muted_keyword", {"hashtags": [{"name": "dogs"}]}, controls=muted)
