"""Error classification and cursors: pure logic, no database."""

from __future__ import annotations

import pytest
from graphql import GraphQLError
from neo4j.exceptions import ServiceUnavailable, TransientError

from api.errors import Forbidden, RateLimited, Unauthenticated, classify
from api.pagination import connection, decode_cursor, encode_cursor
from graph.errors import ClientError, DependencyError, NotFoundError, ServerError


def wrapped(error: Exception | None) -> GraphQLError:
    return GraphQLError("raw message", original_error=error)


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (None, "BAD_INPUT"),
        (ClientError("fix this"), "BAD_INPUT"),
        (NotFoundError("no such"), "NOT_FOUND"),
        (Unauthenticated("who"), "UNAUTHENTICATED"),
        (Forbidden("no"), "FORBIDDEN"),
        (RateLimited("slow down", 1.0), "RATE_LIMITED"),
        (DependencyError("down"), "UNAVAILABLE"),
        (ServiceUnavailable("gone"), "UNAVAILABLE"),
        (TransientError("busy"), "UNAVAILABLE"),
        (ServerError("our bug"), "INTERNAL"),
        (KeyError("secret"), "INTERNAL"),
    ],
)
def test_every_error_gets_a_stable_code(error: Exception | None, code: str) -> None:
    assert classify(wrapped(error))[0] == code


def test_messages_of_our_failures_never_leak() -> None:
    assert "secret" not in classify(wrapped(KeyError("secret")))[1]
    assert "down" not in classify(wrapped(DependencyError("down at bolt://10.0.0.3")))[1]
    assert classify(wrapped(ClientError("fix this")))[1] == "fix this"


def test_cursors_round_trip_and_reject_anything_else() -> None:
    assert decode_cursor(encode_cursor(1_700_000_000_000, "v:1")) == (1_700_000_000_000, "v:1")
    assert decode_cursor(encode_cursor(None, "x")) == (None, "x")
    assert decode_cursor(None) == (None, None)
    for bad in ("", "not-a-cursor", encode_cursor(1, "x")[:-3] + "!!", "WzEsMl0"):
        with pytest.raises(ClientError, match="endCursor"):
            decode_cursor(bad)


def test_a_page_says_whether_more_follow() -> None:
    items = [(30, "c"), (20, "b"), (10, "a")]
    page = connection(items, 2, node=lambda item: item[1], sort_key=lambda item: item)
    assert [edge.node for edge in page.edges] == ["c", "b"]
    assert page.page_info.has_next_page
    assert page.page_info.end_cursor == encode_cursor(20, "b")
    last = connection(items[2:], 2, node=lambda item: item[1], sort_key=lambda item: item)
    assert not last.page_info.has_next_page
