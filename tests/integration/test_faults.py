"""Faults: the real Neo4j killed (SIGKILL) mid-serve and mid-import, then started again.

Each scenario runs against this module's own server (its home under the test's temp
folder, its own free port), never the session's: the others tests share that one, and
this one gets killed. SIGKILL, not SIGTERM: a crash or the OOM killer gives Neo4j no
chance to checkpoint or to say goodbye to its clients, and the restart recovers the
store from the transaction log, as it would in production.

Mid-serve: ``fyp serve`` (a real uvicorn process, its real driver settings) serves a
small synthetic world while a client streams ``like`` / ``recordView`` events with
unique ids and reads feeds. During the outage every request must answer promptly with
HTTP 503 and ``UNAVAILABLE`` (never a 500, never a hang), ``/health`` 503; once Neo4j is
back the same process serves again by itself. The client then replays every event it
sent, acknowledged or not, as a retry queue would: acknowledged ones answer
``ALREADY_RECORDED``, every event is stored exactly once and the counters moved by
exactly the events sent.

Mid-import: ``fyp import`` is killed under, must fail with one clear line (no stack
trace), and the same import run again must give exactly the graph of a clean import.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from graph.config import Settings
from graph.db import Connection, Graph
from graph.ingest import import_dir, import_records
from graph.local_neo4j import LocalNeo4j, free_port
from graph.schema import counts, init_schema, wipe
from graph.synth import WorldSpec, generate_world, write_import_dir

FYP = str(Path(sys.executable).with_name("fyp"))
SERVICE_KEY = "k-faults-service"
#: Viewers with no history in the world: every like of theirs is a new (user, video) pair.
VIEWERS = ("fault-u1", "fault-u2", "fault-u3", "fault-u4")
#: The videos the stream engages with (few, so each counter takes many events).
POOL_SIZE = 12
#: Feeds asked at once during the outage (beside the stream), as many clients would.
CONCURRENT_FEEDS = 8
#: How long Neo4j stays down before it is started again.
OUTAGE_S = 10.0
#: How long a request may take while Neo4j is down: the API's driver gives up on a dead
#: server after its 2 s retry window (connection timeouts 3-5 s); the rest is slack for
#: a busy 2-core machine.
OUTAGE_ANSWER_S = 10.0
#: How long any request may take, whatever the phase ("never a hang"). A server that is
#: starting (or just started: cold caches, every query planned anew) is slow, not down:
#: a transaction then runs up to the API's Neo4j transaction timeout (30 s by default)
#: and is not cut short at the 2 s retry window, which only stops new attempts.
ANSWER_BOUND_S = 45.0
#: How long the API may take to serve again once Neo4j answers.
RECOVERY_BOUND_S = 60.0
#: A fixed end: the imports below are compared node for node.
END = datetime(2025, 6, 1, 12, tzinfo=UTC)

LIKE = """mutation($e: ID!, $v: ID!, $u: ID) {
  like(eventId: $e, videoId: $v, userId: $u) { status } }"""
VIEW = """mutation($e: ID!, $v: ID!, $u: ID) {
  recordView(eventId: $e, videoId: $v, userId: $u, watchMs: 4000) { status } }"""
FEED = """query($u: ID!) { feed(first: 5, userId: $u) { edges { node { id } } } }"""
STATS = """query($v: ID!) { video(id: $v) { stats { views likes } } }"""
EXPORT = """query($u: ID!) { exportMyData(userId: $u) }"""


# -- the module's own server ------------------------------------------------------------
@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalNeo4j]:
    settings = Settings()
    home = tmp_path_factory.mktemp("faults-neo4j")
    neo4j = LocalNeo4j(
        home, cache=settings.cache, version=settings.neo4j_version, bolt_port=free_port(),
        heap="512m", pagecache="256m",
    )  # fmt: skip
    neo4j.start()
    try:
        yield neo4j
    finally:
        neo4j.stop()
        shutil.rmtree(home, ignore_errors=True)


def connection(server: LocalNeo4j) -> Connection:
    return Connection(server.uri, "neo4j", server.password(), "neo4j", timeout_s=120.0)


@contextmanager
def fresh_graph(server: LocalNeo4j) -> Iterator[Graph]:
    """The module's server, started if a scenario left it down, emptied (schema kept)."""
    server.start()
    with Graph(connection(server)) as graph:
        init_schema(graph)
        wipe(graph)
        yield graph


def fyp_env(server: LocalNeo4j, home: Path) -> dict[str, str]:
    return {
        **os.environ,
        "FYP_NEO4J_URI": server.uri,
        "FYP_NEO4J_PASSWORD": server.password(),
        "FYP_HOME": str(home),
        "FYP_API_KEYS": f"{SERVICE_KEY}=service",
        "FYP_API_KEY_RATE_PER_S": "100000",
    }


# -- mid-serve ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Outcome:
    """One request and how it was answered."""

    what: str  # like / view / feed / health / stats
    started: float  # time.monotonic()
    seconds: float
    status: int | None  # None: no HTTP answer at all (timeout, connection error)
    codes: tuple[str, ...]
    event_status: str | None = None
    problem: str | None = None

    @property
    def ended(self) -> float:
        return self.started + self.seconds

    @property
    def ok(self) -> bool:
        return self.status == 200 and not self.codes

    @property
    def unavailable(self) -> bool:
        return self.status == 503 and bool(self.codes) and set(self.codes) == {"UNAVAILABLE"}


@dataclass(frozen=True)
class PlannedEvent:
    kind: str  # like / view
    event_id: str
    user: str
    video: str


def plan_events(pool: list[str], size: int) -> list[PlannedEvent]:
    """``size`` events over the pool; a like only on a pair not liked yet (one like per
    pair, so every like must move ``likes`` by one), views freely."""
    liked: set[tuple[str, str]] = set()
    events = []
    for n in range(size):
        user, video = VIEWERS[n % len(VIEWERS)], pool[(n // len(VIEWERS)) % len(pool)]
        kind = "view"
        if n % 3 == 0 and (user, video) not in liked:
            liked.add((user, video))
            kind = "like"
        events.append(PlannedEvent(kind, f"fault-{n}", user, video))
    return events


class Api:
    """A client of the served API that records every answer."""

    def __init__(self, base: str) -> None:
        headers = {"Authorization": f"Bearer {SERVICE_KEY}"}
        # The timeout is far above ANSWER_BOUND_S: a hang shows as a slow outcome.
        self.http = httpx.Client(base_url=base, headers=headers, timeout=60.0)

    def close(self) -> None:
        self.http.close()

    def graphql(self, what: str, query: str, variables: dict[str, Any]) -> Outcome:
        started = time.monotonic()
        try:
            response = self.http.post("/graphql", json={"query": query, "variables": variables})
        except httpx.HTTPError as error:
            return Outcome(what, started, time.monotonic() - started, None, (), None, repr(error))
        seconds = time.monotonic() - started
        try:
            body = response.json()
        except ValueError:
            return Outcome(what, started, seconds, response.status_code, (), None, response.text)
        errors = body.get("errors") or []
        codes = tuple(str((e.get("extensions") or {}).get("code")) for e in errors)
        if codes and response.status_code == 503 and response.headers.get("Retry-After") is None:
            return Outcome(what, started, seconds, 503, codes, None, "503 without Retry-After")
        data = body.get("data") or {}
        status = next((v.get("status") for v in data.values() if isinstance(v, dict)), None)
        problem = None if not errors else errors[0].get("message")
        return Outcome(what, started, seconds, response.status_code, codes, status, problem)

    def event(self, event: PlannedEvent) -> Outcome:
        query = LIKE if event.kind == "like" else VIEW
        variables = {"e": event.event_id, "v": event.video, "u": event.user}
        return self.graphql(event.kind, query, variables)

    def feed(self, user: str) -> Outcome:
        return self.graphql("feed", FEED, {"u": user})

    def health(self) -> Outcome:
        started = time.monotonic()
        try:
            response = self.http.get("/health")
        except httpx.HTTPError as error:
            return Outcome("health", started, time.monotonic() - started, None, (), None,
                           repr(error))  # fmt: skip
        codes = () if response.status_code == 200 else ("UNAVAILABLE",)
        return Outcome("health", started, time.monotonic() - started, response.status_code, codes)

    def data(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        """``data`` of a request that must succeed."""
        response = self.http.post("/graphql", json={"query": query, "variables": variables})
        body = response.json()
        assert response.status_code == 200 and not body.get("errors"), body
        return body["data"]  # type: ignore[no-any-return]


@dataclass
class Stream:
    """A client sending planned events one after the other (a feed read every few), in
    a thread, until stopped or out of plan."""

    api: Api
    plan: list[PlannedEvent]
    sent: list[tuple[PlannedEvent, Outcome]] = field(default_factory=list)
    feeds: list[Outcome] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    thread: threading.Thread | None = None

    def start(self) -> None:
        self.thread = threading.Thread(target=self._run, name="fault-stream", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        for n, event in enumerate(self.plan):
            if self.stop.is_set():
                return
            if n % 5 == 0:
                self.feeds.append(self.api.feed(event.user))
            self.sent.append((event, self.api.event(event)))

    def acknowledged(self) -> int:
        return sum(outcome.ok for _, outcome in list(self.sent))

    def wait_for(self, acknowledged: int, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        while self.acknowledged() < acknowledged:
            assert self.thread is not None and self.thread.is_alive(), "the stream ran out"
            assert time.monotonic() < deadline, f"fewer than {acknowledged} events acknowledged"
            time.sleep(0.1)

    def finish(self) -> None:
        self.stop.set()
        assert self.thread is not None
        self.thread.join(timeout=2 * ANSWER_BOUND_S)
        assert not self.thread.is_alive(), "the stream hangs"


@contextmanager
def served(env: dict[str, str], log_file: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``fyp serve --production`` on a free port until the block ends."""
    port = free_port()
    command = [FYP, "serve", "--host", "127.0.0.1", "--port", str(port), "--production"]
    with log_file.open("wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            assert process.poll() is None, f"fyp serve exited:\n{log_file.read_text()}"
            try:
                if httpx.get(f"{base}/health", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, f"fyp serve did not come up:\n{log_tail(log_file)}"
            time.sleep(0.25)
        yield base, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def log_tail(path: Path, lines: int = 40) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def viewers_world() -> dict[str, list[dict[str, Any]]]:
    world = generate_world(WorldSpec(users=120, videos=150, seed=13))
    records = {kind: list(rows) for kind, rows in world.records().items()}
    records["users"] += [{"id": user, "name": user} for user in VIEWERS]
    return records


def test_an_outage_mid_serve_answers_unavailable_recovers_and_loses_no_event(
    server: LocalNeo4j, tmp_path: Path
) -> None:
    with fresh_graph(server) as graph:
        records = viewers_world()
        assert import_records(graph, records).rejections == []
    pool = [video["id"] for video in records["videos"][:POOL_SIZE]]
    log_file = tmp_path / "serve.log"
    with served(fyp_env(server, tmp_path / "home"), log_file) as (base, process):
        api = Api(base)
        try:
            before = {v: api.data(STATS, {"v": v})["video"]["stats"] for v in pool}
            stream = Stream(api, plan_events(pool, 4000))
            stream.start()
            stream.wait_for(acknowledged=20, timeout_s=120)

            server.kill()
            killed = time.monotonic()
            # The outage, seen from the side too: health and a feed, while the stream goes on.
            probes: list[Outcome] = []
            with ThreadPoolExecutor(max_workers=CONCURRENT_FEEDS + 1) as workers:
                while time.monotonic() - killed < OUTAGE_S:
                    health = workers.submit(api.health)
                    feeds = workers.map(api.feed, VIEWERS * (CONCURRENT_FEEDS // len(VIEWERS)))
                    probes += [*feeds, health.result()]
            listening = PortWatch(server.bolt_port)
            server.start()  # 20-60 s here, the stream meeting the outage all along
            back = time.monotonic()
            recovery = wait_for_recovery(api, back, probes)
            acknowledged = stream.acknowledged()
            stream.wait_for(acknowledged=acknowledged + 10, timeout_s=RECOVERY_BOUND_S)
            stream.finish()
            assert process.poll() is None, "the API process must survive the outage"

            outcomes = sorted(
                [outcome for _, outcome in stream.sent] + stream.feeds + probes,
                key=lambda outcome: outcome.started,
            )
            phases = {"killed": killed, "listening": listening.at(), "back": back}
            write_timeline(tmp_path / "timeline.txt", outcomes, phases)
            check_answers(outcomes, f"\n{log_tail(log_file)}")
            # While nothing listened on Neo4j's port: UNAVAILABLE, and promptly.
            down = [o for o in outcomes if killed < o.started and o.ended < phases["listening"]]
            assert all(o.unavailable and o.seconds <= OUTAGE_ANSWER_S for o in down), down
            assert sum(o.what in ("like", "view") for o in down) >= 3, "too short an outage"
            assert {"health", "feed"} <= {o.what for o in down}
            print(
                f"outage: Neo4j down {phases['listening'] - killed:.1f} s, answering again "
                f"{back - killed:.1f} s after the kill; {len(down)} requests meanwhile, all "
                f"503 UNAVAILABLE within {max(o.seconds for o in down):.2f} s; the API served "
                f"again {recovery:.1f} s after Neo4j; slowest answer {outcomes_max(outcomes)}; "
                f"{len(stream.sent)} events sent"
            )

            check_replay(api, stream.sent)
            check_stored(api, stream.sent, before)
        finally:
            api.close()


def wait_for_recovery(api: Api, back: float, probes: list[Outcome]) -> float:
    """Seconds from Neo4j answering again until the API serves health and feeds (each
    answer recorded in ``probes``)."""
    while True:
        health, feed = api.health(), api.feed(VIEWERS[1])
        probes += [health, feed]
        if health.ok and feed.ok:
            return time.monotonic() - back
        assert time.monotonic() - back < RECOVERY_BOUND_S, (
            f"the API did not recover within {RECOVERY_BOUND_S:.0f} s: {health} {feed}"
        )
        time.sleep(0.5)


class PortWatch:
    """When a port starts accepting connections (watched from a thread)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self._at: float | None = None
        self._thread = threading.Thread(target=self._watch, name="port-watch", daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
            except OSError:
                time.sleep(0.05)
                continue
            self._at = time.monotonic()
            return

    def at(self) -> float:
        self._thread.join(timeout=5)
        assert self._at is not None, f"port {self.port} never opened"
        return self._at


def write_timeline(path: Path, outcomes: list[Outcome], phases: dict[str, float]) -> None:
    """Every answer against the phases, seconds from the kill (kept for a failure's autopsy)."""
    zero = phases["killed"]
    lines = [" ".join(f"{name} {at - zero:.2f}" for name, at in phases.items())]
    lines += [
        f"{o.started - zero:8.2f} {o.seconds:6.2f} {o.what:6} {o.status} {o.codes} "
        f"{o.event_status or ''}"
        for o in outcomes
    ]
    path.write_text("\n".join(lines) + "\n")


def outcomes_max(outcomes: list[Outcome]) -> str:
    slowest = max(outcomes, key=lambda outcome: outcome.seconds)
    return f"{slowest.seconds:.1f} s ({slowest.what}, {slowest.status})"


def check_answers(outcomes: list[Outcome], details: str) -> None:
    """Every request was answered in time, with success or UNAVAILABLE, nothing else."""
    wrong = [o for o in outcomes if not (o.ok or o.unavailable)]
    assert not wrong, f"answers other than success or 503 UNAVAILABLE: {wrong[:5]}{details}"
    slow = [o for o in outcomes if o.seconds > ANSWER_BOUND_S]
    assert not slow, f"answers slower than {ANSWER_BOUND_S:.0f} s: {slow[:5]}{details}"
    new = [o for o in outcomes if o.ok and o.what in ("like", "view")]
    assert all(o.event_status == "RECORDED" for o in new), "a first send was already stored"


def check_replay(api: Api, sent: list[tuple[PlannedEvent, Outcome]]) -> None:
    """Replay every event sent, as a client's retry queue would."""
    late = 0
    for event, first in sent:
        again = api.event(event)
        assert again.ok, (event, again)
        if first.ok:
            assert again.event_status == "ALREADY_RECORDED", (event, again)
        else:
            # Failed in the outage: stored on replay, or already stored when Neo4j died
            # between the commit and the answer.
            assert again.event_status in ("RECORDED", "ALREADY_RECORDED"), (event, again)
            late += again.event_status == "RECORDED"
    failed = sum(not first.ok for _, first in sent)
    print(f"replay: {failed} events had failed, {late} of them stored only by the replay")


def check_stored(
    api: Api, sent: list[tuple[PlannedEvent, Outcome]], before: dict[str, dict[str, int]]
) -> None:
    """Each event sent is stored once, and moved its counter by exactly one."""
    events = [event for event, _ in sent]
    for user in VIEWERS:
        export = api.data(EXPORT, {"u": user})["exportMyData"]
        stored = Counter(e["id"] for e in export["events"] if e.get("type") in ("like", "view"))
        expected = Counter(f"{user}/{e.event_id}" for e in events if e.user == user)
        assert stored == expected, user
    for video, was in before.items():
        now = api.data(STATS, {"v": video})["video"]["stats"]
        views = sum(e.kind == "view" and e.video == video for e in events)
        likes = sum(e.kind == "like" and e.video == video for e in events)
        assert (now["views"] - was["views"], now["likes"] - was["likes"]) == (views, likes), video


# -- mid-import --------------------------------------------------------------------------
def fingerprint(graph: Graph) -> dict[str, Any]:
    """What an import writes: counts by label and type, every node's and relationship's
    properties (floats rounded: sums in another batch order may differ in the last bit;
    ``changedAt`` left out: it is the database's clock, not data)."""

    def fix(value: Any) -> Any:
        return round(value, 9) if isinstance(value, float) else value

    def facts(properties: dict[str, Any]) -> list[tuple[str, Any]]:
        return sorted((k, fix(v)) for k, v in properties.items() if k != "changedAt")

    nodes = sorted(
        (sorted(row["labels"]), row["key"], facts(row["properties"]))
        for row in graph.read("ingest/state_nodes")
    )
    relationships = sorted(
        (row["type"], row["start"], row["end"], facts(row["properties"]))
        for row in graph.read("ingest/state_relationships")
    )
    return {"counts": counts(graph), "nodes": nodes, "relationships": relationships}


def drift(graph: Graph) -> list[dict[str, Any]]:
    """Counters that disagree with a recount from the relationships (none, if sound)."""
    recounts = ("recount_videos", "recount_video_events", "recount_users", "recount_tags_sounds")
    return [row for name in recounts for row in graph.read(f"ingest/{name}", limit=100)]


def stored_events(graph: Graph) -> int:
    records, _, _ = graph.driver.execute_query("MATCH (e:Event) RETURN count(e) AS n")
    return int(records[0]["n"])


def fyp_import(folder: Path) -> list[str]:
    # Small batches: a few hundred transactions, so the kill lands mid-import.
    return [FYP, "import", str(folder), "--batch-size", "25"]


def test_an_outage_mid_import_fails_clearly_and_the_rerun_gives_the_clean_graph(
    server: LocalNeo4j, tmp_path: Path
) -> None:
    folder = tmp_path / "world"
    world = generate_world(WorldSpec(users=200, videos=300, seed=5, end=END))
    written = write_import_dir(world, folder)
    interactions = written["interactions"]
    env = fyp_env(server, tmp_path / "home")
    command = fyp_import(folder)

    with fresh_graph(server) as graph:
        # The reference: a clean import in one go (default batches: the graph does not
        # depend on them, tests/integration/test_ingest_import.py).
        assert import_dir(graph, folder).rejections == []
        assert drift(graph) == []
        expected = fingerprint(graph)
        assert expected["counts"]["node:Event"] == interactions
        wipe(graph)

        started = time.monotonic()
        run = subprocess.Popen(command, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)  # fmt: skip
        try:
            # Kill once a quarter of the events are in, wherever the import is then.
            while (loaded := stored_events(graph)) < interactions // 4:
                if run.poll() is not None:
                    pytest.fail(f"the import ended before the kill:\n{run.communicate()[0]}")
                time.sleep(0.05)
            server.kill()
            output, _ = run.communicate(timeout=180)
        finally:
            if run.poll() is None:
                run.kill()
    failed_after = time.monotonic() - started
    assert loaded < interactions
    assert run.returncode == 1, output
    assert "Traceback" not in output, output
    assert "error (UNAVAILABLE)" in output, output
    message = " ".join(output[output.index("error (UNAVAILABLE)") :].split())
    print(f"import killed at {loaded}/{interactions} events; exit 1 after {failed_after:.0f} s")
    print(message)

    server.start()
    with Graph(connection(server)) as graph:
        again = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        assert again.returncode == 0, again.stdout + again.stderr
        assert drift(graph) == []
        assert fingerprint(graph) == expected
