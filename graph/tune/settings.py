"""The settings ``fyp tune`` chooses, and where they live: one ``TunedSettings`` node in
the graph, so every process that serves or precomputes from the graph uses them.

What tuning sets: the item model of ``fyp precompute`` (EASE's lambda, the RP3beta
blend), the feed's scoring weights, and its default diversity and exploration. An
explicit ranker weights file (``fyp train-ranker``) still wins over tuned weights.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from graph.db import Graph, Record
from graph.errors import ServerError
from graph.feed.config import FeedConfig
from graph.feed.scoring import ScoringWeights
from graph.precompute.co_engagement import CoEngagementOptions
from graph.precompute.item_models import ItemModelSettings

VERSION = 1


@dataclass(frozen=True)
class TunedSettings:
    item_model: ItemModelSettings = field(default_factory=ItemModelSettings)
    #: None: the feed's defaults.
    weights: ScoringWeights | None = None
    diversity: float | None = None
    exploration: float | None = None
    tuned_at: int | None = None
    #: What was tried and chosen (for people; the engine reads the fields above).
    summary: dict[str, Any] = field(default_factory=dict)

    def feed_config(self, config: FeedConfig) -> FeedConfig:
        """``config`` with these settings (weights only when none came from a file)."""
        changes: dict[str, Any] = {}
        if self.weights is not None and config.weights_source != "file":
            changes["weights"] = self.weights
            changes["weights_source"] = "tuned"
        if self.diversity is not None:
            changes["diversity"] = self.diversity
        if self.exploration is not None:
            changes["exploration"] = self.exploration
        return replace(config, **changes) if changes else config

    def precompute_options(self, options: CoEngagementOptions) -> CoEngagementOptions:
        model = self.item_model
        return replace(
            options,
            ease_lambda=model.ease_lambda,
            ease_weight=model.ease_weight,
            rp3_weight=model.rp3_weight,
            rp3_alpha=model.rp3_alpha,
            rp3_beta=model.rp3_beta,
            rp3_neighbours=model.rp3_neighbours,
            spectral_weight=model.spectral_weight,
            spectral_rank=model.spectral_rank,
        )

    def to_json(self) -> str:
        return json.dumps(
            {
                "version": VERSION,
                "itemModel": asdict(self.item_model),
                "weights": None
                if self.weights is None
                else {"weights": self.weights.as_dict(), "bias": self.weights.bias},
                "diversity": self.diversity,
                "exploration": self.exploration,
                "tunedAt": self.tuned_at,
                "summary": self.summary,
            },
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> TunedSettings:
        data = json.loads(text)
        if data.get("version") != VERSION:
            raise ServerError(f"tuned settings of version {data.get('version')!r}: re-run fyp tune")
        weights = data.get("weights")
        return cls(
            item_model=ItemModelSettings(**data.get("itemModel") or {}),
            weights=None if weights is None else ScoringWeights.from_mapping(weights, "tuned"),
            diversity=data.get("diversity"),
            exploration=data.get("exploration"),
            tuned_at=data.get("tunedAt"),
            summary=data.get("summary") or {},
        )


def from_row(row: Record | None) -> TunedSettings | None:
    if not row or not row.get("settings"):
        return None
    return TunedSettings.from_json(row["settings"])


def load(graph: Graph) -> TunedSettings | None:
    """The settings stored in ``graph``, or None where it was never tuned."""
    rows = graph.read("tune/load")
    return from_row(rows[0] if rows else None)


def store(graph: Graph, settings: TunedSettings) -> TunedSettings:
    tuned_at = settings.tuned_at or int(time.time() * 1000)
    stored = replace(settings, tuned_at=tuned_at)
    graph.write("tune/store", settings=stored.to_json(), tunedAt=tuned_at)
    return stored
