"""Runs analytics Cypher read-only *for real*, with a timeout and a row limit.

A READ access-mode session alone is not access control (a single server, or a
procedure, may still write), so every statement is planned first with
``EXPLAIN`` and refused unless the plan only reads: the summary's query type must
be ``'r'``, no operator in the plan may write or reach outside the database, and
procedures are allowed only from a short list of side-effect-free ones. Only
then does it run, in a READ transaction with a server-side timeout, fetching at
most ``row_limit + 1`` records so truncation is reported rather than silent.

Ad-hoc text (``fyp query run --cypher``) is the one place where a person's own
Cypher is executed; we only ever prefix it with ``EXPLAIN`` for the check and
never format values into it (values travel as parameters).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import neo4j
from neo4j.exceptions import ClientError as Neo4jClientError
from neo4j.exceptions import Neo4jError, ServiceUnavailable, SessionExpired

from graph.analytics.catalogue import Catalogue
from graph.analytics.values import plain
from graph.db import Graph
from graph.errors import ClientError, DependencyError

log = logging.getLogger(__name__)

T = TypeVar("T")

DEFAULT_ROW_LIMIT = 1000
MAX_ROW_LIMIT = 100_000

# Procedures that read the graph or the schema and change nothing (not even stats).
SAFE_PROCEDURES = frozenset(
    {
        "db.index.fulltext.queryNodes",
        "db.index.fulltext.queryRelationships",
        "db.index.vector.queryNodes",
        "db.index.vector.queryRelationships",
        "db.labels",
        "db.relationshipTypes",
        "db.propertyKeys",
        "db.schema.visualization",
        "db.schema.nodeTypeProperties",
        "db.schema.relTypeProperties",
        "db.info",
        "db.ping",
    }
)
# Plan operators that change data or schema, touch other transactions, or read files.
_WRITING_OPERATOR = re.compile(
    r"Create|Merge|Set|Delete|Remove|Foreach|Transaction|LoadCSV|Terminate|Administration"
)
_SAFE_SHOW = frozenset({"ShowIndexes", "ShowConstraints", "ShowProcedures", "ShowFunctions"})
_PROCEDURE_NAME = re.compile(r"^\s*([A-Za-z_][\w.]*)\s*\(")
_PLAN_PREFIX = re.compile(r"^\s*(EXPLAIN|PROFILE)\b", re.IGNORECASE)


@dataclass(frozen=True)
class QueryResult:
    """Columns and rows (plain JSON-friendly values), and whether rows were cut off."""

    columns: list[str]
    rows: list[list[Any]]
    truncated: bool
    row_limit: int
    elapsed_ms: float
    name: str | None = None
    params: dict[str, Any] = field(default_factory=dict)

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


@dataclass(frozen=True)
class PlanCheck:
    """What EXPLAIN said about a statement."""

    query_type: str
    operators: list[str]
    procedures: list[str]


class ReadOnlyRunner:
    """Runs catalogue queries by name, or ad-hoc Cypher, refusing anything that writes."""

    def __init__(
        self,
        graph: Graph,
        catalogue: Catalogue | None = None,
        *,
        row_limit: int = DEFAULT_ROW_LIMIT,
        timeout_s: float = 30.0,
    ) -> None:
        self.graph = graph
        self.catalogue = catalogue or Catalogue.from_library(graph.queries)
        self.row_limit = _checked_limit(row_limit)
        self.timeout_s = timeout_s

    def run(
        self, name: str, params: Mapping[str, Any] | None = None, *, row_limit: int | None = None
    ) -> QueryResult:
        """A catalogue query: parameters type-checked against its header, defaults applied."""
        query = self.catalogue[name]
        bound = query.bind(params or {})
        return self._run(query.text, bound, row_limit, name=query.name)

    def run_cypher(
        self, text: str, params: Mapping[str, Any] | None = None, *, row_limit: int | None = None
    ) -> QueryResult:
        """Someone's own Cypher (the analyst's ad-hoc query), still read-only and bounded."""
        if not text.strip():
            raise ClientError("the Cypher text is empty")
        if _PLAN_PREFIX.match(text):
            raise ClientError("leave out EXPLAIN / PROFILE: the runner plans the statement itself")
        return self._run(text, dict(params or {}), row_limit, name=None)

    def check(self, text: str, params: Mapping[str, Any]) -> PlanCheck:
        """Plan the statement with EXPLAIN and refuse it unless it only reads."""

        def explain(tx: neo4j.ManagedTransaction) -> neo4j.ResultSummary:
            return tx.run("EXPLAIN " + text, dict(params)).consume()

        summary = self._in_read_transaction(explain, self.timeout_s)
        operators, procedures = _walk_plan(summary.plan or {})
        check = PlanCheck(summary.query_type or "?", operators, procedures)
        reason = _refusal(check)
        if reason:
            raise ClientError(f"refused: only read-only queries may run here ({reason})")
        return check

    def _run(
        self, text: str, params: dict[str, Any], row_limit: int | None, *, name: str | None
    ) -> QueryResult:
        limit = self.row_limit if row_limit is None else _checked_limit(row_limit)
        self.check(text, params)
        started = time.perf_counter()

        def fetch(tx: neo4j.ManagedTransaction) -> tuple[list[str], list[list[Any]], bool]:
            result = tx.run(text, params)
            columns = list(result.keys())
            rows: list[list[Any]] = []
            for record in result:
                if len(rows) == limit:
                    return columns, rows, True  # leaving the rest: the driver discards it
                rows.append([plain(value) for value in record.values()])
            return columns, rows, False

        columns, rows, truncated = self._in_read_transaction(
            fetch, self.timeout_s, fetch_size=min(limit + 1, 1000)
        )
        elapsed_ms = (time.perf_counter() - started) * 1000
        log.debug(
            "analytics query %s: %d rows%s in %.0f ms",
            name or "(ad hoc)",
            len(rows),
            " (truncated)" if truncated else "",
            elapsed_ms,
        )
        return QueryResult(columns, rows, truncated, limit, elapsed_ms, name, params)

    def _in_read_transaction(
        self,
        work: Callable[[neo4j.ManagedTransaction], T],
        timeout_s: float,
        *,
        fetch_size: int = 1000,
    ) -> T:
        conn = self.graph.conn
        try:
            return self.graph.execute_read(work, timeout_s=timeout_s, fetch_size=fetch_size)
        except Neo4jClientError as error:
            raise ClientError(_explain_error(error, timeout_s)) from None
        except (ServiceUnavailable, SessionExpired) as error:
            raise DependencyError(f"Neo4j at {conn.uri} is unavailable: {error}") from error
        except Neo4jError as error:
            raise ClientError(_explain_error(error, timeout_s)) from None


def _checked_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_ROW_LIMIT:
        raise ClientError(f"the row limit must be between 1 and {MAX_ROW_LIMIT:,}; got {limit}")
    return limit


def _explain_error(error: Neo4jError, timeout_s: float) -> str:
    code = error.code or ""
    message = (error.message or str(error)).strip().splitlines()[0]
    if "TransactionTimedOut" in code or "timed out" in message.lower():
        return f"the query ran longer than {timeout_s:g} s and was stopped; narrow it down"
    if "WriteOnReadOnlyAccessDb" in code or "read access mode" in message.lower():
        return "refused: only read-only queries may run here (the database refused a write)"
    if "ParameterMissing" in code:
        return f"a parameter is missing: {message}"
    return f"Neo4j refused the query ({code.rsplit('.', 1)[-1] or 'error'}): {message}"


def _walk_plan(plan: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    operators: list[str] = []
    procedures: list[str] = []
    for node in _plan_nodes(plan):
        operator = str(node.get("operatorType", "")).split("@", 1)[0]
        operators.append(operator)
        if operator == "ProcedureCall":
            details = str(node.get("args", {}).get("Details", ""))
            match = _PROCEDURE_NAME.match(details)
            procedures.append(match.group(1) if match else details or "?")
    return operators, procedures


def _plan_nodes(plan: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    if plan:
        yield plan
    for child in plan.get("children", []):
        yield from _plan_nodes(child)


def _refusal(check: PlanCheck) -> str | None:
    """Why the plan is not read-only, or None when it is."""
    if check.query_type != "r":
        kinds = {"w": "write", "rw": "read-write", "s": "schema or system"}
        return f"the plan is of type {kinds.get(check.query_type, check.query_type)!r}"
    for operator in check.operators:
        if _WRITING_OPERATOR.search(operator):
            return f"the plan contains {operator}"
        if operator.startswith("Show") and operator not in _SAFE_SHOW:
            return f"the plan contains {operator}"
    unsafe = [name for name in check.procedures if name not in SAFE_PROCEDURES]
    if unsafe:
        return f"procedure {unsafe[0]} is not on the read-only list"
    return None
