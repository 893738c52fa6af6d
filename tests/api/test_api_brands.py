"""Brands over GraphQL: discovery with metrics, audience overlap, lookalikes, roles."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import NOW, ApiClient

from graph.db import Graph
from graph.ingest import import_records

DISCOVER = """query($filter: CreatorFilter, $sort: CreatorSort, $first: Int, $after: String) {
  discoverCreators(filter: $filter, sort: $sort, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { creatorId followers videos views engagementRate completionRate engagedAudience
            topHashtags { name videos } authenticity { score flagged reasons }
            sharedAudience overlap } } }"""
OVERLAP = """query($ids: [ID!]!) { audienceOverlap(creatorIds: $ids, suggestions: 2) {
  creatorIds audiences { creatorId engagedAudience } unionReach
  pairs { creatorA creatorB shared jaccard } suggestions { creatorId addedReach } } }"""
LOOKALIKE = """query($id: ID!) { lookalikeCreators(creatorId: $id, first: 5) {
  creatorId score similarity audienceOverlap sharedAudience reasons } }"""


@pytest.fixture
def shared_audience(loaded: Graph) -> Graph:
    """u2 and u3 also complete and like a gamer video: two of dancer's three fans."""
    interactions: list[dict[str, Any]] = []
    for n, user in enumerate(("u2", "u3")):
        at = NOW - 30 * 60_000 + n
        interactions += [
            {"eventId": f"g{n}v", "type": "view", "userId": user, "videoId": "gamer-1",
             "at": at, "watchMs": 10_000},
            {"eventId": f"g{n}l", "type": "like", "userId": user, "videoId": "gamer-1",
             "at": at + 1},
        ]  # fmt: skip
    report = import_records(loaded, {"interactions": interactions})
    assert not report.rejections, report.rejections
    return loaded


async def test_discovery_ranks_by_engagement_with_metrics(client: ApiClient) -> None:
    data = (await client.gql(DISCOVER, {"first": 2}, key="brand"))["discoverCreators"]
    first = data["nodes"][0]
    # dancer: 10 videos, 12 completed views from u2..u4, each liked.
    assert (first["creatorId"], first["videos"], first["views"]) == ("dancer", 10, 12)
    assert first["engagementRate"] == 1.0 and first["completionRate"] == 1.0
    assert first["engagedAudience"] == 3
    assert first["topHashtags"][0] == {"name": "dance", "videos": 10}
    assert 0.0 <= first["authenticity"]["score"] <= 1.0
    assert data["totalCount"] == 3 and data["pageInfo"]["hasNextPage"] is True
    rest = await client.gql(
        DISCOVER, {"first": 2, "after": data["pageInfo"]["endCursor"]}, key="brand"
    )
    seen = [node["creatorId"] for node in data["nodes"]]
    seen += [node["creatorId"] for node in rest["discoverCreators"]["nodes"]]
    assert sorted(seen) == ["cook", "dancer", "gamer"]


async def test_discovery_filters_by_niche_and_followers(client: ApiClient) -> None:
    food = await client.gql(DISCOVER, {"filter": {"hashtags": ["#Food"]}}, key="brand")
    assert [n["creatorId"] for n in food["discoverCreators"]["nodes"]] == ["cook"]
    followed = await client.gql(DISCOVER, {"filter": {"minFollowers": 1}}, key="brand")
    assert [n["creatorId"] for n in followed["discoverCreators"]["nodes"]] == ["cook"]
    code, message = await client.error(
        DISCOVER, {"filter": {"minFollowers": 5, "maxFollowers": 1}}, key="brand"
    )
    assert code == "BAD_INPUT" and "follower range" in message
    code, _ = await client.error(DISCOVER, {"sort": "OVERLAP"}, key="brand")
    assert code == "BAD_INPUT"
    code, _ = await client.error(
        DISCOVER, {"filter": {"referenceCreatorId": "nobody"}}, key="brand"
    )
    assert code == "NOT_FOUND"


async def test_overlap_and_reach_of_engaged_audiences(
    client: ApiClient, shared_audience: Graph
) -> None:
    data = (await client.gql(OVERLAP, {"ids": ["dancer", "gamer"]}, key="brand"))["audienceOverlap"]
    audiences = {a["creatorId"]: a["engagedAudience"] for a in data["audiences"]}
    assert audiences == {"dancer": 3, "gamer": 2}
    assert data["pairs"] == [
        {"creatorA": "dancer", "creatorB": "gamer", "shared": 2, "jaccard": pytest.approx(2 / 3)}
    ]
    assert data["unionReach"] == 3
    # cook has no engaged viewers: adding it reaches nobody new.
    assert all(s["addedReach"] == 0 for s in data["suggestions"])
    code, message = await client.error(OVERLAP, {"ids": ["dancer", "nobody"]}, key="brand")
    assert code == "NOT_FOUND" and "nobody" in message
    code, _ = await client.error(OVERLAP, {"ids": []}, key="brand")
    assert code == "BAD_INPUT"


async def test_lookalikes_from_shared_audiences(client: ApiClient, shared_audience: Graph) -> None:
    found = (await client.gql(LOOKALIKE, {"id": "dancer"}, key="brand"))["lookalikeCreators"]
    assert found[0]["creatorId"] == "gamer"
    assert found[0]["sharedAudience"] == 2
    assert found[0]["audienceOverlap"] == pytest.approx(2 / 3)
    assert found[0]["similarity"] is None  # no `fyp embed` in this world
    assert all(x["creatorId"] != "dancer" for x in found)
    code, _ = await client.error(LOOKALIKE, {"id": "nobody"}, key="brand")
    assert code == "NOT_FOUND"


async def test_only_brands_and_admins_may_discover(client: ApiClient) -> None:
    for key in ("viewer-u1", "service", "analyst"):
        for query, variables in (
            (DISCOVER, {}),
            (OVERLAP, {"ids": ["dancer"]}),
            (LOOKALIKE, {"id": "dancer"}),
        ):
            code, _ = await client.error(query, variables, key=key)
            assert code == "FORBIDDEN", (key, query[:30])
    data = await client.gql(DISCOVER, {"first": 1}, key="admin")
    assert len(data["discoverCreators"]["nodes"]) == 1
