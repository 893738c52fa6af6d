"""The For You feed engine (DESIGN.md, "The feed pipeline").

Usage::

    engine = FeedEngine(AsyncGraph(conn), FeedConfig())
    page = await engine.feed(FeedRequest(user_id="u1", first=20))
    next_page = await engine.feed(FeedRequest(user_id="u1", after=page.end_cursor))

Modules, one per stage: :mod:`~graph.feed.sources` (candidate sources, Cypher in
``cypher/feed/``), :mod:`~graph.feed.filters`, :mod:`~graph.feed.scoring` (features and
weights; ``fyp train-ranker`` fits the weights), :mod:`~graph.feed.diversify`,
:mod:`~graph.feed.explain`, composed per mode in :mod:`~graph.feed.pipeline` and run by
:mod:`~graph.feed.engine`.
"""

from graph.feed.candidate import SOURCE_NAMES, Candidate, SourceHit
from graph.feed.config import Budgets, FeedConfig, Sizes, Windows
from graph.feed.engine import FeedEngine
from graph.feed.model import (
    Controls,
    Explanation,
    FeedItem,
    FeedPage,
    FeedRequest,
    Mode,
    StageReport,
)
from graph.feed.scoring import FEATURE_NAMES, FeatureParams, ScoringWeights, features, score

__all__ = [
    "FEATURE_NAMES",
    "SOURCE_NAMES",
    "Budgets",
    "Candidate",
    "Controls",
    "Explanation",
    "FeatureParams",
    "FeedConfig",
    "FeedEngine",
    "FeedItem",
    "FeedPage",
    "FeedRequest",
    "Mode",
    "ScoringWeights",
    "Sizes",
    "SourceHit",
    "StageReport",
    "Windows",
    "features",
    "score",
]
