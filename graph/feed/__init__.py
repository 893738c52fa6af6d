"""The For You feed engine (DESIGN.md, "The feed pipeline").

Usage::

    engine = FeedEngine(AsyncGraph(conn), FeedConfig())
    page = await engine.feed(FeedRequest(user_id="u1", first=20))
    next_page = await engine.feed(FeedRequest(user_id="u1", after=page.end_cursor))

A request does one viewer read (:mod:`~graph.feed.viewer`) and works in memory over the
process's catalogue read model (:mod:`~graph.feed.catalogue`) and the shared
non-personal lists (:mod:`~graph.feed.pools`). Components, one module each:
:mod:`~graph.feed.sources`, :mod:`~graph.feed.filters`, :mod:`~graph.feed.hydrators`,
:mod:`~graph.feed.scorers` (features and weights in :mod:`~graph.feed.scoring`;
``fyp train-ranker`` fits the weights), :mod:`~graph.feed.selectors` (rules in
:mod:`~graph.feed.diversify`), :mod:`~graph.feed.side_effects`, composed per mode in
:mod:`~graph.feed.pipeline` and run by :mod:`~graph.feed.engine`.
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
from graph.feed.scoring import FEATURE_NAMES, FeatureParams, ScoringWeights, score
from graph.feed.side_effects.impressions import BackgroundImpressions, InlineImpressions

__all__ = [
    "FEATURE_NAMES",
    "SOURCE_NAMES",
    "BackgroundImpressions",
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
    "InlineImpressions",
    "Mode",
    "ScoringWeights",
    "Sizes",
    "SourceHit",
    "StageReport",
    "Windows",
    "score",
]
