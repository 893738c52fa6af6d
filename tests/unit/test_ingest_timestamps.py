"""Timestamps of the import format: epoch milliseconds or ISO-8601 with a zone."""

from __future__ import annotations

import pytest

from graph.ingest.timestamps import MAX_EPOCH_MS, TimestampError, parse_timestamp


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1_650_880_800_000, 1_650_880_800_000),
        (1_650_880_800_000.0, 1_650_880_800_000),
        ("1650880800000", 1_650_880_800_000),
        (" 1650880800000 ", 1_650_880_800_000),
        ("2022-04-25T10:00:00Z", 1_650_880_800_000),
        ("2022-04-25T12:00:00+02:00", 1_650_880_800_000),
        ("2022-04-25T10:00:00.123Z", 1_650_880_800_123),
        ("2022-04-25T10:00:00.123456+00:00", 1_650_880_800_123),
        (0, 0),
    ],
)
def test_accepted_forms(value: object, expected: int) -> None:
    assert parse_timestamp(value) == expected


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("2022-04-25T10:00:00", "no time zone"),
        ("2022-04-25", "no time zone"),
        ("yesterday", "neither epoch milliseconds nor an ISO-8601"),
        ("", "neither epoch milliseconds nor an ISO-8601"),
        (-1, "before 1970"),
        ("-5", "before 1970"),
        (MAX_EPOCH_MS + 1, "after 2100"),
        (1_650_880_800_000_000, "microseconds"),
        (1.5, "whole number"),
        (True, "not a timestamp"),
        (None, "not a timestamp"),
        ([1], "not a timestamp"),
    ],
)
def test_rejected_forms_say_why(value: object, why: str) -> None:
    with pytest.raises(TimestampError, match=why):
        parse_timestamp(value)
