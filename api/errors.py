"""Stable error codes for clients; unexpected errors masked and logged.

Resolvers raise the engine's typed errors (``graph.errors``) or the three below.
:class:`ErrorCodes` runs after each operation: a known error keeps its message and
gains ``extensions.code``; a Neo4j outage becomes ``UNAVAILABLE``; GraphQL's own
validation errors are ``BAD_INPUT``; anything else is logged with its stack and
masked as ``INTERNAL``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from graphql import GraphQLError
from neo4j.exceptions import DriverError, Neo4jError, ServiceUnavailable, SessionExpired
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionContext

from graph.errors import ClientError, DependencyError, FypError

log = logging.getLogger(__name__)

BAD_INPUT = "BAD_INPUT"
NOT_FOUND = "NOT_FOUND"
UNAUTHENTICATED = "UNAUTHENTICATED"
FORBIDDEN = "FORBIDDEN"
RATE_LIMITED = "RATE_LIMITED"
UNAVAILABLE = "UNAVAILABLE"
INTERNAL = "INTERNAL"

UNAVAILABLE_MESSAGE = "The graph database is unavailable right now; retry in a few seconds."
INTERNAL_MESSAGE = "Unexpected error; it has been logged."


class Unauthenticated(ClientError):
    code = UNAUTHENTICATED


class Forbidden(ClientError):
    code = FORBIDDEN


class RateLimited(ClientError):
    code = RATE_LIMITED

    def __init__(self, message: str, retry_after_s: float) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


def _is_outage(error: BaseException) -> bool:
    if isinstance(error, DependencyError | ServiceUnavailable | SessionExpired):
        return True
    # A transient Neo4j error that outlived the managed transaction's retries.
    return isinstance(error, Neo4jError) and error.is_retryable()


def classify(error: GraphQLError) -> tuple[str, str]:
    """The code and client-facing message of one GraphQL error."""
    original = error.original_error
    if original is None or isinstance(original, GraphQLError):
        # Syntax, validation (depth, aliases, tokens, unknown fields), and variables that
        # do not coerce to their types (graphql-core wraps its own error for those).
        return BAD_INPUT, error.message
    if isinstance(original, FypError) and original.code != INTERNAL:
        if isinstance(original, DependencyError):
            return UNAVAILABLE, UNAVAILABLE_MESSAGE
        return original.code, str(original)
    if _is_outage(original) or isinstance(original, DriverError | OSError):
        return UNAVAILABLE, UNAVAILABLE_MESSAGE
    return INTERNAL, INTERNAL_MESSAGE


def error_body(code: str, message: str) -> dict[str, Any]:
    """A GraphQL-shaped response for errors raised before execution (auth, rate limits)."""
    return {"data": None, "errors": [{"message": message, "extensions": {"code": code}}]}


class ErrorCodes(SchemaExtension):
    """Give every error a stable ``extensions.code``; mask the unexpected ones."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        errors = getattr(result, "errors", None)
        if result is None or not errors:
            return
        result.errors = [_with_code(error) for error in errors]


def _with_code(error: GraphQLError) -> GraphQLError:
    code, message = classify(error)
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=None,
        extensions={**(error.extensions or {}), "code": code},
    )


def log_errors(errors: list[GraphQLError], context: ExecutionContext | None) -> None:
    """Stack traces for our own failures only; client mistakes are routine."""
    operation = context.operation_name if context is not None else None
    for error in errors:
        code, _ = classify(error)
        if code == INTERNAL:
            log.error(
                "unexpected error in %s at %s", operation, error.path, exc_info=error.original_error
            )
        elif code == UNAVAILABLE:
            log.warning("dependency unavailable in %s: %s", operation, error.original_error)
        else:
            log.debug("client error %s in %s: %s", code, operation, error.message)
