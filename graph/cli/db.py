"""``fyp db init | stats | wipe``: schema and housekeeping."""

from __future__ import annotations

import typer
from rich.table import Table

from graph.cli.app import app, console, settings_of
from graph.cli.errors import friendly_errors
from graph.db import Graph
from graph.schema import counts, init_schema, wipe

db_app = typer.Typer(help="Schema and housekeeping of the graph database.")
app.add_typer(db_app, name="db")


@db_app.command()
@friendly_errors
def init(ctx: typer.Context) -> None:
    """Create constraints and indexes (safe to run again)."""
    with Graph.connect(settings_of(ctx)) as graph:
        applied = init_schema(graph)
    console.print(f"schema ready: {applied} constraints and indexes checked")


@db_app.command()
@friendly_errors
def stats(ctx: typer.Context) -> None:
    """Count nodes by label and relationships by type."""
    with Graph.connect(settings_of(ctx)) as graph:
        found = counts(graph)
    table = Table("kind", "name", "count")
    for key, value in sorted(found.items()):
        kind, name = key.split(":", 1)
        table.add_row(kind, name, f"{value:,}")
    console.print(table)


@db_app.command("wipe")
@friendly_errors
def wipe_command(
    ctx: typer.Context,
    yes: bool = typer.Option(False, "--yes", help="Do not ask for confirmation."),
) -> None:
    """Delete every node and relationship (the schema stays)."""
    if not yes:
        typer.confirm("Delete everything in the database?", abort=True)
    with Graph.connect(settings_of(ctx)) as graph:
        deleted = wipe(graph)
    console.print(f"deleted {deleted:,} nodes")
