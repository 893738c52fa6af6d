"""The demo feed page in real headless Chromium against a live server on a generated world.

Debian's ``chromium`` driven by Playwright (``executable_path``; never ``playwright
install``). The server is uvicorn in a background thread on a free loopback port.
"""

from __future__ import annotations

import re
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

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

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
ARTIFACTS = Path(__file__).with_name("artifacts")
# A busy CI machine must not turn a slow source into a missing one.
CONFIG = FeedConfig(budgets=Budgets(required_s=60.0, non_personal_s=30.0), max_staleness_s=0.0)
TIMEOUT_MS = 60_000

pytestmark = pytest.mark.skipif(
    shutil.which("chromium") is None, reason="needs Debian's chromium (apt-get install chromium)"
)


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


def test_not_interested_in_a_creator_removes_them_from_the_next_page(
    server: str, viewer: str
) -> None:
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            page = browser.new_page(viewport={"width": 480, "height": 900})
            page.set_default_timeout(TIMEOUT_MS)
            page.goto(f"{server}/?user={viewer}")
            cards = page.locator("[data-testid=card]")
            expect(cards.first).to_be_visible()
            expect(page.locator("#status")).to_have_attribute("data-state", "ready")
            first_page = cards.count()
            assert first_page == 5

            # Like, then move on with a simulated watch time.
            first = cards.first
            first.locator("[data-action=like]").click()
            expect(first.locator("[data-action=like]")).to_have_attribute("aria-pressed", "true")
            first.locator("[data-action=next]").click()
            expect(cards.nth(1)).to_have_class(re.compile(r"\bcurrent\b"))

            # Not interested in the second video's creator.
            target = cards.nth(1)
            creator = target.get_attribute("data-creator")
            assert creator
            target.locator("[data-action=not-interested]").click()
            expect(target).to_have_class(re.compile(r"\bgone\b"))

            page.locator("[data-testid=more]").click()
            next_page = page.locator('[data-testid=card][data-page="2"]')
            expect(next_page.first).to_be_visible()
            creators = [card.get_attribute("data-creator") for card in next_page.all()]
            assert creators and creator not in creators

            next_page.first.locator("summary").click()  # open "Why this video?"
            next_page.first.scroll_into_view_if_needed()
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "demo_feed.png"))
        finally:
            browser.close()
