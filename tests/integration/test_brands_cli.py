"""``fyp creators``: discover, overlap, lookalike and authenticity from the command line."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from graph.cli import app
from graph.db import Graph
from graph.ingest import import_records

CLI = CliRunner()
T0 = 1_717_977_600_000  # 2024-06-10T00:00:00Z
HOUR = 3_600_000


@pytest.fixture
def planted(graph: Graph) -> Graph:
    """Two creators sharing viewer u1; cBuy got five follows from accounts that never watch."""
    users = [{"id": f"u{i}"} for i in range(1, 4)] + [{"id": f"b{i}"} for i in range(1, 6)]
    creators = [{"id": "cA", "name": "Ada"}, {"id": "cBuy", "name": "Bea"}]
    video = {"createdAt": T0, "durationMs": 10_000, "hashtags": ["dance"]}
    videos = [
        {"id": "va", "creatorId": "cA", **video},
        {"id": "vb", "creatorId": "cBuy", "caption": "dance party", **video},
    ]
    events: list[dict[str, Any]] = []
    for n, (user, video) in enumerate([("u1", "va"), ("u2", "va"), ("u1", "vb"), ("u3", "vb")]):
        events.append({"eventId": f"v{n}", "type": "view", "userId": user, "videoId": video,
                       "at": T0 + n * HOUR, "watchMs": 10_000})  # fmt: skip
    events.append({"eventId": "l1", "type": "like", "userId": "u2", "videoId": "va", "at": T0})
    for i in range(1, 6):
        events.append({"eventId": f"f{i}", "type": "follow", "userId": f"b{i}",
                       "creatorId": "cBuy", "at": T0 + 5 * HOUR + i})  # fmt: skip
    records = {"users": users, "creators": creators, "videos": videos, "interactions": events}
    assert not import_records(graph, records).rejections
    return graph


def invoke(env: dict[str, str], *args: str) -> Any:
    result = CLI.invoke(app, ["creators", *args], env=env, terminal_width=250)
    assert result.exit_code == 0, result.output
    return result


def test_discover_as_json(planted: Graph, cli_env: dict[str, str]) -> None:
    out = invoke(cli_env, "discover", "--topic", "dance", "--first", "1", "--format", "json")
    page = json.loads(out.stdout)
    assert page["total_count"] == 2 and page["page_info"]["has_next_page"]
    (edge,) = page["edges"]
    assert edge["node"]["creator_id"] == "cA"  # 1 like on 2 views beats 0 on 2
    assert edge["node"]["engagement_rate"] == 0.5
    after = page["page_info"]["end_cursor"]
    rest = json.loads(invoke(cli_env, "discover", "--after", after, "-f", "json").stdout)
    assert [e["node"]["creator_id"] for e in rest["edges"]] == ["cBuy"]
    assert rest["edges"][0]["node"]["authenticity"]["flagged"] is True


def test_discover_as_table(planted: Graph, cli_env: dict[str, str]) -> None:
    out = invoke(cli_env, "discover", "--sort", "followers")
    assert "2 creators" in out.stdout and "flagged" in out.stdout


def test_overlap_and_lookalike(planted: Graph, cli_env: dict[str, str]) -> None:
    report = json.loads(invoke(cli_env, "overlap", "cA", "cBuy", "-f", "json").stdout)
    assert report["union_reach"] == 3 and report["pairs"][0]["shared"] == 1
    table = invoke(cli_env, "overlap", "cA", "cBuy").stdout
    assert "union reach: 3 engaged viewers" in table
    found = json.loads(invoke(cli_env, "lookalike", "cA", "-f", "json").stdout)
    assert [x["creator_id"] for x in found] == ["cBuy"]


def test_authenticity_of_creators_and_accounts(planted: Graph, cli_env: dict[str, str]) -> None:
    scored = json.loads(invoke(cli_env, "authenticity", "cA", "cBuy", "-f", "json").stdout)
    assert scored["cA"]["flagged"] is False and scored["cBuy"]["flagged"] is True
    accounts = json.loads(invoke(cli_env, "authenticity", "--accounts", "-f", "json").stdout)
    assert {a["user_id"] for a in accounts} == {f"b{i}" for i in range(1, 6)}
    stored = invoke(cli_env, "authenticity", "--store").stdout
    assert "stored the authenticity of 2 creators (1 flagged)" in stored


def test_unknown_creator_exits_2(planted: Graph, cli_env: dict[str, str]) -> None:
    result = CLI.invoke(app, ["creators", "lookalike", "nobody"], env=cli_env)
    assert result.exit_code == 2 and "no creator with id 'nobody'" in result.stderr
