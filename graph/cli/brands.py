"""``fyp creators discover | overlap | lookalike | authenticity``: influencer discovery."""

from __future__ import annotations

import dataclasses
import json
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from graph.brands import (
    Authenticity,
    CreatorFilter,
    CreatorPage,
    CreatorSort,
    audience_overlap,
    creator_authenticity,
    discover_creators,
    lookalike_creators,
    store_authenticity,
    suspicious_accounts,
)
from graph.cli.app import app, console, settings_of
from graph.cli.errors import friendly_errors
from graph.cli.progress import progress_bar
from graph.db import Graph
from graph.errors import ClientError

creators_app = typer.Typer(help="Influencer discovery for brands: find, compare, vet creators.")
app.add_typer(creators_app, name="creators")


class Output(StrEnum):
    table = "table"
    json = "json"


FormatOption = Annotated[Output, typer.Option("--format", "-f", help="Output format.")]


def _json(value: Any) -> None:
    """Dataclasses (and lists / dicts of them) as indented JSON on stdout."""

    def plain(item: Any) -> Any:
        if dataclasses.is_dataclass(item) and not isinstance(item, type):
            return dataclasses.asdict(item)
        raise TypeError(f"cannot write {type(item).__name__} as JSON")

    typer.echo(json.dumps(value, indent=2, default=plain))


def _page_json(page: CreatorPage) -> dict[str, Any]:
    """A page of creators in the JSON shape the CLI has always written: Relay-like edges."""
    return {
        "edges": [
            {"node": creator, "cursor": cursor}
            for creator, cursor in zip(page.creators, page.cursors, strict=True)
        ],
        "page_info": {"has_next_page": page.has_more, "end_cursor": page.next_after},
        "total_count": page.total_count,
        "as_of": page.as_of,
    }


def _pct(value: float) -> str:
    return f"{value:.1%}"


def _trust(authenticity: Authenticity) -> str:
    text = f"{authenticity.score:.2f}"
    return f"[red]{text} flagged[/]" if authenticity.flagged else text


@creators_app.command()
@friendly_errors
def discover(
    ctx: typer.Context,
    hashtag: Annotated[
        list[str] | None, typer.Option("--hashtag", "-t", help="Niche hashtag (repeatable).")
    ] = None,
    topic: Annotated[
        str | None, typer.Option(help="Free-text niche: hashtag names and captions.")
    ] = None,
    min_followers: Annotated[int, typer.Option(help="Fewest followers.")] = 0,
    max_followers: Annotated[int | None, typer.Option(help="Most followers.")] = None,
    min_views: Annotated[int, typer.Option(help="Fewest views over all videos.")] = 0,
    min_engagement: Annotated[
        float, typer.Option(help="Smallest (likes + comments + shares) / views.")
    ] = 0.0,
    min_completion: Annotated[float, typer.Option(help="Smallest completes / views.")] = 0.0,
    min_growth: Annotated[
        float, typer.Option(help="Smallest new followers / followers before the window.")
    ] = 0.0,
    growth_days: Annotated[int, typer.Option(help="Growth window in days.")] = 30,
    sort: Annotated[CreatorSort, typer.Option(help="Rank by.")] = CreatorSort.ENGAGEMENT,
    reference: Annotated[
        str | None, typer.Option(help="Creator id that overlap / similarity compare with.")
    ] = None,
    first: Annotated[int, typer.Option(help="Page size.")] = 20,
    after: Annotated[str | None, typer.Option(help="Cursor of the previous page.")] = None,
    output: FormatOption = Output.table,
) -> None:
    """Creators in a niche, filtered and ranked, with authenticity."""
    where = CreatorFilter(
        hashtags=tuple(hashtag or ()),
        topic=topic,
        min_followers=min_followers,
        max_followers=max_followers,
        min_views=min_views,
        min_engagement_rate=min_engagement,
        min_completion_rate=min_completion,
        min_growth=min_growth,
        growth_days=growth_days,
        reference_creator_id=reference,
    )
    with Graph.connect(settings_of(ctx)) as graph:
        page = discover_creators(graph, where, sort, first=first, after=after)
    if output is Output.json:
        _json(_page_json(page))
        return
    columns = ["creator", "followers", "views", "engagement", "completion", "growth"]
    table = Table(*columns, "top hashtags", "authenticity", title=f"{page.total_count:,} creators")
    if reference:
        table.add_column("overlap")
        table.add_column("similarity")
    for c in page.creators:
        row = [
            escape(f"{c.creator_id} {c.name or ''}".strip()),
            f"{c.followers:,}",
            f"{c.views:,}",
            _pct(c.engagement_rate),
            _pct(c.completion_rate),
            f"+{c.new_followers:,} ({_pct(c.growth_rate)})",
            escape(", ".join(h.name for h in c.top_hashtags)),
            _trust(c.authenticity),
        ]
        if reference:
            similarity = "" if c.similarity is None else f"{c.similarity:.2f}"
            row += [f"{c.overlap:.3f} ({c.shared_audience})", similarity]
        table.add_row(*row)
    console.print(table)
    if page.has_more:
        console.print(f"next page: --after {page.next_after}")


@creators_app.command()
@friendly_errors
def overlap(
    ctx: typer.Context,
    creator_ids: Annotated[list[str], typer.Argument(help="Creator ids (2 or more).")],
    suggestions: Annotated[int, typer.Option(help="Creators to suggest adding.")] = 5,
    output: FormatOption = Output.table,
) -> None:
    """Engaged-audience overlap of creators, their union reach, and who adds most."""
    with Graph.connect(settings_of(ctx)) as graph:
        report = audience_overlap(graph, creator_ids, suggestions=suggestions)
    if output is Output.json:
        _json(report)
        return
    pairs = Table("creator A", "creator B", "audience A", "audience B", "shared", "Jaccard")
    for p in report.pairs:
        pairs.add_row(escape(p.creator_a), escape(p.creator_b), f"{p.audience_a:,}",
                      f"{p.audience_b:,}", f"{p.shared:,}", f"{p.jaccard:.3f}")  # fmt: skip
    console.print(pairs)
    console.print(f"union reach: {report.union_reach:,} engaged viewers")
    if report.suggestions:
        best = Table("add creator", "engaged audience", "new engaged viewers")
        for s in report.suggestions:
            label = escape(f"{s.creator_id} {s.name or ''}".strip())
            best.add_row(label, f"{s.engaged_audience:,}", f"+{s.added_reach:,}")
        console.print(best)


@creators_app.command()
@friendly_errors
def lookalike(
    ctx: typer.Context,
    creator_id: Annotated[str, typer.Argument(help="The creator to find lookalikes of.")],
    limit: Annotated[int, typer.Option(help="How many lookalikes.")] = 10,
    output: FormatOption = Output.table,
) -> None:
    """Creators like one: embedding neighbours blended with shared engaged audiences."""
    with Graph.connect(settings_of(ctx)) as graph:
        found = lookalike_creators(graph, creator_id, limit=limit)
    if output is Output.json:
        _json(found)
        return
    table = Table("creator", "score", "why")
    for x in found:
        label = escape(f"{x.creator_id} {x.name or ''}".strip())
        table.add_row(label, f"{x.score:.3f}", escape("; ".join(x.reasons)))
    console.print(table)


@creators_app.command()
@friendly_errors
def authenticity(
    ctx: typer.Context,
    creator_ids: Annotated[
        list[str] | None, typer.Argument(help="Creators to check (default: with --store, all).")
    ] = None,
    store: Annotated[
        bool, typer.Option("--store", help="Score every creator and store it for the feed.")
    ] = False,
    accounts: Annotated[
        bool, typer.Option("--accounts", help="List suspicious accounts instead.")
    ] = False,
    output: FormatOption = Output.table,
) -> None:
    """Ghost followers, follow rings and follower spikes: a score with reasons."""
    with Graph.connect(settings_of(ctx)) as graph:
        if accounts:
            _print_accounts(graph, output)
            return
        if store:
            found = _store(graph)
            found = {cid: found[cid] for cid in creator_ids or () if cid in found}
        elif creator_ids:
            found = creator_authenticity(graph, creator_ids)
        else:
            raise ClientError("name creator ids, or use --store or --accounts")
    if not found:
        return
    if output is Output.json:
        _json(found)
        return
    table = Table("creator", "score", "followers", "reasons")
    for cid, assessed in found.items():
        table.add_row(
            escape(cid), _trust(assessed), f"{assessed.followers:,}",
            escape("\n".join(assessed.reasons)),
        )  # fmt: skip
    console.print(table)


def _print_accounts(graph: Graph, output: Output) -> None:
    flagged = suspicious_accounts(graph)
    if output is Output.json:
        _json(flagged)
        return
    table = Table("account", "following", "ghost", "ring", title=f"{len(flagged):,} accounts")
    for account in flagged:
        table.add_row(
            escape(account.user_id), str(account.following), str(account.ghost), str(account.ring)
        )
    console.print(table)


def _store(graph: Graph) -> dict[str, Authenticity]:
    with progress_bar() as progress:
        task = progress.add_task("scoring creators", total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        found = store_authenticity(graph, progress=advance)
    flagged = sum(assessed.flagged for assessed in found.values())
    console.print(f"stored the authenticity of {len(found):,} creators ({flagged:,} flagged)")
    return found
