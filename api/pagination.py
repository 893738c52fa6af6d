"""Relay-style connections: ``edges { cursor node }``, ``nodes`` and ``pageInfo``.

Cursors are opaque to clients: URL-safe base64 of ``[time, id]``, the sort key of
the last item seen, so pages stay stable while new items arrive.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

import strawberry

from graph import cursors
from graph.errors import ClientError

T = TypeVar("T")
S = TypeVar("S")


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo

    @strawberry.field(description="The nodes of `edges`, for clients that need no cursors.")  # type: ignore[untyped-decorator]
    def nodes(self) -> list[T]:
        return [edge.node for edge in self.edges]


def encode_cursor(at: int | float | None, id_: str) -> str:
    return cursors.encode([at, id_])


def decode_cursor(cursor: str | None) -> tuple[int | None, str | None]:
    """``(time, id)`` of a cursor this API gave out, ``(None, None)`` for the first page."""
    if cursor is None:
        return None, None
    try:
        at, id_ = cursors.decode(cursor)
        if not isinstance(id_, str) or not (at is None or isinstance(at, int | float)):
            raise ValueError(cursor)
    except cursors.MALFORMED:
        raise ClientError(
            "`after` is not a cursor this API gave out: pass `pageInfo.endCursor` of the "
            "previous page, or nothing for the first page."
        ) from None
    return (int(at) if at is not None else None), id_


def connection(
    items: Sequence[S],
    first: int,
    node: Callable[[S], T],
    sort_key: Callable[[S], tuple[int | float | None, str]],
) -> Connection[T]:
    """A page from ``first + 1`` fetched items: the extra one only says there is more."""
    page = list(items[:first])
    edges = [Edge(cursor=encode_cursor(*sort_key(item)), node=node(item)) for item in page]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=len(items) > first,
            end_cursor=edges[-1].cursor if edges else None,
        ),
    )
