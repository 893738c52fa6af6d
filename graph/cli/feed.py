"""``fyp feed USER``: one page of a user's feed, with why each video is there."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from graph.cli.app import app, console, settings_of
from graph.cli.errors import friendly_errors
from graph.db import AsyncGraph, resolve_connection
from graph.feed import (
    Controls,
    FeedConfig,
    FeedEngine,
    FeedPage,
    FeedRequest,
    Mode,
    ScoringWeights,
)
from graph.feed.config import PATIENT
from graph.feed.model import MAX_PAGE_SIZE

#: Where ``fyp train-ranker`` weights are picked up from when ``--weights`` is not given.
DEFAULT_WEIGHTS = "ranker.json"


async def _feed(graph: AsyncGraph, config: FeedConfig, request: FeedRequest) -> FeedPage:
    try:
        return await FeedEngine(graph, config).feed(request)
    finally:
        await graph.close()


def _items_table(page: FeedPage) -> Table:
    table = Table("#", "video", "creator", "score", "sources", "why", show_lines=True)
    for item in page.items:
        why = "\n".join(f"• {reason}" for reason in item.explanation.reasons)
        top = sorted(item.explanation.weights.items(), key=lambda kv: -abs(kv[1]))[:4]
        signals = ", ".join(f"{name} {value:+.2f}" for name, value in top)
        table.add_row(
            str(item.position),
            f"{item.video_id}\n[dim]{(item.caption or '')[:40]}[/]",
            item.creator_id or "",
            f"{item.score:.3f}",
            "\n".join(item.sources) + ("\n[magenta]explore[/]" if item.exploration else ""),
            f"{why}\n[dim]{signals}[/]" if signals else why,
        )
    return table


def _stages_table(page: FeedPage) -> Table:
    table = Table("stage", "kept", "removed", "ms", "status")
    for stage in page.stages:
        style = "" if stage.status in ("ok", "skipped") else "[red]"
        table.add_row(
            stage.name, str(stage.kept), str(stage.removed), f"{stage.ms:.1f}",
            f"{style}{stage.status}",
        )  # fmt: skip
    return table


@app.command("feed")
@friendly_errors
def feed_command(
    ctx: typer.Context,
    user: Annotated[str, typer.Argument(help="User id to build the feed for.")],
    first: Annotated[int, typer.Option(min=1, max=MAX_PAGE_SIZE, help="Videos on the page.")] = 20,
    mode: Annotated[Mode, typer.Option(help="Which feed.")] = Mode.FOR_YOU,
    after: Annotated[str | None, typer.Option(help="end_cursor of the previous page.")] = None,
    diversity: Annotated[
        float | None, typer.Option(min=0.0, max=1.0, help="Default: the engine's (tuned).")
    ] = None,
    exploration: Annotated[
        float | None, typer.Option(min=0.0, max=1.0, help="Default: the engine's (tuned).")
    ] = None,
    interest: Annotated[
        list[str] | None, typer.Option(help="Hashtag of interest (repeatable; cold start).")
    ] = None,
    mute: Annotated[
        list[str] | None, typer.Option(help="Hide a word or #hashtag (repeatable).")
    ] = None,
    block: Annotated[list[str] | None, typer.Option(help="Hide a creator id (repeatable).")] = None,
    now: Annotated[
        int | None, typer.Option(help="Request time, epoch ms (default: latest activity).")
    ] = None,
    record: Annotated[
        bool, typer.Option(help="Record the page as served (SERVED impressions).")
    ] = False,
    weights: Annotated[
        Path | None,
        typer.Option(help=f"Scorer weights JSON (default: FYP_HOME/{DEFAULT_WEIGHTS} if present)."),
    ] = None,
    stages: Annotated[bool, typer.Option(help="Also print every pipeline stage.")] = False,
) -> None:
    """Print one page of USER's feed: each video, its score, its sources and why."""
    settings = settings_of(ctx)
    # One-off inspection: every source gets the time it needs (no fail-open cuts).
    if weights is None:
        config = FeedConfig(budgets=PATIENT).with_weights_file(settings.home / DEFAULT_WEIGHTS)
    else:  # asked for explicitly: a missing or bad file is an error, not a silent default
        config = FeedConfig(budgets=PATIENT, weights=ScoringWeights.from_json(weights))
    request = FeedRequest(
        user_id=user,
        first=first,
        after=after,
        mode=mode,
        controls=Controls(
            diversity=diversity,
            exploration=exploration,
            keyword_filters=tuple(mute or ()),
            interests=tuple(interest or ()),
            blocked_creators=tuple(block or ()),
        ),
        record_impressions=record,
        now=now,
    )
    graph = AsyncGraph(resolve_connection(settings))
    page = asyncio.run(_feed(graph, config, request))
    console.print(_items_table(page))
    if stages:
        console.print(_stages_table(page))
    total_ms = sum(stage.ms for stage in page.stages)
    console.print(
        f"{len(page.items)} videos, mode {page.mode.value}, request {page.request_id}, "
        f"~{total_ms:.0f} ms; next page: --after {page.end_cursor}"
        if page.has_next_page
        else f"{len(page.items)} videos, mode {page.mode.value}; no more videos for now",
        highlight=False,
    )
