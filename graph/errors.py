"""Typed errors that say who is at fault: the client, the server, or a dependency."""

from __future__ import annotations


class FypError(Exception):
    """Base class of every error the engine raises on purpose."""

    #: Stable machine-readable code (mirrored by the GraphQL error codes).
    code = "INTERNAL"


class ClientError(FypError):
    """The caller sent something wrong; retrying the same request will not help."""

    code = "BAD_INPUT"


class NotFoundError(ClientError):
    code = "NOT_FOUND"


class DependencyError(FypError):
    """Something the engine depends on (Neo4j, Java, Maven) is missing or down."""

    code = "UNAVAILABLE"


class ServerError(FypError):
    """A bug or misconfiguration on our side."""

    code = "INTERNAL"
