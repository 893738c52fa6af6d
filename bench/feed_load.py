"""Feed load over HTTP: the engine against the floor of its own stack, in one run.

A throwaway Neo4j is loaded with KuaiRand's training part and ``fyp precompute`` runs
(or ``--neo4j-uri`` points at a server that already holds both). Then, on the same
machine and in the same run:

1. ``fyp serve --production`` (``--workers N``) on a free loopback port: warm-up
   requests, then ``--requests`` feeds of 20 for random active KuaiRand users from 16
   concurrent clients (httpx, async, a service key), then ``--single`` feeds one at a
   time. Every page's stages are checked for dropped sources, every page for being empty.
2. the floor: ``bench/floor_app.py``, a bare strawberry + Starlette app answering the same
   query with real pages the engine just served, from memory (same workers, same
   clients, same phases).

Progress goes to stderr; the last stdout line is one JSON object::

    {"name": "feed_load", "feeds_per_s": .., "floor_feeds_per_s": .., "p50_ms": ..,
     "p99_ms": .., "single_p50_ms": .., "single_p99_ms": .., "floor_single_p50_ms": ..,
     "sources_dropped": 0, "empty_pages": 0, "errors": 0, "read_model_bytes": ..,
     "read_model_bytes_per_video": .., ...}

Targets (issue 11): feeds_per_s >= 0.5 x floor_feeds_per_s; single_p50_ms <=
floor_single_p50_ms + 15; single_p99_ms <= 100; sources_dropped = empty_pages = errors = 0.
Data: KuaiRand, Kuaishou Technology, CC BY-SA 4.0.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from graph.config import Settings
from graph.datasets.kuairand import import_kuairand
from graph.datasets.locate import find_kuairand
from graph.db import Connection, Graph
from graph.local_neo4j import free_port, throwaway_server
from graph.precompute import precompute_co_engagement
from graph.schema import init_schema

log = logging.getLogger("bench.feed_load")

REPO = Path(__file__).resolve().parents[1]
SERVICE_KEY = "bench-service-key"
TRAIN_PARTS = ("sequences", "val")
SMOKE_ROWS = ("train", "val", "test")
FEED = """
query Feed($userId: ID!, $first: Int!) {
  feed(first: $first, userId: $userId) {
    requestId
    pageInfo { hasNextPage endCursor }
    stages { name status }
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
            log.info("importing KuaiRand's training part from %s ...", args.kuairand)
            if args.smoke:
                report = import_kuairand(graph, args.kuairand, SMOKE_ROWS, smoke=True)
            else:
                report = import_kuairand(graph, args.kuairand, TRAIN_PARTS)
            log.info("imported in %.0f s: %d loaded, %d rejected",
                     time.perf_counter() - started, report.loaded, report.rejected)  # fmt: skip
            started = time.perf_counter()
            precompute_co_engagement(graph)
            log.info("fyp precompute in %.0f s", time.perf_counter() - started)
        yield connection


@contextmanager
def server(command: list[str], env: dict[str, str], port: int, name: str) -> Iterator[str]:
    """A server process on ``port`` until the block ends (its output to a log file)."""
    log_file = Path(tempfile.mkdtemp(prefix=f"fyp-bench-{name}-")) / "server.log"
    with log_file.open("w") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while True:
            if process.poll() is not None:
                raise SystemExit(f"{name} exited:\n{log_file.read_text()}")
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"{name} did not come up:\n{log_file.read_text()}")
            time.sleep(0.25)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()


def engine_server(connection: Connection, port: int, workers: int) -> Any:
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
    command = [str(fyp), "serve", "--host", "127.0.0.1", "--port", str(port), "--production",
               "--workers", str(workers)]  # fmt: skip
    return server(command, env, port, "engine")


def floor_server(pages: Path, port: int, workers: int) -> Any:
    env = {**os.environ, "FYP_FLOOR_PAGES": str(pages), "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "uvicorn", "bench.floor_app:app", "--host", "127.0.0.1",
               "--port", str(port), "--workers", str(workers), "--log-level", "warning",
               "--no-access-log"]  # fmt: skip
    return server(command, env, port, "floor")


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


@dataclass
class Phase:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    empty_pages: int = 0
    sources_dropped: int = 0
    wall_s: float = 0.0
    pages: list[dict[str, Any]] = field(default_factory=list)

    def summary(self, prefix: str) -> dict[str, float]:
        return {
            f"{prefix}p50_ms": round(percentile(self.latencies, 0.5), 1),
            f"{prefix}p99_ms": round(percentile(self.latencies, 0.99), 1),
        }

    @property
    def feeds_per_s(self) -> float:
        return round(len(self.latencies) / self.wall_s, 1) if self.wall_s else 0.0


async def run_phase(
    base: str, users: Sequence[str], concurrency: int, first: int, keep_pages: int = 0
) -> Phase:
    """``users`` feeds, ``concurrency`` at a time, each checked for errors and drops."""
    phase = Phase()
    queue: asyncio.Queue[str] = asyncio.Queue()
    for user in users:
        queue.put_nowait(user)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    headers = {"Authorization": f"Bearer {SERVICE_KEY}"}
    async with httpx.AsyncClient(base_url=base, limits=limits, headers=headers, timeout=60) as http:

        async def one(user: str) -> None:
            payload = {"query": FEED, "variables": {"userId": user, "first": first}}
            try:
                response = await http.post("/graphql", json=payload)
                body = response.json()
            except (httpx.HTTPError, ValueError) as error:
                log.warning("request failed: %s", error)
                phase.errors += 1
                return
            if response.status_code != 200 or body.get("errors"):
                log.warning("feed error for %s: %s", user, body.get("errors"))
                phase.errors += 1
                return
            page = body["data"]["feed"]
            phase.empty_pages += not page["edges"]
            phase.sources_dropped += sum(
                stage["status"] in ("failed", "timeout") for stage in page["stages"]
            )
            if len(phase.pages) < keep_pages:
                phase.pages.append(page)

        async def client() -> None:
            while not queue.empty():
                user = queue.get_nowait()
                started = time.perf_counter()
                await one(user)
                phase.latencies.append((time.perf_counter() - started) * 1000)

        started = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(concurrency)))
        phase.wall_s = time.perf_counter() - started
    return phase


async def measure(
    base: str, args: argparse.Namespace, warmup: Sequence[str], loaded: Sequence[str],
    single: Sequence[str], keep_pages: int = 0,
) -> tuple[Phase, Phase, Phase]:  # fmt: skip
    warm = await run_phase(base, warmup, args.concurrency, args.first, keep_pages)
    under_load = await run_phase(base, loaded, args.concurrency, args.first)
    one_at_a_time = await run_phase(base, single, 1, args.first)
    return warm, under_load, one_at_a_time


def read_model_metrics(base: str) -> dict[str, float]:
    """The read model's size from the engine's /metrics (one worker's copy; in production
    /metrics answers only an admin or service key)."""
    headers = {"Authorization": f"Bearer {SERVICE_KEY}"}
    response = httpx.get(f"{base}/metrics", headers=headers, timeout=10)
    response.raise_for_status()
    text = response.text
    found = {}
    for name in ("fyp_read_model_videos", "fyp_read_model_bytes"):
        match = re.search(rf"^{name} ([0-9.e+]+)$", text, re.MULTILINE)
        if match:
            found[name] = float(match.group(1))
    return found


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
    parser.add_argument("--neo4j-uri", help="a server that already holds KuaiRand's train part")
    parser.add_argument("--neo4j-password", default=os.environ.get("FYP_NEO4J_PASSWORD", ""))
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--requests", type=int, default=960, help="feeds under load, per server")
    parser.add_argument("--single", type=int, default=200, help="feeds one at a time, per server")
    parser.add_argument("--warmup", type=int, default=96, help="unmeasured feeds per server")
    parser.add_argument("--workers", type=int, default=1, help="server processes (both servers)")
    parser.add_argument("--first", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--smoke", action="store_true", help="KuaiRand's small sample (a check)")
    args = parser.parse_args()
    args.kuairand = args.kuairand or default_dataset()
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(message)s")
    logging.getLogger("neo4j").setLevel(logging.ERROR)
    logging.getLogger("httpx").setLevel(logging.WARNING)

    with loaded_connection(args) as connection:
        users = sample_users(connection, args.warmup + args.requests + args.single, args.seed)
        warmup = users[: args.warmup]
        loaded = users[args.warmup : args.warmup + args.requests]
        single = users[args.warmup + args.requests :]
        port = free_port()
        with engine_server(connection, port, args.workers) as base:
            log.info("engine: %d feeds at %d clients, then %d one at a time (%s)",
                     len(loaded), args.concurrency, len(single), base)  # fmt: skip
            warm, engine, engine_single = asyncio.run(
                measure(base, args, warmup, loaded, single, keep_pages=args.warmup)
            )
            memory = read_model_metrics(base)
    pages = Path(tempfile.mkdtemp(prefix="fyp-bench-floor-")) / "pages.json"
    pages.write_text(json.dumps(warm.pages), encoding="utf-8")
    port = free_port()
    with floor_server(pages, port, args.workers) as base:
        log.info("floor: the same phases against %s", base)
        _, floor, floor_single = asyncio.run(measure(base, args, warmup, loaded, single))

    videos = memory.get("fyp_read_model_videos", 0.0)
    size = memory.get("fyp_read_model_bytes", 0.0)
    result: dict[str, Any] = {
        "name": "feed_load",
        "concurrency": args.concurrency,
        "workers": args.workers,
        "feeds_per_s": engine.feeds_per_s,
        "floor_feeds_per_s": floor.feeds_per_s,
        **engine.summary(""),
        **engine_single.summary("single_"),
        **floor.summary("floor_"),
        **floor_single.summary("floor_single_"),
        "sources_dropped": engine.sources_dropped + engine_single.sources_dropped,
        "empty_pages": engine.empty_pages + engine_single.empty_pages,
        "errors": engine.errors + engine_single.errors,
        "floor_errors": floor.errors + floor_single.errors,
        "read_model_videos": int(videos),
        "read_model_bytes": int(size),
        "read_model_bytes_per_video": round(size / videos, 1) if videos else None,
        "requests": len(engine.latencies),
        "single_requests": len(engine_single.latencies),
        "first": args.first,
        "dataset": "kuairand-smoke" if args.smoke else "kuairand-train",
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
