"""Timestamps of the import format: epoch milliseconds or ISO-8601 with a time zone.

Inside the graph every time is an epoch-millisecond int (docs/model.md).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ONE_MS = timedelta(milliseconds=1)
# Anything past 2100 is a unit mistake (epoch microseconds), not a real event.
MAX_EPOCH_MS = 4_102_444_800_000


class TimestampError(ValueError):
    """The value is not a timestamp of the import format; the message says why."""


def parse_timestamp(value: object) -> int:
    """Epoch milliseconds from an int, an integral float, a digit string or ISO-8601.

    ISO-8601 strings must carry a zone (``Z`` or ``+02:00``): a naive local time
    would mean different instants on different machines.
    """
    if isinstance(value, bool):  # bool is an int subclass; True is not a time
        raise TimestampError(f"{value!r} is not a timestamp")
    if isinstance(value, int):
        return _in_range(value, value)
    if isinstance(value, float):
        if not value.is_integer():
            raise TimestampError(f"{value!r} is not a whole number of milliseconds")
        return _in_range(int(value), value)
    if isinstance(value, str):
        text = value.strip()
        if text.lstrip("-").isdigit():
            return _in_range(int(text), value)
        return _in_range(_parse_iso(text), value)
    raise TimestampError(f"{value!r} is not a timestamp")


def _parse_iso(text: str) -> int:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise TimestampError(
            f"{text!r} is neither epoch milliseconds nor an ISO-8601 date-time"
        ) from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise TimestampError(f"{text!r} has no time zone (add 'Z' or an offset like '+02:00')")
    # Integer arithmetic: float seconds would lose the last millisecond.
    return (moment - _EPOCH) // _ONE_MS


def _in_range(epoch_ms: int, original: object) -> int:
    if epoch_ms < 0:
        raise TimestampError(f"{original!r} is before 1970")
    if epoch_ms > MAX_EPOCH_MS:
        raise TimestampError(f"{original!r} is after 2100 (microseconds instead of milliseconds?)")
    return epoch_ms
