"""``fyp import DIR``: load a folder in the import format (docs/model.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import TaskID
from rich.table import Table

from graph.cli.app import app, console, settings_of
from graph.cli.errors import friendly_errors
from graph.cli.offline import load_offline_locally, write_files_only
from graph.cli.progress import progress_bar
from graph.db import Graph
from graph.embed.foldin import fold_in_new_videos
from graph.ingest import ImportReport, import_dir
from graph.ingest.imports import Destination
from graph.ingest.pipeline import DEFAULT_BATCH_SIZE
from graph.ingest.sources import count_lines, find_files


@app.command("import")
@friendly_errors
def import_command(
    ctx: typer.Context,
    folder: Annotated[
        Path,
        typer.Argument(
            help="Folder holding users / creators / videos / "
            "follows / interactions (.jsonl or .csv)."
        ),
    ],
    batch_size: Annotated[
        int, typer.Option("--batch-size", min=1, help="Records per write transaction.")
    ] = DEFAULT_BATCH_SIZE,
    report: Annotated[
        Path | None,
        typer.Option("--report", help="Write every rejection here as JSON Lines."),
    ] = None,
    show: Annotated[int, typer.Option("--show", min=0, help="How many rejections to print.")] = 20,
    offline: Annotated[
        bool,
        typer.Option(
            "--offline",
            help="Bulk-load an empty local database with neo4j-admin (much faster for a "
            "first import; the server restarts). The same validation and the same graph.",
        ),
    ] = False,
    replace: Annotated[
        bool,
        typer.Option("--replace", help="With --offline: replace a database that holds data."),
    ] = False,
    files_only: Annotated[
        Path | None,
        typer.Option(
            "--files-only",
            help="With --offline: only write neo4j-admin's files here and print the command "
            "(for a database on another host).",
        ),
    ] = None,
) -> None:
    """Import a folder; bad records are reported and skipped, the rest loads (idempotent)."""
    files = find_files(folder)  # a bad folder fails here, before connecting (exit 2)
    if (replace or files_only is not None) and not offline:
        raise typer.BadParameter("--replace and --files-only go with --offline")
    folded = 0
    with progress_bar(bold=True) as bars:
        tasks: dict[str, TaskID] = {
            source.kind: bars.add_task(source.name, total=count_lines(source.path))
            for source in files
        }

        def load(target: Destination) -> ImportReport:
            return import_dir(
                target,
                folder,
                batch_size=batch_size,
                progress=lambda kind, done: bars.advance(tasks[kind], done),
            )

        if files_only is not None:
            outcome = write_files_only(load, files_only)
        elif offline:
            outcome = load_offline_locally(settings_of(ctx), load, replace=replace)
        else:
            with Graph.connect(settings_of(ctx)) as graph:
                outcome = load(graph)
                folded = _fold_in_new_videos(graph, outcome)
    _print_summary(outcome)
    if not offline and files_only is None and folded:
        console.print(
            f"gave {folded:,} new videos a vector from their creator, hashtags and sound "
            "(the latest embedding run's space), so the feed can route them at once"
        )
    _print_rejections(outcome, show, report)


def _fold_in_new_videos(graph: Graph, outcome: ImportReport) -> int:
    """Vectors for the new videos, and again for folded-in videos that now have viewers,
    when the graph was embedded before; returns how many new videos got one."""
    kinds = {counts.kind for counts in outcome.files.values() if counts.loaded}
    if not kinds & {"videos", "interactions"}:
        return 0
    return fold_in_new_videos(graph)


def _print_summary(outcome: ImportReport) -> None:
    table = Table("file", "loaded", "rejected", "already present", title="import")
    for name, counts in outcome.files.items():
        table.add_row(
            name, f"{counts.loaded:,}", f"{counts.rejected:,}", f"{counts.already_present:,}"
        )
    table.add_row(
        "[bold]total",
        f"[bold]{outcome.loaded:,}",
        f"[bold]{outcome.rejected:,}",
        f"[bold]{outcome.already_present:,}",
    )
    console.print(table)


def _print_rejections(outcome: ImportReport, show: int, report: Path | None) -> None:
    if report is not None:
        with report.open("w", encoding="utf-8") as handle:
            for rejection in outcome.rejections:
                handle.write(json.dumps(rejection.to_json()) + "\n")
    if not outcome.rejections:
        console.print("every record loaded or was already present")
        return
    for rejection in outcome.rejections[:show]:
        console.print(
            f"[yellow]rejected[/] {escape(rejection.file)}:{rejection.line}: "
            f"{escape(rejection.reason)}",
            highlight=False,
        )
    hidden = len(outcome.rejections) - min(show, len(outcome.rejections))
    where = f"all of them are in {report}" if report is not None else "use --report FILE"
    more = f" ({hidden:,} more not shown: {where})" if hidden else ""
    console.print(
        f"{outcome.rejected:,} record{'s were' if outcome.rejected != 1 else ' was'} rejected "
        f"and skipped; the rest loaded{more}.",
        highlight=False,
    )
