"""``fyp serve``: the GraphQL API, the demo feed page, /health and /metrics (uvicorn)."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Annotated

import typer

from graph.cli.app import app, console, settings_of
from graph.cli.errors import friendly_errors
from graph.db import Graph, resolve_connection

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
    workers: Annotated[
        int,
        typer.Option(
            min=1, help="Processes, each with its own read model (about one per free core)."
        ),
    ] = 1,
) -> None:
    """Serve the API with the demo page at / (dev mode unless --production)."""
    import uvicorn

    from api.settings import ApiMode, ApiSettings

    settings = settings_of(ctx)
    # The worker processes build their app from the environment (api/asgi.py), so the
    # flags travel as the environment variables they stand for.
    if host is not None:
        os.environ["FYP_API_HOST"] = host
    if port is not None:
        os.environ["FYP_API_PORT"] = str(port)
    if production:
        os.environ["FYP_API_MODE"] = ApiMode.PRODUCTION.value
    if keys is not None:
        os.environ["FYP_API_KEYS_FILE"] = str(keys)
    os.environ["FYP_HOME"] = str(settings.home)
    api_settings = ApiSettings()
    connection = resolve_connection(settings)
    with Graph(connection) as graph:
        graph.verify()
        demo_users = graph.read("api/demo_users", limit=DEMO_USERS)
    for warning in api_settings.warnings():
        console.print(f"[bold yellow]warning:[/] {warning}")
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
    uvicorn.run(
        "api.asgi:app_from_environment",
        factory=True,
        host=api_settings.host,
        port=api_settings.port,
        workers=workers,
        log_config=None,
        access_log=False,
    )
