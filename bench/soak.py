"""Soak: the API under concurrent simulated viewers for minutes; errors and memory growth.

A throwaway Neo4j (or ``--neo4j-uri`` / ``FYP_NEO4J_URI``) gets a synthetic world
(``graph.synth``, the demo's size by default), ``fyp precompute`` and ``fyp embed``, as a
deployment would; a given server that already holds videos is used as it is (the soak
writes its events there). Then ``fyp serve --production`` (``--workers N``) runs on a
free loopback port (bench/feed_load.py's helpers) and ``--clients`` simulated viewers
loop for ``--seconds``, each one: pick an active user, read a feed page and follow its
cursor for a few pages, on some of the served videos record a view (watch time drawn
against the video's length), a like or a skip, each with a unique ``eventId``, and now
and then a catalogue query (a video, a creator's videos, a hashtag, trending). No think
time: the clients go as fast as the API answers, so ten minutes hold as many requests
as the memory of a long-lived process sees in hours of normal traffic.

The API process's resident set (its worker processes included when ``--workers`` > 1;
psutil when installed, else ``/proc``) is sampled every ``--sample-s`` seconds. The
baseline is taken once ``--warmup`` seconds of load have passed (default 60, or a
quarter of a shorter run): the first minute fills what a process keeps for good (the
read model's catalogue and neighbour arrays after the first refreshes, the driver's
connection pools growing to the concurrency, strawberry's and the engine's caches,
Python's allocator arenas at their working size), so growth after it is what a leak
would look like.

Progress goes to stderr; the last stdout line is one JSON object::

    {"name": "soak", "errors": 0, "rss_growth_ratio": rss_end / rss_after_warmup,
     "rss_start_mb": .., "rss_end_mb": .., "rss_max_mb": .., "requests": .., "feeds": ..,
     "events": .., "seconds": .., "clients": 16, "p50_ms": .., "p99_ms": ..,
     "error_samples": [...the first few...], ...}

errors counts every answer that is not a 2xx or that carries GraphQL errors (and every
request that got no answer). Target (issue 13): errors = 0 and rss_growth_ratio <= 1.1
over 600 s at 16 clients.
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
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from feed_load import SERVICE_KEY, engine_server, percentile, sample_users

from graph.config import Settings
from graph.db import Connection, Graph
from graph.ingest import import_records
from graph.local_neo4j import free_port, throwaway_server
from graph.precompute import precompute_co_engagement
from graph.schema import counts, init_schema
from graph.synth import WorldSpec, generate_world

log = logging.getLogger("bench.soak")

FEED = """
query Feed($userId: ID!, $first: Int!, $after: String) {
  feed(first: $first, after: $after, userId: $userId) {
    pageInfo { hasNextPage endCursor }
    stages { name status }
    edges {
      score sources
      node { id durationMs stats { views likes } creator { id name } hashtags { name } }
    }
  }
}
"""
VIEW = """
mutation View($eventId: ID!, $videoId: ID!, $userId: ID!, $watchMs: Int!) {
  recordView(eventId: $eventId, videoId: $videoId, userId: $userId, watchMs: $watchMs) {
    status
  }
}
"""
LIKE = """
mutation Like($eventId: ID!, $videoId: ID!, $userId: ID!) {
  like(eventId: $eventId, videoId: $videoId, userId: $userId) { status }
}
"""
SKIP = """
mutation Skip($eventId: ID!, $videoId: ID!, $userId: ID!) {
  skip(eventId: $eventId, videoId: $videoId, userId: $userId) { status }
}
"""
CATALOGUE = {
    "video": """query V($id: ID!) { video(id: $id) {
      id caption durationMs stats { views likes averageCompletion }
      creator { id name followerCount } hashtags { name videoCount } sound { id title } } }""",
    "creator": """query C($id: ID!) { creator(id: $id) {
      id name followerCount videoCount videos(first: 10) { nodes { id caption } } } }""",
    "hashtag": """query H($name: String!) { hashtag(name: $name) {
      name videoCount videos(first: 10) { nodes { id } } } }""",
    "trending": """query T { trending(kind: HASHTAG, window: DAY, first: 10) {
      windowEnd entries { rank score node { ... on Hashtag { name } } } } }""",
}
#: Error samples kept in the result.
SAMPLES = 5


# -- the world ---------------------------------------------------------------------------
@contextmanager
def loaded_connection(args: argparse.Namespace) -> Iterator[Connection]:
    """A server holding a world: the given one (loaded when it has no videos yet) or a
    throwaway one."""
    if args.neo4j_uri:
        connection = Connection(args.neo4j_uri, "neo4j", args.neo4j_password, "neo4j", 300.0)
        with Graph(connection) as graph:
            if counts(graph).get("node:Video", 0) == 0:
                load_world(graph, connection, args)
            else:
                log.info("%s holds a world already: using it as it is", args.neo4j_uri)
        yield connection
        return
    settings = Settings()
    with throwaway_server(settings.cache, settings.neo4j_version, heap="2g", pagecache="1g") as s:
        connection = Connection(s.uri, "neo4j", s.password(), "neo4j", timeout_s=300.0)
        with Graph(connection) as graph:
            load_world(graph, connection, args)
        yield connection


def load_world(graph: Graph, connection: Connection, args: argparse.Namespace) -> None:
    """What ``make demo`` does: generate, precompute, embed."""
    init_schema(graph)
    started = time.perf_counter()
    world = generate_world(WorldSpec(users=args.users, videos=args.videos, seed=args.seed))
    report = import_records(graph, world.records())
    log.info(
        "world of %d users, %d videos: %d records loaded in %.0f s",
        args.users,
        args.videos,
        report.loaded,
        time.perf_counter() - started,
    )
    started = time.perf_counter()
    precompute_co_engagement(graph)
    log.info("fyp precompute in %.0f s", time.perf_counter() - started)
    if args.embed:
        started = time.perf_counter()
        env = {
            **os.environ,
            "FYP_NEO4J_URI": connection.uri,
            "FYP_NEO4J_PASSWORD": connection.password,
            "FYP_HOME": tempfile.mkdtemp(prefix="fyp-soak-home-"),
        }
        fyp = Path(sys.executable).with_name("fyp")
        subprocess.run(
            [str(fyp), "embed", "--seed", str(args.seed)],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=sys.stderr,
        )
        log.info("fyp embed in %.0f s", time.perf_counter() - started)


# -- memory of the API process ------------------------------------------------------------
def _children() -> dict[int, list[int]]:
    """Every process's children, from /proc."""
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(parent, []).append(int(entry))
    return tree


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def api_process() -> int:
    """The ``fyp serve`` process bench/feed_load.py's helper started (a child of ours)."""
    found = [pid for pid in _children().get(os.getpid(), []) if " serve " in _cmdline(pid)]
    if len(found) != 1:
        raise SystemExit(f"expected one `fyp serve` child process, found {found}")
    return found[0]


def _vm_rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0  # gone (or a kernel thread)


def rss_bytes(pid: int) -> int:
    """Resident set of ``pid`` and its descendants (uvicorn's worker processes)."""
    try:
        import psutil
    except ImportError:
        tree = _children()
        pending, total = [pid], 0
        while pending:
            current = pending.pop()
            total += _vm_rss(current)
            pending.extend(tree.get(current, []))
        return total
    root = psutil.Process(pid)
    processes = [root, *root.children(recursive=True)]
    total = 0
    for process in processes:
        with suppress(psutil.Error):  # a worker that ended between listing and reading
            total += int(process.memory_info().rss)
    return total


# -- the viewers --------------------------------------------------------------------------
@dataclass
class Tally:
    latencies_ms: list[float] = field(default_factory=list)
    feeds: int = 0
    events: int = 0
    catalogue: int = 0
    errors: int = 0
    error_samples: list[dict[str, Any]] = field(default_factory=list)
    already_recorded: int = 0
    empty_pages: int = 0
    sources_dropped: int = 0
    feed_ms: list[float] = field(default_factory=list)

    def error(self, operation: str, status: int | None, detail: Any) -> None:
        self.errors += 1
        if len(self.error_samples) < SAMPLES:
            self.error_samples.append(
                {"operation": operation, "status": status, "detail": str(detail)[:500]}
            )
        log.warning("%s failed (%s): %s", operation, status, str(detail)[:300])


class Viewer:
    """One simulated client: its own random stream, the shared HTTP client and tally."""

    def __init__(
        self,
        number: int,
        http: httpx.AsyncClient,
        users: list[str],
        tally: Tally,
        run: str,
        first: int,
    ) -> None:
        self.number = number
        self.http = http
        self.users = users
        self.tally = tally
        self.rng = random.Random(number)
        self.events = 0
        self.run = run
        self.first = first
        #: The videos of the last page (what a catalogue query asks about).
        self.served: list[dict[str, Any]] = []

    async def post(self, operation: str, query: str, variables: dict[str, Any]) -> Any:
        """``data`` of one request (None when it failed, counted as an error)."""
        started = time.perf_counter()
        try:
            response = await self.http.post(
                "/graphql", json={"query": query, "variables": variables}
            )
        except httpx.HTTPError as error:
            self.tally.latencies_ms.append((time.perf_counter() - started) * 1000)
            self.tally.error(operation, None, repr(error))
            return None
        elapsed = (time.perf_counter() - started) * 1000
        self.tally.latencies_ms.append(elapsed)
        try:
            body = response.json()
        except ValueError:
            self.tally.error(operation, response.status_code, response.text)
            return None
        if not 200 <= response.status_code < 300 or body.get("errors"):
            self.tally.error(operation, response.status_code, body.get("errors"))
            return None
        if operation == "feed":
            self.tally.feed_ms.append(elapsed)
        return body.get("data")

    async def loop(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            user = self.rng.choice(self.users)
            after: str | None = None
            for _ in range(self.rng.randint(1, 4)):  # a session: a few pages in a row
                if time.monotonic() >= deadline:
                    return
                after = await self.page(user, after)
                if after is None:
                    break
                if self.rng.random() < 0.2:
                    await self.browse()

    async def page(self, user: str, after: str | None) -> str | None:
        """One feed page and what the viewer does with it; the next cursor (None: done)."""
        variables = {"userId": user, "first": self.first, "after": after}
        data = await self.post("feed", FEED, variables)
        self.tally.feeds += 1
        if data is None:
            return None
        feed = data["feed"]
        self.served = [edge["node"] for edge in feed["edges"]]
        self.tally.empty_pages += not feed["edges"]
        self.tally.sources_dropped += sum(
            stage["status"] in ("failed", "timeout") for stage in feed["stages"]
        )
        for edge in feed["edges"]:
            if self.rng.random() < 0.5:  # acts on about half of what it is served
                await self.act(user, edge["node"])
        info = feed["pageInfo"]
        return info["endCursor"] if info["hasNextPage"] else None

    async def act(self, user: str, video: dict[str, Any]) -> None:
        if self.rng.random() < 0.25:
            await self.event("skip", SKIP, user, video["id"])
            return
        watch_ms = int(video["durationMs"] * self.rng.uniform(0.2, 1.0))
        await self.event("recordView", VIEW, user, video["id"], watchMs=watch_ms)
        if self.rng.random() < 0.15:
            await self.event("like", LIKE, user, video["id"])

    async def event(self, name: str, query: str, user: str, video: str, **extra: Any) -> None:
        self.events += 1
        event_id = f"soak-{self.run}-{self.number}-{self.events}"
        variables = {"eventId": event_id, "videoId": video, "userId": user, **extra}
        data = await self.post(name, query, variables)
        self.tally.events += 1
        if data is not None and data[name]["status"] != "RECORDED":
            self.tally.already_recorded += 1  # a fresh id must be new: a bug if not

    async def browse(self) -> None:
        """A catalogue query about something just served: the video, its creator, its
        hashtag, or the trending hashtags."""
        kind = self.rng.choice(list(CATALOGUE))
        variables: dict[str, Any] = {}
        if kind != "trending":
            if not self.served:
                return
            node = self.rng.choice(self.served)
            if kind == "video":
                variables = {"id": node["id"]}
            elif kind == "creator":
                variables = {"id": node["creator"]["id"]}
            elif node["hashtags"]:
                variables = {"name": node["hashtags"][0]["name"]}
            else:
                return
        await self.post(kind, CATALOGUE[kind], variables)
        self.tally.catalogue += 1


@dataclass
class Memory:
    samples: list[tuple[float, int]] = field(default_factory=list)  # (seconds into load, bytes)


async def sample_memory(pid: int, started: float, every_s: float, memory: Memory) -> None:
    while True:
        memory.samples.append((time.monotonic() - started, rss_bytes(pid)))
        await asyncio.sleep(every_s)


async def soak(base: str, users: list[str], args: argparse.Namespace, pid: int) -> dict[str, Any]:
    tally, memory = Tally(), Memory()
    limits = httpx.Limits(max_connections=args.clients, max_keepalive_connections=args.clients)
    headers = {"Authorization": f"Bearer {SERVICE_KEY}"}
    run = uuid.uuid4().hex[:8]  # event ids unique across runs against the same server
    rss_before = rss_bytes(pid)
    async with httpx.AsyncClient(base_url=base, limits=limits, headers=headers, timeout=60) as http:
        started = time.monotonic()
        deadline = started + args.seconds
        sampler = asyncio.create_task(sample_memory(pid, started, args.sample_s, memory))
        reporter = asyncio.create_task(report_progress(tally, memory, started))
        viewers = [Viewer(n, http, users, tally, run, args.first) for n in range(args.clients)]
        await asyncio.gather(*(viewer.loop(deadline) for viewer in viewers))
        elapsed = time.monotonic() - started
        for task in (sampler, reporter):
            task.cancel()
    memory.samples.append((elapsed, rss_bytes(pid)))

    after_warmup = [rss for at, rss in memory.samples if at >= args.warmup]
    baseline, end = after_warmup[0], memory.samples[-1][1]
    mb = 1024 * 1024
    return {
        "name": "soak",
        "errors": tally.errors,
        "rss_growth_ratio": round(end / baseline, 3),
        "rss_start_mb": round(baseline / mb, 1),
        "rss_end_mb": round(end / mb, 1),
        "rss_max_mb": round(max(rss for _, rss in memory.samples) / mb, 1),
        "rss_before_load_mb": round(rss_before / mb, 1),
        "requests": len(tally.latencies_ms),
        "feeds": tally.feeds,
        "events": tally.events,
        "catalogue_queries": tally.catalogue,
        "seconds": round(elapsed, 1),
        "warmup_s": args.warmup,
        "clients": args.clients,
        "workers": args.workers,
        "p50_ms": round(percentile(tally.latencies_ms, 0.5), 1),
        "p99_ms": round(percentile(tally.latencies_ms, 0.99), 1),
        "feed_p50_ms": round(percentile(tally.feed_ms, 0.5), 1) if tally.feed_ms else None,
        "feed_p99_ms": round(percentile(tally.feed_ms, 0.99), 1) if tally.feed_ms else None,
        "requests_per_s": round(len(tally.latencies_ms) / elapsed, 1),
        "already_recorded": tally.already_recorded,
        "empty_pages": tally.empty_pages,
        "sources_dropped": tally.sources_dropped,
        "rss_samples_mb": [round(rss / mb, 1) for _, rss in memory.samples[:: args.keep_every]],
        "error_samples": tally.error_samples,
    }


async def report_progress(tally: Tally, memory: Memory, started: float) -> None:
    while True:
        await asyncio.sleep(30)
        rss = memory.samples[-1][1] / 1024 / 1024 if memory.samples else 0.0
        log.info(
            "%4.0f s: %d requests, %d errors, API RSS %.0f MB",
            time.monotonic() - started,
            len(tally.latencies_ms),
            tally.errors,
            rss,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=600.0, help="load duration")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument(
        "--warmup",
        type=float,
        default=None,
        help="seconds of load before the RSS baseline (default 60, or a quarter of a shorter run)",
    )
    parser.add_argument("--sample-s", type=float, default=5.0, help="RSS sampling period")
    parser.add_argument("--workers", type=int, default=1, help="API processes")
    parser.add_argument("--first", type=int, default=10, help="videos per feed page")
    parser.add_argument("--users", type=int, default=2000, help="synthetic world: users")
    parser.add_argument("--videos", type=int, default=3000, help="synthetic world: videos")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--embed",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="train embeddings after loading (as make demo does)",
    )
    parser.add_argument(
        "--neo4j-uri",
        default=os.environ.get("FYP_NEO4J_URI"),
        help="a server to use (loaded when it holds no videos)",
    )
    parser.add_argument("--neo4j-password", default=os.environ.get("FYP_NEO4J_PASSWORD", ""))
    args = parser.parse_args()
    if args.warmup is None:
        args.warmup = min(60.0, args.seconds / 4)
    if not 0 <= args.warmup < args.seconds:
        parser.error("--warmup must be shorter than --seconds")
    # Keep about 40 of the RSS samples in the result, evenly spaced.
    args.keep_every = max(1, round(args.seconds / args.sample_s / 40))
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(message)s")
    logging.getLogger("neo4j").setLevel(logging.ERROR)
    logging.getLogger("httpx").setLevel(logging.WARNING)

    with loaded_connection(args) as connection:
        users = sorted(set(sample_users(connection, 5000, args.seed)))
        port = free_port()
        with engine_server(connection, port, args.workers) as base:
            pid = api_process()
            log.info(
                "soak: %d clients for %.0f s against %s (pid %d), %d users",
                args.clients,
                args.seconds,
                base,
                pid,
                len(users),
            )
            result = asyncio.run(soak(base, users, args, pid))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
