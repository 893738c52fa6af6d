"""Batch jobs that precompute what the feed would otherwise compute per request."""

from graph.precompute.co_engagement import (
    CoEngagementOptions,
    CoEngagementReport,
    precompute_co_engagement,
)

__all__ = ["CoEngagementOptions", "CoEngagementReport", "precompute_co_engagement"]
