"""Searching a recommender's settings on a validation split, within a time budget.

Every candidate (the feed's item model, every baseline) gets the same treatment: fit on
the holdout's ``fit`` part, recommend for its validation viewers, score Recall@20 and
Recall@50, keep the best by :func:`objective`. Settings are tried in the order given, so
the first one (the defaults) is always measured and a budget cut keeps the best so far.

A grid is a guess at where a dataset's best settings lie; a sparse catalogue wants more
regularisation than a dense one, and so on. Where the best setting sits on a grid's edge,
the search goes on past it, one grid step at a time, while that keeps improving.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from graph.evaluate import metrics
from graph.evaluate.recommenders.base import Recommender
from graph.tune.split import Holdout

log = logging.getLogger(__name__)

KS = (20, 50)
Params = Mapping[str, Any]
#: The values tried for each setting, the defaults first.
Axes = Mapping[str, Sequence[Any]]
#: The largest value a search may step to past a grid, per setting (where a larger one
#: would be the same model: a rank the model caps, ...).
Limits = Mapping[str, float]

#: Steps past a grid's edges, at most, in one search.
MAX_EXTENSIONS = 6


def objective(recall_at_20: float, recall_at_50: float) -> float:
    """What every search maximises: the log of Recall@20 times Recall@50. A relative gain
    counts the same at either cutoff, whatever their scales (a plain sum favours @50,
    which is several times larger on sparse data)."""
    return math.log(recall_at_20 + 1e-9) + math.log(recall_at_50 + 1e-9)


@dataclass
class Budget:
    """Seconds left for a whole tuning run; each search asks for its share."""

    seconds: float
    started: float = field(default_factory=time.monotonic)

    @property
    def left(self) -> float:
        return self.seconds - (time.monotonic() - self.started)

    def share(self, parts: int) -> float:
        """An even share of what is left among ``parts`` searches still to run."""
        return max(0.0, self.left) / max(1, parts)


@dataclass(frozen=True)
class Trial:
    params: Params
    recall_at_20: float
    recall_at_50: float
    seconds: float

    @property
    def objective(self) -> float:
        return objective(self.recall_at_20, self.recall_at_50)

    def to_json(self) -> dict[str, Any]:
        return {
            "params": dict(self.params),
            "recall_at_20": round(self.recall_at_20, 5),
            "recall_at_50": round(self.recall_at_50, 5),
            "seconds": round(self.seconds, 1),
        }


@dataclass(frozen=True)
class SearchResult:
    name: str
    trials: tuple[Trial, ...]

    @property
    def best(self) -> Trial:
        return max(self.trials, key=lambda trial: trial.objective)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "best": self.best.to_json(),
            "trials": [trial.to_json() for trial in self.trials],
        }


def recall(
    lists: Mapping[str, Sequence[str]], relevance: Mapping[str, Iterable[str]]
) -> tuple[float, float]:
    """Mean Recall@20 and Recall@50 of ``lists`` over ``relevance``'s viewers."""
    users = sorted(relevance)
    if not users:
        return 0.0, 0.0
    at = [
        sum(metrics.recall_at_k(lists.get(user, []), list(relevance[user]), k) for user in users)
        / len(users)
        for k in KS
    ]
    return at[0], at[1]


def measure(recommender: Recommender, split: Holdout, params: Params) -> Trial:
    started = time.perf_counter()
    recommender.fit(split.fit)
    lists = recommender.recommend(sorted(split.relevance), max(KS))
    at_20, at_50 = recall(lists, split.relevance)
    return Trial(params, at_20, at_50, time.perf_counter() - started)


def search(
    name: str,
    factory: Callable[..., Recommender],
    axes: Axes,
    split: Holdout,
    seconds: float,
    limits: Limits | None = None,
) -> SearchResult:
    """Try the grid of ``axes`` in order, then past its edges (:func:`past_the_edge`, up to
    ``limits``), until ``seconds`` run out (the first setting is always tried)."""
    return search_trials(
        name, lambda params: measure(factory(**params), split, params), axes, seconds, limits
    )


def search_trials(
    name: str,
    trial: Callable[[Params], Trial],
    axes: Axes,
    seconds: float,
    limits: Limits | None = None,
) -> SearchResult:
    """:func:`search` for any way of measuring a setting: ``trial(params)``."""
    started = time.monotonic()
    trials: list[Trial] = []
    combos = grid(**axes)

    def spent() -> bool:
        return bool(trials) and time.monotonic() - started > seconds

    def run(params: Params) -> None:
        measured = trial(params)
        trials.append(measured)
        log.info(
            "%s %s: recall@20 %.4f, recall@50 %.4f (%.1f s)",
            name,
            dict(params),
            measured.recall_at_20,
            measured.recall_at_50,
            measured.seconds,
        )

    for params in combos:
        if spent():
            log.info("%s: budget spent after %d of %d settings", name, len(trials), len(combos))
            return SearchResult(name, tuple(trials))
        run(params)
    steps = 0
    while (further := past_the_edge(_best(trials), _tried(trials, axes), limits)) is not None:
        if steps == MAX_EXTENSIONS or spent():
            log.info("%s: the best setting is still on an edge of the values tried (%s): its "
                     "grid may need widening", name, dict(_best(trials)))  # fmt: skip
            break
        run(further)
        steps += 1
    return SearchResult(name, tuple(trials))


def _best(trials: Sequence[Trial]) -> Params:
    return max(trials, key=lambda trial: trial.objective).params


def _tried(trials: Sequence[Trial], axes: Axes) -> dict[str, list[Any]]:
    return {axis: [trial.params[axis] for trial in trials] for axis in axes}


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def past_the_edge(
    best: Params, tried: Mapping[str, Iterable[Any]], limits: Limits | None = None
) -> Params | None:
    """``best`` with one setting a grid step past the values tried; ``None`` where no
    setting of ``best`` is a positive number at an edge of its values tried (the largest,
    or the smallest where nothing at or below zero was tried: a step down from there
    would land inside the grid). The step is the ratio between the edge and its
    neighbour, kept whole for whole numbers; a step up stops at the setting's limit (the
    limit itself is tried)."""
    for axis, values in tried.items():
        value = best[axis]
        numbers = sorted({v for v in values if _number(v)})
        if not _number(value) or value <= 0 or len(numbers) < 2:
            continue
        if value not in (numbers[0], numbers[-1]):
            continue
        upward = value == numbers[-1]
        neighbour = numbers[-2] if upward else numbers[1]
        if neighbour <= 0:
            continue
        exact = value * value / neighbour
        # Three significant digits: the report reads 8e-05, not 7.999999999999999e-05.
        step: Any = round(exact) if isinstance(value, int) else float(f"{exact:.3g}")
        if upward and limits is not None and axis in limits:
            step = min(step, type(value)(limits[axis]))
        beyond = step > numbers[-1] if upward else 0 < step < numbers[0]
        if beyond:
            return {**best, axis: step}
    return None


def grid(**axes: Sequence[Any]) -> list[dict[str, Any]]:
    """Every combination of the axes, the first value of each axis first."""
    combos: list[dict[str, Any]] = [{}]
    for axis, values in axes.items():
        combos = [{**combo, axis: value} for value in values for combo in combos]
    return combos
