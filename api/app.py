"""The Starlette app: ``/graphql``, ``/health``, ``/metrics`` and the demo page at ``/``.

One long-lived driver of each kind per process, opened in the lifespan: the async
one serves reads and the feed, the sync one runs ingestion in worker threads.
Authentication and rate limits run before GraphQL parses anything, and answer in
GraphQL's error shape with a stable code.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from neo4j.exceptions import DriverError, Neo4jError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from strawberry.asgi import GraphQL
from strawberry.http.typevars import Context as ContextType
from strawberry.types.unset import UNSET
from threadpoolctl import threadpool_limits

from api.auth import KeyStore, Principal, Role
from api.context import Context, Feeds, Services
from api.errors import RateLimited, Unauthenticated, error_body
from api.loaders import Loaders
from api.metrics import Metrics
from api.schema import build_schema
from api.settings import ApiSettings
from graph.db import AsyncGraph, Connection, Graph
from graph.errors import DependencyError
from graph.feed import BackgroundImpressions, FeedEngine

log = logging.getLogger(__name__)

STATIC = Path(__file__).with_name("static")
HEALTH_TIMEOUT_S = 3.0
# An interactive client should hear UNAVAILABLE within seconds of an outage, not after
# the driver's default 30 s of transaction retries.
DRIVER_CONFIG: dict[str, Any] = {
    "max_transaction_retry_time": 2.0,
    "connection_timeout": 3.0,
    "connection_acquisition_timeout": 5.0,
    # "Property does not exist yet" and similar hints are for query authors, not traffic.
    "notifications_min_severity": "OFF",
}

FeedFactory = Callable[[AsyncGraph], Feeds]


def default_feed(graph: AsyncGraph) -> Feeds:
    return FeedEngine(graph, impressions=BackgroundImpressions(graph))


class GraphQLView(GraphQL[Context, None]):
    """Strawberry's view with the caller checked (and charged) before anything runs."""

    async def run(  # type: ignore[override]
        self, request: Request, context: ContextType = UNSET, root_value: Any = UNSET
    ) -> Response:
        if isinstance(request, Request) and not self._wants_ide(request):
            refused = await _gate(request)
            if refused is not None:
                return refused
        response: Response = await super().run(request, context, root_value)  # type: ignore[call-overload]
        return response

    def _wants_ide(self, request: Request) -> bool:
        return request.method == "GET" and "text/html" in request.headers.get("accept", "")

    async def get_context(self, request: Any, response: Any = None) -> Context:
        services: Services = request.app.state.services
        principal = getattr(request.state, "principal", None)
        return Context(services=services, principal=principal, loaders=Loaders(services.graph))


async def _operations_in(request: Request) -> int:
    """How many operations a request carries (a batch is a JSON list), for rate limits."""
    if request.method != "POST":
        return 1
    body = await request.body()  # Starlette caches it for the GraphQL view
    if not body.lstrip().startswith(b"["):
        return 1
    try:
        return max(1, len(json.loads(body)))
    except ValueError:
        return 1


async def _gate(request: Request) -> Response | None:
    services: Services = request.app.state.services
    try:
        principal = services.keys.authenticate(request.headers)
        request.state.principal = principal
        services.limiter.take(
            _rate_key(principal, request),
            _rate(principal, services.settings),
            cost=await _operations_in(request),
        )
    except Unauthenticated as error:
        services.metrics.count_error(error.code)
        return JSONResponse(error_body(error.code, str(error)), status_code=401)
    except RateLimited as error:
        services.metrics.count_error(error.code)
        return JSONResponse(
            error_body(error.code, str(error)),
            status_code=429,
            headers={"Retry-After": str(max(1, round(error.retry_after_s)))},
        )
    return None


def _rate_key(principal: Principal | None, request: Request) -> str:
    if principal is not None:
        return principal.name
    return f"anonymous:{request.client.host if request.client else 'unknown'}"


def _rate(principal: Principal | None, settings: ApiSettings) -> float:
    if principal is None or principal.role is Role.VIEWER:
        return settings.viewer_rate_per_s
    return settings.key_rate_per_s


async def health(request: Request) -> Response:
    services: Services = request.app.state.services
    try:
        await asyncio.wait_for(services.graph.read("api/health"), HEALTH_TIMEOUT_S)
    except (TimeoutError, DriverError, Neo4jError, DependencyError, OSError) as error:
        log.warning("health check: Neo4j unavailable (%s)", type(error).__name__)
        return JSONResponse({"status": "unavailable", "neo4j": "down"}, status_code=503)
    return JSONResponse({"status": "ok", "neo4j": "up"})


async def metrics(request: Request) -> Response:
    services: Services = request.app.state.services
    return Response(services.metrics.render(), media_type="text/plain; version=0.0.4")


async def index(request: Request) -> Response:
    return FileResponse(STATIC / "index.html")


def _serving_graphs(connection: Connection) -> tuple[AsyncGraph, Graph]:
    """The two graphs, with the API's short retry window (an outage answers fast)."""
    return (
        AsyncGraph(connection, driver_options=DRIVER_CONFIG),
        Graph(connection, driver_options=DRIVER_CONFIG),
    )


def create_app(
    settings: ApiSettings,
    connection: Connection,
    *,
    feed: FeedFactory = default_feed,
    keys: KeyStore | None = None,
) -> Starlette:
    """The ASGI app; Neo4j is connected in its lifespan (uvicorn, or a test's lifespan)."""
    schema = build_schema(settings)
    key_store = keys or KeyStore.load(
        settings.keys_file,
        settings.keys.get_secret_value() if settings.keys else None,
        demo_logins=settings.demo_logins_enabled,
    )
    app_metrics = Metrics()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # The feed's array work is small: BLAS threads would only spin beside the event
        # loop (OpenBLAS busy-waits), taking a core from Neo4j and the other workers.
        threadpool_limits(limits=1, user_api="blas")
        graph, sync_graph = _serving_graphs(connection)
        feeds = feed(graph)
        try:
            # The read model loads before the first request (or keeps retrying if Neo4j
            # is down: requests answer UNAVAILABLE until it is back).
            await feeds.start()
            memory = getattr(feeds, "read_model_memory", None)
            if memory is not None and not getattr(app.state, "watching", False):
                app_metrics.watch_read_model(memory)
                app.state.watching = True
            app.state.services = Services(
                settings=settings,
                graph=graph,
                sync_graph=sync_graph,
                feed=feeds,
                keys=key_store,
                metrics=app_metrics,
            )
            log.info(
                "API ready (%s mode, %d API keys, Neo4j %s)",
                settings.mode.value,
                len(key_store),
                connection.uri,
            )
            yield
        finally:
            # Impressions still queued are written before the driver closes.
            await feeds.close()
            sync_graph.close()
            await graph.close()

    view = GraphQLView(
        schema,
        graphql_ide="graphiql" if settings.is_dev else None,
        allow_queries_via_get=False,
    )
    routes = [
        Route("/", index),
        Route("/graphql", view, methods=["GET", "POST"]),
        Route("/health", health),
        Route("/metrics", metrics),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    return Starlette(routes=routes, lifespan=lifespan)
