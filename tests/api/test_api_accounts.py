"""signUp: who may register whom, idempotence, and bad input that changes nothing."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from conftest import ApiClient

from graph.db import Graph

SIGN_UP = """
mutation($name: String!, $interests: [String!], $userId: ID) {
  signUp(name: $name, interests: $interests, userId: $userId) {
    status
    user { id name createdAt followerCount followingCount isCreator }
    settings { personalized keywordFilters interests }
  }
}"""
USER = "query($id: ID!) { user(id: $id) { id name } }"


def users_named(graph: Graph, user_id: str) -> int:
    rows = graph.read("api/users_by_id", ids=[user_id])
    return len(rows)


async def sign_up(client: ApiClient, key: str = "service", **variables: Any) -> dict[str, Any]:
    return (await client.gql(SIGN_UP, variables, key=key))["signUp"]  # type: ignore[no-any-return]


async def test_a_service_registers_a_person_with_first_interests(
    client: ApiClient, loaded: Graph
) -> None:
    payload = await sign_up(
        client, userId="ada", name="  Ada Lovelace ", interests=["#Food", "dance", "food"]
    )
    assert payload["status"] == "REGISTERED"
    user = payload["user"]
    assert (user["id"], user["name"]) == ("ada", "Ada Lovelace")
    assert (user["followerCount"], user["followingCount"], user["isCreator"]) == (0, 0, False)
    assert user["createdAt"] is not None
    assert payload["settings"] == {
        "personalized": True, "keywordFilters": [], "interests": ["food", "dance"]
    }  # fmt: skip
    me = await client.gql('{ me(userId: "ada") { name settings { interests } } }', key="service")
    assert me["me"] == {"name": "Ada Lovelace", "settings": {"interests": ["food", "dance"]}}


async def test_a_retried_sign_up_returns_the_same_user_and_changes_nothing(
    client: ApiClient, loaded: Graph
) -> None:
    first = await sign_up(client, userId="bo", name="Bo", interests=["food"])
    await client.gql(
        'mutation { updateSettings(userId: "bo", keywordFilters: ["spoilers"]) { interests } }',
        key="service",
    )
    again = await sign_up(client, userId="bo", name="Bo", interests=["games"])
    assert again["status"] == "ALREADY_REGISTERED"
    assert again["user"] == first["user"]  # same createdAt: the same node
    # What the person set since stands; the retry's interests do not overwrite it.
    assert again["settings"] == {
        "personalized": True, "keywordFilters": ["spoilers"], "interests": ["food"]
    }  # fmt: skip
    assert users_named(loaded, "bo") == 1


async def test_concurrent_sign_ups_of_one_id_make_one_user(
    client: ApiClient, loaded: Graph
) -> None:
    results = await asyncio.gather(*(sign_up(client, userId="cy", name="Cy") for _ in range(8)))
    statuses = sorted(result["status"] for result in results)
    assert statuses == ["ALREADY_REGISTERED"] * 7 + ["REGISTERED"]
    assert len({result["user"]["createdAt"] for result in results}) == 1
    assert users_named(loaded, "cy") == 1


async def test_an_id_taken_by_someone_else_is_refused(client: ApiClient, loaded: Graph) -> None:
    await sign_up(client, userId="di", name="Di")
    code, message = await client.error(SIGN_UP, {"userId": "di", "name": "Someone Else"},
                                       key="service")  # fmt: skip
    assert code == "BAD_INPUT" and "'di' is taken" in message
    # u1 came in through `fyp import`: not a sign-up to repeat.
    code, message = await client.error(SIGN_UP, {"userId": "u1", "name": "Mallory"},
                                       key="service")  # fmt: skip
    assert code == "BAD_INPUT" and "taken" in message
    user = await client.gql(USER, {"id": "u1"}, key="service")
    assert user["user"]["name"] == "User 1"


@pytest.mark.parametrize(
    ("variables", "rule"),
    [
        ({"userId": "a/b", "name": "Slash"}, "a user id is 1 to 64 characters"),
        ({"userId": "two words", "name": "Space"}, "letters, digits and . _ - : @"),
        ({"userId": "x" * 65, "name": "Long"}, "a user id is 1 to 64 characters"),
        ({"userId": "ok-id", "name": "   "}, "a name is 1 to 80 characters"),
        ({"userId": "ok-id", "name": "bell\u0007"}, "no control characters"),
        ({"userId": "ok-id", "name": "N" * 81}, "a name is 1 to 80 characters"),
        ({"userId": "ok-id", "name": "Ok", "interests": ["two words"]}, "Interests are hashtags"),
        ({"userId": "ok-id", "name": "Ok", "interests": [f"t{i}" for i in range(51)]},
         "At most 50 interests"),
        ({"name": "Nobody"}, "pass `userId`"),
    ],
)  # fmt: skip
async def test_bad_input_names_the_rule_and_writes_nothing(
    client: ApiClient, loaded: Graph, variables: dict[str, Any], rule: str
) -> None:
    code, message = await client.error(SIGN_UP, variables, key="service")
    assert code == "BAD_INPUT"
    assert rule in message
    user_id = variables.get("userId")
    if user_id is not None:
        assert users_named(loaded, user_id) == 0


async def test_a_viewer_key_registers_only_its_own_person(client: ApiClient, loaded: Graph) -> None:
    code, message = await client.error(SIGN_UP, {"userId": "someone", "name": "S"},
                                       key="viewer-newbie")  # fmt: skip
    assert code == "FORBIDDEN" and "own user" in message
    assert users_named(loaded, "someone") == 0
    payload = await sign_up(client, key="viewer-newbie", name="New Bie", interests=["games"])
    assert (payload["status"], payload["user"]["id"]) == ("REGISTERED", "newbie")
    feed = await client.gql("{ feed(first: 3) { edges { node { id } } } }", key="viewer-newbie")
    assert feed["feed"]["edges"]


@pytest.mark.parametrize("key", ["analyst", "brand", None])
async def test_keys_without_personal_rights_cannot_sign_anyone_up(
    client: ApiClient, loaded: Graph, key: str | None
) -> None:
    code, _ = await client.error(SIGN_UP, {"userId": "eve", "name": "Eve"}, key=key)
    assert code == ("UNAUTHENTICATED" if key is None else "FORBIDDEN")
    assert users_named(loaded, "eve") == 0
