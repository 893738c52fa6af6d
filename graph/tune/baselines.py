"""Every baseline with the settings it is searched over, and the search itself.

Each baseline gets the same validation split and an equal share of the time budget as
the feed; grids start with each model's usual defaults, so a budget cut still leaves a
fair comparison. The report prints each one's chosen settings.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from graph.errors import ClientError
from graph.evaluate.recommenders.als import ALS
from graph.evaluate.recommenders.base import Recommender
from graph.evaluate.recommenders.ease import EASE
from graph.evaluate.recommenders.itemknn import ItemKNN
from graph.evaluate.recommenders.lowpass import LowPassFilter
from graph.evaluate.recommenders.popularity import RecentPopularity
from graph.evaluate.recommenders.rp3beta import RP3Beta
from graph.precompute.item_models import MAX_SPECTRAL_RANK
from graph.tune.search import Axes, Budget, Limits, Params, SearchResult, search
from graph.tune.split import Holdout


@dataclass(frozen=True)
class Baseline:
    name: str
    factory: Callable[..., Recommender]
    #: The values each setting is searched over, the model's usual default first.
    axes: Axes
    #: How far past its grid a setting may go (graph.tune.search.Limits).
    limits: Limits = field(default_factory=dict)

    def build(self, params: Params) -> Recommender:
        return self.factory(**params)


def _als(seed: int) -> Callable[..., Recommender]:
    def build(**params: float) -> Recommender:
        return ALS(seed=seed, **params)  # type: ignore[arg-type]

    return build


def baselines(seed: int = 0) -> dict[str, Baseline]:
    return {
        baseline.name: baseline
        for baseline in (
            Baseline("popularity", RecentPopularity, {"window_days": [7.0, 1.0, 3.0, 30.0]}),
            Baseline(
                "itemknn",
                ItemKNN,
                {"shrink": [0.0, 100.0, 10.0, 300.0], "neighbours": [100, 50, 200]},
            ),
            Baseline(
                "ease",
                EASE,
                {"regularisation": [500.0, 100.0, 2000.0, 250.0, 1000.0, 50.0]},
            ),
            Baseline(
                "rp3beta",
                RP3Beta,
                {"alpha": [1.0, 0.5, 0.3, 0.8], "beta": [0.3, 0.0, 0.15], "neighbours": [100, 200]},
            ),
            Baseline(
                "lowpass",
                LowPassFilter,
                {"rank": [64, 32, 128, 256]},
                {"rank": MAX_SPECTRAL_RANK},
            ),
            Baseline(
                "als",
                _als(seed),
                {
                    "factors": [64, 128, 32],
                    "regularization": [0.05, 0.5, 0.01],
                    "alpha": [10.0, 40.0, 1.0],
                },
            ),
        )
    }


BASELINE_NAMES = ("popularity", "itemknn", "ease", "rp3beta", "lowpass", "als")


def tune_baselines(
    names: Sequence[str], split: Holdout, budget: Budget, seed: int = 0
) -> dict[str, SearchResult]:
    """The validation search of each named baseline, each within its share of ``budget``."""
    known = baselines(seed)
    unknown = sorted(set(names) - set(known))
    if unknown:
        raise ClientError(f"unknown baselines {unknown}; choose from {', '.join(known)}")
    results: dict[str, SearchResult] = {}
    for index, name in enumerate(names):
        baseline = known[name]
        seconds = budget.share(len(names) - index)
        results[name] = search(
            name, baseline.factory, baseline.axes, split, seconds, baseline.limits
        )
    return results
