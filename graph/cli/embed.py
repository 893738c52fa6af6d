"""``fyp embed``: random-walk embeddings into Neo4j's vector indexes (and ``--fold-in``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.progress import TaskID
from rich.table import Table

from graph.cli.app import app, console, settings_of
from graph.cli.errors import friendly_errors
from graph.cli.progress import progress_bar
from graph.db import Graph
from graph.embed.foldin import fold_in_missing, refold_watched_videos
from graph.embed.kernels import JIT
from graph.embed.options import DEFAULT_DIMENSIONS, BatchOptions, EmbedOptions
from graph.embed.pipeline import run_embedding
from graph.embed.progress import Progress as ProgressFn
from graph.embed.runs import latest_run
from graph.errors import ClientError


@contextmanager
def _bars() -> Iterator[ProgressFn]:
    """One rich progress bar per phase, created the first time the phase reports."""
    tasks: dict[str, TaskID] = {}
    with progress_bar(label_width=16, bold=True) as bars:

        def report(phase: str, done: int, total: int) -> None:
            if phase not in tasks:
                tasks[phase] = bars.add_task(phase, total=total)
            bars.update(tasks[phase], completed=done, total=total)

        yield report


@app.command()
@friendly_errors
def embed(
    ctx: typer.Context,
    dimensions: Annotated[
        int, typer.Option(help="Vector length (the vector indexes are rebuilt if it changes).")
    ] = DEFAULT_DIMENSIONS,
    p: Annotated[float, typer.Option("--p", help="node2vec return parameter.")] = 1.0,
    q: Annotated[
        float, typer.Option("--q", help="node2vec in-out parameter (<1: explore outward).")
    ] = 0.5,
    walk_length: Annotated[int, typer.Option(help="Nodes per random walk.")] = 40,
    walks_per_node: Annotated[int, typer.Option(help="Walks started from each node.")] = 10,
    window: Annotated[int, typer.Option(help="Skip-gram context window.")] = 5,
    epochs: Annotated[int, typer.Option(help="Skip-gram passes over the walks.")] = 1,
    seed: Annotated[int, typer.Option(help="Same seed, same vectors (with one worker).")] = 42,
    workers: Annotated[
        int, typer.Option(help="Threads; >1 is faster but not bit-for-bit reproducible.")
    ] = 1,
    batch_size: Annotated[int, typer.Option(help="Vectors written per transaction.")] = 2_000,
    fold_in: Annotated[
        bool,
        typer.Option(
            "--fold-in",
            help="Only give a vector to users, videos and creators that arrived after the "
            "last run, from their neighbours' vectors (no retraining).",
        ),
    ] = False,
) -> None:
    """Random-walk (node2vec) embeddings of users, creators, videos, hashtags and sounds."""
    settings = settings_of(ctx)
    with Graph.connect(settings) as graph:
        if fold_in:
            _fold_in(graph, batch_size)
            return
        options = EmbedOptions(
            dimensions=dimensions, p=p, q=q, walk_length=walk_length,
            walks_per_node=walks_per_node, window=window, epochs=epochs, seed=seed,
            workers=workers,
        ).validate()  # fmt: skip
        with _bars() as progress:
            report = run_embedding(graph, options, BatchOptions(write=batch_size), progress)

    table = Table("phase", "seconds", title=f"embedding run {report.run_id}")
    for phase, seconds in report.seconds.items():
        table.add_row(phase, f"{seconds:.1f}")
    table.add_row("[bold]total", f"[bold]{report.total_seconds:.1f}")
    console.print(table)
    nodes = ", ".join(f"{count:,} {kind.value}s" for kind, count in sorted(report.nodes.items()))
    console.print(f"embedded {nodes} over {report.edges:,} edges ({dimensions} dimensions)")
    if report.cleared:
        console.print(f"removed {report.cleared:,} stale vectors of earlier runs")
    console.print(f"vector indexes: {', '.join(report.indexes)}")
    if report.kernels == JIT:
        console.print(
            "kernels: numba JIT (with one worker, `make install` or `python -m "
            "graph.embed.build_kernels` compiles them ahead of time: less memory, no warm-up)"
        )
    else:
        console.print("kernels: compiled ahead of time")


def _fold_in(graph: Graph, batch_size: int) -> None:
    run = latest_run(graph)
    if run is None:
        raise ClientError("no completed embedding run yet: run `fyp embed` first")
    with console.status("folding in new users, videos and creators..."):
        stored = fold_in_missing(graph, run.id, run.dimensions, batch_size=batch_size)
        refreshed = refold_watched_videos(graph, run.id, run.dimensions, batch_size=batch_size)
    summary = ", ".join(f"{count:,} {kind.value}s" for kind, count in stored.items())
    console.print(f"folded in {summary} (run {run.id}, {run.dimensions} dimensions)")
    if refreshed:
        console.print(f"refreshed {refreshed:,} folded-in videos from their first viewers")
