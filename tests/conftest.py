"""Shared fixtures: a real, throwaway Neo4j for the whole test session.

The server gets a free port and its own data directory under a temp folder and is
removed afterwards. Set ``FYP_TEST_NEO4J_URI`` (with ``FYP_TEST_NEO4J_PASSWORD``)
to run against an existing server instead; its database is wiped between tests.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.config import Settings
from graph.db import Connection, Graph
from graph.local_neo4j import throwaway_server
from graph.schema import init_schema, wipe


@pytest.fixture(scope="session")
def neo4j_connection() -> Iterator[Connection]:
    uri = os.environ.get("FYP_TEST_NEO4J_URI")
    if uri:
        yield Connection(
            uri=uri,
            user=os.environ.get("FYP_TEST_NEO4J_USER", "neo4j"),
            password=os.environ["FYP_TEST_NEO4J_PASSWORD"],
            database="neo4j",
            timeout_s=120.0,
        )
        return
    settings = Settings()
    with throwaway_server(settings.cache, settings.neo4j_version) as server:
        yield Connection(
            uri=server.uri, user="neo4j", password=server.password(), database="neo4j",
            timeout_s=120.0,
        )  # fmt: skip


@pytest.fixture(scope="session")
def session_graph(neo4j_connection: Connection) -> Iterator[Graph]:
    with Graph(neo4j_connection) as graph:
        init_schema(graph)
        yield graph


@pytest.fixture
def graph(session_graph: Graph) -> Graph:
    """The session's database, emptied before the test (schema kept)."""
    wipe(session_graph)
    return session_graph


@pytest.fixture
def settings(neo4j_connection: Connection, tmp_path: Path) -> Settings:
    """Settings that point the CLI / app at the test server."""
    return Settings(
        neo4j_uri=neo4j_connection.uri,
        neo4j_user=neo4j_connection.user,
        neo4j_password=neo4j_connection.password,  # type: ignore[arg-type]
        home=tmp_path / "fyp-home",
    )


@pytest.fixture
def cli_env(settings: Settings) -> dict[str, str]:
    """Environment for running ``fyp`` in a subprocess or CliRunner against the test server."""
    assert settings.neo4j_uri is not None and settings.neo4j_password is not None
    return {
        "FYP_NEO4J_URI": settings.neo4j_uri,
        "FYP_NEO4J_USER": settings.neo4j_user,
        "FYP_NEO4J_PASSWORD": settings.neo4j_password.get_secret_value(),
        "FYP_HOME": str(settings.home),
    }


@pytest.fixture
def local_env(tmp_path: Path) -> Iterator[dict[str, str | None]]:
    """Environment for ``fyp`` against its *own* local server (under ``tmp_path``, on a
    free port, small memory), which is stopped afterwards: for offline imports."""
    from typer.testing import CliRunner

    from graph.cli import app
    from graph.local_neo4j import free_port

    env: dict[str, str | None] = {
        "FYP_NEO4J_URI": None,
        "FYP_NEO4J_PASSWORD": None,
        "FYP_HOME": str(tmp_path / "home"),
        "FYP_NEO4J_BOLT_PORT": str(free_port()),
        "FYP_NEO4J_HEAP": "512m",
        "FYP_NEO4J_PAGECACHE": "256m",
    }
    yield env
    CliRunner().invoke(app, ["neo4j", "stop"], env=env)
