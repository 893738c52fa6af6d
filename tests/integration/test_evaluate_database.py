"""graph.evaluate.database: a throwaway server, loaded offline when the split is big."""

from __future__ import annotations

from dataclasses import replace

from graph.config import Settings
from graph.db import Graph
from graph.evaluate.database import scratch_server
from graph.schema import counts
from graph.synth import WorldSpec, generate_world


def test_a_big_enough_split_loads_offline_and_a_small_one_online() -> None:
    world = generate_world(WorldSpec(users=120, videos=150, seed=3))
    records = {kind: list(rows) for kind, rows in world.records().items()}
    total = sum(map(len, records.values()))
    with scratch_server(Settings(), timeout_s=60.0) as (connection, empty):
        assert empty.server is not None
        first_pid = empty.server.status().pid

        report = replace(empty, offline_from=10).load(connection, lambda: records, size=10)
        assert report.rejected == 0 and report.loaded == total
        restarted_pid = empty.server.status().pid
        assert restarted_pid not in (None, first_pid), "offline: the importer restarts the server"
        with Graph(connection) as graph:
            assert counts(graph)["node:Event"] == len(records["interactions"])

        # Small: online, into the running server (where everything is already present).
        again = replace(empty, offline_from=10).load(connection, lambda: records, size=9)
        assert again.loaded == 0 and again.already_present == total
        assert empty.server.status().pid == restarted_pid
