"""The floor of the stack: a bare strawberry + Starlette app serving feed-shaped pages from
memory, with no database, engine, auth or extensions.

``bench/feed_load.py`` runs it next to ``fyp serve`` in the same run and asks both the
same GraphQL query; the pages it serves are real pages the engine served just before
(``FYP_FLOOR_PAGES``: a JSON file of ``feed`` results), so both answer with the same
shape and sizes. Whatever the engine adds on top of this is the cost of the feed.

Run: ``uvicorn bench.floor_app:app`` (with ``FYP_FLOOR_PAGES`` set).
"""

from __future__ import annotations

import itertools
import json
import os
from pathlib import Path
from typing import Any

import strawberry
from starlette.applications import Starlette
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from strawberry.asgi import GraphQL


@strawberry.type
class Stats:
    views: int
    likes: int


@strawberry.type
class Named:
    id: strawberry.ID
    name: str | None


@strawberry.type
class Hashtag:
    name: str


@strawberry.type
class Sound:
    id: strawberry.ID
    title: str | None


@strawberry.type
class Video:
    id: strawberry.ID
    caption: str
    duration_ms: int
    stats: Stats
    creator: Named | None
    hashtags: list[Hashtag]
    sound: Sound | None


@strawberry.type
class Explanation:
    reasons: list[str]


@strawberry.type
class Edge:
    score: float
    position: int
    sources: list[str]
    explanation: Explanation
    node: Video


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class Stage:
    name: str
    status: str


@strawberry.type
class FeedConnection:
    request_id: str
    page_info: PageInfo
    stages: list[Stage]
    edges: list[Edge]


def _page(data: dict[str, Any]) -> FeedConnection:
    def video(node: dict[str, Any]) -> Video:
        creator, sound = node.get("creator"), node.get("sound")
        return Video(
            id=node["id"],
            caption=node["caption"],
            duration_ms=node["durationMs"],
            stats=Stats(**node["stats"]),
            creator=Named(**creator) if creator else None,
            hashtags=[Hashtag(**tag) for tag in node["hashtags"]],
            sound=Sound(**sound) if sound else None,
        )

    return FeedConnection(
        request_id=data["requestId"],
        page_info=PageInfo(
            has_next_page=data["pageInfo"]["hasNextPage"], end_cursor=data["pageInfo"]["endCursor"]
        ),
        stages=[Stage(**stage) for stage in data["stages"]],
        edges=[
            Edge(
                score=edge["score"],
                position=edge["position"],
                sources=edge["sources"],
                explanation=Explanation(reasons=edge["explanation"]["reasons"]),
                node=video(edge["node"]),
            )
            for edge in data["edges"]
        ],
    )


def load_pages(path: Path) -> list[FeedConnection]:
    pages = [_page(data) for data in json.loads(path.read_text(encoding="utf-8"))]
    if not pages:
        raise SystemExit(f"{path} holds no pages")
    return pages


PAGES = load_pages(Path(os.environ["FYP_FLOOR_PAGES"])) if "FYP_FLOOR_PAGES" in os.environ else []
_NEXT = itertools.cycle(range(max(1, len(PAGES))))


@strawberry.type
class Query:
    @strawberry.field
    def feed(self, first: int = 20, user_id: strawberry.ID | None = None) -> FeedConnection:
        return PAGES[next(_NEXT)]


async def health(request: Any) -> Response:
    return JSONResponse({"status": "ok"})


app = Starlette(
    routes=[
        Route("/graphql", GraphQL(strawberry.Schema(query=Query)), methods=["GET", "POST"]),
        Route("/health", health),
    ]
)
