"""Opaque page cursors: what the next page needs so it never repeats an item.

A cursor carries the session's *now* (so every page sees the same time windows), the
position reached, and the ids already served in this session. Served items are also
filtered through SERVED in the graph, but the cursor alone guarantees no repeats
when impressions are not recorded (offline evaluation, dry runs). Only the newest
:data:`MAX_REMEMBERED` ids are kept, so a cursor stays small after hundreds of pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from graph import cursors
from graph.errors import ClientError

VERSION = 1
MAX_REMEMBERED = 1000


@dataclass(frozen=True)
class Cursor:
    now: int
    offset: int
    served: tuple[str, ...] = ()

    @cached_property
    def served_set(self) -> frozenset[str]:
        return frozenset(self.served)

    def next(self, served: list[str]) -> Cursor:
        remembered = (*self.served, *served)[-MAX_REMEMBERED:]
        return Cursor(self.now, self.offset + len(served), remembered)

    def encode(self) -> str:
        payload = {"v": VERSION, "n": self.now, "o": self.offset, "s": list(self.served)}
        return cursors.encode(payload, compress=True)

    @classmethod
    def decode(cls, text: str) -> Cursor:
        try:
            data = cursors.decode(text, compressed=True)
            if data.get("v") != VERSION:
                raise ValueError("unknown version")
            served = data["s"]
            if not isinstance(served, list) or not all(isinstance(s, str) for s in served):
                raise ValueError("bad ids")
            return cls(now=int(data["n"]), offset=int(data["o"]), served=tuple(served))
        except cursors.MALFORMED as error:
            raise ClientError(
                "invalid cursor: pass the end_cursor of the previous page unchanged, "
                "or none for the first page"
            ) from error
