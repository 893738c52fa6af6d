"""The feed through GraphQL: explanations, paging, role boundaries, settings, query count."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from conftest import FEED_CONFIG, ApiClient

from graph.db import Graph
from graph.feed import FeedEngine

FEED = """
query($first: Int!, $after: String, $mode: FeedMode, $userId: ID, $controls: FeedControls) {
  feed(first: $first, after: $after, mode: $mode, userId: $userId, controls: $controls) {
    requestId mode
    pageInfo { hasNextPage endCursor }
    stages { name kept removed ms status }
    edges {
      cursor score position sources exploration
      explanation { reasons signals { name weight } }
      node {
        id caption stats { views likes }
        creator { id name } hashtags { name } sound { id title }
      }
    }
  }
}
"""


def creators_of(feed: dict[str, Any]) -> list[str]:
    return [edge["node"]["creator"]["id"] for edge in feed["edges"]]


async def test_a_feed_page_explains_every_item_and_pages_on(client: ApiClient) -> None:
    first = (await client.gql(FEED, {"first": 10}))["feed"]
    assert first["mode"] == "FOR_YOU"
    assert len(first["edges"]) == 10
    assert [edge["position"] for edge in first["edges"]] == list(range(10))
    for edge in first["edges"]:
        assert edge["explanation"]["reasons"], edge
        assert edge["sources"] and 0 < edge["score"] < 1
        assert edge["node"]["creator"]["id"] in {"cook", "dancer", "gamer"}
    assert {stage["name"] for stage in first["stages"]} >= {"viewer", "merge", "score"}
    assert first["pageInfo"]["hasNextPage"]

    after = first["pageInfo"]["endCursor"]
    second = (await client.gql(FEED, {"first": 10, "after": after}))["feed"]
    assert [edge["position"] for edge in second["edges"]][:1] == [10]
    ids = [edge["node"]["id"] for edge in first["edges"] + second["edges"]]
    assert len(ids) == len(set(ids)), "a video came back on the next page"


async def test_a_viewer_reads_only_their_own_feed(client: ApiClient) -> None:
    code, message = await client.error(FEED, {"first": 5, "userId": "u2"})
    assert code == "FORBIDDEN" and "own user" in message
    own = await client.gql(FEED, {"first": 3, "userId": "u1"})
    assert len(own["feed"]["edges"]) == 3


async def test_a_service_reads_any_feed_and_must_say_whose(client: ApiClient) -> None:
    data = await client.gql(FEED, {"first": 3, "userId": "u2"}, key="service")
    assert len(data["feed"]["edges"]) == 3
    code, _ = await client.error(FEED, {"first": 3}, key="service")
    assert code == "BAD_INPUT"
    code, _ = await client.error(FEED, {"first": 3, "userId": "ghost"}, key="service")
    assert code == "NOT_FOUND"


async def test_analysts_and_brands_read_no_feed(client: ApiClient) -> None:
    for key in ("analyst", "brand"):
        code, _ = await client.error(FEED, {"first": 3, "userId": "u1"}, key=key)
        assert code == "FORBIDDEN"


async def test_first_is_bounded_and_cursors_are_checked(client: ApiClient) -> None:
    for first in (0, 51, -1):
        code, message = await client.error(FEED, {"first": first})
        assert code == "BAD_INPUT" and "between 1 and 50" in message
    code, _ = await client.error(FEED, {"first": 5, "after": "not-a-cursor"})
    assert code == "BAD_INPUT"


async def test_personalized_false_gives_the_non_profiled_feed(client: ApiClient) -> None:
    await client.gql("mutation { updateSettings(personalized: false) { personalized } }")
    feed = (await client.gql(FEED, {"first": 5}))["feed"]
    assert feed["mode"] == "NON_PERSONALIZED"
    personal = {"following", "co_engagement", "hashtag_affinity", "sound_affinity", "embedding"}
    assert not any(set(edge["sources"]) & personal for edge in feed["edges"])


async def test_keyword_filters_from_settings_and_from_the_request(client: ApiClient) -> None:
    await client.gql('mutation { updateSettings(keywordFilters: ["#dance"]) { keywordFilters } }')
    feed = (await client.gql(FEED, {"first": 20, "controls": {"keywordFilters": ["games"]}}))[
        "feed"
    ]
    assert feed["edges"], "nothing left to show"
    assert set(creators_of(feed)) == {"cook"}


async def test_not_interested_in_a_creator_empties_them_from_the_next_page(
    client: ApiClient,
) -> None:
    before = (await client.gql(FEED, {"first": 6}))["feed"]
    assert "dancer" in creators_of(before)
    hidden = await client.gql(
        'mutation { notInterested(eventId: "ni-1", target: {creatorId: "dancer"}) '
        "{ status creator { id } } }"
    )
    assert hidden["notInterested"] == {"status": "RECORDED", "creator": {"id": "dancer"}}
    after = (await client.gql(FEED, {"first": 10}))["feed"]
    assert after["edges"] and "dancer" not in creators_of(after)


class CountingGraph:
    """Counts the Cypher round trips of the app's AsyncGraph (reads and writes), by name."""

    def __init__(self, graph: Any) -> None:
        self.calls: Counter[str] = Counter()
        for method in ("read", "write"):
            setattr(graph, method, self._counted(getattr(graph, method)))

    def _counted(self, call: Callable[..., Any]) -> Callable[..., Any]:
        async def counted(name: str, *args: Any, **params: Any) -> Any:
            self.calls[name] += 1
            return await call(name, *args, **params)

        return counted

    def api_calls(self) -> int:
        return sum(n for name, n in self.calls.items() if name.startswith("api/"))


async def test_a_page_costs_one_viewer_read_whatever_its_size(
    loaded: Graph, make_client: Callable[..., Any]
) -> None:
    # As served: the read model and the shared lists refresh in the background, not per
    # request (the other tests refresh before every request, to see their own writes).
    config = replace(FEED_CONFIG, max_staleness_s=3600.0)
    async with make_client(feed=lambda graph: FeedEngine(graph, config)) as client:
        counting = CountingGraph(client.app.state.services.graph)
        small = (await client.gql(FEED, {"first": 2}))["feed"]
        counting.calls.clear()
        page = (await client.gql(FEED, {"first": 20}))["feed"]
        assert len(page["edges"]) == 20 and len(small["edges"]) == 2
        # The viewer read and the impressions, nothing else: the videos, their creators,
        # hashtags and sounds, and every candidate's facts come from the read model.
        calls = {name: n for name, n in counting.calls.items() if n}
        assert calls == {"feed/viewer": 1, "ingest/events_impression": 1}, calls


async def test_feed_metrics_are_exported(client: ApiClient) -> None:
    await client.gql(FEED, {"first": 3})
    text = (await client.http.get("/metrics")).text
    assert 'fyp_api_request_seconds_count{operation="feed",type="query"} 1.0' in text
    assert 'fyp_feed_stage_seconds_count{stage="viewer"} 1.0' in text
    assert "fyp_feed_stage_candidates_bucket" in text
