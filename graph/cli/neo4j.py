"""``fyp neo4j start | stop | status``: the project's own local Neo4j server."""

from __future__ import annotations

import typer

from graph.cli.app import app, console, settings_of
from graph.cli.errors import friendly_errors
from graph.db import local_server

neo4j_app = typer.Typer(help="Run a local Neo4j 5.26 community server (no Docker needed).")
app.add_typer(neo4j_app, name="neo4j")


@neo4j_app.command()
@friendly_errors
def start(ctx: typer.Context) -> None:
    """Download Neo4j with Maven on first use, start it in the background, wait for Bolt."""
    settings = settings_of(ctx)
    if not settings.uses_local_neo4j:
        console.print(f"FYP_NEO4J_URI is set ({settings.neo4j_uri}); nothing to start.")
        return
    server = local_server(settings)
    with console.status("starting Neo4j (the first run downloads it with Maven)..."):
        uri = server.start()
    console.print(f"Neo4j is running at [bold]{uri}[/] (user neo4j)")
    console.print(f"password file: {server.password_file}")


@neo4j_app.command()
@friendly_errors
def stop(ctx: typer.Context) -> None:
    """Stop the local server cleanly; data stays for the next start."""
    server = local_server(settings_of(ctx))
    console.print("Neo4j stopped." if server.stop() else "Neo4j was not running.")


@neo4j_app.command()
@friendly_errors
def status(ctx: typer.Context) -> None:
    """Say whether the local server runs, and where."""
    state = local_server(settings_of(ctx)).status()
    if state.running:
        console.print(f"running (pid {state.pid}) at {state.uri}; home {state.home}")
    else:
        console.print(f"not running; home {state.home}")
        raise typer.Exit(3)
