"""Feed load over HTTP: 16 concurrent clients asking the GraphQL API for feeds of 20.

A throwaway Neo4j is loaded with KuaiRand (``import_kuairand``), or ``--neo4j-uri``
points at a server that already holds it. ``fyp serve`` runs in its own process on
a free loopback port; the clients (httpx, async) each ask for pages of 20 for
random active users with a service key. The same feeds (same users, same
concurrency, same engine config) are then built through ``FeedEngine`` directly, in
this process, so ``graphql_overhead`` = API p50 / engine p50 isolates what HTTP and
GraphQL add. Both phases record impressions, as serving does.

Progress goes to stderr; the last stdout line is one JSON object::

    {"name": "feed_load", "concurrency": 16, "p50_ms": a, "p99_ms": b, "feeds_per_s": c,
     "direct_p50_ms": d, "graphql_overhead": a/d, "errors": 0, ...}

Targets on the 2-core dev machine: p99_ms <= 100, p50_ms <= 30, graphql_overhead <= 1.3,
errors = 0. Data: KuaiRand, Kuaishou Technology, CC BY-SA 4.0.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from graph.config import Settings
from graph.datasets.kuairand import import_kuairand
from graph.datasets.locate import find_kuairand
from graph.db import AsyncGraph, Connection, Graph
from graph.feed import FeedEngine, FeedRequest
from graph.local_neo4j import free_port, throwaway_server
from graph.precompute import precompute_co_engagement
from graph.schema import init_schema

log = logging.getLogger("bench.feed_load")

REPO = Path(__file__).resolve().parents[1]
SERVICE_KEY = "bench-service-key"
#: The smoke sample's full rows (its sequences were built from "train": not both).
SMOKE_ROWS = ("train", "val", "test")
FEED = """
query Feed($userId: ID!, $first: Int!) {
  feed(first: $first, userId: $userId) {
    requestId
    pageInfo { hasNextPage endCursor }
    edges {
      score position sources
      explanation { reasons }
      node {
        id caption durationMs stats { views likes }
        creator { id name } hashtags { name } sound { id title }
      }
    }
  }
}
"""


def default_dataset() -> Path:
    found = find_kuairand(REPO, os.environ.get("FYP_KUAIRAND"))
    if found is None:
        raise SystemExit("KuaiRand not found: pass --kuairand PATH or set FYP_KUAIRAND")
    return found


@contextmanager
def loaded_connection(args: argparse.Namespace) -> Iterator[Connection]:
    if args.neo4j_uri:
        yield Connection(args.neo4j_uri, "neo4j", args.neo4j_password, "neo4j", timeout_s=300.0)
        return
    settings = Settings()
    with throwaway_server(settings.cache, settings.neo4j_version, heap="2g", pagecache="1g") as s:
        connection = Connection(s.uri, "neo4j", s.password(), "neo4j", timeout_s=300.0)
        with Graph(connection) as graph:
            init_schema(graph)
            started = time.perf_counter()
            log.info("importing KuaiRand from %s ...", args.kuairand)
            if args.smoke:
                report = import_kuairand(graph, args.kuairand, SMOKE_ROWS, smoke=True)
            else:
                report = import_kuairand(graph, args.kuairand)
            log.info(
                "imported in %.0f s: %d loaded, %d rejected",
                time.perf_counter() - started, report.loaded, report.rejected,
            )  # fmt: skip
            # The batch job a deployment runs after loading: the feed's co-engagement
            # source walks the CO_ENGAGED neighbours it writes.
            started = time.perf_counter()
            precompute_co_engagement(graph)
            log.info("precomputed co-engagement in %.0f s", time.perf_counter() - started)
        yield connection


@contextmanager
def api_server(connection: Connection, port: int) -> Iterator[str]:
    """``fyp serve`` in its own process (its own GIL), dev mode, one service key."""
    home = tempfile.mkdtemp(prefix="fyp-bench-home-")  # no trained ranker weights: defaults
    env = {
        **os.environ,
        "FYP_NEO4J_URI": connection.uri,
        "FYP_NEO4J_PASSWORD": connection.password,
        "FYP_HOME": home,
        "FYP_API_KEYS": f"{SERVICE_KEY}=service",
        "FYP_API_KEY_RATE_PER_S": "100000",
    }
    fyp = Path(sys.executable).with_name("fyp")
    command = [str(fyp), "serve", "--host", "127.0.0.1", "--port", str(port), "--production"]
    log_file = Path(home) / "serve.log"
    with log_file.open("w") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                raise SystemExit(f"fyp serve exited:\n{log_file.read_text()}")
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"fyp serve did not come up:\n{log_file.read_text()}")
            time.sleep(0.25)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


async def run_clients(
    users: Sequence[str], concurrency: int, one: Callable[[str], Awaitable[bool]]
) -> tuple[list[float], int, float]:
    """Latencies (ms), errors and wall seconds of ``one(user)`` over ``users``, N at a time."""
    queue: asyncio.Queue[str] = asyncio.Queue()
    for user in users:
        queue.put_nowait(user)
    latencies: list[float] = []
    errors = 0

    async def client() -> None:
        nonlocal errors
        while not queue.empty():
            user = queue.get_nowait()
            started = time.perf_counter()
            ok = await one(user)
            latencies.append((time.perf_counter() - started) * 1000)
            errors += 0 if ok else 1

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    return latencies, errors, time.perf_counter() - started


async def http_phase(
    base: str, users: Sequence[str], warmup: Sequence[str], args: argparse.Namespace
) -> tuple[list[float], int, float]:
    limits = httpx.Limits(
        max_connections=args.concurrency, max_keepalive_connections=args.concurrency
    )
    headers = {"Authorization": f"Bearer {SERVICE_KEY}"}
    async with httpx.AsyncClient(base_url=base, limits=limits, headers=headers, timeout=30) as http:

        async def one(user: str) -> bool:
            payload = {"query": FEED, "variables": {"userId": user, "first": args.first}}
            try:
                response = await http.post("/graphql", json=payload)
                body = response.json()
            except (httpx.HTTPError, ValueError) as error:
                log.warning("request failed: %s", error)
                return False
            if response.status_code != 200 or body.get("errors"):
                log.warning("feed error for %s: %s", user, body.get("errors"))
                return False
            return True

        await run_clients(warmup, args.concurrency, one)
        return await run_clients(users, args.concurrency, one)


async def direct_phase(
    connection: Connection, users: Sequence[str], warmup: Sequence[str], args: argparse.Namespace
) -> tuple[list[float], int, float]:
    graph = AsyncGraph(connection)
    engine = FeedEngine(graph)  # the config `fyp serve` uses (no ranker weights file)

    async def one(user: str) -> bool:
        try:
            await engine.feed(FeedRequest(user_id=user, first=args.first))
        except Exception as error:  # a failed feed is counted, not fatal to the benchmark
            log.warning("direct feed failed for %s: %s", user, error)
            return False
        return True

    try:
        await run_clients(warmup, args.concurrency, one)
        return await run_clients(users, args.concurrency, one)
    finally:
        await graph.close()


def sample_users(connection: Connection, count: int, seed: int) -> list[str]:
    with Graph(connection) as graph:
        active = [row["userId"] for row in graph.read("api/demo_users", limit=1_000_000)]
    if not active:
        raise SystemExit("no active users in the graph: is KuaiRand loaded?")
    rng = random.Random(seed)
    return [rng.choice(active) for _ in range(count)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kuairand", type=Path, default=None, help="KuaiRand folder")
    parser.add_argument("--neo4j-uri", help="a server that already holds KuaiRand (skip the load)")
    parser.add_argument("--neo4j-password", default=os.environ.get("FYP_NEO4J_PASSWORD", ""))
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--requests", type=int, default=480, help="feeds per phase")
    parser.add_argument("--warmup", type=int, default=48, help="unmeasured feeds per phase")
    parser.add_argument("--first", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--smoke", action="store_true", help="KuaiRand's small sample (a check)")
    args = parser.parse_args()
    args.kuairand = args.kuairand or default_dataset()
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(message)s")
    logging.getLogger("neo4j").setLevel(logging.ERROR)

    with loaded_connection(args) as connection:
        users = sample_users(connection, args.requests + args.warmup, args.seed)
        warmup, measured = users[: args.warmup], users[args.warmup :]
        port = free_port()
        with api_server(connection, port) as base:
            log.info("HTTP phase: %d feeds, %d clients, %s", len(measured), args.concurrency, base)
            latencies, errors, wall = asyncio.run(http_phase(base, measured, warmup, args))
        log.info("direct phase: the same %d feeds through FeedEngine", len(measured))
        direct, direct_errors, direct_wall = asyncio.run(
            direct_phase(connection, measured, warmup, args)
        )

    p50, direct_p50 = percentile(latencies, 0.5), percentile(direct, 0.5)
    result: dict[str, Any] = {
        "name": "feed_load",
        "concurrency": args.concurrency,
        "p50_ms": round(p50, 1),
        "p99_ms": round(percentile(latencies, 0.99), 1),
        "feeds_per_s": round(len(latencies) / wall, 1),
        "direct_p50_ms": round(direct_p50, 1),
        "graphql_overhead": round(p50 / direct_p50, 2) if direct_p50 else None,
        "errors": errors,
        "direct_p99_ms": round(percentile(direct, 0.99), 1),
        "direct_feeds_per_s": round(len(direct) / direct_wall, 1),
        "direct_errors": direct_errors,
        "requests": len(latencies),
        "first": args.first,
        "dataset": "kuairand-smoke" if args.smoke else "kuairand",
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
