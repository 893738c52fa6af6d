"""``fyp import-kuairand PATH``: load the real KuaiRand dataset into the graph."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import TaskID
from rich.table import Table

from graph.cli.app import app, console, settings_of
from graph.cli.errors import friendly_errors
from graph.cli.offline import load_offline_locally
from graph.cli.progress import progress_bar
from graph.datasets.kuairand import CREDIT, KuaiRandConversion, load_conversion
from graph.datasets.kuairand_layout import KuaiRandLayout
from graph.db import Graph
from graph.ingest import ImportReport
from graph.ingest.imports import Destination
from graph.ingest.pipeline import DEFAULT_BATCH_SIZE
from graph.schema import init_schema

#: Rejections listed in the summary before "and N more".
SHOWN_REJECTIONS = 5


def _parts(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


@app.command("import-kuairand")
@friendly_errors
def import_kuairand_command(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="The KuaiRand folder (holding processed/).")],
    parts: Annotated[
        str,
        typer.Option(
            help="Which events to load, comma-separated: sequences (training period), val, "
            "test; the smoke sample also has train. Evaluation loads sequences,val only."
        ),
    ] = "sequences,val,test",
    smoke: Annotated[
        bool, typer.Option("--smoke", help="Load the dataset's small smoke/ sample.")
    ] = False,
    batch_size: Annotated[
        int, typer.Option(help="Records per Neo4j transaction.")
    ] = DEFAULT_BATCH_SIZE,
    offline: Annotated[
        bool,
        typer.Option(
            "--offline",
            help="Bulk-load an empty local database with neo4j-admin (the server restarts).",
        ),
    ] = False,
    replace: Annotated[
        bool, typer.Option("--replace", help="With --offline: replace a database that holds data.")
    ] = False,
) -> None:
    """Load KuaiRand (users, creators, videos, hashtags, sounds, events) into Neo4j.

    Importing again changes nothing: event ids are derived from the data.
    """
    conversion = KuaiRandConversion(KuaiRandLayout.detect(path, smoke=smoke), _parts(parts))
    console.print(
        f"KuaiRand {'smoke sample' if conversion.layout.smoke else 'dataset'} at "
        f"{conversion.layout.folder}, parts: {', '.join(conversion.parts)}"
    )
    with console.status("counting records..."):
        totals = conversion.counts()
    if replace and not offline:
        raise typer.BadParameter("--replace goes with --offline")
    started = time.perf_counter()
    with progress_bar(label_width=14, eta=True) as progress:
        tasks: dict[str, TaskID] = {}

        def advance(kind: str, count: int) -> None:
            if kind not in tasks:
                tasks[kind] = progress.add_task(kind, total=totals.get(kind))
            progress.advance(tasks[kind], count)

        def load(target: Destination) -> ImportReport:
            return load_conversion(target, conversion, batch_size=batch_size, progress=advance)

        if offline:
            report = load_offline_locally(settings_of(ctx), load, replace=replace)
        else:
            with Graph.connect(settings_of(ctx)) as graph:
                init_schema(graph)
                report = load(graph)
    _summary(conversion, report, time.perf_counter() - started)


def _summary(conversion: KuaiRandConversion, report: ImportReport, seconds: float) -> None:
    table = Table("file", title="KuaiRand import")
    for column in ("loaded", "already present", "rejected", "skipped"):
        table.add_column(column, justify="right")
    for name, counts in report.files.items():
        skipped = sum(conversion.skipped.get(counts.kind, {}).values())
        table.add_row(
            name,
            f"{counts.loaded:,}",
            f"{counts.already_present:,}",
            f"{counts.rejected:,}",
            f"{skipped:,}",
        )
    console.print(table)
    for kind, reasons in conversion.skipped.items():
        for reason, count in reasons.items():
            console.print(f"skipped {count:,} {kind}: {reason}")
    for rejection in report.rejections[:SHOWN_REJECTIONS]:
        console.print(f"  {rejection.file}:{rejection.line}: {rejection.reason}")
    if len(report.rejections) > SHOWN_REJECTIONS:
        console.print(f"  ... and {len(report.rejections) - SHOWN_REJECTIONS:,} more rejected")
    console.print(f"done in {seconds:,.1f} s. Data: {CREDIT}.")
