"""The read-only rules applied to an EXPLAIN plan, and the export formats (no database)."""

from __future__ import annotations

import json
from typing import Any

import neo4j.time
import pytest

from graph.analytics.runner import PlanCheck, _refusal, _walk_plan
from graph.analytics.values import plain, to_csv, to_json


def plan(operator: str, *children: dict[str, Any], details: str = "") -> dict[str, Any]:
    return {
        "operatorType": f"{operator}@neo4j",
        "args": {"Details": details},
        "children": list(children),
    }


def test_plan_walk_lists_operators_and_procedures() -> None:
    tree = plan(
        "ProduceResults",
        plan("ProcedureCall", details="db.labels() :: (label :: STRING)"),
        plan("NodeIndexSeek"),
    )
    assert _walk_plan(tree) == (["ProduceResults", "ProcedureCall", "NodeIndexSeek"], ["db.labels"])


@pytest.mark.parametrize(
    ("check", "reason"),
    [
        (PlanCheck("r", ["ProduceResults", "NodeIndexSeek"], []), None),
        (PlanCheck("r", ["ProduceResults", "ShowIndexes"], []), None),
        (PlanCheck("r", ["ProcedureCall"], ["db.index.fulltext.queryNodes"]), None),
        (PlanCheck("w", ["Create"], []), "type 'write'"),
        (PlanCheck("rw", ["SetProperty"], []), "type 'read-write'"),
        (PlanCheck("s", ["CreateIndex"], []), "type 'schema or system'"),
        (PlanCheck("r", ["LoadCSV"], []), "contains LoadCSV"),
        (PlanCheck("r", ["TerminateTransactions"], []), "contains TerminateTransactions"),
        (PlanCheck("r", ["ShowTransactions"], []), "contains ShowTransactions"),
        (PlanCheck("r", ["ProcedureCall"], ["db.stats.clear"]), "db.stats.clear is not on"),
    ],
)
def test_only_plans_that_purely_read_pass(check: PlanCheck, reason: str | None) -> None:
    found = _refusal(check)
    if reason is None:
        assert found is None
    else:
        assert found is not None and reason in found


def test_plain_values_are_json_friendly() -> None:
    assert plain(neo4j.time.Date(2024, 3, 9)) == "2024-03-09"
    assert plain([neo4j.time.Date(2024, 3, 9), float("nan")]) == ["2024-03-09", None]
    assert plain({"n": 1}) == {"n": 1}


def test_csv_and_json_exports() -> None:
    columns, rows = ["day", "tags", "n"], [["2024-03-09", ["a", "b"], None]]
    assert to_csv(columns, rows) == 'day,tags,n\n2024-03-09,"[""a"", ""b""]",\n'
    document = json.loads(to_json(columns, rows, truncated=False))
    assert document == {
        "columns": columns,
        "rows": [{"day": "2024-03-09", "tags": ["a", "b"], "n": None}],
        "truncated": False,
    }
