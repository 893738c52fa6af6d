"""WorldSpec: bad sizes and ends are client errors with a clear message; the digest is stable."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from graph.errors import ClientError
from graph.synth import WorldSpec
from graph.synth.spec import DAY_MS, default_end, iso_utc, parse_end
from graph.synth.vocabulary import GENERIC_HASHTAGS, TOPICS

END = datetime(2025, 6, 1, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"users": 5}, "users must be at least"),
        ({"videos": 0}, "videos must be at least 1"),
        ({"seed": -1}, "seed must be >= 0"),
        ({"days": 0}, "days must be 1..365"),
        ({"topics": 21}, "topics must be 1..20"),
        ({"creator_share": 0.0}, "creator_share"),
        ({"exploration": 1.5}, "exploration"),
        ({"trends": -1}, "trends must be >= 0"),
        ({"bot_rings": 40}, "inauthentic accounts do not fit"),
    ],
)
def test_bad_specs_are_client_errors(changes: dict[str, int | float], message: str) -> None:
    arguments: dict[str, int | float] = {"users": 300, "videos": 300, **changes}
    with pytest.raises(ClientError, match=message):
        WorldSpec(**arguments)  # type: ignore[arg-type]


def test_inauthentic_accounts_scale_with_the_world_within_bounds() -> None:
    small, large = WorldSpec(users=300, videos=10), WorldSpec(users=100_000, videos=10)
    assert small.bot_ring_size == 5 and large.bot_ring_size == 25
    assert small.bought_followers_per_creator == 7 and large.bought_followers_per_creator == 400
    assert small.inauthentic_accounts == 2 * 5 + 2 * 7


def test_digest_depends_on_every_field_but_the_end() -> None:
    """The end only places the world in time: the same world at another end keeps its
    event ids, so loading it twice is recognised instead of doubling every event."""
    base = WorldSpec(users=300, videos=300, seed=1, end=END)
    assert base.digest == WorldSpec(users=300, videos=300, seed=1, end=END).digest
    assert base.digest != WorldSpec(users=300, videos=300, seed=2, end=END).digest
    assert base.digest != WorldSpec(users=300, videos=300, seed=1, days=7, end=END).digest
    earlier = WorldSpec(users=300, videos=300, seed=1, end=END - timedelta(days=400))
    assert base.digest == earlier.digest


def test_the_world_covers_the_days_before_its_end() -> None:
    spec = WorldSpec(users=300, videos=300, days=10, end=END)
    assert spec.end_ms == 1_748_779_200_000  # 2025-06-01T12:00:00Z
    assert spec.start_ms == spec.end_ms - 10 * DAY_MS
    assert spec.as_dict()["end"] == "2025-06-01T12:00:00Z"


def test_an_end_is_kept_in_utc_to_the_millisecond() -> None:
    """Equal instants make equal specs, whatever zone or sub-millisecond digits they came in."""
    plus_one = datetime(2025, 6, 1, 13, 0, 0, 123_999, tzinfo=timezone(timedelta(hours=1)))
    spec = WorldSpec(users=300, videos=300, end=plus_one)
    assert spec.end == datetime(2025, 6, 1, 12, 0, 0, 123_000, tzinfo=UTC)
    assert spec.end.tzinfo == UTC
    assert spec.end_ms == 1_748_779_200_123
    assert spec.as_dict()["end"] == "2025-06-01T12:00:00.123Z"
    assert spec == WorldSpec(users=300, videos=300, end=spec.end)


@pytest.mark.parametrize(
    ("end", "message"),
    [
        (datetime(2026, 12, 6, 12), "time-zone-aware"),
        ("2026-12-06T12:00:00Z", "time-zone-aware"),
        (datetime(1999, 12, 31, tzinfo=UTC), "end must be 2000-01-01T00:00:00Z or later"),
        (datetime.now(UTC) + timedelta(hours=1), "is in the future"),
    ],
    ids=["naive", "not-a-datetime", "before-2000", "an-hour-ahead"],
)
def test_bad_ends_are_client_errors(end: object, message: str) -> None:
    with pytest.raises(ClientError, match=message):
        WorldSpec(users=300, videos=300, end=end)  # type: ignore[arg-type]


def test_an_end_a_little_ahead_of_the_clock_is_skew_not_the_future() -> None:
    ahead = datetime.now(UTC) + timedelta(minutes=1)
    assert WorldSpec(users=300, videos=300, end=ahead).end_ms > 0


def test_the_default_end_is_the_wall_clock_floored_to_the_hour() -> None:
    before = datetime.now(UTC)
    spec = WorldSpec(users=300, videos=300)
    after = datetime.now(UTC)
    assert spec.end in {default_end(before), default_end(after)}
    assert (spec.end.minute, spec.end.second, spec.end.microsecond) == (0, 0, 0)
    assert timedelta(0) <= after - spec.end < timedelta(hours=1, seconds=5)
    local = datetime(2026, 12, 6, 13, 59, 59, tzinfo=timezone(timedelta(hours=2)))
    assert default_end(local) == datetime(2026, 12, 6, 11, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "instant"),
    [
        ("2026-12-06T12:00:00Z", "2026-12-06T12:00:00Z"),
        ("2026-12-06T13:30:00+01:30", "2026-12-06T12:00:00Z"),
        (" 2026-12-06T12:00:00.250Z ", "2026-12-06T12:00:00.250Z"),
    ],
)
def test_parse_end_reads_iso_8601_with_a_time_zone(text: str, instant: str) -> None:
    assert iso_utc(parse_end(text)) == instant


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("yesterday", "not an ISO 8601 date-time"),
        ("2026-13-01T00:00:00Z", "not an ISO 8601 date-time"),
        ("", "not an ISO 8601 date-time"),
        ("2026-12-06T12:00:00", "has no time zone"),
        ("2026-12-06", "has no time zone"),
    ],
)
def test_parse_end_rejects_what_is_not_an_instant(text: str, message: str) -> None:
    with pytest.raises(ClientError, match=message):
        parse_end(text)


def test_every_word_belongs_to_exactly_one_topic() -> None:
    words = [word for topic_words in TOPICS.values() for word in topic_words]
    assert len(words) == len(set(words)), "a hashtag would stand for two topics"
    assert not set(words) & set(GENERIC_HASHTAGS)
    assert all(word == word.lower() and word.isalnum() for word in words)
