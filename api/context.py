"""What resolvers get: the process's long-lived services and the request's caller and loaders."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar, cast

import strawberry

from api.auth import KeyStore, Principal
from api.cost import Pricing
from api.errors import Unauthenticated
from api.limits import RateLimiter
from api.loaders import Loaders
from api.metrics import Metrics
from api.settings import ApiSettings
from graph.analytics.catalogue import Catalogue
from graph.cypher import QueryLibrary
from graph.db import AsyncGraph, Graph, Record
from graph.feed.model import FeedPage, FeedRequest


class Feeds(Protocol):
    """What the API needs of the feed engine (graph.feed.engine.FeedEngine)."""

    async def feed(self, request: FeedRequest) -> FeedPage: ...

    def video_rows(self, video_ids: Sequence[str]) -> list[Record | None]:
        """The page's videos as ``api/videos_by_id`` rows, from the engine's read model."""
        ...

    async def start(self) -> None: ...

    async def close(self) -> None: ...

    async def flush(self) -> None:
        """Write the impressions queued behind responses (before privacy operations)."""
        ...

    def invalidate(self) -> None:
        """This process changed the catalogue (a publish, an erasure): refresh first."""
        ...


def now_ms() -> int:
    return int(time.time() * 1000)


@dataclass
class Services:
    """One per process, created in the app's lifespan."""

    settings: ApiSettings
    graph: AsyncGraph
    #: Ingestion is synchronous (batch-first); mutations run it in worker threads.
    sync_graph: Graph
    feed: Feeds
    keys: KeyStore
    metrics: Metrics
    #: Prices requests before they run (api/cost.py).
    pricing: Pricing
    limiter: RateLimiter = field(default_factory=RateLimiter)
    clock: Callable[[], int] = now_ms
    #: The analysts' named queries, parsed once per process.
    analytics: Catalogue = field(
        default_factory=lambda: Catalogue.from_library(QueryLibrary.default())
    )


@dataclass
class Context:
    services: Services
    principal: Principal | None
    loaders: Loaders

    def caller(self) -> Principal:
        if self.principal is None:
            raise Unauthenticated(
                "Sign in: send `Authorization: Bearer <api key>` (or `X-API-Key: <api key>`)."
            )
        return self.principal

    def acting_user(self, requested: str | None) -> str:
        """The person whose data this field reads or writes (checks the caller may)."""
        return self.caller().acting_user(requested)

    @property
    def graph(self) -> AsyncGraph:
        return self.services.graph

    @property
    def max_first(self) -> int:
        return self.services.settings.max_first


Info = strawberry.Info[Context, None]

F = TypeVar("F", bound=Callable[..., Any])


def gql_field(description: str) -> Callable[[F], F]:
    """``@strawberry.field(description=...)`` that keeps the resolver's type for mypy."""
    return cast(Callable[[F], F], strawberry.field(description=description))


def gql_mutation(description: str) -> Callable[[F], F]:
    """``@strawberry.mutation(description=...)`` that keeps the resolver's type for mypy."""
    return cast(Callable[[F], F], strawberry.mutation(description=description))
