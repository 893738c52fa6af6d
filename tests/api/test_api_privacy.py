"""Privacy and control: settings, refresh, export, erasure (checked with a Cypher search)."""

from __future__ import annotations

from conftest import ApiClient

from graph.db import Graph

STATS = "stats { views viewers completes likes impressions }"
DELETE = "mutation($userId: ID) { deleteMyData(confirm: true, userId: $userId) { userId deletedVideos deletedEvents deletedRelationships deletedFollows } }"  # noqa: E501


async def video_stats(client: ApiClient, *ids: str) -> dict[str, dict[str, int]]:
    fields = " ".join(f'v{i}: video(id: "{id_}") {{ {STATS} }}' for i, id_ in enumerate(ids))
    data = await client.gql(f"{{ {fields} }}", key="admin")
    return {id_: data[f"v{i}"]["stats"] for i, id_ in enumerate(ids)}


async def test_settings_round_trip_and_validation(client: ApiClient) -> None:
    query = """mutation { updateSettings(keywordFilters: [" Spoilers ", "#Cats", ""],
      interests: ["#Food", "dance"]) { personalized keywordFilters interests } }"""
    data = await client.gql(query)
    assert data["updateSettings"] == {
        "personalized": True,
        "keywordFilters": ["spoilers", "#cats"],
        "interests": ["food", "dance"],
    }
    # Omitted settings stay as they were.
    data = await client.gql("mutation { updateSettings(personalized: false) { keywordFilters } }")
    assert data["updateSettings"]["keywordFilters"] == ["spoilers", "#cats"]
    me = await client.gql("{ me { settings { personalized interests } } }")
    assert me["me"]["settings"] == {"personalized": False, "interests": ["food", "dance"]}
    code, _ = await client.error(
        'mutation { updateSettings(interests: ["two words"]) { interests } }'
    )
    assert code == "BAD_INPUT"
    code, _ = await client.error(
        'mutation { updateSettings(personalized: true, userId: "u2") { personalized } }'
    )
    assert code == "FORBIDDEN"


async def test_export_holds_everything_about_me_machine_readable(client: ApiClient) -> None:
    await client.gql('mutation { like(eventId: "l1", videoId: "cook-2") { status } }')
    await client.gql('mutation { updateSettings(keywordFilters: ["x"]) { personalized } }')
    await client.gql("{ feed(first: 3) { edges { node { id } } } }")
    export = (await client.gql("{ exportMyData }"))["exportMyData"]
    assert export["format"] == "fyp-export/1" and export["userId"] == "u1"
    assert export["user"]["name"] == "User 1" and export["user"]["keywordFilters"] == ["x"]
    assert [rel["target"] for rel in export["relationships"]["FOLLOWS"]] == ["cook"]
    assert [rel["target"] for rel in export["relationships"]["LIKED"]] == ["cook-2"]
    assert len(export["relationships"]["SERVED"]) == 3
    assert {event["id"] for event in export["events"]} >= {"u1/l1"}
    assert all(event["userId"] == "u1" for event in export["events"])
    code, _ = await client.error('{ exportMyData(userId: "u1") }', key="analyst")
    assert code == "FORBIDDEN"


async def test_refresh_sets_the_profile_aside_but_keeps_counters(client: ApiClient) -> None:
    before = await video_stats(client, "dancer-0")
    data = await client.gql(
        "mutation { resetRecommendations { userId archivedSignals } }", key="viewer-u2"
    )
    # u2 viewed and liked dancer-0..3 and viewed gamer-0.
    assert data["resetRecommendations"] == {"userId": "u2", "archivedSignals": 9}
    assert await video_stats(client, "dancer-0") == before
    export = (await client.gql("{ exportMyData }", key="viewer-u2"))["exportMyData"]
    assert "VIEWED" not in export["relationships"] and "LIKED" not in export["relationships"]
    archived = export["relationships"]["ARCHIVED"]
    assert sorted({rel["type"] for rel in archived}) == ["LIKED", "VIEWED"]
    feed = await client.gql("{ feed(first: 5) { edges { node { id } } } }", key="viewer-u2")
    assert len(feed["feed"]["edges"]) == 5


async def test_erasure_leaves_nothing_and_takes_back_the_counters(
    client: ApiClient, graph: Graph
) -> None:
    await client.gql(
        'mutation { follow(eventId: "f", creatorId: "cook") { status } }', key="viewer-u2"
    )
    await client.gql("{ feed(first: 4) { edges { node { id } } } }", key="viewer-u2")
    await client.gql(
        'mutation { updateSettings(interests: ["dance"]) { interests } }', key="viewer-u2"
    )
    served = (await client.gql("{ exportMyData }", key="viewer-u2"))["exportMyData"][
        "relationships"
    ]["SERVED"]
    served_ids = [rel["target"] for rel in served]
    before = await video_stats(client, "dancer-0", "gamer-0", *served_ids)
    assert graph.read("api/privacy_trace", userId="u2")

    code, message = await client.error(DELETE, {"userId": "u2"})
    assert code == "FORBIDDEN"
    code, message = await client.error(
        "mutation { deleteMyData(confirm: false) { userId } }", key="viewer-u2"
    )
    assert code == "BAD_INPUT" and "confirm" in message
    report = (await client.gql(DELETE, key="viewer-u2"))["deleteMyData"]
    assert report["userId"] == "u2" and report["deletedVideos"] == 0
    # 5 views, 4 likes, 1 follow and the 4 impressions of the feed page.
    assert report["deletedEvents"] == 14 and report["deletedFollows"] == 1

    assert graph.read("api/privacy_trace", userId="u2") == []
    after = await video_stats(client, "dancer-0", "gamer-0", *served_ids)
    assert after["dancer-0"] == {
        "views": before["dancer-0"]["views"] - 1, "viewers": 2, "completes": 2, "likes": 2,
        "impressions": before["dancer-0"]["impressions"],
    }  # fmt: skip
    assert after["gamer-0"]["views"] == 0 and after["gamer-0"]["viewers"] == 0
    for video in served_ids:
        assert after[video]["impressions"] == before[video]["impressions"] - 1
    cook = await client.gql('{ creator(id: "cook") { followerCount } }')
    assert cook["creator"]["followerCount"] == 1
    code, _ = await client.error('{ user(id: "u2") { id } }')
    assert code == "NOT_FOUND"
    code, _ = await client.error("{ me { id } }", key="viewer-u2")
    assert code == "NOT_FOUND"


async def test_erasing_a_creator_takes_their_videos_and_their_followers_counts(
    client: ApiClient, graph: Graph
) -> None:
    await client.gql('mutation { follow(eventId: "f", creatorId: "gamer") { status } }')
    report = (await client.gql(DELETE, {"userId": "gamer"}, key="service"))["deleteMyData"]
    assert report["deletedVideos"] == 10 and report["deletedFollows"] == 1
    assert graph.read("api/privacy_trace", userId="gamer") == []
    me = await client.gql("{ me { followingCount } }")
    assert me["me"]["followingCount"] == 1
    tags = await client.gql(
        '{ funny: hashtag(name: "funny") { videoCount } '
        'games: hashtag(name: "games") { videoCount } }'
    )
    assert tags == {"funny": {"videoCount": 8}, "games": {"videoCount": 0}}
    code, _ = await client.error('{ video(id: "gamer-0") { id } }')
    assert code == "NOT_FOUND"
    # u2 had viewed gamer-0: that view went with the video.
    export = (await client.gql("{ exportMyData }", key="viewer-u2"))["exportMyData"]
    assert "gamer-0" not in {rel["target"] for rel in export["relationships"]["VIEWED"]}
    assert "gamer-0" not in {event.get("videoId") for event in export["events"]}
