"""Analysts over GraphQL: the named query list, runs with checked results, refusals."""

from __future__ import annotations

from conftest import ApiClient

LIST = "{ analyticsQueries { name title columns parameters { name type required default } } }"
RUN = """query($name: String!, $params: JSON, $rowLimit: Int) {
  runAnalyticsQuery(name: $name, params: $params, rowLimit: $rowLimit) {
    name parameters columns rows truncated rowLimit } }"""


async def test_lists_every_named_query_with_its_interface(client: ApiClient) -> None:
    queries = (await client.gql(LIST, key="analyst"))["analyticsQueries"]
    by_name = {query["name"]: query for query in queries}
    assert len(by_name) >= 15
    daily = by_name["daily_active_viewers"]
    assert daily["columns"] == ["day", "viewers", "views"]
    assert {"name": "days", "type": "int", "required": False, "default": 14} in daily["parameters"]


async def test_runs_a_query_with_results_computed_by_hand(client: ApiClient) -> None:
    # The planted world: u2..u4 watched four dancer videos each on 2024-01-09, and u2
    # one gamer video at midnight of 2024-01-10 (the newest event).
    data = await client.gql(
        RUN, {"name": "daily_active_viewers", "params": {"days": 2}}, key="analyst"
    )
    result = data["runAnalyticsQuery"]
    assert result["columns"] == ["day", "viewers", "views"]
    assert result["rows"] == [["2024-01-09", 3, 12], ["2024-01-10", 1, 1]]
    assert result["parameters"]["days"] == 2 and result["truncated"] is False


async def test_row_limit_truncates_and_says_so(client: ApiClient) -> None:
    data = await client.gql(
        RUN,
        {"name": "creator_leaderboard", "params": {"minViews": 1}, "rowLimit": 1},
        key="analyst",
    )
    result = data["runAnalyticsQuery"]
    assert result["truncated"] is True and result["rowLimit"] == 1
    row = dict(zip(result["columns"], result["rows"][0], strict=True))
    # dancer: 12 views, 12 likes; the only other creator with views (gamer) has no likes.
    assert (row["rank"], row["creatorId"], row["views"], row["engagementRate"]) == (
        1,
        "dancer",
        12,
        1.0,
    )


async def test_bad_names_and_parameters_are_bad_input(client: ApiClient) -> None:
    code, message = await client.error(RUN, {"name": "no_such_query"}, key="analyst")
    assert code == "NOT_FOUND" and "no_such_query" in message
    code, message = await client.error(
        RUN, {"name": "daily_active_viewers", "params": {"days": 100_000}}, key="analyst"
    )
    assert code == "BAD_INPUT" and "$days" in message and "3650" in message
    code, message = await client.error(
        RUN, {"name": "daily_active_viewers", "params": {"weeks": 2}}, key="analyst"
    )
    assert code == "BAD_INPUT" and "$weeks" in message
    code, message = await client.error(
        RUN, {"name": "daily_active_viewers", "params": {"days": "many"}}, key="analyst"
    )
    assert code == "BAD_INPUT" and "$days" in message
    code, _ = await client.error(
        RUN, {"name": "daily_active_viewers", "params": [1, 2]}, key="analyst"
    )
    assert code == "BAD_INPUT"
    code, _ = await client.error(
        RUN, {"name": "daily_active_viewers", "rowLimit": 0}, key="analyst"
    )
    assert code == "BAD_INPUT"


async def test_only_analysts_and_admins_may_run_queries(client: ApiClient) -> None:
    for key in ("viewer-u1", "service", "brand"):
        code, _ = await client.error(LIST, key=key)
        assert code == "FORBIDDEN", key
        code, _ = await client.error(RUN, {"name": "daily_active_viewers"}, key=key)
        assert code == "FORBIDDEN", key
    code, _ = await client.error(LIST, key=None)
    assert code == "UNAUTHENTICATED"
    data = await client.gql(RUN, {"name": "daily_active_viewers"}, key="admin")
    assert len(data["runAnalyticsQuery"]["rows"]) == 14  # the default window, days=14
