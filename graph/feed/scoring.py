"""Predicted engagement: a logistic model over named features.

``score = sigmoid(bias + sum(weight[f] * features(candidate)[f]))``. The default
weights are set by hand (comments say why); ``fyp train-ranker`` fits new ones
offline and writes them as JSON, ``{"weights": {feature_name: float}, "bias": float}``,
keyed by :data:`FEATURE_NAMES`, which :meth:`ScoringWeights.from_json` loads.
:func:`features` is pure so the trainer can compute exactly what the engine scores.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from graph.errors import ClientError
from graph.feed.candidate import SOURCE_NAMES, Candidate

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


def _lift(count: int, trials: int, prior: float, params: FeatureParams) -> float:
    """log2 of the smoothed rate over the prior: 0 = average, +1 = twice as good."""
    smoothed = (count + prior * params.strength) / (max(trials, 0) + params.strength)
    value = math.log2(max(smoothed, 1e-9) / prior)
    return max(-params.max_lift, min(params.max_lift, value))


def features(
    candidate: Candidate, params: FeatureParams = DEFAULT_FEATURE_PARAMS
) -> dict[str, float]:
    """Every feature of :data:`FEATURE_NAMES` for one hydrated candidate (pure)."""
    facts = candidate.facts
    if facts is None:
        raise ValueError(f"candidate {candidate.video_id} was not hydrated")
    values: dict[str, float] = {
        f"source_{name}": candidate.source_scores.get(name, 0.0) for name in SOURCE_NAMES
    }
    # Agreement between independent sources is evidence on its own; saturates at 4.
    values["source_count"] = min(1.0, max(0, len(candidate.hits) - 1) / 3)
    values["embedding_similarity"] = facts.similarity if facts.similarity is not None else 0.0
    values["completion_lift"] = _lift(facts.completes, facts.views, params.completion_prior, params)
    values["like_lift"] = _lift(facts.likes, facts.views, params.like_prior, params)
    values["share_lift"] = _lift(facts.shares, facts.views, params.share_prior, params)
    skip_trials = max(facts.impressions, facts.views + facts.skips)
    values["skip_lift"] = _lift(facts.skips, skip_trials, params.skip_prior, params)
    values["recency"] = 0.5 ** (max(0, candidate.age_ms) / params.recency_half_life_ms)
    values["popularity"] = min(
        1.0, math.log1p(facts.views) / math.log1p(params.popularity_saturation)
    )
    values["creator_affinity"] = candidate.affinity.creator
    values["hashtag_affinity"] = candidate.affinity.hashtag
    values["sound_affinity"] = candidate.affinity.sound
    values["follows_creator"] = 1.0 if facts.follows_creator else 0.0
    # Two early skips of a creator already say a lot; saturates smoothly towards 1.
    values["creator_skips"] = 1.0 - math.exp(-candidate.affinity.creator_skips / 2)
    # Bought followers and follow rings inflate the signals other features trust
    # (followers, engagement from bots); 0 for a creator never assessed.
    authenticity = facts.creator_authenticity
    values["creator_inauthenticity"] = 0.0 if authenticity is None else 1.0 - authenticity
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
    # precomputed full-history list (personal, RECOMMENDED) and the live walk from their
    # newest views over the CO_ENGAGED neighbours (co_engagement, which also sees what
    # happened since the batch run). The full-history list ranks better (KuaiRand
    # validation: recall@50 0.298 against 0.285 for the walk; ALS 0.290), so it leads,
    # the walk reorders and adds what is new, and the other features reorder within their
    # lists and fill the page when they run short. Of the settings tried on the
    # validation week (500 users, recall@50, personal / co_engagement): 6/6 0.300,
    # 6/3 0.288, 9/6 0.308, 12/6 0.308, 10/10 0.309, 9/9 0.310, 14/10 0.300. Sums much
    # above 15 saturate the logistic score: every collaborative candidate then looks
    # equally relevant to the diversifier's MMR, which picks by novelty alone (the toy
    # taste-group contract test fails at 9/9), so 9/6 it is.
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
