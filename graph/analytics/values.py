"""Neo4j values as plain, JSON-friendly Python values (for tables, CSV, JSON, GraphQL)."""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Sequence
from typing import Any

import neo4j.graph
import neo4j.time


def plain(value: Any) -> Any:
    """Temporal values become ISO-8601 text; nodes and relationships their properties."""
    if isinstance(value, neo4j.time.Date | neo4j.time.DateTime | neo4j.time.Time):
        return value.iso_format()
    if isinstance(value, neo4j.time.Duration):
        return str(value)
    if isinstance(value, neo4j.graph.Node):
        return {"labels": sorted(value.labels), **{k: plain(v) for k, v in value.items()}}
    if isinstance(value, neo4j.graph.Relationship):
        return {"type": value.type, **{k: plain(v) for k, v in value.items()}}
    if isinstance(value, neo4j.graph.Path):
        return [plain(node) for node in value.nodes]
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def to_csv(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """CSV with a header row; lists and maps are written as JSON."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(
            [json.dumps(v) if isinstance(v, list | dict) else "" if v is None else v for v in row]
        )
    return out.getvalue()


def to_json(columns: Sequence[str], rows: Sequence[Sequence[Any]], **meta: Any) -> str:
    """``{"columns": [...], "rows": [{col: value}...], ...meta}``."""
    records = [dict(zip(columns, row, strict=True)) for row in rows]
    return json.dumps({"columns": list(columns), "rows": records, **meta}, indent=2)
