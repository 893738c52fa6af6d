"""Everything tunable about the feed: scoring weights, time budgets, fan-out sizes, windows.

Time: every window ("fresh", "trending", recency decay) ends at the request's *now*.
It is, in order: ``FeedRequest.now``; else ``FeedConfig.now_ms``; else, with
``follow_data_clock`` (the default), the time of the graph's latest activity (newest
event or video), capped at the wall clock; else the wall clock. On live traffic the
latest activity is moments old, so this is the wall clock; on a historical dataset
(KuaiRand ends in May 2022) the windows slide back to where the data ends instead of
finding nothing. Impressions are recorded at that same *now*, so serving a page never
moves the clock. The first page's *now* travels in the cursor, so every page of one
feed session sees the same windows.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from graph.feed.catalogue.sync import SyncOptions
from graph.feed.profile import COMPLETE_RATIO, Signals
from graph.feed.scoring import DAY_MS, FeatureParams, ScoringWeights
from graph.feed.trends import HOUR_MS, TrendParams


@dataclass(frozen=True)
class Budgets:
    """Time budgets of the queries a feed may wait for.

    Candidate sources work in memory (the read model, the viewer read, the shared pools)
    and have no budget of their own; a source that fails is dropped for the request
    (fail-open). What remains are queries.
    """

    #: The viewer read and the impression writes: not optional, so their budget is the
    #: database timeout rather than a fail-open cut.
    required_s: float = 10.0
    #: The shared trending sample and popular list (fetched in the background while
    #: serving; a request waits for one only when none is at hand). Past it, trending,
    #: viral or popular are dropped for that request; fresh still fills the page.
    non_personal_s: float = 2.0


#: Budgets for one-off use (the CLI, evaluation): every query gets the time it needs.
PATIENT = Budgets(required_s=60.0, non_personal_s=30.0)


@dataclass(frozen=True)
class Sizes:
    """Fan-out bounds of every source query (each hop has its LIMIT) and of the pipeline."""

    #: Rows each source returns at most.
    per_source: int = 100
    #: Candidates kept for hydration after merging (best per-source rank first).
    max_candidates: int = 300
    #: Recent interactions that make up the viewer's profile.
    recent_interactions: int = 200
    #: Most of the viewer's seen videos (viewed, served, skipped, liked) read per request;
    #: past it, the oldest may come back (the endless feed re-serves them last anyway).
    seen_limit: int = 20_000
    following_creators: int = 200
    following_per_creator: int = 5
    #: The viewer's newest viewed / liked videos the co-engagement walk starts from (each
    #: has at most ``fyp precompute --neighbours`` CO_ENGAGED edges; the profile reads
    #: ``recent_interactions``, so at most that many).
    co_engagement_seeds: int = 200
    affinity_hashtags: int = 8
    affinity_per_hashtag: int = 40
    affinity_sounds: int = 5
    affinity_per_sound: int = 30
    social_followees: int = 100
    social_per_followee: int = 10
    #: Most popular videos fetched (shared by every viewer, so more than ``per_source``:
    #: the viewer's filters remove those already seen).
    popular: int = 300
    fresh_scan: int = 400
    #: Newest events read per event type for trending and viral.
    trend_per_type: int = 1000
    trend_min_events: int = 2
    #: Best-scored candidates whose embeddings MMR compares (times the page size).
    mmr_pool_factor: int = 4


@dataclass(frozen=True)
class Windows:
    #: How far back the trending / viral event sample may reach.
    trending_ms: int = 2 * DAY_MS
    #: Recency half-life of the following, affinity and fresh sources.
    half_life_ms: int = 3 * DAY_MS
    #: Uploads younger than this are fresh.
    fresh_ms: int = 7 * DAY_MS
    #: Impressions at which a fresh video's score halves: it has had a first audience.
    fresh_audience: int = 50
    #: How strongly the fresh source prefers the new videos nearest the viewer in the
    #: embedding: a score is multiplied by exp(fresh_match x cosine), so at the default
    #: half-life a 0.2 better match is worth 3.5 days less age (graph.feed.audience).
    fresh_match: float = 4.0
    #: Window of the popular source (positive viewers in the last ...).
    popular_ms: int = 7 * DAY_MS
    #: Co-engagement seeds halve in weight every this long before the viewer's newest one.
    seed_half_life_ms: int = 30 * DAY_MS
    #: Watch time that counts as a long view (KuaiRand's is_positive threshold).
    long_view_ms: int = 18_000


@dataclass(frozen=True)
class FeedConfig:
    weights: ScoringWeights = field(default_factory=ScoringWeights)
    #: Where the weights came from: "default", "tuned" (``fyp tune``) or "file" (a
    #: ranker weights file, which tuned settings never replace).
    weights_source: str = "default"
    features: FeatureParams = field(default_factory=FeatureParams)
    budgets: Budgets = field(default_factory=Budgets)
    sizes: Sizes = field(default_factory=Sizes)
    windows: Windows = field(default_factory=Windows)
    trends: TrendParams = field(default_factory=lambda: TrendParams(min_window_ms=HOUR_MS))
    signals: Signals = field(default_factory=Signals)
    complete_ratio: float = COMPLETE_RATIO
    #: A fixed request time (epoch ms) for every request, e.g. to replay a dataset.
    now_ms: int | None = None
    #: Anchor windows at the graph's latest activity (see the module docstring).
    follow_data_clock: bool = True
    #: Seconds requests share the (global, non-personal) trending / viral sample and the
    #: popular list (requests within that long of each other, in clock and in *now*).
    trend_cache_s: float = 10.0
    popular_cache_s: float = 300.0
    #: A request refreshes the catalogue read model first when its last refresh is older
    #: than this (the API refreshes it in the background every
    #: ``catalogue.refresh_s``, so only a stalled refresher makes a request wait).
    max_staleness_s: float = 5.0
    catalogue: SyncOptions = field(default_factory=SyncOptions)
    #: Seed of the exploration slots (mixed with the user and page, so pages differ).
    seed: int = 0
    #: Diversity strength and exploration share of a request that does not set them
    #: (graph.feed.model.Controls); ``fyp tune`` may choose others.
    diversity: float = 0.5
    exploration: float = 0.1

    def with_weights_file(self, path: Path | None) -> FeedConfig:
        """This config with weights from ``fyp train-ranker``'s JSON, when the file exists."""
        if path is None or not path.exists():
            return self
        return replace(self, weights=ScoringWeights.from_json(path), weights_source="file")
