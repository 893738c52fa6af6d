"""API keys, roles and rate limits: pure logic, no database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import SecretStr

from api.auth import KeyStore, Principal, Role, digest
from api.errors import Forbidden, RateLimited, Unauthenticated
from api.limits import RateLimiter, bounded_first
from api.settings import ApiMode, ApiSettings
from graph.errors import ClientError


def test_keys_from_a_file_plain_or_hashed(tmp_path: Path) -> None:
    file = tmp_path / "keys.json"
    file.write_text(
        json.dumps(
            {
                "keys": [
                    {"name": "web", "role": "service", "key": "plain-secret"},
                    {"name": "alice", "role": "VIEWER", "user": "u42", "sha256": digest("hashed")},
                ]
            }
        )
    )
    store = KeyStore.load(file)
    assert len(store) == 2
    assert store.authenticate({"authorization": "Bearer plain-secret"}) == Principal(
        "web", Role.SERVICE
    )
    assert store.authenticate({"x-api-key": "hashed"}) == Principal("alice", Role.VIEWER, "u42")
    assert store.authenticate({}) is None


@pytest.mark.parametrize(
    "headers",
    [{"authorization": "Bearer nope"}, {"authorization": "Basic abc"}, {"x-api-key": "nope"}],
)
def test_bad_credentials_are_unauthenticated(headers: dict[str, str]) -> None:
    store = KeyStore.load(inline="good=admin")
    with pytest.raises(Unauthenticated):
        store.authenticate(headers)


def test_inline_keys_and_their_mistakes() -> None:
    store = KeyStore.load(inline="a=viewer:u1, b=analyst")
    assert store.authenticate({"x-api-key": "a"}) == Principal("inline1", Role.VIEWER, "u1")
    with pytest.raises(ClientError, match="unknown role 'boss'"):
        KeyStore.load(inline="a=boss")
    with pytest.raises(ClientError, match="viewer key needs the user"):
        KeyStore.load(inline="a=viewer")
    with pytest.raises(ClientError, match="KEY=ROLE"):
        KeyStore.load(inline="justakey")


def test_bad_key_files_say_what_is_wrong(tmp_path: Path) -> None:
    file = tmp_path / "keys.json"
    file.write_text('{"keys": [{"role": "admin"}]}')
    with pytest.raises(ClientError, match="needs `key` or `sha256`"):
        KeyStore.load(file)
    file.write_text("not json")
    with pytest.raises(ClientError, match="cannot read API keys"):
        KeyStore.load(file)


def test_demo_logins_only_when_enabled() -> None:
    assert KeyStore({}, demo_logins=True).authenticate(
        {"authorization": "Bearer demo:u7"}
    ) == Principal("demo:u7", Role.VIEWER, "u7")
    with pytest.raises(Unauthenticated):
        KeyStore({}, demo_logins=False).authenticate({"authorization": "Bearer demo:u7"})


def test_who_may_act_for_whom() -> None:
    viewer = Principal("v", Role.VIEWER, "u1")
    assert viewer.acting_user(None) == "u1" and viewer.acting_user("u1") == "u1"
    with pytest.raises(Forbidden):
        viewer.acting_user("u2")
    for role in (Role.SERVICE, Role.ADMIN):
        assert Principal("s", role).acting_user("u2") == "u2"
        with pytest.raises(ClientError, match="pass `userId`"):
            Principal("s", role).acting_user(None)
    for role in (Role.ANALYST, Role.BRAND):
        with pytest.raises(Forbidden):
            Principal("a", role).acting_user("u1")


def test_token_buckets_refill_with_time() -> None:
    now = [0.0]
    limiter = RateLimiter(clock=lambda: now[0])
    for _ in range(4):  # bursts of twice the rate
        limiter.take("k", rate_per_s=2.0)
    with pytest.raises(RateLimited) as refused:
        limiter.take("k", rate_per_s=2.0)
    assert refused.value.retry_after_s == pytest.approx(0.5)
    limiter.take("other", rate_per_s=2.0)  # buckets are per caller
    now[0] = 0.5
    limiter.take("k", rate_per_s=2.0)
    with pytest.raises(RateLimited):
        limiter.take("k", rate_per_s=2.0, cost=2)


def test_idle_buckets_are_forgotten_when_there_are_too_many() -> None:
    now = [0.0]
    limiter = RateLimiter(clock=lambda: now[0], max_callers=2)
    limiter.take("a", 1.0)
    limiter.take("b", 1.0)
    now[0] = 10.0
    limiter.take("c", 1.0)
    assert set(limiter._buckets) == {"c"}


def test_first_is_bounded() -> None:
    assert bounded_first(50, 50) == 50
    for bad in (0, 51):
        with pytest.raises(ClientError, match="between 1 and 50"):
            bounded_first(bad, 50)


def test_production_without_keys_warns() -> None:
    bare = ApiSettings(mode=ApiMode.PRODUCTION)
    assert any("no API keys" in warning for warning in bare.warnings())
    keyed = ApiSettings(mode=ApiMode.PRODUCTION, keys=SecretStr("k=admin"))
    assert keyed.warnings() == []
    assert ApiSettings(mode=ApiMode.DEV).warnings() == []


def test_a_request_dearer_than_a_burst_runs_from_a_full_bucket_and_leaves_debt() -> None:
    now = [0.0]
    limiter = RateLimiter(clock=lambda: now[0])
    limiter.take("k", rate_per_s=1.0, cost=5.0)  # capacity 2: admitted from full
    with pytest.raises(RateLimited) as refused:
        limiter.take("k", rate_per_s=1.0, cost=1.0)
    assert refused.value.retry_after_s == pytest.approx(4.0)  # 3 tokens of debt + 1
    now[0] = 4.0
    limiter.take("k", rate_per_s=1.0, cost=1.0)
