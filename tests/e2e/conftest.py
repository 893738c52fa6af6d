"""The demo page and GraphiQL in real headless Chromium against a live server.

Debian's ``chromium`` driven by Playwright (``executable_path``; never ``playwright
install``). The server is uvicorn in a background thread on a free loopback port,
serving a small generated world.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
import uvicorn

from api.app import create_app
from api.settings import ApiMode, ApiSettings
from graph.db import AsyncGraph, Connection, Graph
from graph.feed import FeedConfig, FeedEngine
from graph.feed.config import Budgets
from graph.ingest import import_records
from graph.local_neo4j import free_port
from graph.synth.spec import WorldSpec
from graph.synth.world import generate_world

if TYPE_CHECKING:
    from playwright.sync_api import Page, Route

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
ARTIFACTS = Path(__file__).with_name("artifacts")
# A busy CI machine must not turn a slow source into a missing one.
CONFIG = FeedConfig(budgets=Budgets(required_s=60.0, non_personal_s=30.0), max_staleness_s=0.0)
TIMEOUT_MS = 60_000
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


@pytest.fixture
def viewer(graph: Graph) -> str:
    """A generated world; returns its most active viewer."""
    world = generate_world(WorldSpec(users=100, videos=200, seed=11))
    report = import_records(graph, world.records())
    assert not report.rejections
    return str(graph.read("api/demo_users", limit=1)[0]["userId"])


@pytest.fixture
def server(viewer: str, neo4j_connection: Connection) -> Iterator[str]:
    port = free_port()
    settings = ApiSettings(mode=ApiMode.DEV, host="127.0.0.1", port=port)

    def feed(graph: AsyncGraph) -> FeedEngine:
        return FeedEngine(graph, CONFIG)

    app = create_app(settings, neo4j_connection, feed=feed)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@pytest.fixture
def artifacts() -> Path:
    """Where screenshots go (git-ignored; CI keeps them when a test fails)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def page() -> Iterator[Page]:
    """A fresh page in headless Chromium (a new browser per test: no shared storage)."""
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            page = browser.new_page(viewport={"width": 480, "height": 900})
            page.set_default_timeout(TIMEOUT_MS)
            yield page
        finally:
            browser.close()


@pytest.fixture
def offline(page: Page) -> list[str]:
    """Cuts ``page`` off from everything but this machine; returns what it tried to reach."""
    blocked: list[str] = []

    def only_loopback(route: Route) -> None:
        url = route.request.url
        if urlsplit(url).hostname in LOOPBACK:
            route.continue_()
        else:
            blocked.append(url)
            route.abort("internetdisconnected")

    page.route("**/*", only_loopback)
    return blocked
