"""``fyp generate``: a synthetic world with ground truth, into Neo4j or an import folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress, TaskID
from rich.table import Table

from graph.cli.app import app, console, settings_of
from graph.cli.errors import friendly_errors
from graph.cli.offline import load_offline_locally
from graph.cli.progress import progress_bar
from graph.config import Settings
from graph.db import Graph
from graph.errors import ClientError, ServerError
from graph.ingest import ImportReport, import_records
from graph.ingest.imports import Destination
from graph.ingest.pipeline import DEFAULT_BATCH_SIZE
from graph.schema import init_schema, wipe
from graph.synth import World, WorldSpec, generate_world, write_import_dir, write_truth
from graph.synth.spec import default_end, iso_utc, parse_end, utc_of_ms

#: Rejections listed in the summary before "and N more".
SHOWN_REJECTIONS = 5
#: How many of a world's first events are looked up to tell whether the database holds
#: it already, and placed at which end (a few: one could have been deleted since).
PLACEMENT_PROBES = 16


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
    end: Annotated[
        str | None,
        typer.Option(
            help="When the world ends, ISO 8601 with a time zone (e.g. 2026-12-06T12:00:00Z); "
            "not in the future. Default: now, floored to the hour. Same seed and end, same "
            "bytes; another end moves every time by the difference.",
            show_default=False,
        ),
    ] = None,
    replace: Annotated[
        bool,
        typer.Option(
            help="If the database holds this world placed at another end (an earlier run), "
            "wipe the database and load it again instead of refusing (`make demo` does)."
        ),
    ] = False,
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
    offline: Annotated[
        bool,
        typer.Option(
            "--offline",
            help="Bulk-load an empty local database with neo4j-admin (the server restarts); "
            "with --replace, whatever it holds is replaced.",
        ),
    ] = False,
) -> None:
    """Generate a realistic synthetic world (topics, creators, trends, virals, bots).

    Loads it into Neo4j, or writes it as an import folder with --out. The ground
    truth (interests, topics, trends, virals, bots) is written as JSON. The world
    covers the --days before --end (default: now), so live events carry on from it.
    """
    settings = settings_of(ctx)
    # Checked before anything is generated or written: a bad --end leaves no trace.
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
        end=default_end() if end is None else parse_end(end),
    )
    with progress_bar(label_width=20) as progress:
        bars = _Bars(progress)
        world = generate_world(spec, progress=bars.set)
        if out is not None:
            write_import_dir(world, out, progress=bars.set)
            truth_path = write_truth(world, truth) if truth is not None else out / "truth.json"
            report = None
        else:
            truth_path = truth or settings.home / "worlds" / f"seed-{seed}" / "truth.json"
            if offline:
                write_truth(world, truth_path)
                report = load_offline_locally(
                    settings,
                    lambda target: _load(world, target, batch_size, bars),
                    replace=replace,
                )
            else:
                report = _load_online(settings, world, replace, truth_path, batch_size, bars)
    _summary(world, truth_path, out, report)


def _load_online(
    settings: Settings,
    world: World,
    replace: bool,
    truth_path: Path,
    batch_size: int,
    bars: _Bars,
) -> ImportReport:
    """Into the database as it is: refused when it holds this world placed elsewhere."""
    with Graph.connect(settings) as graph:
        # The schema first: its event id index makes the look-up below instant.
        init_schema(graph)
        stored_end = _another_placement(graph, world)
        if stored_end is not None:
            if not replace:
                raise _placement_error(world, stored_end)
            deleted = wipe(graph)
            console.print(
                f"the database held this world ending at {stored_end}: wiped "
                f"({deleted:,} nodes) to load it ending at {iso_utc(world.spec.end)}"
            )
        write_truth(world, truth_path)
        return _load(world, graph, batch_size, bars)


def _another_placement(graph: Graph, world: World) -> str | None:
    """The end (ISO 8601) at which the database already holds this world, if that is
    another end than this run's; None when it holds it at the same end, or not at all.

    Event ids do not depend on the end (graph.synth.spec, ``digest``), so loading the
    same world again skips its events as replays, while users and videos would take the
    new times: posted after their own views. Same times, a plain replay: go ahead.
    """
    prefix, times = world.event_id_prefix, world.events.at[:PLACEMENT_PROBES].tolist()
    expected = {f"{prefix}{index}": at for index, at in enumerate(times)}
    if not expected:
        return None
    for row in graph.read("synth/stored_event_times", ids=list(expected)):
        moved = int(row["at"]) - expected[row["id"]]
        if moved != 0:
            return iso_utc(utc_of_ms(world.spec.end_ms + moved))
    return None


def _placement_error(world: World, stored_end: str) -> ClientError:
    spec = world.spec
    return ClientError(
        f"this database already holds world seed {spec.seed} ({spec.users} users, "
        f"{spec.videos} videos) ending at {stored_end}; loading it again ending at "
        f"{iso_utc(spec.end)} would mix the two. Replay it as it is with --end {stored_end}, "
        "load it afresh with --replace (wipes the database), or empty the database first "
        "(fyp db wipe --yes)"
    )


def _load(world: World, graph: Destination, batch_size: int, bars: _Bars) -> ImportReport:
    totals = world.counts()
    return import_records(
        graph,
        world.records(),
        source="synthetic",
        batch_size=batch_size,
        progress=lambda kind, count: bars.advance(f"loading {kind}", count, totals[kind]),
    )


def _summary(world: World, truth_path: Path, out: Path | None, report: ImportReport | None) -> None:
    spec = world.spec
    table = Table(
        "records",
        title=f"world seed {spec.seed}: {iso_utc(utc_of_ms(spec.start_ms))} to {iso_utc(spec.end)}",
    )
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
