"""Opaque keyset cursors for creator pages: the sort, its value and the creator id.

A keyset cursor (rather than an offset) keeps pages stable while new creators and
events arrive: the next page starts strictly after the last creator seen.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass

from graph.errors import ClientError


@dataclass(frozen=True)
class Cursor:
    sort: str
    value: float
    creator_id: str

    def encode(self) -> str:
        text = json.dumps([self.sort, self.value, self.creator_id], separators=(",", ":"))
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, cursor: str, sort: str) -> Cursor:
        try:
            padded = cursor + "=" * (-len(cursor) % 4)
            kind, value, creator_id = json.loads(base64.urlsafe_b64decode(padded))
            decoded = cls(str(kind), float(value), str(creator_id))
        except (ValueError, TypeError, binascii.Error):
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
