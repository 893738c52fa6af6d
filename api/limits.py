"""Protection against expensive or abusive requests.

Static limits run at validation time (depth, aliases, tokens); ``first`` is bounded
in the resolvers (:func:`bounded_first`); body size, batch size and cost are checked
before GraphQL runs (api/body.py, api/cost.py);
each key gets a token bucket (:class:`RateLimiter`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from functools import partial

from graphql import GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)

from api.errors import RateLimited
from graph.errors import ClientError

#: Distinct query texts whose parse and validation are remembered (clients send a few).
CACHE_SIZE = 256


def validation_limits(
    max_depth: int, max_aliases: int, max_tokens: int
) -> list[Callable[[], SchemaExtension]]:
    """Factories (each operation gets fresh extension instances) for the static limits,
    with parsing and validation cached by query text."""
    # Built once: the rule classes must be the same objects on every request, or the
    # validation cache (keyed by document and rules) never hits.
    rules = [
        *QueryDepthLimiter(max_depth=max_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=max_aliases).validation_rules,
    ]
    return [
        partial(MaxTokensLimiter, max_token_count=max_tokens),
        partial(CachedParse, maxsize=CACHE_SIZE),
        partial(AddValidationRules, rules),
        partial(ValidationCache, maxsize=CACHE_SIZE),
    ]


class CachedParse(ParserCache):
    """Strawberry's parser cache, minus its one flaw: a syntax error (or too many tokens)
    raised inside the hook skips the other extensions; leave it to the normal parse."""

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        with suppress(GraphQLError):  # not cached: strawberry parses again and reports it
            context.graphql_document = self.cached_parse_document(
                context.query, **context.parse_options
            )
        yield


def bounded_first(first: int, max_first: int) -> int:
    if first < 1 or first > max_first:
        raise ClientError(f"`first` must be between 1 and {max_first} (got {first}).")
    return first


@dataclass
class _Bucket:
    tokens: float
    updated: float


@dataclass
class RateLimiter:
    """Token buckets per caller: ``rate_per_s`` sustained, bursts of ``2 x rate_per_s`` (>= 1).

    One process, in memory: behind several API processes each enforces its own share.
    """

    clock: Callable[[], float] = time.monotonic
    max_callers: int = 100_000
    _buckets: dict[str, _Bucket] = field(default_factory=dict)

    def take(self, caller: str, rate_per_s: float, cost: float = 1.0) -> None:
        """Spend ``cost`` tokens of ``caller`` (a request's price, api/cost.py) or raise
        :class:`RateLimited`."""
        now = self.clock()
        capacity = max(1.0, 2.0 * rate_per_s)
        bucket = self._buckets.get(caller)
        if bucket is None:
            if len(self._buckets) >= self.max_callers:
                self._forget_full_buckets(now)
            bucket = self._buckets[caller] = _Bucket(capacity, now)
        bucket.tokens = min(capacity, bucket.tokens + (now - bucket.updated) * rate_per_s)
        bucket.updated = now
        # A request dearer than a whole burst is admitted from a full bucket and leaves
        # it in debt; otherwise a slow key could never afford it.
        needed = min(cost, capacity)
        if bucket.tokens < needed:
            retry_after = (needed - bucket.tokens) / rate_per_s
            raise RateLimited(
                f"Too many requests for this key; retry in {retry_after:.1f} s.", retry_after
            )
        bucket.tokens -= cost

    def _forget_full_buckets(self, now: float) -> None:
        # A bucket idle long enough to be full again carries no state worth keeping.
        idle_s = 2.0
        self._buckets = {
            caller: bucket
            for caller, bucket in self._buckets.items()
            if now - bucket.updated < idle_s
        }
