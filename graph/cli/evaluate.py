"""``fyp evaluate`` and ``fyp train-ranker``: offline proof that the feed recommends well.

The engine work lives in graph.evaluate (datasets: which split; database: where the feed
serves from; suite: the evaluation; ranker: the scorer's fit); these commands parse, call
it and print.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import TaskID
from rich.table import Table

from graph.cli.app import app, console, settings_of
from graph.cli.errors import friendly_errors
from graph.cli.progress import progress_bar
from graph.db import Graph
from graph.evaluate.cold import DEFAULT_FRACTION
from graph.evaluate.database import feed_database
from graph.evaluate.datasets import (
    FUTURE,
    SYNTHETIC_RELEVANCE,
    Dataset,
    choose_ranker_split,
    choose_split,
)
from graph.evaluate.recommenders.feed import Prepare, embedding_step
from graph.evaluate.report import Evaluation, columns
from graph.evaluate.suite import RECOMMENDERS, SuiteOptions, parse_recommenders, run_suite
from graph.feed import FeedConfig
from graph.tune.tune import TuneOptions

if TYPE_CHECKING:
    from graph.evaluate.cold_engine import ColdReport

log = logging.getLogger(__name__)


def _starting() -> None:
    console.print("starting a throwaway Neo4j for the feed (removed afterwards)...")


def _embed_step() -> Prepare:
    embed = embedding_step()

    def with_status(graph: Graph) -> None:
        with console.status("training embeddings (node2vec) on the train graph..."):
            embed(graph)

    return with_status


def print_evaluation(evaluation: Evaluation) -> None:
    console.print(
        f"[bold]{evaluation.dataset}[/]: {evaluation.users:,} users; relevance = "
        f"{evaluation.relevance_rule}"
    )
    shown = columns(evaluation.ks)
    table = Table("recommender", *(header for _, header in shown), "fit s", "rec s")
    for result in evaluation.results:
        table.add_row(
            result.name,
            *(f"{result.metrics[key]:.4f}" for key, _ in shown),
            f"{result.fit_s:.1f}",
            f"{result.recommend_s:.1f}",
        )
    console.print(table)
    console.print(
        "cov: catalog coverage; ILD: intra-list diversity (hashtag cosine); cr.cov: creator "
        "coverage; cr.Gini: Gini of creator exposure; fresh: share of slots to creators with "
        "<= 10 train views",
        style="dim",
    )
    for name, facts in evaluation.diagnostics.items():
        sources = facts["sources"]
        console.print(
            f"{name}: {sources['hits']:,} hits in {sources['items']:,} items; "
            f"hits by source {sources['hits_by_source']}; items by source "
            f"{sources['items_by_source']}"
        )
        failing = {stage: n for stage, n in facts["stages"].items() if not stage.endswith(":ok")}
        if failing:
            console.print(f"{name}: stages not ok {failing}")
        if facts["failed_requests"]:
            console.print(
                f"[bold yellow]warning[/]: {facts['failed_requests']} {name} requests failed "
                "after retries and count as empty lists"
            )


def print_cold(report: ColdReport) -> None:
    table = Table("router", "recall@50", "reach", title=(
        f"{report.hidden:,} videos without history; {report.engine.users:,} viewers who "
        f"engaged with {report.engine.videos:,} of them later"
    ))  # fmt: skip
    for name, result in report.results.items():
        label = f"{name} (the engine)" if name == "embedding" else name
        table.add_row(label, f"{result.recall:.4f}", f"{result.reach:.4f}")
    console.print(table)
    console.print(
        f"{report.covered:.1%} of those videos got a vector when published; the engine "
        f"ranks them {report.engine.recall / max(report.best_baseline.recall, 1e-12):.2f}x "
        f"as well as the best baseline ({report.best_baseline.name})",
        style="dim",
    )


@app.command("evaluate")
@friendly_errors
def evaluate_command(
    ctx: typer.Context,
    train: Annotated[Path | None, typer.Option(help="Import-format folder to train on.")] = None,
    test: Annotated[Path | None, typer.Option(help="Import-format folder to test on.")] = None,
    kuairand: Annotated[
        Path | None, typer.Option(help="KuaiRand folder: train on sequences + val, test on test.")
    ] = None,
    synthetic: Annotated[bool, typer.Option(help="Generate a synthetic world.")] = False,
    synth_users: Annotated[int, typer.Option(help="Synthetic world: users.")] = 2000,
    synth_videos: Annotated[int, typer.Option(help="Synthetic world: videos.")] = 2000,
    relevance: Annotated[
        str, typer.Option(help=f"Synthetic world: {' or '.join(SYNTHETIC_RELEVANCE)}.")
    ] = FUTURE,
    holdout_days: Annotated[int, typer.Option(help="Synthetic world: days held out.")] = 2,
    users: Annotated[
        int | None, typer.Option(help="Evaluate this many sampled users (default: all).")
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed of the user sample, ALS and the world.")] = 0,
    k: Annotated[list[int] | None, typer.Option("--k", help="Cutoffs (repeat).")] = None,
    recommenders: Annotated[
        str, typer.Option(help=f"Comma-separated, from {', '.join(RECOMMENDERS)}.")
    ] = ",".join(RECOMMENDERS),
    tune: Annotated[
        bool,
        typer.Option(
            help="Tune every recommender on a validation split of the train data first "
            "(as `fyp tune` does on a graph); --no-tune: everyone's defaults."
        ),
    ] = True,
    tune_seconds: Annotated[
        float, typer.Option(help="Time budget of the searches (loading comes on top).")
    ] = TuneOptions.seconds,
    tune_users: Annotated[
        int, typer.Option(help="Validation viewers sampled.")
    ] = TuneOptions.users,
    tune_split: Annotated[
        str,
        typer.Option(
            help="How the validation split is carved: auto, time or newest (fyp tune --split)."
        ),
    ] = TuneOptions.split,
    reuse_db: Annotated[
        bool,
        typer.Option(
            help="Serve the feed from the configured Neo4j, which must already hold exactly "
            "the train split (default: load it into a throwaway server)."
        ),
    ] = False,
    embed: Annotated[
        bool,
        typer.Option(
            help="Train embeddings (`fyp embed`) after loading, as a deployment does before "
            "serving; --no-embed serves without them."
        ),
    ] = True,
    ranker_weights: Annotated[
        Path | None, typer.Option(help="Feed scorer weights JSON from `fyp train-ranker`.")
    ] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="Also write JSON here.")] = None,
    cold: Annotated[
        bool,
        typer.Option(
            help="Instead: the cold-video test. Hide the train history of a share of the "
            "videos, embed the rest, publish them, and compare how the engine and simple "
            "baselines route them to the viewers who engage with them later."
        ),
    ] = False,
    cold_share: Annotated[
        float, typer.Option(help="--cold: share of the videos hidden (seeded by --seed).")
    ] = DEFAULT_FRACTION,
) -> None:
    """Compare the feed with tuned baselines (popularity, item-kNN, EASE, RP3beta, the
    low-pass filter, ALS) on held-out engagement (or, with --cold, route videos nobody has
    watched)."""
    settings = settings_of(ctx)
    names = parse_recommenders(recommenders)
    dataset = Dataset(
        train=train, test=test, kuairand=kuairand, synthetic=synthetic,
        synth_users=synth_users, synth_videos=synth_videos, seed=seed,
        holdout_days=holdout_days, relevance=relevance,
    )  # fmt: skip
    with console.status("reading the dataset..."):
        split = choose_split(dataset)
    console.print(
        f"train: {len(split.train.users):,} users, {len(split.train.items):,} videos, "
        f"{split.train.strength.nnz:,} engaged pairs; {len(split.relevance):,} test users"
    )
    if cold:
        from graph.evaluate.cold_engine import run_cold  # embeddings: only when asked

        with console.status("cold videos: embedding the rest, publishing, routing..."):
            database = feed_database(settings, on_start=_starting)
            report = run_cold(split, database, fraction=cold_share, seed=seed)
        print_cold(report)
        if json_out is not None:
            json_out.write_text(json.dumps(report.to_json(), indent=2) + "\n", encoding="utf-8")
            console.print(f"wrote {json_out}")
        return
    options = SuiteOptions(
        recommenders=names,
        users=users,
        seed=seed,
        ks=tuple(k or (20, 50)),
        tune=TuneOptions(seconds=tune_seconds, users=tune_users, split=tune_split, seed=seed)
        if tune
        else None,
        weights=ranker_weights,
    )
    with progress_bar() as progress:
        tasks: dict[str, TaskID] = {}
        load_task = progress.add_task("load train split into Neo4j", total=None, visible=False)

        def on_progress(name: str, done: int, total: int) -> None:
            if name not in tasks:
                tasks[name] = progress.add_task(f"recommend: {name}", total=total)
            progress.update(tasks[name], completed=done, total=total)

        def on_load(kind: str, batch: int) -> None:
            progress.update(load_task, description=f"load {kind} into Neo4j", advance=batch,
                            visible=True)  # fmt: skip

        if tune:
            console.print(f"tuning every recommender on a validation split (~{tune_seconds:.0f} s"
                          " of searches, plus loading the feed's split)...")  # fmt: skip
        result = run_suite(
            split,
            options,
            feed_database(settings, reuse=reuse_db, on_start=_starting),
            progress=on_progress,
            load_progress=on_load,
            prepare=_embed_step() if embed else None,
        )
    print_evaluation(result.evaluation)
    for name, chosen in result.settings.items():
        console.print(f"{name}: {chosen or 'defaults'}", highlight=False)
    if tune:
        console.print(f"tuning took {result.tuning_seconds:.0f} s", style="dim")
    if json_out is not None:
        json_out.write_text(json.dumps(result.to_json(), indent=2) + "\n", encoding="utf-8")
        console.print(f"wrote {json_out}")


@app.command("train-ranker")
@friendly_errors
def train_ranker_command(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option(help="Where to write the weights JSON the feed loads.")],
    train: Annotated[
        Path | None, typer.Option(help="Import-format folder: the graph up to time T.")
    ] = None,
    labels: Annotated[
        Path | None, typer.Option(help="Import-format folder: what users did after T.")
    ] = None,
    kuairand: Annotated[
        Path | None, typer.Option(help="KuaiRand folder: graph = sequences, labels = val.")
    ] = None,
    synthetic: Annotated[bool, typer.Option(help="Generate a synthetic world.")] = False,
    synth_users: Annotated[int, typer.Option(help="Synthetic world: users.")] = 2000,
    synth_videos: Annotated[int, typer.Option(help="Synthetic world: videos.")] = 2000,
    holdout_days: Annotated[
        int, typer.Option(help="Synthetic world: days per label window (before the test days).")
    ] = 2,
    users: Annotated[int | None, typer.Option(help="Sample this many labelled users.")] = 500,
    seed: Annotated[int, typer.Option(help="Seed of the user sample and the world.")] = 0,
    regularisation: Annotated[float, typer.Option(help="L2 strength (1 / C).")] = 1.0,
    negatives: Annotated[
        str,
        typer.Option(
            help="0-labels: 'shown' (shown after T, not engaged) or 'all' (every candidate "
            "not engaged; use when the logs came from another recommender)."
        ),
    ] = "shown",
    reuse_db: Annotated[
        bool,
        typer.Option(
            help="Use the configured Neo4j, which must already hold exactly the train data "
            "(default: load it into a throwaway server)."
        ),
    ] = False,
) -> None:
    """Fit the feed scorer's weights (logistic regression over its features) from outcomes."""
    from graph.evaluate.ranker import RankerOptions, train_ranker
    from graph.feed import FEATURE_NAMES

    settings = settings_of(ctx)
    dataset = Dataset(
        train=train, test=labels, kuairand=kuairand, synthetic=synthetic,
        synth_users=synth_users, synth_videos=synth_videos, seed=seed,
        holdout_days=holdout_days,
    )  # fmt: skip
    with console.status("reading the dataset..."):
        split = choose_ranker_split(dataset)
    options = RankerOptions(
        users=users, seed=seed, regularisation=regularisation, negatives=negatives
    )
    with progress_bar() as progress:
        load_task = progress.add_task("load the graph", total=None, visible=False)
        collect_task = progress.add_task("collect candidates", total=None, visible=False)

        def on_load(kind: str, batch: int) -> None:
            progress.update(load_task, description=f"load {kind}", advance=batch, visible=True)

        def on_collect(done: int, total: int) -> None:
            progress.update(collect_task, completed=done, total=total, visible=True)

        fit = train_ranker(
            split,
            feed_database(settings, reuse=reuse_db, on_start=_starting),
            options,
            load_progress=on_load,
            progress=on_collect,
        )
    fit.write(out)
    table = Table("feature", "weight", "default")
    defaults = FeedConfig().weights.as_dict()
    for name in FEATURE_NAMES:
        table.add_row(name, f"{fit.weights[name]:+.4f}", f"{defaults[name]:+.4f}")
    table.add_row("bias", f"{fit.bias:+.4f}", f"{FeedConfig().weights.bias:+.4f}")
    console.print(table)
    console.print(
        f"{split.name}: {fit.examples:,} labelled candidates ({fit.positives:,} positive) from "
        f"{fit.users:,} users; {fit.unreached_positives:,} positives no source proposed; "
        f"train AUC {fit.train_auc:.3f}"
    )
    console.print(f"wrote {out} (use it with `fyp evaluate --ranker-weights {out}`)")
