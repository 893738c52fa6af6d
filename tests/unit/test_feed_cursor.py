"""Page cursors (no database)."""

from __future__ import annotations

import pytest

from graph.errors import ClientError
from graph.feed.cursor import MAX_REMEMBERED, Cursor


def test_round_trip_and_advance() -> None:
    cursor = Cursor(now=123, offset=0).next(["a", "b"])
    decoded = Cursor.decode(cursor.encode())
    assert decoded == Cursor(now=123, offset=2, served=("a", "b"))
    assert decoded.next(["c"]).offset == 3


def test_remembers_only_the_newest_ids() -> None:
    cursor = Cursor(now=1, offset=0).next([f"v{i}" for i in range(MAX_REMEMBERED + 5)])
    assert len(cursor.served) == MAX_REMEMBERED
    assert cursor.served[-1] == f"v{MAX_REMEMBERED + 4}"
    assert len(cursor.encode()) < 10_000


@pytest.mark.parametrize("text", ["", "garbage", "eyJ2IjoxfQ", Cursor(1, 0).encode()[:-3]])
def test_tampered_cursors_are_client_errors(text: str) -> None:
    with pytest.raises(ClientError, match="invalid cursor"):
        Cursor.decode(text)
