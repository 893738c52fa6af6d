"""Opaque keyset cursors for creator pages: the sort, its value and the creator id.

A keyset cursor (rather than an offset) keeps pages stable while new creators and
events arrive: the next page starts strictly after the last creator seen.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph import cursors
from graph.errors import ClientError


@dataclass(frozen=True)
class Cursor:
    sort: str
    value: float
    creator_id: str

    def encode(self) -> str:
        return cursors.encode([self.sort, self.value, self.creator_id])

    @classmethod
    def decode(cls, cursor: str, sort: str) -> Cursor:
        try:
            kind, value, creator_id = cursors.decode(cursor)
            decoded = cls(str(kind), float(value), str(creator_id))
        except cursors.MALFORMED:
            raise ClientError(
                "the `after` cursor is not one this API gave out; pass a cursor from a "
                "previous page (edges.cursor or pageInfo.endCursor)"
            ) from None
        if decoded.sort != sort:
            raise ClientError(
                f"the `after` cursor belongs to a listing sorted by {decoded.sort!r}, not "
                f"{sort!r}; start again without `after`"
            )
        return decoded
