"""Each candidate's age at the request time (recency feature, explanations)."""

from __future__ import annotations

import numpy as np

from graph.feed.query import FeedQuery
from graph.feed.slate import Slate


def hydrate_age(query: FeedQuery, slate: Slate) -> None:
    ages = np.maximum(0, query.now - query.catalogue.created_at[slate.numbers])
    slate.columns["age_ms"] = ages.astype(np.float64)
