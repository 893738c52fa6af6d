"""`fyp serve` wires settings, keys and the database: a real server process on loopback."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from graph.db import Graph
from graph.local_neo4j import free_port

FEED = "{ feed(first: 3) { edges { node { id creator { id } } } } }"


@pytest.mark.parametrize("workers", [1, 2])
def test_fyp_serve_answers_on_loopback(
    loaded: Graph, cli_env: dict[str, str], workers: int
) -> None:
    port = free_port()
    keys = "serve-test-key=viewer:u1,serve-ops-key=service"
    env = {**os.environ, **cli_env, "FYP_API_KEYS": keys}
    fyp = Path(sys.executable).with_name("fyp")
    process = subprocess.Popen(
        [str(fyp), "serve", "--port", str(port), "--production", "--workers", str(workers)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert process.poll() is None, process.stdout and process.stdout.read()
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "fyp serve did not come up"
            time.sleep(0.2)
        response = httpx.post(
            f"{base}/graphql",
            json={"query": "{ me { id } }"},
            headers={"Authorization": "Bearer serve-test-key"},
            timeout=30,
        )
        assert response.json() == {"data": {"me": {"id": "u1"}}}
        # Every worker builds its own read model and serves feeds from it.
        for _ in range(2 * workers):
            feed = httpx.post(
                f"{base}/graphql",
                json={"query": FEED},
                headers={"Authorization": "Bearer serve-test-key"},
                timeout=30,
            )
            assert feed.json()["data"]["feed"]["edges"], feed.text
        # In production /metrics needs an admin or service key.
        ops = {"Authorization": "Bearer serve-ops-key"}
        assert httpx.get(f"{base}/metrics").status_code == 401
        assert "fyp_read_model_videos 30.0" in httpx.get(f"{base}/metrics", headers=ops).text
        assert httpx.get(f"{base}/graphql", headers={"Accept": "text/html"}).status_code == 404
        assert "fyp_api_request_seconds" in httpx.get(f"{base}/metrics", headers=ops).text
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
    assert f"fyp API (production mode) on {base}" in output
    assert "warning" not in output.lower()
