"""Ingestion throughput: the batched bulk path against one auto-commit query per event,
and the offline path (neo4j-admin) against the online one.

A synthetic world (``graph.synth``) with at least ``--events`` interactions (default
200,000) is loaded into a fresh throwaway Neo4j (warmed up first on a small world,
then emptied: ``--no-warm-up`` times a cold JVM) with ``import_records`` (users,
creators, videos and follows first, untimed; then the interactions, timed). A second
fresh Neo4j gets the same users / creators / videos, then a sample of ``--sample``
interactions (default 5,000; the view / skip / like / share / comment events, in
stream order) is sent the naive way: one auto-commit query per event
(``cypher/bench/ingest_naive_event.cypher``). Only the two rates are compared.

Offline: the same world goes into a third, never-started server through
``graph.ingest.offline_load`` (validation, importer files, ``neo4j-admin database
import``, server start, schema), timed end to end over all of it, entities included;
``offline_events_per_s`` is the world's interactions over that time, and
``offline_ratio`` its ratio to the online ``events_per_s`` of the same run. Then the
full KuaiRand dataset (all parts) is loaded offline into a fresh server
(``kuairand_offline_s``, end to end, the conversion from parquet included) and, with
``--kuairand-online``, online too (``kuairand_online_s``: schema then import, as
``fyp import-kuairand`` does).

Progress goes to stderr; the last stdout line is one JSON object::

    {"name": "ingest", "events": N, "events_per_s": X, "baseline_events_per_s": Y,
     "ratio": X / Y, "offline_events_per_s": Z, "offline_ratio": Z / X,
     "kuairand_offline_s": S, ...}

Targets on the 2-core dev machine: online events_per_s not below the last recorded
(~8,000 on a quiet machine) and ratio >= 15; offline_ratio >= 10; kuairand_offline_s
<= 60. Extra fields give context: the load average during the run (the machine is
shared) and the Neo4j process's CPU seconds per event, which is steadier than wall
time on a busy machine.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from graph.config import Settings
from graph.datasets.kuairand import KuaiRandConversion, load_conversion
from graph.datasets.kuairand_layout import KuaiRandLayout
from graph.datasets.locate import find_kuairand
from graph.db import Connection, Graph
from graph.ingest import ImportReport, import_records
from graph.ingest.offline_load import load_offline
from graph.ingest.pipeline import DEFAULT_BATCH_SIZE
from graph.local_neo4j import LocalNeo4j, throwaway_server
from graph.schema import init_schema, wipe
from graph.synth import WorldSpec, generate_world

log = logging.getLogger("bench.ingest")

NAIVE_QUERY = "bench/ingest_naive_event"
NAIVE_TYPES = ("view", "skip", "like", "share", "comment")
Row = dict[str, Any]
T = TypeVar("T")


@dataclass(frozen=True)
class Timing:
    seconds: float
    neo4j_cpu_s: float | None


def main() -> None:
    args = _parse_args()
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(name)s %(message)s", stream=sys.stderr
    )
    logging.getLogger("neo4j").setLevel(logging.WARNING)
    settings = Settings()

    world, interactions = synthetic_world(args.events, args.seed)
    entities = {kind: world[kind] for kind in ("users", "creators", "videos", "follows")}

    with fresh_graph(settings, args.heap) as (graph, server):
        if args.warm_up:
            _warm_up(graph, args, naive=False)
        log.info("bulk: loading %s", {kind: len(rows) for kind, rows in entities.items()})
        import_records(graph, entities, batch_size=args.batch_size)
        log.info("bulk: %d interactions, batch size %d", len(interactions), args.batch_size)
        bulk, report = timed(server, lambda: _bulk(graph, interactions, args.batch_size))
    loaded = report.by_kind("interactions")
    if report.rejected:
        log.warning(
            "bulk: %d interactions rejected, e.g. %s", report.rejected, report.rejections[0]
        )
    bulk_rate = len(interactions) / bulk.seconds
    log.info("bulk: %.0f events/s (%.1f s)", bulk_rate, bulk.seconds)

    sample = _naive_sample(interactions, world["videos"], args.sample)
    with fresh_graph(settings, args.heap) as (graph, server):
        if args.warm_up:
            _warm_up(graph, args, naive=True)
        import_records(graph, {kind: entities[kind] for kind in ("users", "creators", "videos")})
        log.info("naive: %d events, one auto-commit query each", len(sample))
        naive, _ = timed(server, lambda: _naive(graph, sample))
    naive_rate = len(sample) / naive.seconds
    log.info("naive: %.0f events/s (%.1f s)", naive_rate, naive.seconds)

    offline_s, offline_events = _offline(settings, args.heap, world, args.batch_size)
    offline_rate = len(interactions) / offline_s
    log.info("offline: %d events, %.0f events/s end to end (%.1f s)",
             offline_events, offline_rate, offline_s)  # fmt: skip
    kuairand = _kuairand(settings, args)

    result = {
        "name": "ingest",
        "events": len(interactions),
        "events_per_s": round(bulk_rate, 1),
        "baseline_events_per_s": round(naive_rate, 1),
        "ratio": round(bulk_rate / naive_rate, 1),
        "offline_events_per_s": round(offline_rate, 1),
        "offline_ratio": round(offline_rate / bulk_rate, 1),
        "offline_seconds": round(offline_s, 1),
        **kuairand,
        "loaded": loaded.loaded,
        "rejected": loaded.rejected,
        "already_present": loaded.already_present,
        "batch_size": args.batch_size,
        "baseline_sample": len(sample),
        "seconds": round(bulk.seconds, 1),
        "warm_up": args.warm_up,
        "neo4j_cpu_ms_per_event": per_event_ms(bulk, len(interactions)),
        "baseline_neo4j_cpu_ms_per_event": per_event_ms(naive, len(sample)),
        "load_average_1m": round(os.getloadavg()[0], 1),
        "cpus": os.cpu_count(),
    }
    print(json.dumps(result))


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=200_000, help="interactions at least")
    parser.add_argument("--sample", type=int, default=5_000, help="events for the baseline")
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--heap", default="2g", help="heap of each throwaway Neo4j")
    parser.add_argument(
        "--kuairand",
        type=Path,
        default=find_kuairand(Path(__file__).resolve().parents[1], os.environ.get("FYP_KUAIRAND")),
        help="the KuaiRand folder to time a full offline load of (default: found nearby)",
    )
    parser.add_argument(
        "--kuairand-online",
        action="store_true",
        help="also time the full KuaiRand load online (minutes on 2 cores)",
    )
    parser.add_argument(
        "--warm-up",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="load a small world first, then empty the database, so the JVM has compiled "
        "its hot paths before the timed run (a cold JVM is several times slower)",
    )
    return parser.parse_args()


def synthetic_world(events: int, seed: int) -> tuple[dict[str, list[Row]], list[Row]]:
    """A synthetic world with at least ``events`` interactions (grown until it has)."""
    users = max(200, events // 50)
    while True:
        spec = WorldSpec(users=users, videos=users * 3 // 2, seed=seed)
        world = {kind: list(rows) for kind, rows in generate_world(spec).records().items()}
        if len(world["interactions"]) >= events:
            log.info("world: %d users, %d videos, %d interactions",
                     spec.users, spec.videos, len(world["interactions"]))  # fmt: skip
            return world, world["interactions"]
        users = int(users * 1.3 * events / max(1, len(world["interactions"]))) + 1


def _warm_up(graph: Graph, args: argparse.Namespace, *, naive: bool) -> None:
    """Exercise the same queries on a small, different world, then empty the database."""
    spec = WorldSpec(users=400, videos=600, seed=args.seed + 1000)
    world = {kind: list(rows) for kind, rows in generate_world(spec).records().items()}
    log.info("warm-up: %d interactions (%s path)", len(world["interactions"]),
             "naive" if naive else "bulk")  # fmt: skip
    if naive:
        import_records(graph, {kind: world[kind] for kind in ("users", "creators", "videos")})
        _naive(graph, _naive_sample(world["interactions"], world["videos"], 2_000))
    else:
        import_records(graph, world, batch_size=args.batch_size)
    wipe(graph)


@contextmanager
def fresh_graph(settings: Settings, heap: str) -> Iterator[tuple[Graph, LocalNeo4j]]:
    with throwaway_server(settings.cache, settings.neo4j_version, heap=heap, pagecache="1g") as s:
        conn = Connection(s.uri, "neo4j", s.password(), "neo4j", timeout_s=600.0)
        with Graph(conn) as graph:
            init_schema(graph)
            yield graph, s


def timed(server: LocalNeo4j, work: Callable[[], T]) -> tuple[Timing, T]:
    cpu_before = _process_cpu_s(server)
    started = time.perf_counter()
    outcome = work()
    seconds = time.perf_counter() - started
    cpu_after = _process_cpu_s(server)
    cpu = None if cpu_before is None or cpu_after is None else cpu_after - cpu_before
    return Timing(seconds, cpu), outcome


def _bulk(graph: Graph, interactions: list[Row], batch_size: int) -> ImportReport:
    done = 0
    started = time.perf_counter()

    def progress(kind: str, count: int) -> None:
        nonlocal done
        done += count
        if done % 50_000 < count:
            rate = done / (time.perf_counter() - started)
            log.info("bulk: %d / %d (%.0f events/s)", done, len(interactions), rate)

    return import_records(
        graph, {"interactions": interactions}, batch_size=batch_size, progress=progress
    )


def _offline(
    settings: Settings, heap: str, world: dict[str, list[Row]], batch_size: int
) -> tuple[float, int]:
    """Seconds to load ``world`` offline into a never-started server, and its events."""
    with throwaway_server(
        settings.cache, settings.neo4j_version, heap=heap, pagecache="1g", start=False
    ) as server:
        started = time.perf_counter()
        outcome = load_offline(
            server, lambda target: import_records(target, world, batch_size=batch_size)
        )
        seconds = time.perf_counter() - started
    log.info("offline phases: %s", {k: round(v, 1) for k, v in outcome.seconds.items()})
    return seconds, outcome.events


def _kuairand(settings: Settings, args: argparse.Namespace) -> dict[str, Any]:
    """The full KuaiRand load offline (and online with --kuairand-online), end to end."""
    if args.kuairand is None:
        log.warning("KuaiRand not found (set FYP_KUAIRAND): its loads are not timed")
        return {}
    layout = KuaiRandLayout.detect(args.kuairand, smoke=False)
    result: dict[str, Any] = {}
    with throwaway_server(
        settings.cache, settings.neo4j_version, heap=args.heap, pagecache="1g", start=False
    ) as server:
        started = time.perf_counter()
        outcome = load_offline(
            server,
            lambda target: load_conversion(
                target, KuaiRandConversion(layout), batch_size=args.batch_size
            ),
        )
        result["kuairand_offline_s"] = round(time.perf_counter() - started, 1)
        result["kuairand_events"] = outcome.events
        log.info("kuairand offline: %s s, phases %s", result["kuairand_offline_s"],
                 {k: round(v, 1) for k, v in outcome.seconds.items()})  # fmt: skip
    if args.kuairand_online:
        with fresh_graph(settings, args.heap) as (graph, _server):
            started = time.perf_counter()
            init_schema(graph)
            load_conversion(graph, KuaiRandConversion(layout), batch_size=args.batch_size)
            result["kuairand_online_s"] = round(time.perf_counter() - started, 1)
        log.info("kuairand online: %s s", result["kuairand_online_s"])
    return result


def _naive_sample(interactions: list[Row], videos: list[Row], size: int) -> list[Row]:
    """The first ``size`` events the naive query handles, as its parameters."""
    durations = {video["id"]: int(video["durationMs"]) for video in videos}
    sample: list[Row] = []
    for event in interactions:
        if event["type"] not in NAIVE_TYPES:
            continue
        watch = int(event.get("watchMs") or 0) if event["type"] == "view" else 0
        sample.append({
            "id": event["eventId"], "type": event["type"], "at": event["at"],
            "userId": event["userId"], "videoId": event["videoId"], "watchMs": watch,
            "completion": min(watch / durations[event["videoId"]], 5.0),
        })  # fmt: skip
        if len(sample) == size:
            break
    return sample


def _naive(graph: Graph, sample: list[Row]) -> None:
    """One auto-commit query per event: what a straightforward client does."""
    with graph.session() as session:
        for n, params in enumerate(sample, start=1):
            graph.run_in(session, NAIVE_QUERY, **params).consume()
            if n % 1000 == 0:
                log.info("naive: %d / %d", n, len(sample))


def _process_cpu_s(server: LocalNeo4j) -> float | None:
    """CPU seconds the Neo4j process has used (Linux only; None elsewhere)."""
    pid = server.status().pid
    stat = Path(f"/proc/{pid}/stat")
    if pid is None or not stat.exists():
        return None
    fields = stat.read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def per_event_ms(timing: Timing, events: int) -> float | None:
    return None if timing.neo4j_cpu_s is None else round(1000 * timing.neo4j_cpu_s / events, 3)


if __name__ == "__main__":
    main()
