"""The API through its ASGI app (lifespan included) on the session's real Neo4j.

A small planted world: three creators with ten videos each, four viewers; u1 follows
cook, the others watched and liked enough for trends. Keys for every role.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from itertools import count
from typing import Any

import httpx
import pytest
from pydantic import SecretStr
from starlette.applications import Starlette

from api.app import create_app
from api.settings import ApiMode, ApiSettings
from graph.db import AsyncGraph, Connection, Graph
from graph.feed import BackgroundImpressions, FeedConfig, FeedEngine
from graph.feed.config import Budgets
from graph.ingest import import_records

HOUR = 3_600_000
NOW = 1_704_844_800_000  # 2024-01-10T00:00:00Z, the newest event of the world

KEYS = {
    "viewer-u1": "k-viewer-u1",
    "viewer-u2": "k-viewer-u2",
    "viewer-newbie": "k-viewer-newbie",  # bound to a user who has not signed up yet
    "service": "k-service",
    "analyst": "k-analyst",
    "brand": "k-brand",
    "admin": "k-admin",
}
INLINE_KEYS = ",".join(
    [
        "k-viewer-u1=viewer:u1",
        "k-viewer-u2=viewer:u2",
        "k-viewer-newbie=viewer:newbie",
        "k-service=service",
        "k-analyst=analyst",
        "k-brand=brand",
        "k-admin=admin",
    ]
)
CREATORS = {"cook": ("food", "s-sizzle"), "dancer": ("dance", "s-beat"), "gamer": ("games", None)}
# Generous budgets: a busy CI machine must not turn a slow query into a missing source.
# The tests write between requests: the read model refreshes before each request.
FEED_CONFIG = FeedConfig(budgets=Budgets(required_s=60.0, non_personal_s=30.0),
                         max_staleness_s=0.0)  # fmt: skip


def world() -> dict[str, list[dict[str, Any]]]:
    users = [
        {"id": f"u{i}", "name": f"User {i}", "createdAt": NOW - 90 * 24 * HOUR} for i in range(1, 5)
    ]
    creators = [{"id": c, "name": c.title(), "createdAt": NOW - 60 * 24 * HOUR} for c in CREATORS]
    videos = []
    for c, (tag, sound) in CREATORS.items():
        for i in range(10):
            videos.append(
                {
                    "id": f"{c}-{i}",
                    "creatorId": c,
                    "createdAt": NOW - (i + 1) * 5 * HOUR,
                    "durationMs": 10_000,
                    "caption": f"{c} video {i} #{tag}" + (" #funny" if i % 3 == 0 else ""),
                    "hashtags": [tag, "funny"] if i % 3 == 0 else [tag],
                    "soundId": sound,
                    "soundTitle": sound and f"{sound} title",
                }
            )
    ids = count()

    def event(kind: str, user: str, at: int, **fields: Any) -> dict[str, Any]:
        return {"eventId": f"w{next(ids)}", "type": kind, "userId": user, "at": at, **fields}

    interactions = [event("follow", "u1", NOW - 48 * HOUR, creatorId="cook")]
    for user in ("u2", "u3", "u4"):
        for i in range(4):
            video = f"dancer-{i}"
            interactions.append(
                event("view", user, NOW - (i + 2) * HOUR, videoId=video, watchMs=10_000)
            )
            interactions.append(event("like", user, NOW - (i + 2) * HOUR + 1000, videoId=video))
    interactions.append(event("view", "u2", NOW, videoId="gamer-0", watchMs=4_000))
    return {"users": users, "creators": creators, "videos": videos, "interactions": interactions}


@pytest.fixture
def loaded(graph: Graph) -> Graph:
    report = import_records(graph, world())
    assert not report.rejections, report.rejections
    return graph


def api_settings(**overrides: Any) -> ApiSettings:
    values: dict[str, Any] = {"mode": ApiMode.DEV, "keys": SecretStr(INLINE_KEYS)}
    values.update(overrides)
    return ApiSettings(**values)


def feed_engine(graph: AsyncGraph) -> FeedEngine:
    return FeedEngine(graph, FEED_CONFIG, impressions=BackgroundImpressions(graph))


@pytest.fixture
def make_client(
    neo4j_connection: Connection,
) -> Iterator[Callable[..., Any]]:
    """``async with make_client(**settings) as client`` (a fresh app, its lifespan running)."""

    class Client:
        def __init__(
            self, connection: Connection, settings: ApiSettings, feed: Callable[..., Any]
        ) -> None:
            self.app: Starlette = create_app(settings, connection, feed=feed)
            self._lifespan: Any = None
            self.http: httpx.AsyncClient | None = None

        async def __aenter__(self) -> ApiClient:
            self._lifespan = self.app.router.lifespan_context(self.app)
            await self._lifespan.__aenter__()
            self.http = httpx.AsyncClient(
                transport=httpx.ASGITransport(app=self.app), base_url="http://testserver"
            )
            return ApiClient(self.app, self.http)

        async def __aexit__(self, *exc: object) -> None:
            assert self.http is not None
            await self.http.aclose()
            await self._lifespan.__aexit__(*exc)

    def make(
        connection: Connection = neo4j_connection,
        feed: Callable[..., Any] = feed_engine,
        **overrides: Any,
    ) -> Client:
        return Client(connection, api_settings(**overrides), feed)

    yield make


class ApiClient:
    def __init__(self, app: Starlette, http: httpx.AsyncClient) -> None:
        self.app = app
        self.http = http

    async def post(
        self, query: str, variables: dict[str, Any] | None = None, key: str | None = "viewer-u1"
    ) -> httpx.Response:
        headers = {"Authorization": f"Bearer {KEYS[key]}"} if key else {}
        payload = {"query": query, "variables": variables or {}}
        return await self.http.post("/graphql", json=payload, headers=headers)

    async def gql(
        self, query: str, variables: dict[str, Any] | None = None, key: str | None = "viewer-u1"
    ) -> dict[str, Any]:
        """``data`` of a query that must succeed."""
        response = await self.post(query, variables, key)
        body = response.json()
        assert response.status_code == 200 and not body.get("errors"), body
        return body["data"]  # type: ignore[no-any-return]

    async def error(
        self, query: str, variables: dict[str, Any] | None = None, key: str | None = "viewer-u1"
    ) -> tuple[str, str]:
        """``(code, message)`` of the first error of a query that must fail."""
        response = await self.post(query, variables, key)
        body = response.json()
        assert body.get("errors"), body
        error = body["errors"][0]
        return error["extensions"]["code"], error["message"]


@pytest.fixture
async def client(loaded: Graph, make_client: Callable[..., Any]) -> AsyncIterator[ApiClient]:
    async with make_client() as api:
        yield api
