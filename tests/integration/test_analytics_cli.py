"""``fyp query``: list, show, run (named and ad hoc), formats, refusals and exit codes."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from graph.cli import app
from graph.db import Graph
from graph.ingest import import_records

CLI = CliRunner()


@pytest.fixture
def planted(graph: Graph) -> Graph:
    day = 1_709_942_400_000  # 2024-03-09T00:00:00Z
    import_records(
        graph,
        {
            "users": [{"id": "u1"}, {"id": "u2"}],
            "creators": [{"id": "c1", "name": "Cleo"}],
            "videos": [
                {
                    "id": "v1",
                    "creatorId": "c1",
                    "createdAt": day,
                    "durationMs": 10_000,
                    "hashtags": ["dance"],
                },
            ],
            "interactions": [
                {
                    "eventId": "e1",
                    "type": "view",
                    "userId": "u1",
                    "videoId": "v1",
                    "at": day + 3_600_000,
                    "watchMs": 10_000,
                },
                {
                    "eventId": "e2",
                    "type": "view",
                    "userId": "u2",
                    "videoId": "v1",
                    "at": day + 7_200_000,
                    "watchMs": 2_000,
                },
            ],
        },
    )
    return graph


def test_list_names_every_query() -> None:
    result = CLI.invoke(app, ["query", "list"], terminal_width=250)
    assert result.exit_code == 0, result.output
    assert "daily_active_viewers" in result.output and "hashtag_co_engagement" in result.output


def test_show_gives_parameters_columns_and_cypher() -> None:
    result = CLI.invoke(app, ["query", "show", "trending_hashtags"], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "$minViews" in result.output and "returns: hashtag, views" in result.output
    assert "MATCH (e:Event)" in result.output


def test_run_named_query_as_csv(planted: Graph, cli_env: dict[str, str]) -> None:
    args = ["query", "run", "daily_active_viewers", "-p", "days=2", "--format", "csv"]
    result = CLI.invoke(app, args, env=cli_env)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows == [
        {"day": "2024-03-08", "viewers": "0", "views": "0"},
        {"day": "2024-03-09", "viewers": "2", "views": "2"},
    ]


def test_run_named_query_as_table(planted: Graph, cli_env: dict[str, str]) -> None:
    args = ["query", "run", "completion_by_duration"]
    result = CLI.invoke(app, args, env=cli_env, terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "<15s" in result.output and "1 rows" in result.output


def test_run_ad_hoc_cypher_as_json_with_a_row_limit(
    planted: Graph, cli_env: dict[str, str]
) -> None:
    cypher = "MATCH (u:User) WHERE u.id STARTS WITH $p RETURN u.id AS id ORDER BY id"
    args = ["query", "run", "--cypher", cypher, "-p", "p=u", "--format", "json", "--limit", "1"]
    result = CLI.invoke(app, args, env=cli_env)
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document == {"columns": ["id"], "rows": [{"id": "u1"}], "truncated": True}
    assert "cut off at 1 rows" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--cypher", "MATCH (u:User) DETACH DELETE u"], "refused"),
        (["daily_active_viewers", "-p", "days=many"], "$days expects int"),
        (["daily_active_viewers", "-p", "nonsense"], "is not key=value"),
        (["no_such_query"], "fyp query list"),
        ([], "either a query NAME or --cypher"),
    ],
)
def test_mistakes_exit_2_with_one_clear_line(
    planted: Graph, cli_env: dict[str, str], args: list[str], message: str
) -> None:
    result = CLI.invoke(app, ["query", "run", *args], env=cli_env, terminal_width=300)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert planted.read("admin/counts")  # the database is still there
