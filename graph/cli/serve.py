"""``fyp serve``: the GraphQL API, the demo feed page, /health and /metrics (uvicorn)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer

from graph.cli.app import app, console, settings_of
from graph.cli.errors import friendly_errors
from graph.cli.feed import DEFAULT_WEIGHTS
from graph.db import AsyncGraph, Graph, resolve_connection
from graph.feed import FeedConfig, FeedEngine

DEMO_USERS = 3


@app.command("serve")
@friendly_errors
def serve_command(
    ctx: typer.Context,
    host: Annotated[str | None, typer.Option(help="Interface (default FYP_API_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default FYP_API_PORT).")] = None,
    production: Annotated[
        bool, typer.Option(help="No GraphiQL, introspection or demo logins.")
    ] = False,
    keys: Annotated[
        Path | None, typer.Option(help="API keys JSON file (default FYP_API_KEYS_FILE).")
    ] = None,
) -> None:
    """Serve the API with the demo page at / (dev mode unless --production)."""
    import uvicorn

    from api.app import create_app
    from api.settings import ApiMode, ApiSettings

    settings = settings_of(ctx)
    overrides: dict[str, object] = {}
    if host is not None:
        overrides["host"] = host
    if port is not None:
        overrides["port"] = port
    if production:
        overrides["mode"] = ApiMode.PRODUCTION
    if keys is not None:
        overrides["keys_file"] = keys
    api_settings = ApiSettings(**overrides)  # type: ignore[arg-type]
    connection = resolve_connection(settings)
    with Graph(connection) as graph:
        graph.verify()
        demo_users = graph.read("api/demo_users", limit=DEMO_USERS)
    config = FeedConfig().with_weights_file(settings.home / DEFAULT_WEIGHTS)

    def feed(async_graph: AsyncGraph) -> FeedEngine:
        return FeedEngine(async_graph, config)

    application = create_app(api_settings, connection, feed=feed)
    base = f"http://{api_settings.host}:{api_settings.port}"
    console.print(f"[bold]fyp API[/] ({api_settings.mode.value} mode) on {base}")
    console.print(
        f"  GraphQL   {base}/graphql" + (" (GraphiQL in a browser)" if api_settings.is_dev else "")
    )
    console.print(f"  health    {base}/health    metrics {base}/metrics")
    if api_settings.demo_logins_enabled:
        for row in demo_users:
            console.print(f"  demo feed {base}/?user={row['userId']}")
    logging.getLogger("uvicorn.access").setLevel(logging.WARNING)
    uvicorn.run(application, host=api_settings.host, port=api_settings.port, log_config=None)
