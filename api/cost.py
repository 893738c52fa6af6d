"""What a request costs, before anything runs: feed pipelines and list sizes.

Static limits (depth, aliases, tokens) bound a document's shape, not the work it asks
for: fifteen aliased ``feed(first: 50)`` fields pass all three and run fifteen ranking
pipelines. So each operation is priced from its document and variables:

* 1 for the operation itself;
* every field with a ``first`` argument costs ``first / max_first`` (a full page is 1),
  times :data:`FEED_WEIGHT` for ``feed`` (a whole candidate-and-ranking pipeline);
* a sized list nested in a sized list is multiplied by the outer size (a page of 50
  videos, each with a page of 50 of its creator's videos, is 2,500 rows, not 100).

A request (one operation or a batch) whose total exceeds ``max_cost`` is refused as
``BAD_INPUT`` (it could never succeed); otherwise the rate limiter charges the total,
so a batch of five costs five times one operation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableNode,
    parse,
)

from api.body import Operation, RefusedRequest

#: A feed field runs sources, filters, scorers and the diversifier: four plain lists' worth.
FEED_WEIGHT = 4.0
#: Parsed documents remembered by text (clients send the same few queries).
PARSE_CACHE = 256


@dataclass(frozen=True)
class Pricing:
    schema: GraphQLSchema
    max_first: int
    max_tokens: int
    max_depth: int

    def operation_cost(
        self, query: str, variables: Mapping[str, Any] | None, operation_name: str | None
    ) -> float:
        """The cost of one operation; a document that does not parse costs 1 (GraphQL
        validation then reports what is wrong with it)."""
        document = _parse(query, self.max_tokens)
        if document is None:
            return 1.0
        operation = _operation(document, operation_name)
        root = _root_type(self.schema, operation.operation)
        if root is None:
            return 1.0
        fragments = {
            definition.name.value: definition
            for definition in document.definitions
            if isinstance(definition, FragmentDefinitionNode)
        }
        walk = _Walk(self, fragments, variables or {})
        try:
            return 1.0 + walk.selections(operation.selection_set, root, 1.0, 0, frozenset())
        except _TooDeep:
            return 1.0  # the depth limit refuses it, with a clearer message than a price


class _TooDeep(Exception):
    pass


@dataclass
class _Walk:
    pricing: Pricing
    fragments: dict[str, FragmentDefinitionNode]
    variables: Mapping[str, Any]

    def selections(
        self,
        selection_set: SelectionSetNode | None,
        parent: GraphQLNamedType,
        multiplier: float,
        depth: int,
        spreading: frozenset[str],
    ) -> float:
        if selection_set is None:
            return 0.0
        if depth > self.pricing.max_depth:
            raise _TooDeep
        total = 0.0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self.field(selection, parent, multiplier, depth, spreading)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                on = self._type(condition.name.value) if condition is not None else None
                total += self.selections(
                    selection.selection_set, on or parent, multiplier, depth, spreading
                )
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is None or name in spreading:  # a cycle: validation refuses it
                    continue
                on = self._type(fragment.type_condition.name.value) or parent
                total += self.selections(
                    fragment.selection_set, on, multiplier, depth, spreading | {name}
                )
        return total

    def field(
        self,
        node: FieldNode,
        parent: GraphQLNamedType,
        multiplier: float,
        depth: int,
        spreading: frozenset[str],
    ) -> float:
        fields = getattr(parent, "fields", None)  # objects and interfaces have them
        definition = fields.get(node.name.value) if fields else None
        if definition is None:  # unknown field: validation reports it
            return 0.0
        cost = 0.0
        size = multiplier
        if "first" in definition.args:
            first = self._first(node, definition.args["first"].default_value)
            weight = FEED_WEIGHT if node.name.value == "feed" else 1.0
            cost += multiplier * weight * first / self.pricing.max_first
            size = multiplier * first
        # A list without `first` (a connection's edges, a card's tags) is the page its
        # parent already priced, or short: it does not multiply again.
        child = _named(definition.type)
        return cost + self.selections(node.selection_set, child, size, depth + 1, spreading)

    def _first(self, node: FieldNode, default: Any) -> int:
        """The requested size, clamped to what the resolver accepts (it refuses the
        rest with its own, clearer error)."""
        value: Any = default
        for argument in node.arguments or ():
            if argument.name.value != "first":
                continue
            if isinstance(argument.value, IntValueNode):
                value = int(argument.value.value)
            elif isinstance(argument.value, VariableNode):
                value = self.variables.get(argument.value.name.value, default)
        if not isinstance(value, int) or isinstance(value, bool):
            return self.pricing.max_first
        return max(0, min(value, self.pricing.max_first))

    def _type(self, name: str) -> GraphQLNamedType | None:
        return self.pricing.schema.get_type(name)


def _named(type_: Any) -> GraphQLNamedType:
    while isinstance(type_, GraphQLNonNull | GraphQLList):
        type_ = type_.of_type
    named: GraphQLNamedType = type_
    return named


@lru_cache(maxsize=PARSE_CACHE)
def _parse(query: str, max_tokens: int) -> DocumentNode | None:
    try:
        return parse(query, max_tokens=max_tokens, no_location=True)
    except GraphQLError:
        return None


def _operation(document: DocumentNode, operation_name: str | None) -> OperationDefinitionNode:
    """The operation to run; refused here when the document does not say which, since
    an ambiguous document must not run whichever operation happens to come first."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    names = [op.name.value for op in operations if op.name is not None]
    if operation_name is None:
        if len(operations) == 1:
            return operations[0]
        raise RefusedRequest(
            400,
            f"The document holds {len(operations)} operations ({', '.join(names) or 'unnamed'}): "
            'say which to run with "operationName".',
        )
    for operation in operations:
        if operation.name is not None and operation.name.value == operation_name:
            return operation
    raise RefusedRequest(
        400, f"No operation named {operation_name!r} in the document (it has: {', '.join(names)})."
    )


def _root_type(schema: GraphQLSchema, kind: OperationType) -> GraphQLObjectType | None:
    if kind is OperationType.QUERY:
        return schema.query_type
    if kind is OperationType.MUTATION:
        return schema.mutation_type
    return schema.subscription_type


def request_cost(pricing: Pricing, operations: Sequence[Operation], max_cost: float) -> float:
    """The total cost of a request's operations, or :class:`RefusedRequest` (400) when it
    is over ``max_cost`` (it would be refused however long the caller waited)."""
    costs = [pricing.operation_cost(op.query, op.variables, op.operation_name) for op in operations]
    total = sum(costs)
    if total > max_cost:
        raise RefusedRequest(
            400,
            f"This request's cost is {total:.1f}, over the limit of {max_cost:g} "
            f"(each feed field costs {FEED_WEIGHT:g} per {pricing.max_first} items, "
            f"each other list 1 per {pricing.max_first}, each operation 1): ask for fewer "
            "or smaller feeds per request.",
        )
    return total
