"""``fyp query list | show NAME | run NAME``: the analysts' read-only Cypher library.

``fyp query run --cypher "..."`` runs an analyst's own Cypher under the same rules:
planned with EXPLAIN first and refused unless it only reads, then run in a read
transaction with a timeout and a row limit.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Column, Table

from graph.analytics import Catalogue, QueryResult, ReadOnlyRunner
from graph.analytics.runner import DEFAULT_ROW_LIMIT
from graph.analytics.values import to_csv, to_json
from graph.cli.app import app, console, err_console, settings_of
from graph.cli.errors import friendly_errors
from graph.cypher import QueryLibrary
from graph.db import Graph
from graph.errors import ClientError

query_app = typer.Typer(help="The analysts' library of named, read-only Cypher queries.")
app.add_typer(query_app, name="query")


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


def _catalogue() -> Catalogue:
    return Catalogue.from_library(QueryLibrary.default())


@query_app.command("list")
@friendly_errors
def list_queries() -> None:
    """Every named query with its title and parameters."""
    catalogue = _catalogue()
    table = Table("title", "parameters", "returns")
    # Names are what people type next: never cut them, whatever the terminal width.
    table.columns.insert(0, Column("name", no_wrap=True, min_width=max(map(len, catalogue))))
    for name, query in catalogue.items():
        params = ", ".join(
            f"{spec.name}{'' if spec.required else '?'}: {spec.type}" for spec in query.params
        )
        table.add_row(name, query.title, params, ", ".join(query.columns))
    console.print(table)


@query_app.command("show")
@friendly_errors
def show(name: Annotated[str, typer.Argument(help="Query name, from `fyp query list`.")]) -> None:
    """A query's description, parameters (types, defaults), columns and Cypher."""
    query = _catalogue()[name]
    console.print(f"[bold]{escape(query.name)}[/]: {escape(query.title)}\n")
    console.print(escape(query.description) + "\n")
    params = Table("parameter", "type", "default", "description")
    for spec in query.params:
        default = "(required)" if spec.required else json.dumps(spec.default)
        params.add_row(f"${spec.name}", spec.type, default, escape(spec.description))
    console.print(params)
    console.print(f"returns: {', '.join(query.columns)}")
    if query.used_by:
        console.print(f"used by: {escape(query.used_by)}")
    console.print()
    console.print(escape(query.text), highlight=False, soft_wrap=True)


@query_app.command("run")
@friendly_errors
def run(
    ctx: typer.Context,
    name: Annotated[
        str | None, typer.Argument(help="Query name, from `fyp query list`.", show_default=False)
    ] = None,
    param: Annotated[
        list[str] | None,
        typer.Option(
            "--param", "-p", help="A parameter as key=value (repeatable); typed from the header."
        ),
    ] = None,
    cypher: Annotated[
        str | None,
        typer.Option("--cypher", help="Your own read-only Cypher instead of a named query."),
    ] = None,
    output: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = (
        Format.table
    ),
    limit: Annotated[
        int, typer.Option("--limit", help="Most rows to return (more are reported as cut off).")
    ] = DEFAULT_ROW_LIMIT,
    timeout: Annotated[
        float | None,
        typer.Option(
            "--timeout",
            help="Seconds before the query is stopped (default: FYP_NEO4J_QUERY_TIMEOUT_S).",
        ),
    ] = None,
) -> None:
    """Run a named query (or `--cypher`), read-only, and print the rows."""
    if (name is None) == (cypher is None):
        raise ClientError("give either a query NAME or --cypher TEXT (not both)")
    params = _parse_params(param or [])
    settings = settings_of(ctx)
    with Graph.connect(settings) as graph:
        runner = ReadOnlyRunner(
            graph, row_limit=limit, timeout_s=timeout or settings.neo4j_query_timeout_s
        )
        if cypher is not None:
            result = runner.run_cypher(cypher, {k: _json_or_text(v) for k, v in params.items()})
        else:
            assert name is not None
            result = runner.run(name, params)
    _print(result, output)


def _parse_params(pairs: list[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip().lstrip("$")
        if not sep or not key:
            raise ClientError(f"--param {pair!r} is not key=value")
        params[key] = value
    return params


def _json_or_text(value: str) -> Any:
    """Ad-hoc parameters have no header to type them: JSON literals, else text."""
    try:
        return json.loads(value)
    except json.JSONDecodeError:
        return value


def _print(result: QueryResult, output: Format) -> None:
    if output is Format.csv:
        typer.echo(to_csv(result.columns, result.rows), nl=False)
    elif output is Format.json:
        typer.echo(to_json(result.columns, result.rows, truncated=result.truncated))
    else:
        table = Table(*result.columns)
        for row in result.rows:
            table.add_row(*(_cell(value) for value in row))
        console.print(table)
        console.print(f"{len(result.rows):,} rows in {result.elapsed_ms:,.0f} ms")
    if result.truncated:
        err_console.print(
            f"[yellow]cut off at {result.row_limit:,} rows[/]: narrow the query or raise --limit"
        )


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, list | dict):
        return escape(json.dumps(value))
    return escape(str(value))
