"""``fyp generate`` into a real Neo4j: the graph holds exactly the generated world."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph.cli import app
from graph.config import Settings
from graph.db import Connection, Graph, local_server
from graph.local_neo4j import LocalNeo4j
from graph.schema import counts
from graph.synth import WorldSpec, generate_world

#: A fixed end: with the default (now, floored to the hour) a run that straddles the
#: hour would place the second generation elsewhere.
END = "2025-06-01T12:00:00Z"
ARGS = ["generate", "--users", "300", "--videos", "300", "--seed", "1", "--end", END]


def _expected_counts() -> dict[str, int]:
    spec = WorldSpec(users=300, videos=300, seed=1, end=datetime.fromisoformat(END))
    world = generate_world(spec)
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
    assert truth["spec"]["end"] == END

    # Generating the same world again is a replay: nothing changes.
    again = CliRunner().invoke(app, ARGS, env=cli_env)
    assert again.exit_code == 0, again.output
    assert {key: counts(graph).get(key, 0) for key in expected} == expected


def test_the_same_world_at_another_end_is_not_mixed_in(
    graph: Graph, cli_env: dict[str, str]
) -> None:
    """Its events would be skipped as replays while its users and videos took the new
    times; the command refuses and says how to replay it or start afresh."""
    first = CliRunner().invoke(app, ARGS, env=cli_env)
    assert first.exit_code == 0, first.output
    before = counts(graph)
    truth_file = Path(cli_env["FYP_HOME"]) / "worlds" / "seed-1" / "truth.json"
    truth = truth_file.read_bytes()

    later = [*ARGS[:-1], "2025-05-28T08:15:00Z"]
    result = CliRunner().invoke(app, later, env=cli_env)
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert "already holds world seed 1" in said and f"--end {END}" in said
    assert counts(graph) == before
    assert truth_file.read_bytes() == truth

    # --replace (make demo) wipes the old placement and loads the new one.
    replaced = CliRunner().invoke(app, [*later, "--replace"], env=cli_env)
    assert replaced.exit_code == 0, replaced.output
    assert "wiped" in replaced.output
    assert counts(graph) == before
    assert truth_file.read_bytes() != truth


def test_generate_writes_an_import_folder(tmp_path: Path, cli_env: dict[str, str]) -> None:
    out = tmp_path / "world"
    result = CliRunner().invoke(app, [*ARGS, "--out", str(out)], env=cli_env)
    assert result.exit_code == 0, result.output
    for name in ("users", "creators", "videos", "follows", "interactions"):
        assert (out / f"{name}.jsonl").stat().st_size > 0
    truth = json.loads((out / "truth.json").read_text())
    assert truth["spec"]["users"] == 300 and truth["spec"]["end"] == END
    last = max(json.loads(line)["at"] for line in (out / "interactions.jsonl").open())
    assert last < WorldSpec(users=300, videos=300, end=datetime.fromisoformat(END)).end_ms


def test_by_default_the_world_ends_now(tmp_path: Path, cli_env: dict[str, str]) -> None:
    out = tmp_path / "world"
    before = datetime.now(UTC)
    result = CliRunner().invoke(app, [*ARGS[:-2], "--out", str(out)], env=cli_env)
    assert result.exit_code == 0, result.output
    end = datetime.fromisoformat(json.loads((out / "truth.json").read_text())["spec"]["end"])
    assert end.minute == end.second == 0
    assert 0 <= (before - end).total_seconds() < 3600
    last = max(json.loads(line)["at"] for line in (out / "interactions.jsonl").open())
    end_ms = int(end.timestamp() * 1000)
    assert end_ms - 3_600_000 < last < end_ms


def test_bad_sizes_are_a_clear_client_error(cli_env: dict[str, str]) -> None:
    result = CliRunner().invoke(
        app, ["generate", "--users", "5", "--out", "/nonexistent"], env=cli_env
    )
    assert result.exit_code == 2
    assert "users must be at least" in result.output


@pytest.mark.parametrize(
    ("end", "message"),
    [
        ("yesterday", "not an ISO 8601 date-time"),
        ("2026-12-06T12:00:00", "has no time zone"),
        ("2999-01-01T00:00:00Z", "is in the future"),
        ("1999-12-31T00:00:00Z", "end must be 2000-01-01T00:00:00Z or later"),
    ],
    ids=["not-a-date", "no-time-zone", "future", "before-2000"],
)
def test_a_bad_end_is_a_clear_client_error_and_writes_nothing(
    end: str, message: str, graph: Graph, tmp_path: Path, cli_env: dict[str, str]
) -> None:
    bad = [*ARGS[:-1], end]
    out = tmp_path / "world"
    into_folder = CliRunner().invoke(app, [*bad, "--out", str(out)], env=cli_env)
    into_graph = CliRunner().invoke(app, bad, env=cli_env)
    for result in (into_folder, into_graph):
        assert result.exit_code == 2, result.output
        assert message in " ".join(result.output.split())
    assert not out.exists()
    assert not (Path(cli_env["FYP_HOME"]) / "worlds").exists()
    assert not any(counts(graph).values())


def test_generate_offline_gives_the_same_graph(
    tmp_path: Path, local_env: dict[str, str | None]
) -> None:
    runner = CliRunner()
    result = runner.invoke(app, [*ARGS, "--offline"], env=local_env)
    assert result.exit_code == 0, result.output
    assert "offline import:" in " ".join(result.output.split())
    assert (tmp_path / "home" / "worlds" / "seed-1" / "truth.json").exists()
    server = local_server(Settings(home=tmp_path / "home", neo4j_bolt_port=local_port(local_env)))
    with Graph(resolve_connection_for(server)) as graph:
        found = counts(graph)
    expected = _expected_counts()
    assert {key: found.get(key, 0) for key in expected} == expected

    refused = runner.invoke(app, [*ARGS, "--offline"], env=local_env)
    assert refused.exit_code == 2 and "--replace" in refused.output


def local_port(env: dict[str, str | None]) -> int:
    port = env["FYP_NEO4J_BOLT_PORT"]
    assert port is not None
    return int(port)


def resolve_connection_for(server: LocalNeo4j) -> Connection:
    return Connection(server.uri, "neo4j", server.password(), "neo4j", 60.0)
