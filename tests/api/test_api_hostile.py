"""What a hostile or careless client sends, case by case: each request gets the status and
the error code it deserves, a message without internal detail, and writes nothing.

One app for the whole table (rate limits high enough not to interfere); the graph's
counts are compared before and after every case.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from conftest import KEYS

from api.settings import ApiMode
from graph.db import Graph
from graph.schema import counts

#: Never in a message a client sees.
INTERNAL_WORDS = (
    "Traceback", "neo4j.", "Neo.", "Cypher", "AttributeError", "KeyError", "TypeError",
    'File "', "/work/", "site-packages", "UnicodeDecodeError",
)  # fmt: skip


@dataclass(frozen=True)
class Case:
    id: str
    #: A GraphQL document (sent as JSON), or None to send ``raw`` as the body.
    query: str | None = None
    variables: Any = None
    raw: bytes | None = None
    key: str | None = "viewer-u1"
    headers: dict[str, str] = field(default_factory=dict)
    status: int = 200
    code: str | None = "BAD_INPUT"
    #: Words the error message must contain (what the client should fix).
    says: tuple[str, ...] = ()
    production: bool = False
    #: Send ``raw`` this many times as a chunked body (no Content-Length to trust).
    chunks: int = 0


def iso(delta: timedelta) -> str:
    return (datetime.now(UTC) + delta).isoformat().replace("+00:00", "Z")


def like_at(event_id: str, delta: timedelta) -> str:
    at = iso(delta)
    return f'mutation {{ like(eventId: "{event_id}", videoId: "cook-1", at: "{at}") {{ status }} }}'


FEED = "query($first: Int!) { feed(first: $first) { edges { node { id } } } }"
LIKE = 'mutation { like(eventId: "%s", videoId: "%s") { status } }'
VIEW = 'mutation { recordView(eventId: "v1", videoId: "cook-1", %s) { status } }'
BIG = "x" * (2 * 1024 * 1024)

CASES = [
    # -- the body itself -----------------------------------------------------------------
    Case("body-int", raw=b"42", status=400, says=("JSON object",)),
    Case("body-string", raw=b'"hello"', status=400, says=("JSON object",)),
    Case("body-null", raw=b"null", status=400, says=("JSON object",)),
    Case("body-true", raw=b"true", status=400, says=("JSON object",)),
    Case("body-list-of-ints", raw=b"[1, 2]", status=400, says=("JSON object",)),
    Case("body-empty-batch", raw=b"[]", status=400, says=("empty",)),
    Case("body-invalid-utf8", raw=b'{"query": "\xff\xfe{ me { id } }"}', status=400,
         says=("UTF-8",)),
    Case("body-broken-json", raw=b'{"query": ', status=400, says=("JSON",)),
    Case("body-empty", raw=b"", status=400, says=("JSON",)),
    Case("body-too-large", raw=json.dumps({"query": "{ me { id } }", "x": BIG}).encode(),
         status=413, says=("too large",)),
    Case("body-no-query", raw=b'{"variables": {}}', status=400),
    Case("body-query-not-string", raw=b'{"query": 42}', status=400),
    Case("body-variables-not-object", raw=b'{"query": "{ me { id } }", "variables": [1]}',
         status=400),
    Case("body-batch-of-100", raw=json.dumps([{"query": "{ me { id } }"}] * 100).encode(),
         status=400, says=("batch",)),
    Case("body-batch-with-a-number", raw=b'[{"query": "{ me { id } }"}, 42]', status=400),
    # -- who is asking -------------------------------------------------------------------
    Case("auth-none", "{ me { id } }", key=None, code="UNAUTHENTICATED"),
    Case("auth-wrong-key", "{ me { id } }", key=None,
         headers={"Authorization": "Bearer nope"}, status=401, code="UNAUTHENTICATED"),
    Case("auth-empty-bearer", "{ me { id } }", key=None,
         headers={"Authorization": "Bearer "}, status=401, code="UNAUTHENTICATED"),
    Case("auth-unknown-x-api-key", "{ me { id } }", key=None,
         headers={"X-API-Key": "nope"}, status=401, code="UNAUTHENTICATED"),
    Case("auth-basic-scheme", "{ me { id } }", key=None,
         headers={"Authorization": "Basic dTE6cHc="}, status=401, code="UNAUTHENTICATED"),
    Case("auth-viewer-reads-another-feed", '{ feed(first: 3, userId: "u2") { edges { cursor } } }',
         code="FORBIDDEN"),
    Case("auth-viewer-likes-for-another", 'mutation { like(eventId: "h1", videoId: "cook-1", '
         'userId: "u2") { status } }', code="FORBIDDEN"),
    Case("auth-viewer-exports-another", '{ exportMyData(userId: "u2") }', code="FORBIDDEN"),
    Case("auth-viewer-runs-analytics", "{ analyticsQueries { name } }", code="FORBIDDEN"),
    Case("auth-viewer-discovers-creators", "{ discoverCreators(first: 3) { totalCount } }",
         code="FORBIDDEN"),
    Case("auth-analyst-likes", LIKE % ("h2", "cook-1"), key="analyst", code="FORBIDDEN"),
    Case("auth-brand-reads-a-feed", '{ feed(first: 3, userId: "u1") { edges { cursor } } }',
         key="brand", code="FORBIDDEN"),
    Case("auth-demo-login-in-production", "{ me { id } }", key=None,
         headers={"Authorization": "Bearer demo:u1"}, status=401, code="UNAUTHENTICATED",
         production=True),
    Case("auth-metrics-in-production", None, raw=None, key=None, status=401,
         code="UNAUTHENTICATED", production=True),
    # -- the document --------------------------------------------------------------------
    Case("doc-syntax", "{ me { id ", says=("Syntax Error",)),
    Case("doc-unknown-field", "{ me { password } }", says=("Cannot query field",)),
    Case("doc-depth", '{ video(id: "a") { ' + "creator { videos { nodes { " * 4 + "id"
         + " } } }" * 4 + " } }", says=("depth",)),
    Case("doc-aliases", "{ " + " ".join(f"a{i}: me {{ id }}" for i in range(20)) + " }",
         says=("alias",)),
    Case("doc-tokens", "{ " + "__typename " * 2100 + "}", says=("token",)),
    Case("doc-fragment-cycle", "{ me { ...a } } fragment a on User { ...b } "
         "fragment b on User { ...a }", says=("Cannot spread",)),
    Case("doc-unknown-directive", "{ me @evil { id } }", says=("Unknown directive",)),
    Case("doc-introspection-in-production", "{ __schema { types { name } } }",
         production=True, says=("introspection",)),
    Case("doc-subscription", "subscription { feed { id } }"),
    Case("doc-two-operations-no-name", "query a { me { id } } query b { me { id } }",
         status=400, says=("operationName",)),
    Case("doc-unknown-operation-name", raw=b'{"query": "query a { me { id } }", '
         b'"operationName": "b"}', status=400, says=("No operation named",)),
    # -- variables -----------------------------------------------------------------------
    Case("var-enum-evil", "query($m: FeedMode!) { feed(first: 3, mode: $m) { edges { cursor } } }",
         variables={"m": "EVIL"}, says=("FeedMode",)),
    Case("var-null-for-id", 'query($v: ID!) { video(id: $v) { id } }', variables={"v": None},
         says=("null",)),
    Case("var-string-for-int", FEED, variables={"first": "abc"}, says=("Int",)),
    Case("var-float-for-int", FEED, variables={"first": 2.5}, says=("Int",)),
    Case("var-huge-int", FEED, variables={"first": 2**40}, says=("Int",)),
    Case("var-missing", FEED, variables={}, says=("first",)),
    Case("var-object-for-string", 'query($a: String) { feed(first: 3, after: $a) '
         "{ edges { cursor } } }", variables={"a": {"x": 1}}, says=("String",)),
    Case("var-list-for-id", 'query($v: ID!) { video(id: $v) { id } }', variables={"v": [1, 2]}),
    Case("var-controls-bad-shape", "query($c: FeedControls) { feed(first: 3, controls: $c) "
         "{ edges { cursor } } }", variables={"c": {"diversity": "high"}}),
    # -- arguments -----------------------------------------------------------------------
    Case("arg-first-zero", "{ feed(first: 0) { edges { cursor } } }", says=("first",)),
    Case("arg-first-huge", "{ feed(first: 10000) { edges { cursor } } }", says=("first",)),
    Case("arg-first-negative", "{ feed(first: -1) { edges { cursor } } }", says=("first",)),
    Case("arg-garbage-cursor", '{ feed(first: 3, after: "garbage") { edges { cursor } } }',
         says=("cursor",)),
    Case("arg-diversity-2", "{ feed(first: 3, controls: {diversity: 2.0}) { edges { cursor } } }",
         says=("diversity",)),
    Case("arg-exploration-negative", "{ feed(first: 3, controls: {exploration: -1}) "
         "{ edges { cursor } } }", says=("exploration",)),
    Case("arg-keyword-only-hash", '{ feed(first: 3, controls: {keywordFilters: ["#"]}) '
         "{ edges { cursor } } }", says=("Keyword",)),
    Case("arg-too-many-keywords", "{ feed(first: 3, controls: {keywordFilters: ["
         + ", ".join(f'"w{i}"' for i in range(300)) + "]}) { edges { cursor } } }",
         says=("keyword",)),
    Case("arg-interest-with-space", '{ feed(first: 3, controls: {interests: ["two words"]}) '
         "{ edges { cursor } } }", says=("Interests",)),
    Case("arg-too-many-blocked", "{ feed(first: 3, controls: {blockedCreators: ["
         + ", ".join(f'"c{i}"' for i in range(600)) + "]}) { edges { cursor } } }",
         says=("blocked",)),
    Case("arg-creator-videos-first-huge", '{ creator(id: "cook") { videos(first: 100000) '
         "{ edges { cursor } } } }", says=("first",)),
    # -- events --------------------------------------------------------------------------
    Case("event-empty-id", LIKE % ("", "cook-1"), says=("eventId",)),
    Case("event-long-id", LIKE % ("e" * 500, "cook-1"), says=("eventId",)),
    Case("event-unknown-video", LIKE % ("h3", "nope"), code="NOT_FOUND"),
    Case("event-negative-watch", VIEW % "watchMs: -5", says=("watch",)),
    Case("event-absurd-watch", VIEW % "watchMs: 2000000000", says=("watch",)),
    Case("event-rewatches-million", VIEW % "watchMs: 1000, rewatches: 1000000",
         says=("rewatches",)),
    Case("event-rewatches-negative", VIEW % "watchMs: 1000, rewatches: -1", says=("rewatches",)),
    Case("event-view-without-watch", VIEW % "rewatches: 0", says=("watchMs",)),
    Case("event-at-next-year", like_at("h4", timedelta(days=365)), says=("at",)),
    Case("event-at-1970", 'mutation { like(eventId: "h5", videoId: "cook-1", '
         'at: "1970-01-01T00:00:00Z") { status } }', says=("at",)),
    Case("event-at-two-days-ago", like_at("h6", timedelta(days=-2)), says=("at",)),
    Case("event-at-not-a-date", 'mutation { like(eventId: "h7", videoId: "cook-1", '
         'at: "yesterday") { status } }'),
    Case("event-follow-self", 'mutation { follow(eventId: "h8", creatorId: "u1") { status } }',
         code="NOT_FOUND"),
    Case("event-follow-unknown", 'mutation { follow(eventId: "h9", creatorId: "ghost") '
         "{ status } }", code="NOT_FOUND"),
    Case("event-not-interested-two-targets", 'mutation { notInterested(eventId: "h10", '
         'target: {videoId: "cook-1", hashtag: "food"}) { status } }'),
    Case("event-not-interested-no-target", 'mutation { notInterested(eventId: "h11", '
         "target: {}) { status } }"),
    Case("event-publish-zero-duration", 'mutation { publishVideo(eventId: "p1", durationMs: 0) '
         "{ status } }", says=("duration",)),
    Case("event-publish-huge-duration", 'mutation { publishVideo(eventId: "p2", '
         "durationMs: 999999999) { status } }", says=("duration",)),
    Case("event-publish-long-caption", 'mutation { publishVideo(eventId: "p3", durationMs: 1000, '
         f'caption: "{"c" * 3000}") {{ status }} }}', says=("caption",)),
    Case("event-publish-many-hashtags", 'mutation { publishVideo(eventId: "p4", durationMs: 1000,'
         " hashtags: [" + ", ".join(f'"t{i}"' for i in range(40)) + "]) { status } }",
         says=("hashtags",)),
    Case("event-publish-for-another", 'mutation { publishVideo(eventId: "p5", durationMs: 1000, '
         'creatorId: "cook") { status } }', code="FORBIDDEN"),
    Case("event-injection-in-id", LIKE % ("h12", "cook-1\\\" }) DETACH DELETE n //"),
         code="NOT_FOUND"),
    Case("event-unicode-id", LIKE % ("h13", "\u202ecook-1"), code="NOT_FOUND"),
    # -- analysts and brands -------------------------------------------------------------
    Case("analytics-unknown-query", '{ runAnalyticsQuery(name: "nope") { columns } }',
         key="analyst", code="NOT_FOUND"),
    Case("analytics-param-out-of-range", '{ runAnalyticsQuery(name: "daily_active_viewers", '
         "params: {days: 100000}) { columns } }", key="analyst", says=("days",)),
    Case("analytics-param-wrong-type", '{ runAnalyticsQuery(name: "daily_active_viewers", '
         'params: {days: "many"}) { columns } }', key="analyst", says=("days",)),
    Case("analytics-row-limit-huge", '{ runAnalyticsQuery(name: "daily_active_viewers", '
         "rowLimit: 1000000000) { columns } }", key="analyst", says=("rowLimit",)),
    Case("brands-first-huge", "{ discoverCreators(first: 1000) { totalCount } }", key="brand",
         says=("first",)),
    Case("brands-lookalike-unknown", '{ lookalikeCreators(creatorId: "ghost") { creatorId } }',
         key="brand", code="NOT_FOUND"),
    Case("brands-overlap-too-many", "{ audienceOverlap(creatorIds: ["
         + ", ".join(f'"c{i}"' for i in range(100)) + "]) { unionReach } }", key="brand"),
    # -- privacy -------------------------------------------------------------------------
    Case("privacy-delete-unconfirmed", "mutation { deleteMyData(confirm: false) { userId } }",
         says=("confirm",)),
    Case("privacy-delete-another", 'mutation { deleteMyData(confirm: true, userId: "u2") '
         "{ userId } }", code="FORBIDDEN"),
    Case("privacy-keyword-too-long", 'mutation { updateSettings(keywordFilters: ["%s"]) '
         "{ personalized } }" % ("k" * 100), says=("Keyword",)),
    # -- cost ----------------------------------------------------------------------------
    Case("cost-many-feeds-in-one-request", "{ " + " ".join(
        f"f{i}: feed(first: 50) {{ edges {{ cursor }} }}" for i in range(15)) + " }",
         status=400, says=("cost",)),
    Case("cost-batch-of-full-feeds", raw=json.dumps(
        [{"query": "{ a: feed(first: 50) { edges { cursor } } "
                   "b: feed(first: 50) { edges { cursor } } }"}] * 5).encode(),
         status=400, says=("cost",)),
    Case("cost-nested-pages", "{ feed(first: 50) { edges { node { creator { "
         "videos(first: 50) { edges { cursor } } } } } } }", status=400, says=("cost",)),
    Case("body-not-json-content-type", raw=b"query { me { id } }",
         headers={"Content-Type": "application/graphql"}, status=415, says=("application/json",)),
    Case("body-chunked-too-large", raw=b"x" * 65536, chunks=40, status=413, says=("too large",)),
    Case("auth-metrics-as-viewer-in-production", None, raw=None, key="viewer-u1", status=403,
         code="FORBIDDEN", production=True),
]  # fmt: skip


async def _chunked(chunk: bytes, times: int) -> AsyncIterator[bytes]:
    for _ in range(times):
        yield chunk


@pytest.fixture(scope="module")
def cases_by_id() -> dict[str, Case]:
    return {case.id: case for case in CASES}


@pytest.fixture
async def apps(loaded: Graph, make_client: Callable[..., Any]) -> AsyncIterator[dict[bool, Any]]:
    async with (
        make_client(key_rate_per_s=1e6, viewer_rate_per_s=1e6) as dev,
        make_client(mode=ApiMode.PRODUCTION, key_rate_per_s=1e6, viewer_rate_per_s=1e6) as prod,
    ):
        yield {False: dev, True: prod}


def test_the_table_is_long_enough() -> None:
    assert len(CASES) >= 80
    assert len({case.id for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
async def test_hostile_input(case: Case, apps: dict[bool, Any], loaded: Graph) -> None:
    api = apps[case.production]
    before = counts(loaded)
    headers = dict(case.headers)
    if case.key is not None:
        headers["Authorization"] = f"Bearer {KEYS[case.key]}"
    started = time.monotonic()
    if case.query is None and case.raw is None:  # the metrics endpoint
        response: httpx.Response = await api.http.get("/metrics", headers=headers)
    else:
        if case.raw is not None:
            body = case.raw
        else:
            payload: dict[str, Any] = {"query": case.query}
            if case.variables is not None:
                payload["variables"] = case.variables
            body = json.dumps(payload).encode()
        headers.setdefault("Content-Type", "application/json")
        content: bytes | AsyncIterator[bytes] = body
        if case.chunks:
            content = _chunked(body, case.chunks)
        response = await api.http.post("/graphql", content=content, headers=headers)
    assert time.monotonic() - started < 10, "a hostile request must be answered promptly"
    assert response.status_code == case.status, response.text[:500]
    data = response.json()
    errors = data.get("errors") if isinstance(data, dict) else None
    assert errors, f"expected an error, got {response.text[:300]}"
    error = errors[0]
    if case.code is not None:
        assert error["extensions"]["code"] == case.code, error
    message = error["message"]
    for word in case.says:
        assert word.lower() in message.lower(), (word, message)
    for word in INTERNAL_WORDS:
        assert word not in message, (word, message)
    assert counts(loaded) == before, "a rejected request wrote to the graph"
