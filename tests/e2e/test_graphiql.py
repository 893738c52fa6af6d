"""GraphiQL at ``/graphql`` works with no internet: every file it loads is this server's.

Needs the vendored files (``make install`` or ``python -m api.ide fetch``) and the app
serving ``api.ide.ide_page()`` as its IDE; the failures say which is missing.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, urlencode

import pytest

from api.ide import ASSETS, VENDOR, is_intact

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.skipif(
    shutil.which("chromium") is None, reason="needs Debian's chromium (apt-get install chromium)"
)


def test_graphiql_renders_and_runs_a_query_offline(
    server: str, viewer: str, page: Page, offline: list[str], artifacts: Path
) -> None:
    from playwright.sync_api import expect

    broken = [asset.key for asset in ASSETS if not is_intact(asset, VENDOR)]
    assert not broken, f"not vendored (run `python -m api.ide fetch`): {broken}"

    # strawberry's page takes the query and the request headers from the URL, decoded
    # with decodeURIComponent: spaces as %20, not "+".
    query = "{ me { id } }"
    headers = json.dumps({"Authorization": f"Bearer demo:{viewer}"})
    search = urlencode({"q": query, "headers": headers}, quote_via=quote)
    page.goto(f"{server}/graphql?{search}")
    served = page.content()
    if "unpkg.com" in served:
        pytest.fail(
            "GET /graphql still serves strawberry's CDN page: api/app.py's view must answer "
            "the IDE with api.ide.ide_page()"
        )
    if 'data-testid="ide-missing"' in served:
        pytest.fail(f"the install page instead of GraphiQL: {page.locator('.why').inner_text()}")

    # The page's own placeholder div has class graphiql-container already; the execute
    # button exists only once React and GraphiQL have run.
    run = page.locator(".graphiql-execute-button")
    expect(run).to_be_visible()
    expect(page.locator(".graphiql-query-editor")).to_contain_text("me")
    run.click()
    response = page.locator(".graphiql-response")
    expect(response).to_contain_text(re.compile(rf'"id":\s*"{re.escape(viewer)}"'))
    page.screenshot(path=str(artifacts / "graphiql_offline.png"))
    assert offline == [], f"GraphiQL tried to reach the internet: {offline}"
