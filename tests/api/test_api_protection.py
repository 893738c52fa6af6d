"""Protection and operations: auth, rate limits, query limits, batching, production mode,
error codes and masking, Neo4j outages, /health and /metrics."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest
from conftest import KEYS, ApiClient

from api.settings import ApiMode
from graph.db import Connection, Graph
from graph.local_neo4j import free_port

VIDEO = '{ video(id: "cook-1") { id } }'


async def test_no_credentials_is_unauthenticated_per_field(client: ApiClient) -> None:
    response = await client.post(VIDEO, key=None)
    body = response.json()
    assert response.status_code == 200
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert "Authorization: Bearer" in body["errors"][0]["message"]


async def test_a_wrong_key_is_refused_before_graphql_runs(client: ApiClient) -> None:
    response = await client.http.post(
        "/graphql", json={"query": VIDEO}, headers={"Authorization": "Bearer wrong"}
    )
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_demo_logins_work_in_dev_only(loaded: Graph, make_client: Callable[..., Any]) -> None:
    demo = {"Authorization": "Bearer demo:u3"}
    query = {"query": "{ me { id } }"}
    async with make_client() as api:
        response = await api.http.post("/graphql", json=query, headers=demo)
        assert response.json()["data"] == {"me": {"id": "u3"}}
    async with make_client(mode=ApiMode.PRODUCTION) as api:
        response = await api.http.post("/graphql", json=query, headers=demo)
        assert response.status_code == 401


async def test_each_key_has_its_rate_limit(loaded: Graph, make_client: Callable[..., Any]) -> None:
    # A burst of one request, then one every 100 s.
    async with make_client(viewer_rate_per_s=0.01) as api:
        statuses = [(await api.post(VIDEO)).status_code for _ in range(2)]
        assert statuses == [200, 429]
        response = await api.post(VIDEO)
        assert response.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
        assert int(response.headers["Retry-After"]) >= 1
        assert (await api.post(VIDEO, key="viewer-u2")).status_code == 200
        metrics = (await api.http.get("/metrics")).text
        assert 'fyp_api_errors_total{code="RATE_LIMITED"} 2.0' in metrics


@pytest.mark.parametrize(
    ("query", "words"),
    [
        (
            '{ video(id: "a") { '
            + "creator { videos { nodes { " * 4
            + "id"
            + " } } }" * 4
            + " } }",
            "exceeds maximum operation depth",
        ),
        ("{ " + " ".join(f'a{i}: video(id: "cook-1") {{ id }}' for i in range(20)) + " }", "alias"),
        ("{ " + "__typename " * 2100 + "}", "token"),
        ("{ video(id: 1) { nope } }", "Cannot query field"),
        ("{ video(id: ", "Syntax Error"),
    ],
)
async def test_expensive_or_broken_queries_are_bad_input(
    client: ApiClient, query: str, words: str
) -> None:
    code, message = await client.error(query)
    assert code == "BAD_INPUT" and words.lower() in message.lower()


async def test_batches_are_limited(client: ApiClient) -> None:
    headers = {"Authorization": f"Bearer {KEYS['viewer-u1']}"}
    batch = [{"query": VIDEO}] * 2
    response = await client.http.post("/graphql", json=batch, headers=headers)
    assert [item["data"]["video"]["id"] for item in response.json()] == ["cook-1", "cook-1"]
    response = await client.http.post("/graphql", json=[{"query": VIDEO}] * 6, headers=headers)
    assert response.status_code == 400


async def test_introspection_and_graphiql_are_dev_only(
    loaded: Graph, make_client: Callable[..., Any]
) -> None:
    introspect = "{ __schema { queryType { name } } }"
    html = {"Accept": "text/html"}
    async with make_client() as api:
        data = await api.gql(introspect, key=None)
        assert data["__schema"]["queryType"]["name"] == "Query"
        page = await api.http.get("/graphql", headers=html)
        assert page.status_code == 200 and "graphiql" in page.text.lower()
    async with make_client(mode=ApiMode.PRODUCTION) as api:
        code, message = await api.error(introspect)
        assert code == "BAD_INPUT" and "introspection" in message.lower()
        assert (await api.http.get("/graphql", headers=html)).status_code == 404
        # No field suggestions either: they leak the schema piece by piece.
        _, message = await api.error('{ video(id: "x") { captio } }')
        assert "Did you mean" not in message


async def test_unexpected_errors_are_masked_and_logged(
    loaded: Graph, make_client: Callable[..., Any], caplog: pytest.LogCaptureFixture
) -> None:
    class BrokenFeed:
        async def feed(self, request: Any) -> Any:
            raise RuntimeError("secret detail of a bug")

        async def start(self) -> None:
            return None

        async def close(self) -> None:
            return None

    async with make_client(feed=lambda graph: BrokenFeed()) as api:
        with caplog.at_level(logging.ERROR, logger="api.errors"):
            response = await api.post("{ feed(first: 3) { requestId } }")
        error = response.json()["errors"][0]
        assert error["extensions"]["code"] == "INTERNAL"
        assert "secret" not in response.text and "Traceback" not in response.text
        assert "secret detail of a bug" in caplog.text


async def test_a_neo4j_outage_is_unavailable_never_a_stack_trace(
    neo4j_connection: Connection, make_client: Callable[..., Any]
) -> None:
    dead = Connection(
        uri=f"bolt://127.0.0.1:{free_port()}", user="neo4j", password="x",
        database="neo4j", timeout_s=5.0,
    )  # fmt: skip
    async with make_client(connection=dead) as api:
        for query in (VIDEO, "{ feed(first: 3) { requestId } }"):
            response = await api.post(query)
            assert response.status_code == 503 and response.headers["Retry-After"] == "2"
            error = response.json()["errors"][0]
            assert error["extensions"]["code"] == "UNAVAILABLE", error
            assert "retry" in error["message"] and "Traceback" not in response.text
        health = await api.http.get("/health")
        assert health.status_code == 503 and health.json()["neo4j"] == "down"


async def test_health_checks_neo4j(client: ApiClient) -> None:
    response = await client.http.get("/health")
    assert response.status_code == 200 and response.json() == {"status": "ok", "neo4j": "up"}


async def test_metrics_count_operations_and_error_codes(client: ApiClient) -> None:
    await client.gql(VIDEO)
    await client.error('{ video(id: "missing") { id } }')
    await client.error(
        'mutation { like(eventId: "e", videoId: "cook-1", userId: "u2") { status } }'
    )
    text = (await client.http.get("/metrics")).text
    assert 'fyp_api_request_seconds_count{operation="video",type="query"} 2.0' in text
    assert 'fyp_api_request_seconds_count{operation="like",type="mutation"} 1.0' in text
    assert 'fyp_api_errors_total{code="NOT_FOUND"} 1.0' in text
    assert 'fyp_api_errors_total{code="FORBIDDEN"} 1.0' in text
