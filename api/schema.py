"""The schema: queries and mutations from their modules, plus protection and error codes.

``python -m api.schema`` prints the SDL (checked in as ``api/schema.graphql``).
"""

from __future__ import annotations

from pathlib import Path

import strawberry
from graphql import GraphQLError
from strawberry.extensions import DisableIntrospection, SchemaExtension
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from api.accounts import AccountMutation
from api.analytics import AnalyticsQueryFields
from api.brands import BrandQuery
from api.catalog import CatalogQuery
from api.errors import ErrorCodes, log_errors
from api.events import EventMutation
from api.feed import FeedQuery
from api.limits import validation_limits
from api.metrics import OperationMetrics
from api.privacy import PrivacyMutation, PrivacyQuery
from api.settings import ApiSettings

SDL_PATH = Path(__file__).with_name("schema.graphql")


@strawberry.type
class Query(CatalogQuery, FeedQuery, PrivacyQuery, AnalyticsQueryFields, BrandQuery):
    pass


@strawberry.type
class Mutation(AccountMutation, EventMutation, PrivacyMutation):
    pass


class Schema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        log_errors(errors, execution_context)


def build_schema(settings: ApiSettings) -> Schema:
    # OperationMetrics comes first: extensions unwind in reverse, so it sees final codes.
    extensions: list[type[SchemaExtension] | object] = [OperationMetrics, ErrorCodes]
    extensions += validation_limits(settings.max_depth, settings.max_aliases, settings.max_tokens)
    if not settings.is_dev:
        extensions.append(DisableIntrospection)
    return Schema(
        query=Query,
        mutation=Mutation,
        extensions=extensions,  # type: ignore[arg-type]
        config=StrawberryConfig(
            batching_config={"max_operations": settings.max_batch},
            disable_field_suggestions=not settings.is_dev,
        ),
    )


def sdl() -> str:
    """The schema in SDL, the same in every mode."""
    return build_schema(ApiSettings()).as_str() + "\n"


if __name__ == "__main__":
    print(sdl(), end="")
