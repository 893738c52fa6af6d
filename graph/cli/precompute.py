"""``fyp precompute``: the feed's batch jobs (co-engagement neighbours)."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

import typer
from rich.progress import TaskID

from graph.cli.app import app, console, settings_of
from graph.cli.errors import friendly_errors
from graph.cli.progress import progress_bar
from graph.db import Graph
from graph.precompute import CoEngagementOptions, precompute_co_engagement
from graph.tune.settings import load as load_tuned


@app.command()
@friendly_errors
def precompute(
    ctx: typer.Context,
    method: Annotated[
        str, typer.Option(help="ease (item-item regression) or cosine (scales to any catalogue).")
    ] = CoEngagementOptions.method,
    ease_lambda: Annotated[
        float | None,
        typer.Option(help="EASE regularisation (default: the tuned one, else 500)."),
    ] = None,
    rp3_weight: Annotated[
        float | None,
        typer.Option(help="Weight of RP3beta in the personal lists (default: tuned, else 0)."),
    ] = None,
    spectral_weight: Annotated[
        float | None,
        typer.Option(
            help="Weight of the low-pass filter in the personal lists (default: tuned, else 0)."
        ),
    ] = None,
    spectral_rank: Annotated[
        int | None,
        typer.Option(help="Rank of the low-pass filter (default: tuned, else 64)."),
    ] = None,
    neighbours: Annotated[
        int, typer.Option(help="CO_ENGAGED neighbours kept per video.")
    ] = CoEngagementOptions.neighbours,
    min_viewers: Annotated[
        int, typer.Option(help="Shared viewers a pair needs to count.")
    ] = CoEngagementOptions.min_viewers,
    max_engagers: Annotated[
        int, typer.Option(help="Newest engaged viewers read per video.")
    ] = CoEngagementOptions.max_engagers,
    recommendations: Annotated[
        int,
        typer.Option(help="RECOMMENDED videos written per viewer (the personal source); 0: none."),
    ] = CoEngagementOptions.recommendations,
) -> None:
    """Recompute every video's co-engagement neighbours and every viewer's RECOMMENDED list
    (run after an import, then periodically). The item model is the one `fyp tune` chose
    for this graph, unless given here."""
    options = CoEngagementOptions(
        method=method,
        neighbours=neighbours,
        min_viewers=min_viewers,
        max_engagers=max_engagers,
        recommendations=recommendations,
    )
    tasks: dict[str, TaskID] = {}
    with (
        Graph.connect(settings_of(ctx)) as graph,
        progress_bar(label_width=12, bold=True) as bars,
    ):
        tuned = load_tuned(graph)
        if tuned is not None:
            options = tuned.precompute_options(options)
            console.print(f"item model as tuned: {tuned.item_model}")
        if ease_lambda is not None:
            options = replace(options, ease_lambda=ease_lambda)
        if rp3_weight is not None:
            options = replace(options, rp3_weight=rp3_weight)
        if spectral_weight is not None:
            options = replace(options, spectral_weight=spectral_weight)
        if spectral_rank is not None:
            options = replace(options, spectral_rank=spectral_rank)
        options = options.validate()

        def report(phase: str, done: int, total: int) -> None:
            if phase not in tasks:
                tasks[phase] = bars.add_task(phase, total=total)
            bars.update(tasks[phase], completed=done, total=total)

        result = precompute_co_engagement(graph, options, report)
    timing = ", ".join(f"{phase} {s:.1f}s" for phase, s in result.seconds.items())
    console.print(
        f"co-engagement ({result.method}): {result.edges:,} CO_ENGAGED edges for "
        f"{result.videos_with_neighbours:,} of {result.videos:,} videos, from "
        f"{result.engagements:,} engagements of {result.viewers:,} viewers ({timing})"
    )
    if options.recommendations:
        console.print(
            f"personal lists: {result.recommendations:,} RECOMMENDED edges for "
            f"{result.viewers_with_recommendations:,} viewers"
        )
