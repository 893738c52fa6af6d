"""``fyp tune``: the engine tunes itself on the data the graph holds."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from graph.cli.app import app, console, settings_of
from graph.cli.errors import friendly_errors
from graph.config import Settings
from graph.db import Graph
from graph.evaluate.database import scratch_server
from graph.precompute import CoEngagementOptions, precompute_co_engagement
from graph.tune.baselines import BASELINE_NAMES
from graph.tune.tune import ScratchDatabase, TuneOptions, TuneReport, tune_graph

log = logging.getLogger(__name__)


@app.command("tune")
@friendly_errors
def tune_command(
    ctx: typer.Context,
    seconds: Annotated[
        float, typer.Option(help="Time budget of the searches (loading and precompute on top).")
    ] = TuneOptions.seconds,
    users: Annotated[int, typer.Option(help="Validation viewers sampled.")] = TuneOptions.users,
    split: Annotated[
        str,
        typer.Option(
            help="How the validation split is carved: 'time' (everything after a time cut "
            "held out, for everyone), 'newest' (each sampled viewer's newest positives), "
            "or 'auto' (the time cut where time order carries signal)."
        ),
    ] = TuneOptions.split,
    baselines: Annotated[
        str, typer.Option(help="Baselines searched beside the feed, comma-separated.")
    ] = ",".join(BASELINE_NAMES),
    seed: Annotated[int, typer.Option(help="Seed of the validation sample.")] = 0,
    precompute: Annotated[
        bool, typer.Option(help="Run `fyp precompute` with the chosen item model afterwards.")
    ] = True,
    json_out: Annotated[Path | None, typer.Option("--json", help="Also write the report.")] = None,
) -> None:
    """Choose the item model, the feed's scoring weights and its default diversity and
    exploration on a validation split of the graph's own history, and store them in the
    graph, where `fyp precompute`, `fyp serve`, `fyp feed` and `fyp evaluate` use them.

    Needs Java and Maven (a throwaway local Neo4j serves the split while the pipeline is
    tuned), also when FYP_NEO4J_URI points elsewhere."""
    settings = settings_of(ctx)
    names = tuple(name.strip() for name in baselines.split(",") if name.strip())
    options = TuneOptions(seconds=seconds, users=users, split=split, baselines=names, seed=seed)
    with Graph.connect(settings) as graph:
        with console.status("tuning (reading the graph, searching, serving the split)..."):
            report = tune_graph(graph, _scratch(settings), options)
        print_report(report)
        if precompute:
            with console.status("fyp precompute with the chosen item model..."):
                result = precompute_co_engagement(
                    graph, report.settings.precompute_options(CoEngagementOptions())
                )
            console.print(
                f"precomputed: {result.edges:,} CO_ENGAGED edges, "
                f"{result.recommendations:,} RECOMMENDED edges"
            )
    if json_out is not None:
        json_out.write_text(json.dumps(report.to_json(), indent=2) + "\n", encoding="utf-8")
        console.print(f"wrote {json_out}")


def _scratch(settings: Settings) -> ScratchDatabase:
    # A search's queries scan whole validation splits: ten minutes before one gives up.
    return lambda: scratch_server(settings, timeout_s=600.0)


def print_report(report: TuneReport) -> None:
    table = Table("searched", "chosen", "recall@20", "recall@50", "tried")
    for name, result in report.baselines.items():
        best = result.best
        table.add_row(
            name,
            str(dict(best.params)),
            f"{best.recall_at_20:.4f}",
            f"{best.recall_at_50:.4f}",
            str(len(result.trials)),
        )
    if report.item_model is not None:
        best = report.item_model.best
        table.add_row(
            "feed: item model",
            str(report.settings.item_model),
            f"{best.recall_at_20:.4f}",
            f"{best.recall_at_50:.4f}",
            str(len(report.item_model.trials)),
        )
    if report.blend is not None:
        blend = report.blend
        table.add_row(
            "feed: served (scoring weights)",
            "searched",
            f"{blend.recall_at_20:.4f}",
            f"{blend.recall_at_50:.4f}",
            str(blend.evaluations),
        )
    for trial in report.controls:
        table.add_row(
            "feed: pages",
            f"diversity {trial['diversity']}, exploration {trial['exploration']}",
            f"{trial['recall_at_20']:.4f}",
            f"{trial['recall_at_50']:.4f}",
            "",
        )
    console.print(table)
    console.print(
        f"validation: {report.split.users:,} viewers, {report.split.describe()}; "
        f"stored the feed's settings (diversity "
        f"{report.settings.diversity}, exploration {report.settings.exploration}); "
        + ", ".join(f"{name} {value:.0f} s" for name, value in report.seconds.items())
    )
