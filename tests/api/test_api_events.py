"""Mutations: every event kind, idempotent replays, role boundaries, effects on the feed."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from conftest import ApiClient

from graph.db import Graph
from graph.embed import EmbedOptions, run_embedding, similar_videos

STATS = "stats { views viewers completes likes shares comments skips notInterested follows }"


def video_mutation(name: str, extra: str = "") -> str:
    return (
        f"mutation($eventId: ID!, $videoId: ID!, $userId: ID) {{ {name}(eventId: $eventId, "
        f"videoId: $videoId, userId: $userId{extra}) {{ eventId status video {{ id {STATS} }} }} }}"
    )


async def stats(client: ApiClient, video: str) -> dict[str, int]:
    data = await client.gql(f'{{ video(id: "{video}") {{ {STATS} }} }}')
    return data["video"]["stats"]  # type: ignore[no-any-return]


async def test_a_view_counts_once_however_often_it_is_replayed(client: ApiClient) -> None:
    query = video_mutation("recordView", ", watchMs: 9000, rewatches: 0")
    variables = {"eventId": "view-1", "videoId": "cook-3"}
    first = (await client.gql(query, variables))["recordView"]
    assert first["status"] == "RECORDED"
    assert first["video"]["stats"]["views"] == 1 and first["video"]["stats"]["completes"] == 0
    for _ in range(2):
        again = (await client.gql(query, variables))["recordView"]
        assert again["status"] == "ALREADY_RECORDED"
        assert again["video"]["stats"] == first["video"]["stats"]
    # The same client event id from another user is another event.
    other = (await client.gql(query, variables, key="viewer-u2"))["recordView"]
    assert other["status"] == "RECORDED" and other["video"]["stats"]["viewers"] == 2


async def test_completed_views_count_as_completes(client: ApiClient) -> None:
    query = (
        'mutation { recordView(eventId: "c1", videoId: "cook-4", completed: true) '
        "{ video { stats { completes averageCompletion } } } }"
    )
    data = await client.gql(query)
    assert data["recordView"]["video"]["stats"] == {"completes": 1, "averageCompletion": 1.0}
    code, message = await client.error(
        'mutation { recordView(eventId: "c2", videoId: "cook-4") { status } }'
    )
    assert code == "BAD_INPUT" and "watchMs" in message


async def test_every_video_event_moves_its_counter(client: ApiClient) -> None:
    before = await stats(client, "gamer-5")
    for name in ("like", "share", "comment", "skip"):
        data = await client.gql(
            video_mutation(name), {"eventId": f"{name}-1", "videoId": "gamer-5"}
        )
        assert data[name]["status"] == "RECORDED"
    after = await stats(client, "gamer-5")
    for counter in ("likes", "shares", "comments", "skips"):
        assert after[counter] == before[counter] + 1, counter
    unliked = await client.gql(video_mutation("unlike"), {"eventId": "u-1", "videoId": "gamer-5"})
    assert unliked["unlike"]["video"]["stats"]["likes"] == before["likes"]


async def test_follow_and_unfollow(client: ApiClient) -> None:
    follow = """mutation { follow(eventId: "f1", creatorId: "gamer", videoId: "gamer-2") {
      status creator { id followerCount } } }"""
    data = await client.gql(follow)
    assert data["follow"] == {"status": "RECORDED", "creator": {"id": "gamer", "followerCount": 1}}
    assert (await stats(client, "gamer-2"))["follows"] == 1
    assert (await client.gql(follow))["follow"]["status"] == "ALREADY_RECORDED"
    me = await client.gql("{ me { followingCount following { nodes { id } } } }")
    assert me["me"]["followingCount"] == 2
    assert [node["id"] for node in me["me"]["following"]["nodes"]] == ["gamer", "cook"]
    data = await client.gql(
        'mutation { unfollow(eventId: "f2", creatorId: "gamer") { creator { followerCount } } }'
    )
    assert data["unfollow"]["creator"]["followerCount"] == 0


async def test_not_interested_in_each_kind_of_target(client: ApiClient) -> None:
    query = """mutation($eventId: ID!, $target: NotInterestedTarget!) {
      notInterested(eventId: $eventId, target: $target) { status video { id } creator { id } } }"""
    targets: list[dict[str, Any]] = [
        {"videoId": "cook-1"},
        {"creatorId": "gamer"},
        {"hashtag": "#Funny"},
        {"soundId": "s-beat"},
    ]
    for number, target in enumerate(targets):
        data = await client.gql(query, {"eventId": f"ni-{number}", "target": target})
        assert data["notInterested"]["status"] == "RECORDED", target
    assert (await stats(client, "cook-1"))["notInterested"] == 1
    code, _ = await client.error(
        query, {"eventId": "ni-9", "target": {"videoId": "cook-1", "creatorId": "cook"}}
    )
    assert code == "BAD_INPUT"


async def test_publish_video_is_idempotent(client: ApiClient) -> None:
    query = """mutation { publishVideo(eventId: "post-1", durationMs: 15000,
      caption: "my first #food video", hashtags: ["#Food", "homemade"],
      sound: {id: "s-new", title: "New sound"}) {
        status video { id caption durationMs creator { id videoCount }
                       hashtags { name } sound { id title } } } }"""
    first = (await client.gql(query))["publishVideo"]
    assert first["status"] == "RECORDED"
    video = first["video"]
    assert video["creator"] == {"id": "u1", "videoCount": 1}
    assert sorted(h["name"] for h in video["hashtags"]) == ["food", "homemade"]
    assert video["sound"] == {"id": "s-new", "title": "New sound"}
    again = (await client.gql(query))["publishVideo"]
    assert again["status"] == "ALREADY_RECORDED" and again["video"]["id"] == video["id"]
    mine = await client.gql('{ creator(id: "u1") { videoCount videos { nodes { id } } } }')
    assert mine["creator"] == {"videoCount": 1, "videos": {"nodes": [{"id": video["id"]}]}}
    code, _ = await client.error(
        'mutation { publishVideo(eventId: "p2", durationMs: 0) { status } }'
    )
    assert code == "BAD_INPUT"


async def test_a_video_published_into_an_embedded_graph_gets_a_vector_at_once(
    client: ApiClient, loaded: Graph
) -> None:
    run_embedding(loaded, EmbedOptions(dimensions=8, walk_length=10, walks_per_node=4, seed=1))
    query = """mutation { publishVideo(eventId: "post-v", durationMs: 15000,
      hashtags: ["dance"], sound: {id: "s-beat", title: "Beat"}) { video { id } } }"""
    video = (await client.gql(query))["publishVideo"]["video"]["id"]
    vectors = {row["id"]: row["embedding"] for row in loaded.read("embed/dump_vectors")}
    assert len(vectors[video]) == 8
    # Nearest a dancer's video (its hashtag and sound) before anyone has watched it.
    near = [hit.id for hit in similar_videos(loaded, video, k=3)]
    assert near and near[0].startswith("dancer-"), near


async def test_a_viewer_writes_only_their_own_events(client: ApiClient) -> None:
    query = video_mutation("like")
    code, _ = await client.error(query, {"eventId": "x", "videoId": "cook-1", "userId": "u2"})
    assert code == "FORBIDDEN"
    assert (await stats(client, "cook-1"))["likes"] == 0
    for key in ("analyst", "brand"):
        variables = {"eventId": "x", "videoId": "cook-1", "userId": "u2"}
        code, _ = await client.error(query, variables, key=key)
        assert code == "FORBIDDEN"
    data = await client.gql(query, {"eventId": "x", "videoId": "cook-1", "userId": "u2"}, "service")
    assert data["like"]["video"]["stats"]["likes"] == 1
    code, _ = await client.error(
        'mutation { publishVideo(eventId: "p", durationMs: 5, creatorId: "cook") { status } }'
    )
    assert code == "FORBIDDEN"


async def test_who_may_write_is_checked_before_what_exists(client: ApiClient) -> None:
    unknown = {"eventId": "e", "videoId": "no-such-video"}
    code, _ = await client.error(video_mutation("like"), unknown, key=None)
    assert code == "UNAUTHENTICATED"
    code, _ = await client.error(video_mutation("like"), {**unknown, "userId": "u2"})
    assert code == "FORBIDDEN"
    code, _ = await client.error(
        'mutation { follow(eventId: "f", creatorId: "nobody") { status } }', key="analyst"
    )
    assert code == "FORBIDDEN"


async def test_client_mistakes_say_what_to_fix(client: ApiClient) -> None:
    code, message = await client.error(
        video_mutation("recordView", ", watchMs: -5"), {"eventId": "bad", "videoId": "cook-1"}
    )
    assert code == "BAD_INPUT" and "watch" in message.lower()
    code, message = await client.error(video_mutation("like"), {"eventId": "l", "videoId": "zz"})
    assert code == "NOT_FOUND" and "zz" in message
    code, _ = await client.error('mutation { follow(eventId: "f", creatorId: "u2") { status } }')
    assert code == "NOT_FOUND"
    code, message = await client.error(video_mutation("like"), {"eventId": "", "videoId": "cook-1"})
    assert code == "BAD_INPUT" and "eventId" in message


async def test_effects_show_in_the_very_next_feed(client: ApiClient) -> None:
    feed = "query { feed(first: 6) { edges { sources node { creator { id } } } } }"

    def followed_sources(data: dict[str, Any]) -> set[str]:
        return {
            edge["node"]["creator"]["id"]
            for edge in data["feed"]["edges"]
            if "following" in edge["sources"]
        }

    assert followed_sources(await client.gql(feed)) <= {"cook"}
    await client.gql('mutation { follow(eventId: "f", creatorId: "gamer") { status } }')
    assert "gamer" in followed_sources(await client.gql(feed))


LIKE_AT = 'mutation($at: DateTime) { like(eventId: "%s", videoId: "cook-2", at: $at) { status } }'


def iso(delta: timedelta) -> str:
    return (datetime.now(UTC) + delta).isoformat()


@pytest.mark.parametrize(
    ("delta", "event_id"),
    [(timedelta(hours=-23), "queued-yesterday"), (timedelta(minutes=4), "clock-ahead")],
)
async def test_client_times_inside_the_window_are_kept(
    client: ApiClient, delta: timedelta, event_id: str
) -> None:
    at = datetime.now(UTC) + delta
    data = await client.gql(LIKE_AT % event_id, {"at": at.isoformat()})
    assert data["like"]["status"] == "RECORDED"
    export = (await client.gql("{ exportMyData }"))["exportMyData"]
    (event,) = [event for event in export["events"] if event["id"] == f"u1/{event_id}"]
    assert abs(event["at"] - at.timestamp() * 1000) < 1000


@pytest.mark.parametrize(
    ("delta", "says"),
    [
        (timedelta(days=365), "ahead of the server's clock"),
        (timedelta(minutes=6), "ahead of the server's clock"),
        (timedelta(hours=-25), "fyp import"),
        (timedelta(days=-20_000), "fyp import"),
    ],
)
async def test_client_times_outside_the_window_are_refused(
    client: ApiClient, delta: timedelta, says: str
) -> None:
    code, message = await client.error(LIKE_AT % "out-of-window", {"at": iso(delta)})
    assert code == "BAD_INPUT" and says in message
    export = (await client.gql("{ exportMyData }"))["exportMyData"]
    assert "u1/out-of-window" not in {event["id"] for event in export["events"]}


async def test_events_without_a_time_are_stamped_by_the_server(client: ApiClient) -> None:
    before = time.time() * 1000
    await client.gql('mutation { like(eventId: "stamped", videoId: "cook-2") { status } }')
    export = (await client.gql("{ exportMyData }"))["exportMyData"]
    (event,) = [event for event in export["events"] if event["id"] == "u1/stamped"]
    assert before - 1000 <= event["at"] <= time.time() * 1000 + 1000
