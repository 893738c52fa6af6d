"""The analytics catalogue: every file has a parseable header; params are typed and checked."""

from __future__ import annotations

import pytest

from graph.analytics.catalogue import TYPES, AnalyticsQuery, Catalogue
from graph.cypher import Query, QueryLibrary
from graph.errors import ClientError, ServerError

CATALOGUE = Catalogue.from_library(QueryLibrary.default())

QUESTIONS = {
    "daily_active_viewers",
    "weekly_active_viewers",
    "engagement_funnel",
    "completion_by_duration",
    "trending_hashtags",
    "trending_sounds",
    "sound_adoption",
    "creator_leaderboard",
    "new_creator_exposure",
    "cohort_retention",
    "filter_bubble",
    "hashtag_co_engagement",
    "most_skipped_videos",
    "viral_cascades",
}


def parse(source: str) -> AnalyticsQuery:
    return AnalyticsQuery.parse("q", Query.parse("analytics/q", source))


SAMPLE = """// title: Sample
// description: First line
//   continued here.
// param: $days int = 7 — window in days
// param: $tag string — required tag
// param: $ratio float = 0.5 — a ratio
// param: $asOf timestamp = null — end of the window
// param: $tags string[] = [] — several tags
// param: $strict bool = false — be strict
// returns: day, viewers
// used by: tests
RETURN $days, $tag, $ratio, $asOf, $tags, $strict
"""


def test_catalogue_holds_the_questions_analysts_ask() -> None:
    assert len(CATALOGUE) >= 15
    assert set(CATALOGUE) >= QUESTIONS


@pytest.mark.parametrize("name", list(CATALOGUE))
def test_every_query_documents_itself(name: str) -> None:
    query = CATALOGUE[name]
    assert query.title and query.description and query.used_by
    assert query.columns and all(column.isidentifier() for column in query.columns)
    assert all(spec.type in TYPES for spec in query.params)
    assert all(spec.description for spec in query.params), f"{name}: undocumented parameter"
    # Defaults bind: every query runs without arguments except for its required ones.
    required = {spec.name: "x" for spec in query.params if spec.required}
    assert set(query.bind(required)) == {spec.name for spec in query.params}


@pytest.mark.parametrize("name", list(CATALOGUE))
def test_time_windows_are_relative_to_as_of(name: str) -> None:
    query = CATALOGUE[name]
    if any(spec.name in ("days", "hours", "weeks", "periods") for spec in query.params):
        as_of = query.param("asOf")
        assert as_of.type == "timestamp" and as_of.default is None


def test_header_fields_and_parameters_are_parsed() -> None:
    query = parse(SAMPLE)
    assert query.title == "Sample"
    assert query.description == "First line continued here."
    assert query.columns == ("day", "viewers")
    assert query.used_by == "tests"
    days = query.param("days")
    assert (days.type, days.default, days.required, days.description) == (
        "int", 7, False, "window in days"
    )  # fmt: skip
    assert query.param("tag").required
    assert query.param("tags").default == []


def test_bind_applies_defaults_and_types_text_from_the_command_line() -> None:
    query = parse(SAMPLE)
    bound = query.bind({"tag": "dance", "days": "3", "ratio": "0.25", "strict": "yes"})
    assert bound == {
        "days": 3, "tag": "dance", "ratio": 0.25, "asOf": None, "tags": [], "strict": True,
    }  # fmt: skip
    assert query.bind({"tag": "x", "tags": "a, b"})["tags"] == ["a", "b"]
    assert query.bind({"tag": "x", "tags": '["a", "b c"]'})["tags"] == ["a", "b c"]
    assert query.bind({"tag": "x", "days": None})["days"] == 7  # null means the default


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1709980800000", 1_709_980_800_000),
        ("2024-03-09", 1_709_942_400_000),
        ("2024-03-09T12:00:00Z", 1_709_985_600_000),
        ("2024-03-09T13:00:00+01:00", 1_709_985_600_000),
    ],
)
def test_timestamps_accept_epoch_ms_and_iso_dates(text: str, expected: int) -> None:
    assert parse(SAMPLE).bind({"tag": "x", "asOf": text})["asOf"] == expected


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, r"\$tag is required"),
        ({"tag": "x", "days": "seven"}, r"\$days expects int"),
        ({"tag": "x", "days": 2.5}, r"\$days expects int"),
        ({"tag": "x", "strict": "maybe"}, r"\$strict expects bool"),
        ({"tag": "x", "asOf": "yesterday"}, r"\$asOf expects timestamp"),
        ({"tag": 5}, r"\$tag expects string"),
        ({"tag": "x", "limit": 5}, r"has no parameter \$limit \(it takes \$days, \$tag"),
    ],
)
def test_bad_parameters_are_client_errors(params: dict[str, object], message: str) -> None:
    with pytest.raises(ClientError, match=message):
        parse(SAMPLE).bind(params)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("// title: t\n// description: d\nRETURN 1", "no 'returns:' line"),
        ("// description: d\n// returns: x\nRETURN 1", "no 'title:' line"),
        (
            "// title: t\n// description: d\n// returns: x\n// uses $a\nRETURN $a",
            r"declares \[\] but the body uses \['a'\]",
        ),
        (
            "// title: t\n// description: d\n// param: $a date — a\n// returns: x\nRETURN $a",
            "cannot parse 'param: \\$a date",
        ),
        (
            "// title: t\n// description: d\n// param: $a int = 'x' — a\n// returns: x\nRETURN $a",
            r"expects int",
        ),
    ],
)
def test_malformed_headers_are_our_bugs(source: str, message: str) -> None:
    with pytest.raises(ServerError, match=message):
        parse(source)


def test_unknown_query_names_point_to_the_list() -> None:
    with pytest.raises(ClientError, match="fyp query list"):
        CATALOGUE["nope"]
    assert "daily_active_viewers" in CATALOGUE
    assert "analytics/daily_active_viewers" in CATALOGUE
    assert "nope" not in CATALOGUE
