"""The app as uvicorn builds it in every worker process, from the environment.

``fyp serve --workers N`` runs N processes, each with its own read model of the
catalogue and its own driver pool against the same Neo4j (README, "Scaling out"); each
builds its app here, reading ``FYP_*`` once, as ``fyp serve`` itself does in-process.
"""

from __future__ import annotations

from starlette.applications import Starlette

from api.app import create_app
from api.settings import ApiSettings
from graph.config import Settings
from graph.db import AsyncGraph, resolve_connection
from graph.feed import BackgroundImpressions, FeedConfig, FeedEngine

#: Where ``fyp train-ranker`` weights are picked up from (under ``FYP_HOME``).
RANKER_WEIGHTS = "ranker.json"


def app_from_environment() -> Starlette:
    settings = Settings()
    config = FeedConfig().with_weights_file(settings.home / RANKER_WEIGHTS)

    def feed(graph: AsyncGraph) -> FeedEngine:
        return FeedEngine(graph, config, impressions=BackgroundImpressions(graph))

    return create_app(ApiSettings(), resolve_connection(settings), feed=feed)
