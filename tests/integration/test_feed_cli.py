"""``fyp feed USER``: a table of the page with the explanation of every video."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph.cli import app
from graph.cli.app import console
from graph.db import Graph
from graph.ingest import import_records

NOW = 1_704_844_800_000
HOUR = 3_600_000


def small_world(graph: Graph) -> None:
    report = import_records(
        graph,
        {
            "users": [{"id": "viewer", "name": "viewer"}],
            "creators": [{"id": "maya", "name": "maya"}, {"id": "li", "name": "li"}],
            "videos": [
                {"id": "v1", "creatorId": "maya", "createdAt": NOW - HOUR, "durationMs": 9000,
                 "caption": "Salsa steps", "hashtags": ["dance"]},
                {"id": "v2", "creatorId": "li", "createdAt": NOW - 2 * HOUR, "durationMs": 9000,
                 "caption": "Ramen in five minutes", "hashtags": ["cooking"]},
            ],
            "follows": [{"userId": "viewer", "creatorId": "maya", "at": NOW - 10 * HOUR}],
        },
    )  # fmt: skip
    assert not report.rejections


def test_feed_prints_videos_with_their_reasons(
    graph: Graph, cli_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    small_world(graph)
    monkeypatch.setattr(console, "width", 200)  # so no sentence wraps inside the table
    result = CliRunner().invoke(
        app, ["feed", "viewer", "--first", "5", "--stages", "--now", str(NOW)], env=cli_env
    )
    assert result.exit_code == 0, result.output
    assert "v1" in result.output and "v2" in result.output
    assert "@maya, whom you follow, posted this 1 h ago" in result.output
    assert "source:following" in result.output  # the stages table
    # For You never ends (it widens, then re-serves); Following does.
    assert "next page: --after" in result.output


def test_mode_and_muted_keywords(graph: Graph, cli_env: dict[str, str]) -> None:
    small_world(graph)
    runner = CliRunner()
    following = runner.invoke(app, ["feed", "viewer", "--mode", "following"], env=cli_env)
    assert following.exit_code == 0, following.output
    assert "v1" in following.output and "v2" not in following.output
    assert "no more videos for now" in following.output
    muted = runner.invoke(app, ["feed", "viewer", "--mute", "ramen"], env=cli_env)
    assert muted.exit_code == 0, muted.output
    assert "v2" not in muted.output


def test_unknown_user_and_bad_weights_are_clear_errors(
    graph: Graph, cli_env: dict[str, str], tmp_path: Path
) -> None:
    small_world(graph)
    runner = CliRunner()
    missing = runner.invoke(app, ["feed", "nobody"], env=cli_env)
    assert missing.exit_code == 2
    assert "no user with id 'nobody'" in missing.output
    weights = tmp_path / "ranker.json"
    weights.write_text(json.dumps({"weights": {"not_a_feature": 1.0}, "bias": 0}))
    bad = runner.invoke(app, ["feed", "viewer", "--weights", str(weights)], env=cli_env)
    assert bad.exit_code == 2
    assert "unknown features" in bad.output


def test_stored_settings_apply_to_the_cli_feed_too(graph: Graph, cli_env: dict[str, str]) -> None:
    small_world(graph)
    graph.write(
        "api/settings_update", userId="viewer", personalized=False, keywordFilters=["salsa"],
        interests=None,
    )  # fmt: skip
    result = CliRunner().invoke(app, ["feed", "viewer", "--now", str(NOW)], env=cli_env)
    assert result.exit_code == 0, result.output
    # No profiling: the following source is off, and the muted word still hides v1.
    assert "mode non_personalized" in result.output
    assert "v1" not in result.output and "v2" in result.output
