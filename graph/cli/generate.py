"""``fyp generate``: a synthetic world with ground truth, into Neo4j or an import folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from graph.cli.app import app, console, settings_of
from graph.cli.errors import friendly_errors
from graph.config import Settings
from graph.db import Graph
from graph.errors import ServerError
from graph.ingest import ImportReport, import_records
from graph.ingest.pipeline import DEFAULT_BATCH_SIZE
from graph.schema import init_schema
from graph.synth import World, WorldSpec, generate_world, write_import_dir, write_truth

#: Rejections listed in the summary before "and N more".
SHOWN_REJECTIONS = 5


class _Bars:
    """One progress bar per stage, created when the stage first reports."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.tasks: dict[str, TaskID] = {}

    def _task(self, stage: str, total: int | None) -> TaskID:
        if stage not in self.tasks:
            self.tasks[stage] = self.progress.add_task(stage, total=total)
        return self.tasks[stage]

    def set(self, stage: str, done: int, total: int) -> None:
        self.progress.update(self._task(stage, total), completed=done, total=total)

    def advance(self, stage: str, by: int, total: int | None) -> None:
        self.progress.update(self._task(stage, total), advance=by)


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description:<20}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )


@app.command()
@friendly_errors
def generate(
    ctx: typer.Context,
    users: Annotated[int, typer.Option(help="Accounts, inauthentic ones included.")] = 1000,
    videos: Annotated[int, typer.Option(help="Videos posted.")] = 1000,
    seed: Annotated[int, typer.Option(help="Same seed and sizes, same world.")] = 0,
    days: Annotated[int, typer.Option(help="Simulated days of activity.")] = 14,
    topics: Annotated[int, typer.Option(help="Topic communities (1-20).")] = 12,
    trends: Annotated[int, typer.Option(help="Trending hashtags / sounds.")] = 3,
    virals: Annotated[int, typer.Option(help="Viral videos.")] = 3,
    bot_rings: Annotated[int, typer.Option(help="Rings of bots following each other.")] = 2,
    bought_follower_creators: Annotated[
        int, typer.Option(help="Creators who buy a burst of fake followers.")
    ] = 2,
    out: Annotated[
        Path | None,
        typer.Option(help="Write an import folder (JSON Lines + truth.json) instead of Neo4j."),
    ] = None,
    truth: Annotated[
        Path | None,
        typer.Option(help="Ground truth file (default: FYP_HOME/worlds/seed-S/truth.json)."),
    ] = None,
    batch_size: Annotated[
        int, typer.Option(help="Records per Neo4j transaction.")
    ] = DEFAULT_BATCH_SIZE,
) -> None:
    """Generate a realistic synthetic world (topics, creators, trends, virals, bots).

    Loads it into Neo4j, or writes it as an import folder with --out. The ground
    truth (interests, topics, trends, virals, bots) is written as JSON.
    """
    settings = settings_of(ctx)
    spec = WorldSpec(
        users=users,
        videos=videos,
        seed=seed,
        days=days,
        topics=topics,
        trends=trends,
        virals=virals,
        bot_rings=bot_rings,
        bought_follower_creators=bought_follower_creators,
    )
    with _progress() as progress:
        bars = _Bars(progress)
        world = generate_world(spec, progress=bars.set)
        if out is not None:
            write_import_dir(world, out, progress=bars.set)
            truth_path = write_truth(world, truth) if truth is not None else out / "truth.json"
            report = None
        else:
            truth_path = truth or settings.home / "worlds" / f"seed-{seed}" / "truth.json"
            write_truth(world, truth_path)
            report = _load(world, settings, batch_size, bars)
    _summary(world, truth_path, out, report)


def _load(world: World, settings: Settings, batch_size: int, bars: _Bars) -> ImportReport:
    totals = world.counts()
    with Graph.connect(settings) as graph:
        init_schema(graph)
        return import_records(
            graph,
            world.records(),
            source="synthetic",
            batch_size=batch_size,
            progress=lambda kind, count: bars.advance(f"loading {kind}", count, totals[kind]),
        )


def _summary(world: World, truth_path: Path, out: Path | None, report: ImportReport | None) -> None:
    table = Table("records", title=f"world seed {world.spec.seed}")
    table.add_column("generated", justify="right")
    if report is not None:
        for column in ("loaded", "already present", "rejected"):
            table.add_column(column, justify="right")
    for kind, count in world.counts().items():
        cells = [kind, f"{count:,}"]
        if report is not None:
            counts = report.by_kind(kind)
            cells += [f"{counts.loaded:,}", f"{counts.already_present:,}", f"{counts.rejected:,}"]
        table.add_row(*cells)
    console.print(table)
    truth = world.truth
    console.print(
        f"{len(truth['trends'])} trends, {len(truth['viralVideos'])} viral videos, "
        f"{len(truth['botRings'])} bot rings, {len(truth['boughtFollowers'])} creators "
        f"with bought followers ({len(truth['bots'])} inauthentic accounts)"
    )
    if out is not None:
        console.print(f"import folder: [bold]{out}[/]")
    console.print(f"ground truth: [bold]{truth_path}[/]")
    if report is not None and report.rejections:
        for rejection in report.rejections[:SHOWN_REJECTIONS]:
            console.print(f"  {rejection.file}:{rejection.line}: {rejection.reason}")
        more = len(report.rejections) - SHOWN_REJECTIONS
        if more > 0:
            console.print(f"  ... and {more:,} more")
        raise ServerError(
            f"{len(report.rejections):,} generated records were rejected: a generator bug"
        )
