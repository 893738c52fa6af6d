"""Where ingestion's time goes: the data model's writes, rung by rung, up to the full path.

``bench/ingest.py`` measures the project's bulk path against a naive one. This script
asks how fast any bulk path could be on this machine while keeping the data model
(docs/model.md): one Event node per event, one relationship per (user, video) pair.
It writes the view events of the same synthetic world (``bench/ingest.py``'s, at least
``--events`` interactions) into an emptied database on one warm throwaway Neo4j, one
write transaction per batch of ``--batch-size`` views and one writer, adding one
requirement of the model per rung:

``bare``
    Event nodes with only their unique id, plus one VIEWED relationship per pair
    without properties, its ends found by element id: a floor for the model.
``event_props``
    + the Event properties and their two other indexes (``ingest/events_create``).
``pair_props``
    + the VIEWED properties (count, watch time, completion, rewatches, first / last time).
``match_by_id``
    + users and videos found by their ids (unique index seeks), not element ids.
``check_pairs``
    + adding to a stored VIEWED instead of always creating one (``ingest/pairs_viewed``).
``counted_path``
    + the event-id check (replays are no-ops) and the per-video counters: the project's
    write of counted events (``graph.ingest.events.write_events``), views only.
``project``
    Every interaction of every type through ``import_records``: Python validation and id
    checks, likes / follows / not-interested through their ordered files. Its rate is
    over all interactions; every other rung's is over the view events.

Rungs before ``counted_path`` get their rows aggregated and their element ids resolved
before the clock starts. Every rung runs ``--rounds`` times (default 2: the JVM keeps
compiling through the first) and the last round is reported. Progress goes to stderr;
the last stdout line is one JSON object::

    {"name": "ingest_floor", "view_events": N, "rungs": {"bare": {"events_per_s": X,
     "neo4j_cpu_ms_per_event": Y}, ...}, ...}
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ingest import Row, Timing, fresh_graph, per_event_ms, synthetic_world, timed

from graph.config import Settings
from graph.db import Graph
from graph.ingest import import_records
from graph.ingest.aggregate import aggregate
from graph.ingest.events import write_events
from graph.ingest.pipeline import DEFAULT_BATCH_SIZE, batched
from graph.ingest.transactions import Transaction, in_write_transaction
from graph.ingest.validate import EventRow, validate
from graph.schema import wipe

log = logging.getLogger("bench.ingest_floor")

# The two statements each rung before counted_path runs per batch: Event nodes, then pairs.
STATEMENT_RUNGS: dict[str, tuple[str, str]] = {
    "bare": ("bench/ingest_floor_events_bare", "bench/ingest_floor_viewed_bare"),
    "event_props": ("ingest/events_create", "bench/ingest_floor_viewed_bare"),
    "pair_props": ("ingest/events_create", "bench/ingest_floor_viewed_props"),
    "match_by_id": ("ingest/events_create", "bench/ingest_floor_viewed_by_id"),
    "check_pairs": ("ingest/events_create", "ingest/pairs_viewed"),
}
RUNGS = (*STATEMENT_RUNGS, "counted_path", "project")
# The pairs files that find both ends by element id (the others seek users and videos by id).
BY_ELEMENT_ID = frozenset({"bench/ingest_floor_viewed_bare", "bench/ingest_floor_viewed_props"})


@dataclass(frozen=True)
class ViewBatch:
    """One batch of view events, validated, with what the statement rungs send."""

    views: list[EventRow]
    events: list[dict[str, Any]]
    pairs: list[dict[str, Any]]


def main() -> None:
    args = _parse_args()
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(name)s %(message)s", stream=sys.stderr
    )
    logging.getLogger("neo4j").setLevel(logging.WARNING)

    world, interactions = synthetic_world(args.events, args.seed)
    entities = {kind: world[kind] for kind in ("users", "creators", "videos", "follows")}
    views = [
        event
        for event in (validate("interactions", record) for record in interactions)
        if event["type"] == "view"
    ]
    batches = [_view_batch(chunk) for chunk in batched(views, args.batch_size)]  # type: ignore[arg-type]

    rungs: dict[str, dict[str, Any]] = {}
    with fresh_graph(Settings(), args.heap) as (graph, server):
        for round_ in range(1, args.rounds + 1):
            for rung in RUNGS:
                wipe(graph)
                import_records(graph, entities, batch_size=args.batch_size)
                work = _rung(graph, rung, batches, interactions, args.batch_size)
                timing, _ = timed(server, work)
                events = len(interactions) if rung == "project" else len(views)
                rungs[rung] = _figures(timing, events)
                log.info("round %d, %s: %s", round_, rung, rungs[rung])

    print(json.dumps({
        "name": "ingest_floor",
        "view_events": len(views),
        "events": len(interactions),
        "batch_size": args.batch_size,
        "rounds": args.rounds,
        "rungs": rungs,
        "load_average_1m": round(os.getloadavg()[0], 1),
        "cpus": os.cpu_count(),
    }))  # fmt: skip


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=200_000, help="interactions at least")
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--heap", default="2g", help="heap of the throwaway Neo4j")
    parser.add_argument("--rounds", type=int, default=2, help="runs of each rung (last counts)")
    return parser.parse_args()


def _view_batch(views: list[EventRow]) -> ViewBatch:
    counted = aggregate(views)
    return ViewBatch(views, counted.events, counted.pairs.get("view", []))


def _rung(
    graph: Graph, rung: str, batches: list[ViewBatch], interactions: list[Row], batch_size: int
) -> Callable[[], object]:
    """The timed work of ``rung`` (element ids, where its file uses them, resolved first)."""
    if rung == "project":
        return lambda: import_records(graph, {"interactions": interactions}, batch_size=batch_size)
    if rung == "counted_path":
        return lambda: [write_events(graph, batch.views) for batch in batches]
    events_file, pairs_file = STATEMENT_RUNGS[rung]
    rows = [batch.pairs for batch in batches]
    if pairs_file in BY_ELEMENT_ID:
        refs = _element_ids(graph, batches)
        rows = [
            [{**pair, "user": refs["user", pair["userId"]], "video": refs["video", pair["videoId"]]}
             for pair in pairs]
            for pairs in rows
        ]  # fmt: skip

    def write_all() -> None:
        for batch, pairs in zip(batches, rows, strict=True):

            def work(tx: Transaction, batch: ViewBatch = batch, pairs: list[Row] = pairs) -> None:
                tx.run(events_file, events=batch.events)
                tx.run(pairs_file, pairs=pairs)

            in_write_transaction(graph, work)

    return write_all


def _element_ids(graph: Graph, batches: list[ViewBatch]) -> dict[tuple[str, str], str]:
    users = sorted({pair["userId"] for batch in batches for pair in batch.pairs})
    videos = sorted({pair["videoId"] for batch in batches for pair in batch.pairs})
    rows = graph.read("bench/ingest_floor_refs", userIds=users, videoIds=videos)
    return {(row["kind"], row["id"]): row["ref"] for row in rows}


def _figures(timing: Timing, events: int) -> dict[str, Any]:
    return {
        "events_per_s": round(events / timing.seconds, 1),
        "seconds": round(timing.seconds, 2),
        "neo4j_cpu_ms_per_event": per_event_ms(timing, events),
    }


if __name__ == "__main__":
    main()
