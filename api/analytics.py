"""The analysts' Cypher library over GraphQL: list the named queries, run one.

Both fields need the analyst role (or admin). Queries run through
:class:`graph.analytics.runner.ReadOnlyRunner`, the same runner as ``fyp query run``:
parameters type-checked against the file's header, a plan check that refuses
anything that writes, a timeout and a row limit. Ad-hoc Cypher stays a CLI tool:
a network API that runs arbitrary statements is a larger door than analysts need.
"""

from __future__ import annotations

from typing import Any, cast

import strawberry
from starlette.concurrency import run_in_threadpool
from strawberry.scalars import JSON

from api.auth import Role
from api.context import Info, gql_field
from graph.analytics.catalogue import AnalyticsQuery, ParamSpec
from graph.analytics.runner import QueryResult, ReadOnlyRunner
from graph.errors import ClientError

#: Most rows one call may ask for; the default keeps responses small.
MAX_ROW_LIMIT = 10_000
DEFAULT_ROW_LIMIT = 1_000
QUERY_TIMEOUT_S = 30.0


@strawberry.type(description="One documented parameter of an analytics query.")
class AnalyticsParameter:
    name: str
    type: str = strawberry.field(
        description="int, float, string, bool, timestamp (epoch ms or ISO-8601), int[], string[]."
    )
    required: bool
    default: JSON | None = strawberry.field(description="Used when the parameter is left out.")
    description: str

    @classmethod
    def of(cls, spec: ParamSpec) -> AnalyticsParameter:
        return cls(
            name=spec.name,
            type=spec.type,
            required=spec.required,
            default=cast(JSON, spec.default),
            description=spec.description,
        )


@strawberry.type(
    name="AnalyticsQuery",
    description="A named, read-only query of the analysts' library (cypher/analytics/).",
)
class AnalyticsQueryInfo:
    name: str
    title: str
    description: str
    parameters: list[AnalyticsParameter]
    columns: list[str]
    cypher: str = strawberry.field(description="The statement itself, for reading and reuse.")

    @classmethod
    def of(cls, query: AnalyticsQuery) -> AnalyticsQueryInfo:
        return cls(
            name=query.name,
            title=query.title,
            description=query.description,
            parameters=[AnalyticsParameter.of(spec) for spec in query.params],
            columns=list(query.columns),
            cypher=query.text,
        )


@strawberry.type(description="Columns and rows of one run; values are plain JSON.")
class AnalyticsResult:
    name: str
    parameters: JSON = strawberry.field(description="Every parameter as run, defaults included.")
    columns: list[str]
    rows: list[JSON] = strawberry.field(description="Each row a list, in the order of `columns`.")
    truncated: bool = strawberry.field(description="True when rows were cut at `rowLimit`.")
    row_limit: int
    elapsed_ms: float

    @classmethod
    def of(cls, result: QueryResult) -> AnalyticsResult:
        return cls(
            name=result.name or "",
            parameters=cast(JSON, result.params),
            columns=result.columns,
            rows=[cast(JSON, row) for row in result.rows],
            truncated=result.truncated,
            row_limit=result.row_limit,
            elapsed_ms=result.elapsed_ms,
        )


@strawberry.type
class AnalyticsQueryFields:
    @gql_field("The analysts' named queries, with parameters and columns (analyst role).")
    def analytics_queries(self, info: Info) -> list[AnalyticsQueryInfo]:
        info.context.caller().require(Role.ANALYST)
        catalogue = info.context.services.analytics
        return [AnalyticsQueryInfo.of(catalogue[name]) for name in sorted(catalogue)]

    @gql_field(
        "Run a named analytics query, read-only, with a timeout and a row limit (analyst role)."
    )
    async def run_analytics_query(
        self,
        info: Info,
        name: str,
        params: JSON | None = None,
        row_limit: int = DEFAULT_ROW_LIMIT,
    ) -> AnalyticsResult:
        info.context.caller().require(Role.ANALYST)
        if not 1 <= row_limit <= MAX_ROW_LIMIT:
            raise ClientError(
                f"`rowLimit` must be between 1 and {MAX_ROW_LIMIT} (got {row_limit})."
            )
        given = _params_object(params)
        services = info.context.services
        runner = ReadOnlyRunner(
            services.sync_graph,
            services.analytics,
            row_limit=MAX_ROW_LIMIT,
            timeout_s=QUERY_TIMEOUT_S,
        )
        result = await run_in_threadpool(runner.run, name, given, row_limit=row_limit)
        return AnalyticsResult.of(result)


def _params_object(params: object) -> dict[str, Any]:
    if params is None:
        return {}
    if not isinstance(params, dict):
        raise ClientError(
            '`params` must be an object of parameter values, e.g. {"days": 7}; '
            "`analyticsQueries` lists each query's parameters."
        )
    return dict(params)
