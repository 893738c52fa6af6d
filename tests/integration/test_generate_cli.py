"""``fyp generate`` into a real Neo4j: the graph holds exactly the generated world."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from graph.cli import app
from graph.db import Graph
from graph.schema import counts
from graph.synth import WorldSpec, generate_world

ARGS = ["generate", "--users", "300", "--videos", "300", "--seed", "1"]


def _expected_counts() -> dict[str, int]:
    world = generate_world(WorldSpec(users=300, videos=300, seed=1))
    records = {kind: list(stream) for kind, stream in world.records().items()}
    events = records["interactions"]

    def pairs(kind: str) -> set[tuple[str, str]]:
        return {(e["userId"], e["videoId"]) for e in events if e["type"] == kind}

    follows = {(f["userId"], f["creatorId"]) for f in records["follows"]}
    follows |= {(e["userId"], e["creatorId"]) for e in events if e["type"] == "follow"}
    return {
        "node:User": 300,
        "node:Creator": len(records["creators"]),
        "node:Video": 300,
        "node:Hashtag": len(world.truth["hashtagTopics"]),
        "node:Sound": len(world.truth["soundTopics"]),
        "node:Event": len(events),
        "relationship:POSTED": 300,
        "relationship:FOLLOWS": len(follows),
        "relationship:VIEWED": len(pairs("view")),
        "relationship:LIKED": len(pairs("like")),
        "relationship:SKIPPED": len(pairs("skip")),
        "relationship:NOT_INTERESTED": len(pairs("not_interested")),
    }


def test_generate_into_neo4j_gives_the_expected_graph(
    graph: Graph, cli_env: dict[str, str]
) -> None:
    result = CliRunner().invoke(app, ARGS, env=cli_env)
    assert result.exit_code == 0, result.output

    found = counts(graph)
    expected = _expected_counts()
    assert {key: found.get(key, 0) for key in expected} == expected
    truth_file = Path(cli_env["FYP_HOME"]) / "worlds" / "seed-1" / "truth.json"
    assert str(truth_file.name) in result.output
    truth = json.loads(truth_file.read_text())
    assert len(truth["userInterests"]) == 300 and truth["spec"]["seed"] == 1

    # Generating the same world again is a replay: nothing changes.
    again = CliRunner().invoke(app, ARGS, env=cli_env)
    assert again.exit_code == 0, again.output
    assert {key: counts(graph).get(key, 0) for key in expected} == expected


def test_generate_writes_an_import_folder(tmp_path: Path, cli_env: dict[str, str]) -> None:
    out = tmp_path / "world"
    result = CliRunner().invoke(app, [*ARGS, "--out", str(out)], env=cli_env)
    assert result.exit_code == 0, result.output
    for name in ("users", "creators", "videos", "follows", "interactions"):
        assert (out / f"{name}.jsonl").stat().st_size > 0
    assert json.loads((out / "truth.json").read_text())["spec"]["users"] == 300


def test_bad_sizes_are_a_clear_client_error(cli_env: dict[str, str]) -> None:
    result = CliRunner().invoke(
        app, ["generate", "--users", "5", "--out", "/nonexistent"], env=cli_env
    )
    assert result.exit_code == 2
    assert "users must be at least" in result.output
