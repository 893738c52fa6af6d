"""The demo feed page at ``/`` in real headless Chromium (fixtures: tests/e2e/conftest.py)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Page, Route

pytestmark = pytest.mark.skipif(
    shutil.which("chromium") is None, reason="needs Debian's chromium (apt-get install chromium)"
)


def test_not_interested_in_a_creator_removes_them_from_the_next_page(
    server: str, viewer: str, page: Page, artifacts: Path
) -> None:
    from playwright.sync_api import expect

    page.goto(f"{server}/?user={viewer}")
    cards = page.locator("[data-testid=card]")
    expect(cards.first).to_be_visible()
    expect(page.locator("#status")).to_have_attribute("data-state", "ready")
    expect(page.get_by_test_id("chooser")).to_be_hidden()
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
    page.screenshot(path=str(artifacts / "demo_feed.png"))
    expect(page.get_by_test_id("problem")).to_be_hidden()


def test_without_a_user_the_page_offers_viewers_and_a_link_loads_a_feed(
    server: str, page: Page, artifacts: Path
) -> None:
    from playwright.sync_api import expect

    page.goto(f"{server}/")
    chooser = page.get_by_test_id("chooser")
    expect(chooser).to_be_visible()
    expect(chooser).to_contain_text("Whose For You feed?")
    expect(page.locator("#viewers-status")).to_have_attribute("data-state", "ready")
    links = page.get_by_test_id("viewer")
    expect(links.first).to_be_visible()
    assert 1 <= links.count() <= 6
    href = links.first.get_attribute("href")
    assert href and re.fullmatch(r"/\?user=u\d+", href), href
    page.screenshot(path=str(artifacts / "demo_chooser.png"))

    links.first.click()
    page.wait_for_url(re.compile(re.escape(href)))
    expect(page.locator("[data-testid=card]").first).to_be_visible()
    expect(page.locator("#status")).to_have_attribute("data-state", "ready")
    expect(chooser).to_be_hidden()
    expect(page.get_by_test_id("problem")).to_be_hidden()


def test_a_failed_graphql_fetch_shows_a_visible_error(
    server: str, viewer: str, page: Page, artifacts: Path
) -> None:
    from playwright.sync_api import expect

    def unreachable(route: Route) -> None:
        route.abort("connectionrefused")

    page.route("**/graphql", unreachable)

    # The chooser still explains itself and offers the text box.
    page.goto(f"{server}/")
    problem = page.get_by_test_id("problem")
    expect(problem).to_be_visible()
    expect(problem).to_contain_text("could not reach the API")
    expect(page.locator("#viewers-status")).to_have_attribute("data-state", "error")
    expect(page.get_by_test_id("chooser")).to_contain_text("Type a user id above instead")
    expect(page.locator("#user")).to_be_visible()

    # A feed that cannot load says so, in view, not only in a fading toast.
    page.goto(f"{server}/?user={viewer}")
    expect(problem).to_be_visible()
    expect(problem).to_contain_text("could not reach the API")
    expect(page.locator("#status")).to_have_attribute("data-state", "error")
    assert page.locator("[data-testid=card]").count() == 0
    page.screenshot(path=str(artifacts / "demo_unreachable.png"))


#: Sentences only a viewer's own actions produce (graph/feed/explain.py).
FROM_HISTORY = re.compile(r"\byou (liked|completed|watched|shared)\b|also watched this")


def test_a_new_viewer_signs_up_with_interests_and_the_feed_adapts(
    server: str, page: Page, artifacts: Path
) -> None:
    from playwright.sync_api import expect

    page.goto(f"{server}/")
    expect(page.get_by_test_id("signup")).to_be_visible()
    expect(page.locator("#interests-status")).to_have_attribute("data-state", "ready")
    boxes = page.get_by_test_id("interest")
    expect(boxes.first).to_be_visible()
    picked = [str(boxes.nth(n).get_attribute("value")) for n in range(2)]
    for n in range(2):
        boxes.nth(n).check()
    page.get_by_test_id("signup-name").fill("Pat Playwright")
    page.screenshot(path=str(artifacts / "demo_signup.png"))
    page.get_by_test_id("signup-go").click()

    # A first page at once, told as a cold start from the picked hashtags.
    cards = page.locator("[data-testid=card]")
    expect(cards.first).to_be_visible()
    expect(page.locator("#status")).to_have_attribute("data-state", "ready")
    expect(page.get_by_test_id("chooser")).to_be_hidden()
    assert re.search(r"[?&]user=new-[0-9a-f]{10}\b", page.url), page.url
    assert cards.count() == 5
    first_reasons = " ".join(cards.locator(".reasons").all_text_contents())
    assert any(f"you picked #{tag} as an interest" in first_reasons for tag in picked)
    assert not FROM_HISTORY.search(first_reasons)

    # Watch two videos through and like them; the next page follows.
    for n in range(2):
        card = cards.nth(n)
        card.locator("[data-action=like]").click()
        expect(card.locator("[data-action=like]")).to_have_attribute("aria-pressed", "true")
        card.locator(".watch input").fill("100")
        card.locator("[data-action=next]").click()
        expect(cards.nth(n + 1)).to_have_class(re.compile(r"\bcurrent\b"))
    page.get_by_test_id("more").click()
    second = page.locator('[data-testid=card][data-page="2"]')
    expect(second.first).to_be_visible()
    second_reasons = " ".join(second.locator(".reasons").all_text_contents())
    assert FROM_HISTORY.search(second_reasons), second_reasons
    second.first.locator("summary").click()
    second.first.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "demo_new_viewer.png"))
    expect(page.get_by_test_id("problem")).to_be_hidden()
