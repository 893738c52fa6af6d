"""Filters: each removes exactly what it names (no database)."""

from __future__ import annotations

import pytest

from graph.feed import Controls
from graph.feed.candidate import Candidate, VideoFacts
from graph.feed.filters import FILTERS, Filter, FilterContext


def rule(name: str) -> Filter:
    return next(f for f in FILTERS if f.name == name)


def candidate(**facts: object) -> Candidate:
    base: dict[str, object] = {"creator_id": "c1", "caption": "A cute dog", "hashtags": ("dogs",)}
    return Candidate("v1", facts=VideoFacts(**{**base, **facts}))  # type: ignore[arg-type]


def context(**controls: object) -> FilterContext:
    return FilterContext("u1", Controls(**controls), frozenset({"old"}))  # type: ignore[arg-type]


def test_cheap_filters_run_first_and_only_the_cursor_check_before_hydration() -> None:
    assert [f.name for f in FILTERS if f.before_hydration] == ["already_in_session"]
    assert FILTERS[0].before_hydration and FILTERS[1].name == "unavailable"


@pytest.mark.parametrize(
    ("name", "removed", "kept"),
    [
        ("already_in_session", Candidate("old"), Candidate("new")),
        ("unavailable", Candidate("v1"), candidate()),
        ("unavailable", candidate(status="removed"), candidate(status=None)),
        ("already_seen", candidate(served=True), candidate()),
        ("already_seen", candidate(viewed=True), candidate()),
        ("already_seen", candidate(skipped=True), candidate()),
        ("already_seen", candidate(liked=True), candidate()),
        ("own_video", candidate(creator_id="u1"), candidate()),
        ("not_interested", candidate(not_interested_video=True), candidate()),
        ("not_interested", candidate(not_interested_creator=True), candidate()),
        ("not_interested", candidate(not_interested_sound=True), candidate()),
        ("not_interested", candidate(not_interested_hashtags=("dogs",)), candidate()),
    ],
)
def test_each_filter_removes_what_it_names(name: str, removed: Candidate, kept: Candidate) -> None:
    assert not rule(name).keep(removed, context())
    assert rule(name).keep(kept, context())


def test_blocked_creators() -> None:
    blocked = context(blocked_creators=("c1",))
    assert not rule("blocked_creator").keep(candidate(), blocked)
    assert rule("blocked_creator").keep(candidate(creator_id="c2"), blocked)


@pytest.mark.parametrize("keyword", ["dog", "#dogs", "DOGS", "cute dog"])
def test_keywords_match_caption_words_hashtags_and_phrases(keyword: str) -> None:
    muted = context(keyword_filters=(keyword,))
    assert not rule("muted_keyword").keep(candidate(), muted)


@pytest.mark.parametrize("keyword", ["do", "cat", "cute cat"])
def test_keywords_do_not_match_parts_of_words(keyword: str) -> None:
    assert rule("muted_keyword").keep(candidate(), context(keyword_filters=(keyword,)))
