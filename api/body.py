"""What a POST to ``/graphql`` must look like, checked before GraphQL sees it.

Strawberry assumes a well-formed body: ``42``, ``null``, invalid UTF-8 or a batch of a
hundred operations reach code that was never meant for them (a 500, or a 429 that can
never succeed). Here the body is read with a size cap and every shape rule gets a 4xx
with a message that says what to send instead:

* at most ``max_bytes`` (413);
* ``application/json``, UTF-8, valid JSON (415, 400);
* one operation object, or a non-empty list of at most ``max_batch`` of them (400);
* in each: ``query`` a string, ``variables`` an object or null, ``operationName`` a
  string or null (400).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request

from graph.errors import ClientError


class RefusedRequest(ClientError):
    """A request refused before GraphQL runs, with the HTTP status it deserves."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Operation:
    query: str
    variables: dict[str, Any] | None
    operation_name: str | None


SHAPE = (
    'Send a JSON object like {"query": "...", "variables": {...}}, or a list of them for a batch.'
)


async def read_operations(request: Request, max_bytes: int, max_batch: int) -> list[Operation]:
    """The operations a POST carries; the body stays cached on ``request`` for strawberry."""
    content_type = request.headers.get("content-type", "")
    if "application/json" not in content_type:
        raise RefusedRequest(415, "Send the request with Content-Type: application/json.")
    body = await _read_capped(request, max_bytes)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise RefusedRequest(400, "The request body is not valid UTF-8.") from None
    try:
        payload = json.loads(text)
    except ValueError as error:
        raise RefusedRequest(400, f"The request body is not valid JSON ({error}).") from None
    if isinstance(payload, dict):
        return [_operation(payload, where="the request")]
    if not isinstance(payload, list):
        raise RefusedRequest(400, f"The request body must be a JSON object. {SHAPE}")
    if not payload:
        raise RefusedRequest(400, "The batch is empty: send at least one operation.")
    if len(payload) > max_batch:
        raise RefusedRequest(
            400,
            f"A batch may hold at most {max_batch} operations (got {len(payload)}); "
            "split it into several requests.",
        )
    return [_operation(item, where=f"batch item {i}") for i, item in enumerate(payload)]


async def _read_capped(request: Request, max_bytes: int) -> bytes:
    too_large = RefusedRequest(413, f"The request body is too large (limit {max_bytes} bytes).")
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > max_bytes:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():  # a chunked body has no Content-Length to trust
        size += len(chunk)
        if size > max_bytes:
            raise too_large
        chunks.append(chunk)
    body = b"".join(chunks)
    # Starlette's own cache for Request.body(): strawberry reads the body from it.
    request._body = body
    return body


def _operation(item: Any, where: str) -> Operation:
    if not isinstance(item, dict):
        raise RefusedRequest(400, f"{where.capitalize()} must be a JSON object. {SHAPE}")
    query = item.get("query")
    if not isinstance(query, str) or not query.strip():
        raise RefusedRequest(400, f'{where.capitalize()} has no "query" string. {SHAPE}')
    variables = item.get("variables")
    if variables is not None and not isinstance(variables, dict):
        raise RefusedRequest(400, f'"variables" in {where} must be a JSON object or null.')
    name = item.get("operationName")
    if name is not None and not isinstance(name, str):
        raise RefusedRequest(400, f'"operationName" in {where} must be a string or null.')
    return Operation(query=query, variables=variables, operation_name=name)
