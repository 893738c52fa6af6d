"""Predicted engagement: a logistic model over named features.

``score = sigmoid(bias + sum(weight[f] * features(candidate)[f]))``, computed for a
request's whole slate at once (:func:`feature_matrix`, :func:`score_matrix`). The
default weights are set by hand (comments say why); ``fyp train-ranker`` fits new ones
offline and writes them as JSON, ``{"weights": {feature_name: float}, "bias": float}``,
keyed by :data:`FEATURE_NAMES`, which :meth:`ScoringWeights.from_json` loads.
The features are pure so the trainer can compute exactly what the engine scores.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from graph.errors import ClientError
from graph.feed.candidate import SOURCE_NAMES
from graph.feed.catalogue.store import COUNTER
from graph.feed.slate import Slate

DAY_MS = 86_400_000

FEATURE_NAMES: tuple[str, ...] = (
    *(f"source_{name}" for name in SOURCE_NAMES),
    "source_count",
    "embedding_similarity",
    "completion_lift",
    "like_lift",
    "share_lift",
    "skip_lift",
    "recency",
    "popularity",
    "creator_affinity",
    "hashtag_affinity",
    "sound_affinity",
    "follows_creator",
    "creator_skips",
    "creator_inauthenticity",
)


@dataclass(frozen=True)
class FeatureParams:
    """Priors and scales the features are computed with.

    Rates are smoothed towards a prior with ``strength`` pseudo-views (a Beta prior), so a
    video with 2 views and 2 likes does not outrank one with 10,000 views and 900 likes.
    The priors are typical short-video rates; they only need to be the right order of
    magnitude, since the lift features compare a video with the prior on a log scale.
    """

    completion_prior: float = 0.30
    like_prior: float = 0.03
    share_prior: float = 0.003
    skip_prior: float = 0.15
    strength: float = 50.0
    #: Age at which the recency feature halves.
    recency_half_life_ms: int = 3 * DAY_MS
    #: Views at which popularity saturates at 1 (log scale).
    popularity_saturation: int = 100_000
    #: Lifts are clipped to +-this many doublings, so one outlier cannot dominate.
    max_lift: float = 3.0


DEFAULT_FEATURE_PARAMS = FeatureParams()


def _lift(
    counts: NDArray[np.float64], trials: NDArray[np.float64], prior: float, params: FeatureParams
) -> NDArray[np.float64]:
    """log2 of the smoothed rate over the prior: 0 = average, +1 = twice as good."""
    smoothed = (counts + prior * params.strength) / (np.maximum(trials, 0) + params.strength)
    values = np.log2(np.maximum(smoothed, 1e-9) / prior)
    clipped: NDArray[np.float64] = np.clip(values, -params.max_lift, params.max_lift)
    return clipped


#: Column of each feature in :func:`feature_matrix`.
FEATURE_COLUMN = {name: column for column, name in enumerate(FEATURE_NAMES)}
_SOURCE_COLUMN = {name: FEATURE_COLUMN[f"source_{name}"] for name in SOURCE_NAMES}


def feature_matrix(
    slate: Slate, params: FeatureParams = DEFAULT_FEATURE_PARAMS
) -> NDArray[np.float64]:
    """Every feature of :data:`FEATURE_NAMES` (columns) for each candidate (rows): the
    sources' scores (each scaled to 0..1 by its best in this slate, so sources with
    different units weigh alike), what the hydrators put in the slate's columns, and the
    read model's counters (pure)."""
    rows = len(slate)
    values = np.zeros((rows, len(FEATURE_NAMES)), dtype=np.float64)
    if rows == 0:
        return values
    column = FEATURE_COLUMN
    proposed = slate.proposed
    for index, source in enumerate(slate.sources):
        raw, hit = slate.raw[:, index], proposed[:, index]
        # The endless feed's widening steps are no evidence of interest: their videos
        # rank on everything else the model knows.
        if source not in _SOURCE_COLUMN or not hit.any():
            continue
        top = float(raw[hit].max())
        values[:, _SOURCE_COLUMN[source]] = np.where(hit, raw / top if top > 0 else 1.0, 0.0)
    # Agreement between independent sources is evidence on its own; saturates at 4.
    values[:, column["source_count"]] = np.minimum(1.0, np.maximum(0, proposed.sum(1) - 1) / 3)
    for name in ("embedding_similarity", "creator_affinity", "hashtag_affinity",
                 "sound_affinity", "follows_creator"):  # fmt: skip
        values[:, column[name]] = slate.column(name)
    # Two early skips of a creator already say a lot; saturates smoothly towards 1.
    values[:, column["creator_skips"]] = 1.0 - np.exp(-slate.column("creator_skips") / 2)
    catalogue, numbers = slate.catalogue, slate.numbers
    # Bought followers and follow rings inflate the signals other features trust; 0 for a
    # creator never assessed.
    authenticity = catalogue.authenticity_of(numbers)
    values[:, column["creator_inauthenticity"]] = np.where(
        np.isnan(authenticity), 0.0, 1.0 - authenticity
    )
    counters = catalogue.counters[numbers]
    views = counters[:, COUNTER["views"]]
    values[:, column["completion_lift"]] = _lift(
        counters[:, COUNTER["completes"]], views, params.completion_prior, params
    )
    values[:, column["like_lift"]] = _lift(
        counters[:, COUNTER["likes"]], views, params.like_prior, params
    )
    values[:, column["share_lift"]] = _lift(
        counters[:, COUNTER["shares"]], views, params.share_prior, params
    )
    skips = counters[:, COUNTER["skips"]]
    trials = np.maximum(counters[:, COUNTER["impressions"]], views + skips)
    values[:, column["skip_lift"]] = _lift(skips, trials, params.skip_prior, params)
    values[:, column["recency"]] = 0.5 ** (slate.column("age_ms") / params.recency_half_life_ms)
    values[:, column["popularity"]] = np.minimum(
        1.0, np.log1p(views) / math.log1p(params.popularity_saturation)
    )
    return values


@dataclass(frozen=True)
class ScoringWeights:
    """One weight per feature (logit scale) plus a bias; hand-set defaults.

    Sources carry most of the signal (a source is a hypothesis about why the viewer would
    care); the engagement lifts say whether other viewers agreed; the personal affinities
    say whether *this* viewer did. Skips are the strongest negative signal we have.
    """

    bias: float = -7.0
    # Collaborative evidence beats content matching, which beats popularity. Two sources
    # carry the item-item model (EASE over co-engagement, `fyp precompute`): the viewer's
    # precomputed full-history list (personal, RECOMMENDED) leads; the live walk from
    # their newest views over the CO_ENGAGED neighbours (co_engagement, which also sees
    # what happened since the batch run) reorders it and adds what is new; the other
    # features reorder within their lists and fill the page when they run short. The two
    # together stay well below where the logistic score saturates (a sum near 15): past
    # it every collaborative candidate looks equally relevant and MMR picks by novelty
    # alone. These are the defaults; `fyp tune` chooses the weights on each graph's own
    # validation split (how these were picked: README, "Settings from the data").
    source_following: float = 0.8
    source_co_engagement: float = 6.0
    source_personal: float = 9.0
    source_hashtag_affinity: float = 0.6
    source_sound_affinity: float = 0.5
    source_embedding: float = 0.7
    source_trending: float = 0.5
    source_viral: float = 0.5
    source_popular: float = 0.3
    # Fresh videos earn their place through exploration slots, not through score.
    source_fresh: float = 0.2
    source_social: float = 0.6
    source_count: float = 0.5
    embedding_similarity: float = 0.8
    completion_lift: float = 0.5
    like_lift: float = 0.4
    share_lift: float = 0.2
    skip_lift: float = -0.5
    recency: float = 0.4
    popularity: float = 0.2
    creator_affinity: float = 0.6
    hashtag_affinity: float = 0.6
    sound_affinity: float = 0.3
    follows_creator: float = 0.5
    creator_skips: float = -0.8
    # A creator assessed as mostly fake following (authenticity 0.2) loses about 2.4 on
    # the logit scale: demoted below comparable real creators, not removed.
    creator_inauthenticity: float = -3.0

    def as_dict(self) -> dict[str, float]:
        """Feature weights by feature name (without the bias)."""
        return dict(self.table)

    @cached_property
    def table(self) -> Mapping[str, float]:
        """The weights by feature name, built once (scoring reads it for every candidate)."""
        return {name: getattr(self, name) for name in FEATURE_NAMES}

    @cached_property
    def vector(self) -> NDArray[np.float64]:
        """The weights in :data:`FEATURE_NAMES` order (for :func:`score_matrix`)."""
        return np.array([getattr(self, name) for name in FEATURE_NAMES], dtype=np.float64)

    @classmethod
    def from_mapping(cls, data: Any, origin: str = "weights") -> ScoringWeights:
        """From ``{"weights": {feature: w}, "bias": b}``; features left out keep their default."""
        if not isinstance(data, dict) or not isinstance(data.get("weights"), dict):
            raise ClientError(
                f'{origin}: expected {{"weights": {{feature: number}}, "bias": number}}'
            )
        unknown = sorted(set(data["weights"]) - set(FEATURE_NAMES))
        if unknown:
            raise ClientError(
                f"{origin}: unknown features {unknown}; the engine scores {list(FEATURE_NAMES)}"
            )
        values: dict[str, float] = {}
        for name, value in data["weights"].items():
            if not isinstance(value, int | float) or isinstance(value, bool):
                raise ClientError(f"{origin}: weight of {name!r} is not a number")
            values[name] = float(value)
        bias = data.get("bias", cls.bias)
        if not isinstance(bias, int | float) or isinstance(bias, bool):
            raise ClientError(f"{origin}: bias is not a number")
        return replace(cls(), bias=float(bias), **values)

    @classmethod
    def from_json(cls, path: Path) -> ScoringWeights:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ClientError(f"no ranker weights at {path}; run `fyp train-ranker`") from None
        except json.JSONDecodeError as error:
            raise ClientError(f"{path} is not valid JSON: {error}") from None
        return cls.from_mapping(data, origin=str(path))

    def to_json(self) -> str:
        return json.dumps({"weights": self.as_dict(), "bias": self.bias}, indent=2)


def score(values: dict[str, float], weights: ScoringWeights) -> tuple[float, dict[str, float]]:
    """Predicted engagement in (0, 1) and each feature's contribution to the logit."""
    table = weights.table
    contributions = {name: table[name] * values.get(name, 0.0) for name in FEATURE_NAMES}
    logit = weights.bias + sum(contributions.values())
    return 1.0 / (1.0 + math.exp(-logit)), contributions


def score_matrix(values: NDArray[np.float64], weights: ScoringWeights) -> NDArray[np.float64]:
    """Predicted engagement in (0, 1) for every row of :func:`feature_matrix`."""
    logits = weights.bias + values @ weights.vector
    scores: NDArray[np.float64] = 1.0 / (1.0 + np.exp(-logits))
    return scores
