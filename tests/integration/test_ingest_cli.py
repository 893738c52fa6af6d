"""``fyp import DIR`` end to end, through typer's CliRunner against the test Neo4j."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from graph.cli import app
from graph.db import Graph

T0 = 1_650_880_800_000


def text(output: str) -> str:
    """The output with rich's line wrapping undone."""
    return " ".join(output.split())


def folder_with_one_bad_line(tmp_path: Path) -> Path:
    folder = tmp_path / "import"
    folder.mkdir()
    (folder / "users.csv").write_text("id,name\nu1,Ana\nu2,Ben\n")
    (folder / "videos.jsonl").write_text(
        json.dumps({"id": "v1", "creatorId": "u2", "createdAt": T0, "durationMs": 9000}) + "\n"
    )
    lines = [
        {"eventId": "e1", "type": "view", "userId": "u1", "videoId": "v1", "at": T0,
         "watchMs": 9000},
        {"eventId": "e2", "type": "like", "userId": "u9", "videoId": "v1", "at": T0},
        {"eventId": "e3", "type": "like", "userId": "u1", "videoId": "v1", "at": T0},
    ]  # fmt: skip
    (folder / "interactions.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines))
    return folder


def test_import_prints_a_summary_and_the_rejections(
    graph: Graph, tmp_path: Path, cli_env: dict[str, str]
) -> None:
    folder = folder_with_one_bad_line(tmp_path)
    report = tmp_path / "rejections.jsonl"
    result = CliRunner().invoke(
        app, ["import", str(folder), "--batch-size", "2", "--report", str(report)], env=cli_env
    )
    assert result.exit_code == 0, result.output
    shown = text(result.output)
    assert "interactions.jsonl" in shown and "users.csv" in shown
    assert "total │ 5 │ 1 │ 0" in shown
    assert "interactions.jsonl:2: unknown user 'u9'" in shown
    assert "1 record was rejected and skipped; the rest loaded" in shown
    assert [json.loads(line) for line in report.read_text().splitlines()] == [
        {"file": "interactions.jsonl", "line": 2, "reason": "unknown user 'u9'"}
    ]
    assert graph.read("ingest/known_events", ids=["e1", "e2", "e3"]) == [
        {"id": "e1", "type": "view"},
        {"id": "e3", "type": "like"},
    ]

    again = CliRunner().invoke(app, ["import", str(folder)], env=cli_env)
    assert again.exit_code == 0, again.output
    assert "total │ 0 │ 1 │ 5" in text(again.output), "second run: all already present"


def test_show_limits_the_printed_rejections(
    graph: Graph, tmp_path: Path, cli_env: dict[str, str]
) -> None:
    folder = folder_with_one_bad_line(tmp_path)
    result = CliRunner().invoke(app, ["import", str(folder), "--show", "0"], env=cli_env)
    assert result.exit_code == 0, result.output
    assert "unknown user" not in text(result.output)
    assert "1 more not shown: use --report FILE" in text(result.output)


def test_a_bad_folder_exits_2(tmp_path: Path, cli_env: dict[str, str]) -> None:
    missing = CliRunner().invoke(app, ["import", str(tmp_path / "nope")], env=cli_env)
    assert missing.exit_code == 2
    assert "is not a folder" in text(missing.output)
    empty = CliRunner().invoke(app, ["import", str(tmp_path)], env=cli_env)
    assert empty.exit_code == 2
    assert "holds no import files" in text(empty.output)


def test_offline_import_loads_a_local_server_and_refuses_to_overwrite_it(
    tmp_path: Path, local_env: dict[str, str | None]
) -> None:
    folder = folder_with_one_bad_line(tmp_path)
    runner = CliRunner()
    first = runner.invoke(app, ["import", str(folder), "--offline"], env=local_env)
    assert first.exit_code == 0, first.output
    shown = text(first.output)
    assert "total │ 5 │ 1 │ 0" in shown
    assert "interactions.jsonl:2: unknown user 'u9'" in shown
    assert "offline import: 2 events" in shown

    refused = runner.invoke(app, ["import", str(folder), "--offline"], env=local_env)
    assert refused.exit_code == 2
    assert "is not empty (" in text(refused.output)
    assert "2 User" in text(refused.output) and "pass --replace" in text(refused.output)
    online = runner.invoke(app, ["import", str(folder)], env=local_env)
    assert "total │ 0 │ 1 │ 5" in text(online.output), "offline and online agree"

    replaced = runner.invoke(app, ["import", str(folder), "--offline", "--replace"], env=local_env)
    assert replaced.exit_code == 0, replaced.output


def test_offline_files_only_writes_the_files_and_prints_the_command(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    folder, out = folder_with_one_bad_line(tmp_path), tmp_path / "files"
    remote = CliRunner().invoke(app, ["import", str(folder), "--offline"], env=cli_env)
    assert remote.exit_code == 2
    assert "needs the project's local server, and FYP_NEO4J_URI points at" in text(remote.output)

    result = CliRunner().invoke(
        app, ["import", str(folder), "--offline", "--files-only", str(out)], env=cli_env
    )
    assert result.exit_code == 0, result.output
    shown = text(result.output)
    assert "neo4j-admin database import full neo4j" in shown
    assert "--nodes=Event=events.csv" in shown and "--relationships=LIKED=liked.csv" in shown
    assert (out / "events.csv").read_text().splitlines()[1].startswith("e1,view,")
    assert (out / "liked.csv").read_text().splitlines()[1:] == [f"u1,v1,{T0}"]
