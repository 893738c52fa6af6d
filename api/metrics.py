"""Prometheus metrics of one app: request latency by operation, errors, feed stages.

Each app owns its registry (tests build many apps in one process). The operation
label is the first root field (``feed``, ``recordView``...), never the client's
free-form operation name, so its cardinality is bounded by the schema.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator

from graphql import FieldNode, OperationDefinitionNode
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from strawberry.extensions import SchemaExtension

from graph.feed.catalogue.store import Memory
from graph.feed.model import FeedPage

log = logging.getLogger(__name__)

#: An operation slower than this is logged (with its name): what a client gave up on.
SLOW_OPERATION_S = 5.0

LATENCY_BUCKETS = (0.002, 0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.2, 0.5, 1.0, 2.5, 5.0)
COUNT_BUCKETS = (0, 1, 5, 10, 20, 50, 100, 200, 500, 1000, 5000)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.request_seconds = Histogram(
            "fyp_api_request_seconds",
            "GraphQL operation latency, by first root field and operation type.",
            ["operation", "type"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.errors = Counter(
            "fyp_api_errors_total",
            "GraphQL errors returned to clients, by stable code.",
            ["code"],
            registry=self.registry,
        )
        self.stage_seconds = Histogram(
            "fyp_feed_stage_seconds",
            "Time spent in each feed stage (candidate sources, filters, scorer...).",
            ["stage"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.stage_candidates = Histogram(
            "fyp_feed_stage_candidates",
            "Candidates each feed stage kept (for a source: how many it proposed).",
            ["stage"],
            buckets=COUNT_BUCKETS,
            registry=self.registry,
        )
        self.stage_failures = Counter(
            "fyp_feed_stage_failures_total",
            "Feed stages that failed or timed out (the feed went on without them).",
            ["stage", "status"],
            registry=self.registry,
        )

    def watch_read_model(self, memory: Callable[[], Memory]) -> None:
        """Export the feed's read model size, measured when /metrics is scraped."""
        videos = Gauge("fyp_read_model_videos", "Videos in this process's catalogue read model.",
                       registry=self.registry)  # fmt: skip
        size = Gauge("fyp_read_model_bytes",
                     "Bytes this process's read model holds (catalogue and neighbour lists).",
                     registry=self.registry)  # fmt: skip
        videos.set_function(lambda: memory().videos)
        size.set_function(lambda: memory().bytes)

    def observe_feed(self, page: FeedPage) -> None:
        for stage in page.stages:
            self.stage_seconds.labels(stage.name).observe(stage.ms / 1000.0)
            self.stage_candidates.labels(stage.name).observe(stage.kept)
            if stage.status in ("failed", "timeout"):
                self.stage_failures.labels(stage.name, stage.status).inc()

    def count_error(self, code: str) -> None:
        self.errors.labels(code).inc()

    def render(self) -> bytes:
        return generate_latest(self.registry)


class OperationMetrics(SchemaExtension):
    """Times each operation and counts its errors (listed first, so it sees their codes)."""

    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        yield
        context = self.execution_context
        metrics: Metrics = context.context.services.metrics
        kind, operation = _operation_labels(context.graphql_document)
        seconds = time.perf_counter() - started
        metrics.request_seconds.labels(operation, kind).observe(seconds)
        if seconds > SLOW_OPERATION_S:
            log.warning("slow %s %s: %.1f s", kind, operation, seconds)
        errors = getattr(context.result, "errors", None) or ()
        for error in errors:
            metrics.count_error((error.extensions or {}).get("code", "INTERNAL"))


def _operation_labels(document: object) -> tuple[str, str]:
    definitions = getattr(document, "definitions", None) or ()
    for definition in definitions:
        if isinstance(definition, OperationDefinitionNode):
            kind = definition.operation.value
            for selection in definition.selection_set.selections:
                if isinstance(selection, FieldNode):
                    return kind, selection.name.value
            return kind, "fragment"
    return "invalid", "invalid"
