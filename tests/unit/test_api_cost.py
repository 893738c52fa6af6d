"""Request pricing (api/cost.py): pure, against the real schema, no database."""

from __future__ import annotations

import pytest

from api.body import Operation, RefusedRequest
from api.cost import FEED_WEIGHT, Pricing, request_cost
from api.schema import build_schema
from api.settings import ApiSettings

PRICING = Pricing(build_schema(ApiSettings())._schema, max_first=50, max_tokens=2000, max_depth=10)


def cost(query: str, variables: dict[str, object] | None = None, name: str | None = None) -> float:
    return PRICING.operation_cost(query, variables, name)


def test_a_plain_lookup_costs_one() -> None:
    assert cost('{ video(id: "a") { id caption } }') == 1.0


def test_a_feed_costs_its_pipeline_and_its_size() -> None:
    assert cost("{ feed(first: 50) { edges { cursor } } }") == 1 + FEED_WEIGHT
    assert cost("{ feed(first: 10) { edges { cursor } } }") == pytest.approx(1 + FEED_WEIGHT / 5)
    # No `first`: the schema's default (20).
    assert cost("{ feed { edges { cursor } } }") == pytest.approx(1 + FEED_WEIGHT * 20 / 50)


def test_aliases_and_fragments_are_all_counted() -> None:
    aliased = "{ a: feed(first: 50) { edges { cursor } } b: feed(first: 50) { edges { cursor } } }"
    assert cost(aliased) == 1 + 2 * FEED_WEIGHT
    spread = "{ ...f ...f } fragment f on Query { feed(first: 50) { edges { cursor } } }"
    assert cost(spread) == 1 + 2 * FEED_WEIGHT
    inline = "{ ... on Query { feed(first: 50) { edges { cursor } } } }"
    assert cost(inline) == 1 + FEED_WEIGHT


def test_variables_are_read_and_sizes_clamped() -> None:
    query = "query($n: Int!) { feed(first: $n) { edges { cursor } } }"
    assert cost(query, {"n": 25}) == pytest.approx(1 + FEED_WEIGHT / 2)
    # Over the limit: priced as a full page; the resolver refuses it with its own error.
    assert cost(query, {"n": 10_000}) == 1 + FEED_WEIGHT
    assert cost(query, {"n": "many"}) == 1 + FEED_WEIGHT


def test_nested_lists_multiply() -> None:
    query = '{ hashtag(name: "food") { videos(first: 50) { edges { node { id } } } } }'
    assert cost(query) == 2.0
    # 50 feed items, each with a page of 50 of its creator's videos.
    nested = (
        "{ feed(first: 50) { edges { node { creator { "
        "videos(first: 50) { edges { cursor } } } } } } }"
    )
    assert cost(nested) == 1 + FEED_WEIGHT + 50


def test_documents_that_validation_refuses_cost_one() -> None:
    assert cost("{ feed(first: 50) { edges ") == 1.0
    deep = "{ feed(first: 50) { edges { node { " + "creator { videos(first: 50) { nodes { " * 5
    assert cost(deep + "id" + " } } }" * 5 + " } } } }") == 1.0
    cycle = "{ ...a } fragment a on Query { ...b } fragment b on Query { ...a }"
    assert cost(cycle) == 1.0


def test_a_request_over_the_limit_is_refused_with_its_price() -> None:
    feed = Operation("{ feed(first: 50) { edges { cursor } } }", None, None)
    assert request_cost(PRICING, [feed] * 5, max_cost=25) == 25.0
    with pytest.raises(RefusedRequest) as refused:
        request_cost(PRICING, [feed] * 6, max_cost=25)
    assert refused.value.status == 400 and "cost is 30.0" in str(refused.value)


def test_the_operation_to_run_must_be_named_when_there_are_several() -> None:
    two = "query a { me { id } } query b { feed(first: 50) { edges { cursor } } }"
    with pytest.raises(RefusedRequest, match="operationName"):
        cost(two)
    assert cost(two, name="b") == 1 + FEED_WEIGHT
    with pytest.raises(RefusedRequest, match="No operation named 'c'"):
        cost(two, name="c")
