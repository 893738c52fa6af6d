"""The project's own Neo4j: it runs, answers, and keeps its schema idempotent."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.db import Graph
from graph.errors import DependencyError
from graph.local_neo4j import LocalNeo4j
from graph.schema import counts, describe_schema, init_schema, wipe


def test_schema_init_is_idempotent(graph: Graph) -> None:
    before = {row["name"] for row in describe_schema(graph)}
    init_schema(graph)
    after = {row["name"] for row in describe_schema(graph)}
    assert before == after
    assert {"user_id", "video_id", "event_id", "viewed_last_at"} <= after


def test_counts_start_at_zero_after_wipe(graph: Graph) -> None:
    assert all(value == 0 for value in counts(graph).values())


def test_wipe_removes_hubs_whose_relationships_outnumber_the_batch(graph: Graph) -> None:
    # Two hubs with 50 relationships each, wiped 10 at a time: every transaction must
    # stay bounded by the batch, and nothing may survive.
    graph.driver.execute_query(
        "UNWIND range(1, 2) AS h CREATE (hub:Probe {h: h}) "
        "WITH hub UNWIND range(1, 50) AS i CREATE (hub)-[:P]->(:Probe)"
    )
    assert wipe(graph, batch=10) == 102
    assert sum(counts(graph).values()) == 0


def test_password_of_a_server_never_started_is_a_clear_error(tmp_path: Path) -> None:
    server = LocalNeo4j(tmp_path, cache=tmp_path / "cache", version="5.26.30")
    with pytest.raises(DependencyError, match="fyp neo4j start"):
        server.password()
    assert server.status().running is False
    assert server.stop() is False


def test_missing_java_says_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # nothing on PATH: no java, no mvn
    server = LocalNeo4j(tmp_path / "home", cache=tmp_path / "cache", version="5.26.30")
    with pytest.raises(DependencyError, match="apt-get install openjdk-17"):
        server.start()


def test_server_lifecycle_keeps_data_and_a_private_password(tmp_path: Path) -> None:
    from graph.config import Settings
    from graph.db import Connection
    from graph.local_neo4j import free_port

    settings = Settings()
    server = LocalNeo4j(
        tmp_path / "home",
        cache=settings.cache,
        version=settings.neo4j_version,
        bolt_port=free_port(),
        heap="512m",
        pagecache="128m",
    )

    def connection() -> Connection:
        return Connection(server.uri, "neo4j", server.password(), "neo4j", 60.0)

    try:
        assert server.start() == server.uri
        assert server.status().running
        assert server.password_file.stat().st_mode & 0o777 == 0o600
        assert server.start() == server.uri  # already running: idempotent
        with Graph(connection()) as graph:
            init_schema(graph)
        assert server.stop() is True
        assert server.status().running is False
        server.start()
        with Graph(connection()) as graph:
            assert "video_id" in {row["name"] for row in describe_schema(graph)}
    finally:
        server.stop()
