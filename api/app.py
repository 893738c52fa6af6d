"""The Starlette app: ``/graphql``, ``/health``, ``/metrics`` and the demo page at ``/``.

One long-lived driver of each kind per process, opened in the lifespan: the async
one serves reads and the feed, the sync one runs ingestion, brands and analytics in
worker threads. They are kept apart on purpose: lending worker threads the async
driver (every statement a coroutine on the event loop) was built and soaked twice, and
both times corrupted Bolt connections under 16 clients (a connection handed back while
still in a transaction; two coroutines reading one socket) within the first minute,
and queued each event's statements behind the feed on the one loop.
Authentication and rate limits run before GraphQL parses anything, and answer in
GraphQL's error shape with a stable code.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from neo4j.exceptions import DriverError, Neo4jError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.http.typevars import Context as ContextType
from strawberry.types.unset import UNSET
from threadpoolctl import threadpool_limits

from api.auth import KeyStore, Principal, Role
from api.body import RefusedRequest, read_operations
from api.context import Context, Feeds, Services
from api.cost import Pricing, request_cost
from api.errors import (
    FORBIDDEN,
    UNAUTHENTICATED,
    UNAVAILABLE,
    RateLimited,
    Unauthenticated,
    error_body,
)
from api.ide import ide_page
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
#: What an UNAVAILABLE answer tells clients to wait: the driver gives up after ~2 s.
OUTAGE_RETRY_AFTER_S = 2


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

    def create_response(
        self,
        response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse],
        sub_response: Response,
    ) -> Response:
        # An outage is the server's, not the query's: 503 lets proxies, load balancers and
        # client retry policies see it without reading the body.
        if _has_code(response_data, UNAVAILABLE):
            sub_response.status_code = 503
            sub_response.headers["Retry-After"] = str(OUTAGE_RETRY_AFTER_S)
        response: Response = super().create_response(response_data, sub_response)
        return response

    async def render_graphql_ide(self, request: Request) -> Response:
        # strawberry's page loads its scripts from unpkg; ours from /static/vendor, so
        # GraphiQL works offline (api/ide.py).
        return HTMLResponse(ide_page())

    def _wants_ide(self, request: Request) -> bool:
        return request.method == "GET" and "text/html" in request.headers.get("accept", "")

    async def get_context(self, request: Any, response: Any = None) -> Context:
        services: Services = request.app.state.services
        principal = getattr(request.state, "principal", None)
        return Context(services=services, principal=principal, loaders=Loaders(services.graph))


def _has_code(data: GraphQLHTTPResponse | list[GraphQLHTTPResponse], code: str) -> bool:
    results = data if isinstance(data, list) else [data]
    errors: list[dict[str, Any]] = [e for r in results for e in r.get("errors") or ()]  # type: ignore[misc]
    return any((error.get("extensions") or {}).get("code") == code for error in errors)


async def _gate(request: Request) -> Response | None:
    """Who is asking, what they sent and what it costs, before GraphQL parses a thing."""
    services: Services = request.app.state.services
    settings = services.settings
    try:
        principal = services.keys.authenticate(request.headers)
        request.state.principal = principal
        cost = 1.0
        if request.method == "POST":
            operations = await read_operations(request, settings.max_body_bytes, settings.max_batch)
            cost = request_cost(services.pricing, operations, settings.max_cost)
        services.limiter.take(_rate_key(principal, request), _rate(principal, settings), cost)
    except RefusedRequest as error:
        return _refuse(services, error.status, error.code, str(error))
    except Unauthenticated as error:
        return _refuse(services, 401, error.code, str(error))
    except RateLimited as error:
        retry_after = str(max(1, round(error.retry_after_s)))
        return _refuse(services, 429, error.code, str(error), {"Retry-After": retry_after})
    return None


def _refuse(
    services: Services, status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> Response:
    services.metrics.count_error(code)
    return JSONResponse(error_body(code, message), status_code=status, headers=headers)


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


#: Who may read /metrics in production (in dev anyone on the machine may).
METRICS_ROLES = frozenset({Role.ADMIN, Role.SERVICE})


async def metrics(request: Request) -> Response:
    services: Services = request.app.state.services
    if not services.settings.is_dev:
        try:
            principal = services.keys.authenticate(request.headers)
        except Unauthenticated as error:
            return _refuse(services, 401, error.code, str(error))
        if principal is None:
            return _refuse(
                services, 401, UNAUTHENTICATED, "Send an admin or service API key for /metrics."
            )
        if principal.role not in METRICS_ROLES:
            return _refuse(services, 403, FORBIDDEN, "/metrics needs an admin or service key.")
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
    warnings = settings.warnings()
    if not warnings and not settings.is_dev and len(key_store) == 0:
        warnings.append("production mode and the key store is empty: no caller can authenticate")
    for warning in warnings:
        log.warning(warning)
    app_metrics = Metrics()
    pricing = Pricing(schema._schema, settings.max_first, settings.max_tokens, settings.max_depth)

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
                pricing=pricing,
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
