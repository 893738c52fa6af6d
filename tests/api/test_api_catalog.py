"""Catalogue queries: entities with counters and paginated relationships, trends, me."""

from __future__ import annotations

import numpy as np
from conftest import ApiClient

from graph.db import Graph
from graph.embed.nodes import NodeKind, node_key
from graph.embed.store import ensure_indexes, write_vectors

VIDEO = """
query($id: ID!) { video(id: $id) {
  id caption durationMs status createdAt
  stats { views viewers likes completes averageCompletion }
  creator { id name followerCount videoCount }
  hashtags { name videoCount }
  sound { id title videoCount }
} }
"""


async def test_video_with_its_creator_hashtags_sound_and_counters(client: ApiClient) -> None:
    video = (await client.gql(VIDEO, {"id": "dancer-0"}))["video"]
    assert video["caption"] == "dancer video 0 #dance #funny"
    assert video["createdAt"].startswith("2024-01-09T19:00:00")
    assert video["stats"]["views"] == 3 and video["stats"]["viewers"] == 3
    assert video["stats"]["likes"] == 3 and video["stats"]["completes"] == 3
    assert video["stats"]["averageCompletion"] == 1.0
    assert video["creator"] == {
        "id": "dancer",
        "name": "Dancer",
        "followerCount": 0,
        "videoCount": 10,
    }
    assert sorted(h["name"] for h in video["hashtags"]) == ["dance", "funny"]
    assert video["sound"] == {"id": "s-beat", "title": "s-beat title", "videoCount": 10}


async def test_every_entity_by_id(client: ApiClient) -> None:
    data = await client.gql(
        """{
          user(id: "u2") { id name followerCount followingCount isCreator creator { id } }
          creator(id: "cook") { id name videoCount followerCount }
          hashtag(name: "#Funny") { name videoCount }
          sound(id: "s-sizzle") { id title videoCount }
        }"""
    )
    assert data["user"] == {
        "id": "u2", "name": "User 2", "followerCount": 0, "followingCount": 0,
        "isCreator": False, "creator": None,
    }  # fmt: skip
    assert data["creator"] == {"id": "cook", "name": "Cook", "videoCount": 10, "followerCount": 1}
    assert data["hashtag"] == {"name": "funny", "videoCount": 12}
    assert data["sound"] == {"id": "s-sizzle", "title": "s-sizzle title", "videoCount": 10}


PAGES = """
query($after: String) {
  creator(id: "gamer") { videos(first: 4, after: $after) {
    edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }
  hashtag(name: "funny") { videos(first: 50) { nodes { id } } }
  sound(id: "s-beat") { videos(first: 3) { nodes { id } pageInfo { hasNextPage } } }
}
"""


async def test_lists_are_relay_connections_newest_first(client: ApiClient) -> None:
    seen: list[str] = []
    after = None
    for _ in range(5):
        data = await client.gql(PAGES, {"after": after})
        videos = data["creator"]["videos"]
        seen += [edge["node"]["id"] for edge in videos["edges"]]
        if not videos["pageInfo"]["hasNextPage"]:
            break
        after = videos["pageInfo"]["endCursor"]
        assert after == videos["edges"][-1]["cursor"]
    assert seen == [f"gamer-{i}" for i in range(10)]
    funny = [node["id"] for node in data["hashtag"]["videos"]["nodes"]]
    assert len(funny) == 12 and all(id_.endswith(("-0", "-3", "-6", "-9")) for id_ in funny)
    assert data["sound"]["videos"] == {
        "nodes": [{"id": "dancer-0"}, {"id": "dancer-1"}, {"id": "dancer-2"}],
        "pageInfo": {"hasNextPage": True},
    }


async def test_unknown_entities_are_not_found(client: ApiClient) -> None:
    for query in (
        '{ video(id: "nope") { id } }',
        '{ user(id: "nope") { id } }',
        '{ creator(id: "u1") { id } }',
        '{ hashtag(name: "nope") { name } }',
        '{ sound(id: "nope") { id } }',
    ):
        code, message = await client.error(query)
        assert code == "NOT_FOUND", query
        assert "nope" in message or "u1" in message


async def test_trending_by_kind_in_a_window_ending_at_the_newest_event(client: ApiClient) -> None:
    query = """query($kind: TrendingKind!) { trending(kind: $kind, window: DAY, first: 3) {
      windowEnd entries { rank score node {
        __typename ... on Video { id } ... on Creator { id } ... on Hashtag { name }
        ... on Sound { id } } } } }"""
    videos = (await client.gql(query, {"kind": "VIDEO"}))["trending"]
    assert videos["windowEnd"].startswith("2024-01-10T00:00:00")
    # Three viewers each viewed (1) and liked (3) dancer-0..3.
    assert [e["node"]["id"] for e in videos["entries"]] == ["dancer-0", "dancer-1", "dancer-2"]
    assert [e["score"] for e in videos["entries"]] == [12.0, 12.0, 12.0]
    assert [e["rank"] for e in videos["entries"]] == [1, 2, 3]
    creators = (await client.gql(query, {"kind": "CREATOR"}))["trending"]["entries"]
    assert [(e["node"]["__typename"], e["node"]["id"]) for e in creators] == [
        ("Creator", "dancer"),
        ("Creator", "gamer"),
    ]
    tags = (await client.gql(query, {"kind": "HASHTAG"}))["trending"]["entries"]
    assert [e["node"]["name"] for e in tags] == ["dance", "funny", "games"]
    sounds = (await client.gql(query, {"kind": "SOUND"}))["trending"]["entries"]
    assert [e["node"]["id"] for e in sounds] == ["s-beat"]


async def test_me_and_my_following_list(client: ApiClient) -> None:
    me = (await client.gql("{ me { id following(first: 5) { nodes { id name } } } }"))["me"]
    assert me == {"id": "u1", "following": {"nodes": [{"id": "cook", "name": "Cook"}]}}
    service = await client.gql('{ me(userId: "u2") { id } }', key="service")
    assert service["me"]["id"] == "u2"
    code, message = await client.error("{ me { id } }", key="service")
    assert code == "BAD_INPUT" and "userId" in message


async def test_a_persons_lists_and_settings_are_theirs_only(client: ApiClient) -> None:
    for key in ("viewer-u2", "analyst", "brand"):
        code, _ = await client.error('{ user(id: "u1") { following { nodes { id } } } }', key=key)
        assert code == "FORBIDDEN", key
        code, _ = await client.error('{ user(id: "u1") { settings { personalized } } }', key=key)
        assert code == "FORBIDDEN", key
    for key in ("viewer-u1", "service", "admin"):
        data = await client.gql('{ user(id: "u1") { settings { personalized } } }', key=key)
        assert data["user"]["settings"] == {"personalized": True}
    # Public profiles and the catalogue are open to every role.
    for key in ("viewer-u2", "analyst", "brand", "service", "admin"):
        data = await client.gql('{ user(id: "u1") { name } video(id: "cook-1") { id } }', key=key)
        assert data["user"]["name"] == "User 1"


async def test_analysts_and_brands_cannot_act_as_a_person(client: ApiClient) -> None:
    for key in ("analyst", "brand"):
        code, message = await client.error('{ me(userId: "u1") { id } }', key=key)
        assert code == "FORBIDDEN" and key in message


async def test_similar_videos_through_the_vector_index(client: ApiClient, graph: Graph) -> None:
    query = '{ similarVideos(videoId: "cook-0", first: 2) { score video { id } } }'
    code, message = await client.error('{ similarVideos(videoId: "nope") { score } }')
    assert code in ("NOT_FOUND", "BAD_INPUT") and ("nope" in message or "fyp embed" in message)
    planted = {
        "cook-0": [1.0, 0.0, 0.0],
        "cook-1": [0.9, 0.1, 0.0],
        "dancer-0": [0.5, 0.5, 0.0],
        "gamer-0": [0.0, 0.0, 1.0],
    }
    keys = [node_key(NodeKind.VIDEO, video) for video in planted]
    write_vectors(graph, keys, np.array(list(planted.values()), dtype=np.float32), "t", 10)
    ensure_indexes(graph, dimensions=3)
    similar = (await client.gql(query))["similarVideos"]
    assert [hit["video"]["id"] for hit in similar] == ["cook-1", "dancer-0"]
    assert similar[0]["score"] > similar[1]["score"]
    code, _ = await client.error('{ similarVideos(videoId: "nope") { score } }')
    assert code == "NOT_FOUND"
