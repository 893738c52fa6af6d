"""The read-only runner: writes are refused before they run, the graph stays unchanged,
results are bounded by a row limit and a timeout, and mistakes read as client errors."""

from __future__ import annotations

import pytest

from graph.analytics import ReadOnlyRunner
from graph.db import Graph
from graph.errors import ClientError
from graph.ingest import import_records
from graph.schema import counts

WRITES = {
    "create": "CREATE (:Intruder {id: 'x'})",
    "merge": "MERGE (u:User {id: 'u1'}) SET u.name = 'mallory'",
    "set": "MATCH (u:User) SET u.followers = 1000000",
    "remove": "MATCH (u:User) REMOVE u.name",
    "delete": "MATCH (u:User {id: 'u2'}) DETACH DELETE u",
    "call subquery": "MATCH (u:User) CALL (u) { SET u.name = 'x' } RETURN count(*) AS n",
    "read then hidden write": (
        "MATCH (u:User) WITH count(u) AS n CALL () { CREATE (:Intruder) } RETURN n"
    ),
    "in transactions": "CALL () { CREATE (:Intruder) } IN TRANSACTIONS",
    "foreach": "FOREACH (i IN range(1, 3) | CREATE (:Intruder {i: i}))",
    "write procedure": "CALL db.createLabel('Intruder')",
    "schema": "CREATE INDEX intruder IF NOT EXISTS FOR (n:Intruder) ON (n.id)",
    "load csv": "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row",
    "terminate": "TERMINATE TRANSACTIONS 'neo4j-transaction-1'",
    "side-effect procedure": "CALL db.stats.clear('QUERIES')",
}


@pytest.fixture
def runner(graph: Graph) -> ReadOnlyRunner:
    users = [{"id": f"u{i}", "name": f"user{i}"} for i in range(1, 6)]
    import_records(graph, {"users": users, "creators": [{"id": "c1", "name": "creator"}]})
    return ReadOnlyRunner(graph, row_limit=3, timeout_s=5.0)


def snapshot(graph: Graph) -> tuple[dict[str, int], list[dict[str, object]]]:
    names = graph.read("admin/counts")
    return counts(graph), sorted(names, key=lambda row: (row["kind"], row["name"]))


@pytest.mark.parametrize("statement", list(WRITES.values()), ids=list(WRITES))
def test_writes_are_refused_and_change_nothing(
    runner: ReadOnlyRunner, graph: Graph, statement: str
) -> None:
    before = snapshot(graph)
    indexes_before = len(graph.read("schema/show"))
    with pytest.raises(ClientError, match="refused"):
        runner.run_cypher(statement)
    assert snapshot(graph) == before
    assert len(graph.read("schema/show")) == indexes_before


def test_refusal_happens_before_anything_runs(runner: ReadOnlyRunner, graph: Graph) -> None:
    # A read that would fail at run time (division by zero) is still planned and refused
    # for its write first: nothing of it ever executes.
    with pytest.raises(ClientError, match="refused: only read-only"):
        runner.run_cypher("MATCH (u:User) SET u.name = toString(1 / 0)")
    assert counts(graph)["node:User"] == 6


def test_reads_run_with_a_row_limit(runner: ReadOnlyRunner) -> None:
    result = runner.run_cypher("MATCH (u:User) RETURN u.id AS id ORDER BY id")
    assert result.columns == ["id"]
    assert result.rows == [["c1"], ["u1"], ["u2"]]
    assert result.truncated and result.row_limit == 3
    everything = runner.run_cypher("MATCH (u:User) RETURN u.id AS id", row_limit=100)
    assert len(everything.rows) == 6 and not everything.truncated
    exact = runner.run_cypher("MATCH (u:User) RETURN u.id AS id LIMIT 3")
    assert len(exact.rows) == 3 and not exact.truncated


def test_ad_hoc_parameters_travel_as_parameters(runner: ReadOnlyRunner) -> None:
    injection = "u1' OR 1=1 //"
    result = runner.run_cypher("MATCH (u:User {id: $id}) RETURN u.name AS name", {"id": injection})
    assert result.rows == []
    found = runner.run_cypher("MATCH (u:User {id: $id}) RETURN u.name AS name", {"id": "u1"})
    assert found.records() == [{"name": "user1"}]


def test_safe_procedures_and_schema_reads_are_allowed(runner: ReadOnlyRunner) -> None:
    labels = runner.run_cypher("CALL db.labels() YIELD label RETURN label", row_limit=100)
    assert ["User"] in labels.rows
    assert runner.run_cypher("SHOW INDEXES YIELD name RETURN count(*) AS n").rows[0][0] > 0


def test_a_long_query_is_stopped_by_the_timeout(graph: Graph) -> None:
    impatient = ReadOnlyRunner(graph, timeout_s=0.5)
    with pytest.raises(ClientError, match=r"longer than 0\.5 s"):
        impatient.run_cypher(
            "UNWIND range(1, 100000) AS a UNWIND range(1, 100000) AS b RETURN count(*) AS n"
        )


@pytest.mark.parametrize(
    ("statement", "message"),
    [
        ("", "empty"),
        ("EXPLAIN MATCH (n) RETURN n", "leave out EXPLAIN"),
        ("MATCH (n RETURN n", "SyntaxError"),
        ("MATCH (n) RETURN n; MATCH (m) RETURN m", "Neo4j refused the query"),
        ("MATCH (u:User {id: $missing}) RETURN u", "missing"),
    ],
)
def test_mistakes_are_client_errors(runner: ReadOnlyRunner, statement: str, message: str) -> None:
    with pytest.raises(ClientError, match=message):
        runner.run_cypher(statement)


def test_catalogue_queries_apply_defaults_and_reject_unknown_parameters(
    runner: ReadOnlyRunner,
) -> None:
    days = runner.run("daily_active_viewers", row_limit=100)
    assert len(days.rows) == 14 and days.params["days"] == 14
    with pytest.raises(ClientError, match="has no parameter \\$weeks"):
        runner.run("daily_active_viewers", {"weeks": 2})
    with pytest.raises(ClientError, match="row limit must be between"):
        runner.run("daily_active_viewers", row_limit=0)
