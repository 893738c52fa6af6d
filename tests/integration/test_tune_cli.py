"""``fyp tune`` on a real graph: it reads the graph, tunes on a validation split served by a
throwaway server, stores the settings in the graph, and the engine and precompute use
them."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from typer.testing import CliRunner

from graph.cli import app
from graph.db import AsyncGraph, Graph
from graph.embed import EmbedOptions, run_embedding
from graph.evaluate.toy import toy_records
from graph.feed import FeedConfig, FeedEngine, FeedPage, FeedRequest
from graph.ingest import import_records
from graph.tune.settings import load


def test_tune_stores_settings_the_engine_and_precompute_use(
    graph: Graph, cli_env: dict[str, str], tmp_path: Path
) -> None:
    report = import_records(graph, toy_records())
    assert not report.rejections
    assert load(graph) is None
    # The graph serves with embeddings, so the tuned pipeline has them too.
    run_embedding(graph, EmbedOptions(dimensions=8, walk_length=10, walks_per_node=4, seed=1))
    out = tmp_path / "tune.json"
    result = CliRunner().invoke(
        app,
        ["tune", "--seconds", "30", "--users", "20", "--baselines", "popularity,ease",
         "--json", str(out)],
        env=cli_env,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    tuned = load(graph)
    assert tuned is not None and tuned.weights is not None and tuned.tuned_at
    written = json.loads(out.read_text())
    assert written["validation"]["users"] == 20
    # The toy's viewers come one after another, so no time cut leaves enough of them
    # on both sides: the split falls back to each viewer's newest positives.
    assert written["validation"]["split"] == "newest"
    assert written["seconds"]["embed"] > 0
    assert set(written["baselines"]) == {"popularity", "ease"}
    assert written["blend"]["recall_at_50"] >= written["blend"]["defaults"][1]
    # However short the budget, the pages without re-ranking (the blend's own ranking)
    # were measured, so the chosen controls are never worse than the blend on validation.
    unranked = written["controls"][0]
    assert (unranked["diversity"], unranked["exploration"]) == (0.0, 0.0)
    assert "precomputed" in result.output  # with the chosen item model
    engine, page = asyncio.run(_serve(graph))
    assert page.items
    assert engine.config.weights_source == "tuned" and engine.config.weights == tuned.weights


async def _serve(graph: Graph) -> tuple[FeedEngine, FeedPage]:
    async_graph = AsyncGraph(graph.conn)
    try:
        engine = FeedEngine(async_graph, FeedConfig(max_staleness_s=0.0))
        return engine, await engine.feed(FeedRequest("u1", first=5, record_impressions=False))
    finally:
        await async_graph.close()
