"""The analysts' side: a catalogue of named, documented Cypher queries, run read-only.

``Catalogue`` parses the headers of ``cypher/analytics/*.cypher``;
``ReadOnlyRunner`` runs those (or an analyst's own Cypher) after proving with
EXPLAIN that the plan only reads, with a timeout and a row limit.
"""

from graph.analytics.catalogue import AnalyticsQuery, Catalogue, ParamSpec
from graph.analytics.runner import PlanCheck, QueryResult, ReadOnlyRunner

__all__ = [
    "AnalyticsQuery",
    "Catalogue",
    "ParamSpec",
    "PlanCheck",
    "QueryResult",
    "ReadOnlyRunner",
]
