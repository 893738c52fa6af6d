"""Tuning's parts that need no database: the validation split, the searches, the blend
search and the stored settings."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import scipy.sparse as sp

from graph.errors import ClientError
from graph.evaluate.datasets import build_interactions
from graph.evaluate.interactions import Interactions
from graph.evaluate.recommenders.popularity import RecentPopularity
from graph.evaluate.toy import source, toy_records
from graph.feed import Candidate, FeedConfig, ScoringWeights
from graph.feed.scoring import FEATURE_NAMES
from graph.precompute import CoEngagementOptions
from graph.precompute.item_models import ItemModelSettings, LowPass, scaled
from graph.tune.blend import Slates, search_weights
from graph.tune.item_model import Filters, search_blend
from graph.tune.search import SearchResult, grid, objective, past_the_edge, search
from graph.tune.settings import TunedSettings
from graph.tune.split import holdout, time_carries_signal, time_holdout
from graph.tune.tune import TuneOptions, split_for, tune_models


@pytest.fixture(scope="module")
def toy():  # type: ignore[no-untyped-def]
    return build_interactions(source(toy_records()))


def test_the_newest_positives_are_held_out_and_gone_from_the_fit_part(toy) -> None:  # type: ignore[no-untyped-def]
    split = holdout(toy, fraction=0.25, max_users=10, seed=1)
    assert split.users == 10
    for user, held in split.relevance.items():
        row = toy.user_index[user]
        positives = toy.positive[row].indices
        assert 1 <= len(held) < len(positives)
        times = {toy.items[j]: toy.last_at[row, j] for j in positives}
        assert min(times[item] for item in held) >= max(
            t for item, t in times.items() if item not in held
        )  # the newest ones
        assert not held & split.fit.seen_items(user)
    events = list(split.fit.records()["interactions"])  # type: ignore[misc]
    held_pairs = {(u, v) for u, items in split.relevance.items() for v in items}
    assert not any((e["userId"], e["videoId"]) in held_pairs for e in events)
    assert split.held_records is not None
    back = list(split.held_records()["interactions"])
    assert {(e["userId"], e["videoId"]) for e in back} == held_pairs
    assert len(events) + len(back) == len(toy_records()["interactions"])


def test_a_split_needs_viewers_with_history(toy) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ClientError, match="positive engagements"):
        holdout(toy, min_positives=1000)
    with pytest.raises(ClientError, match="between 0 and 1"):
        holdout(toy, fraction=1.5)


def interleaved() -> dict[str, list[dict[str, Any]]]:
    """The toy log with every user active all along: each one's n-th event an hour
    after their (n-1)-th, so a time cut falls inside everyone's history."""
    records = toy_records()
    counts: dict[str, int] = {}
    for event in records["interactions"]:
        step = counts.get(event["userId"], 0)
        counts[event["userId"]] = step + 1
        event["at"] = 1_700_000_000_000 + step * 3_600_000 + int(event["eventId"].endswith("like"))
    return records


def test_a_time_split_holds_out_everything_after_the_cut_for_everyone() -> None:
    records = interleaved()
    split = time_holdout(build_interactions(source(records)), fraction=0.3, max_users=8, seed=1)
    assert split.users == 8
    events = list(split.fit.records()["interactions"])  # type: ignore[misc]
    assert split.held_records is not None
    later = list(split.held_records()["interactions"])
    assert later and events
    cut = min(e["at"] for e in later)
    # Every viewer's events before the cut are in the fit, every later one is held
    # out (not only the validation viewers'): nothing from the validation period leaks.
    assert max(e["at"] for e in events) < cut
    assert len(events) + len(later) == len(records["interactions"])
    assert len({e["userId"] for e in later}) > split.users
    held_by_user: dict[str, set[str]] = {}
    for e in later:
        held_by_user.setdefault(e["userId"], set()).add(e["videoId"])
    for user, held in split.relevance.items():
        # Scored on what they engaged with later and had not engaged with before.
        assert held and held <= held_by_user[user]
        assert not held & split.fit.seen_items(user)
        assert split.fit.positive[split.fit.user_index[user]].nnz >= 2
    # Users, and videos created before the cut, stay in the fit: the catalogue is whole.
    assert len(list(split.fit.records()["users"])) == len(records["users"])  # type: ignore[misc]
    assert len(split.fit.items) == len(records["videos"])


def test_a_time_split_needs_viewers_active_on_both_sides(toy) -> None:  # type: ignore[no-untyped-def]
    # The toy's viewers come one after another: a cut falls inside one or two histories.
    assert time_holdout(toy, fraction=0.3).users <= 2
    with pytest.raises(ClientError, match="between 0 and 1"):
        time_holdout(toy, fraction=0.0)
    # Tuning then holds out each viewer's newest positives instead, and says so.
    fallback = split_for(toy, TuneOptions(users=20))
    assert fallback.kind == "newest" and fallback.users == 20
    interleaved_log = build_interactions(source(interleaved()))
    assert split_for(interleaved_log, TuneOptions(users=8, split="time")).kind == "time"
    with pytest.raises(ClientError, match="unknown validation split"):
        split_for(toy, TuneOptions(split="random"))


def test_a_time_split_asked_of_a_log_that_cannot_be_reread_falls_back_and_says_so(
    caplog: pytest.LogCaptureFixture,
) -> None:
    unreadable = build_interactions(source(interleaved()), keep_source=False)
    with caplog.at_level("WARNING", logger="graph.tune.tune"):
        split = split_for(unreadable, TuneOptions(users=8, split="time"))
    assert split.kind == "newest"
    assert "cannot be cut in time" in caplog.text


def trending_log(shuffle_times: bool) -> dict[str, list[dict[str, Any]]]:
    """60 viewers over 100 hours: early on they like 40 evergreen videos (v0..v39, of a
    catalogue of 310); from hour 70 most likes go to ten new hits (v300..v309). With
    ``shuffle_times`` the same likes get their times at random."""
    rng = np.random.default_rng(3)
    videos = [{"id": f"v{j}", "creatorId": "c0", "createdAt": 0, "durationMs": 10_000}
              for j in range(310)]  # fmt: skip
    likes: list[dict[str, Any]] = []
    for user in range(60):
        for step in range(20):
            hour = step * 5 + int(rng.integers(0, 5))
            late = hour >= 70 and rng.random() < 0.8
            video = 300 + int(rng.integers(0, 10)) if late else int(rng.integers(0, 40))
            likes.append({"eventId": f"e{user}-{step}", "type": "like", "userId": f"u{user}",
                          "videoId": f"v{video}", "at": hour * 3_600_000})  # fmt: skip
    if shuffle_times:
        times = [like["at"] for like in likes]
        for like, at in zip(likes, rng.permutation(times).tolist(), strict=True):
            like["at"] = at
    users = [{"id": f"u{user}", "createdAt": 0} for user in range(60)]
    return {"users": users, "videos": videos, "interactions": likes}


def test_auto_cuts_the_log_in_time_only_where_time_order_carries_signal() -> None:
    trending = build_interactions(source(trending_log(shuffle_times=False)))
    assert time_carries_signal(time_holdout(trending, fraction=0.2))
    assert split_for(trending, TuneOptions(users=50)).kind == "time"
    shuffled = build_interactions(source(trending_log(shuffle_times=True)))
    assert not time_carries_signal(time_holdout(shuffled, fraction=0.2))
    assert split_for(shuffled, TuneOptions(users=50)).kind == "newest"
    # Asked for by name, the time cut is kept all the same.
    assert split_for(shuffled, TuneOptions(users=50, split="time")).kind == "time"


def test_grids_put_the_defaults_first_and_searches_keep_the_best(toy) -> None:  # type: ignore[no-untyped-def]
    combos = grid(a=[1, 2], b=["x", "y"])
    assert combos[0] == {"a": 1, "b": "x"} and len(combos) == 4
    split = holdout(toy, max_users=20)
    result = search("popularity", RecentPopularity, {"window_days": [7.0, 1.0]}, split, 60)
    assert [trial.params for trial in result.trials][:2] == [{"window_days": 7.0},
                                                             {"window_days": 1.0}]  # fmt: skip
    # Both values are edges: whichever won, the search took a step past it (x7 or /7).
    assert result.trials[2].params["window_days"] in (49.0, 0.143)
    assert result.best.objective == max(trial.objective for trial in result.trials)
    # A spent budget still measures the first setting, and stops there.
    spent = search("popularity", RecentPopularity, {"window_days": [7.0, 1.0]}, split, 0.0)
    assert len(spent.trials) == 1


class Reach:
    """A recommender whose reach grows with ``width`` up to 40, then stays: it lists each
    viewer's held-out videos for a share ``min(width, 40) / 40`` of the viewers."""

    name = "reach"

    def __init__(self, relevance: dict[str, frozenset[str]], width: int, depth: float) -> None:
        self.relevance, self.width, self.depth = relevance, width, depth

    def fit(self, train: Interactions) -> None:
        pass

    def recommend(self, user_ids: Sequence[str], k: int) -> dict[str, list[str]]:
        reached = round(len(user_ids) * min(self.width, 40) / 40)
        return {user: sorted(self.relevance[user])[:k] for user in sorted(user_ids)[:reached]}


def test_a_search_goes_past_the_grid_edge_while_that_improves(toy) -> None:  # type: ignore[no-untyped-def]
    split = holdout(toy, max_users=20)

    def factory(width: int, depth: float) -> Reach:
        return Reach(dict(split.relevance), width, depth)

    result = search("reach", factory, {"width": [10, 20], "depth": [1.0, 0.0]}, split, 60)
    widths = [trial.params["width"] for trial in result.trials]
    # The grid (4), then 40 (a step past 20: better), then 80 (no better): the search
    # stops; depth stays put (1.0 is its only positive value: there is no step to take).
    assert widths == [10, 20, 10, 20, 40, 80]
    assert result.best.params == {"width": 40, "depth": 1.0}
    assert past_the_edge({"width": 20, "depth": 0.0}, {"width": [10, 20], "depth": [0.0, 1.0]}) \
        == {"width": 40, "depth": 0.0}  # fmt: skip
    assert past_the_edge({"a": 0.3}, {"a": [1.0, 0.5, 0.3]}) == {"a": 0.18}
    assert past_the_edge({"a": 0.0004}, {"a": [0.002, 0.0004]}) == {"a": 8e-05}
    assert past_the_edge({"a": 0.5}, {"a": [1.0, 0.5, 0.3]}) is None  # inside the grid
    assert past_the_edge({"n": 2}, {"n": [4, 2]}) == {"n": 1}  # whole numbers stay whole
    assert past_the_edge({"n": 1}, {"n": [2, 1]}) is None  # no whole number below 1
    # Above zero but with zero tried: the smallest positive value is no edge.
    assert past_the_edge({"shrink": 10.0}, {"shrink": [0.0, 10.0, 100.0]}) is None
    assert past_the_edge({"on": True}, {"on": [True, False]}) is None
    assert past_the_edge({"a": 1232.0}, {"a": [1231.0, 1232.0]}) is None  # rounds back in


def test_a_search_past_the_edge_stops_after_its_steps_or_budget(toy, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    split = holdout(toy, max_users=20)

    def factory(width: int, depth: float) -> Reach:
        return Reach(dict(split.relevance), width, depth)

    def widths(grid: list[int], seconds: float = 60, limit: float | None = None) -> list[int]:
        limits = {"width": limit} if limit is not None else None
        found = search("reach", factory, {"width": grid, "depth": [1.0]}, split, seconds, limits)
        return [trial.params["width"] for trial in found.trials]

    # Reach grows up to 40: from the grid (1, 2) the search doubles while that improves.
    assert widths([1, 2]) == [1, 2, 4, 8, 16, 32, 64, 128]
    # Up to a limit, which is tried itself (a whole number, as the setting is).
    assert widths([1, 2], limit=12) == [1, 2, 4, 8, 12]
    assert isinstance(widths([1, 2], limit=12.0)[-1], int)
    assert past_the_edge({"width": 16}, {"width": [8, 16]}, {"width": 16}) is None
    # Capped, it stops on the edge all the same.
    monkeypatch.setattr("graph.tune.search.MAX_EXTENSIONS", 2)
    assert widths([1, 2]) == [1, 2, 4, 8]
    # A spent budget takes no step past the grid.
    assert widths([10, 20], seconds=0.0) == [10]


def test_the_objective_weighs_relative_gains_alike() -> None:
    # +10% at @20 is worth as much as +10% at @50, whatever their scales.
    assert objective(0.11, 0.2) == pytest.approx(objective(0.1, 0.22))
    # Where a plain sum prefers +0.03 at @50, the objective prefers +20% at @20.
    assert objective(0.12, 0.2) > objective(0.1, 0.23)
    # A recall of 0 at one cutoff is the worst outcome, whatever the other.
    assert objective(0.0, 0.9) < objective(0.01, 0.02)


def test_the_item_model_blend_is_searched_on_the_split(toy) -> None:  # type: ignore[no-untyped-def]
    split = holdout(toy, max_users=20)
    start = ItemModelSettings(ease_lambda=10.0, rp3_alpha=0.5, rp3_neighbours=20)
    chosen, result = search_blend(split, start)
    blends, filters = result.trials[:6], result.trials[6:]
    assert all(trial.params["spectral_weight"] == 0.0 for trial in blends)
    # Then the low-pass filter on top of the best blend: its whole grid, at least.
    mix = max(blends, key=lambda trial: trial.objective).params
    assert len(filters) >= 9
    assert all(
        (trial.params["ease_weight"], trial.params["rp3_weight"])
        == (mix["ease_weight"], mix["rp3_weight"])
        for trial in filters
    )
    best = result.best.params
    assert (chosen.ease_weight, chosen.rp3_weight) == (best["ease_weight"], best["rp3_weight"])
    assert chosen.spectral_weight == best["spectral_weight"]
    assert chosen.spectral_rank == best.get("spectral_rank", start.spectral_rank)
    assert chosen.ease_lambda == 10.0  # only the weights move
    # A spent budget still measures every blend and the filter's first setting.
    _, cut = search_blend(split, start, seconds=0.0)
    assert len(cut.trials) == 7
    assert (cut.trials[6].params["spectral_weight"], cut.trials[6].params["spectral_rank"]) == (
        1.0,
        64,
    )


def _candidate(video: str, **features: float) -> Candidate:
    found = Candidate(video)
    found.features = {name: features.get(name, 0.0) for name in FEATURE_NAMES}
    return found


def test_the_weight_search_learns_which_source_carries_the_signal() -> None:
    # The relevant video of each viewer is always the popular one, never the trending
    # one: the defaults (trending over popular) rank it last.
    candidates = {
        f"u{i}": [_candidate("a", source_trending=1.0)]
        + [_candidate(f"x{j}", source_trending=1.0) for j in range(60)]
        + [_candidate("hit", source_popular=1.0)]
        for i in range(5)
    }
    slates = Slates.of(candidates, {user: frozenset({"hit"}) for user in candidates})
    start = ScoringWeights()
    assert slates.recall(start.vector) == (0.0, 0.0)
    found = search_weights(slates, start, seconds=10)
    assert (found.recall_at_20, found.recall_at_50) == (1.0, 1.0)
    assert found.sources["popular"] == (1.0, 1.0)
    assert found.weights.source_popular > found.weights.source_trending or (
        found.weights.source_trending == 0
    )


def test_tuned_settings_round_trip_and_never_override_a_weights_file(tmp_path: Path) -> None:
    tuned = TunedSettings(
        item_model=ItemModelSettings(
            ease_lambda=50.0, ease_weight=0.0, rp3_weight=1.0, spectral_weight=0.5, spectral_rank=9
        ),
        weights=ScoringWeights(source_popular=2.5),
        diversity=0.25,
        exploration=0.05,
        tuned_at=7,
        summary={"note": "x"},
    )
    again = TunedSettings.from_json(tuned.to_json())
    assert again == tuned
    config = tuned.feed_config(FeedConfig())
    assert config.weights.source_popular == 2.5 and config.weights_source == "tuned"
    assert (config.diversity, config.exploration) == (0.25, 0.05)
    path = tmp_path / "ranker.json"
    path.write_text(json.dumps({"weights": {"recency": 1.0}, "bias": 0}))
    from_file = tuned.feed_config(FeedConfig().with_weights_file(path))
    assert from_file.weights.recency == 1.0 and from_file.weights.source_popular != 2.5
    options = tuned.precompute_options(CoEngagementOptions())
    assert (options.ease_lambda, options.ease_weight, options.rp3_weight) == (50.0, 0.0, 1.0)
    assert (options.spectral_weight, options.spectral_rank) == (0.5, 9)
    assert np.isclose(options.validate().rp3_weight, 1.0)
    # Settings stored before the low-pass filter existed read as the filter off.
    stored = json.loads(tuned.to_json())
    for key in ("spectral_weight", "spectral_rank"):
        del stored["itemModel"][key]
    assert TunedSettings.from_json(json.dumps(stored)).item_model.spectral_weight == 0.0


def test_the_filter_search_decomposes_again_only_for_a_rank_the_matrix_gives(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fits: list[int] = []
    fit = LowPass.fit.__func__  # type: ignore[attr-defined]

    def counted(cls: type[LowPass], engaged: sp.spmatrix, rank: int) -> LowPass:
        fits.append(rank)
        found: LowPass = fit(cls, engaged, rank)
        return found

    monkeypatch.setattr(LowPass, "fit", classmethod(counted))
    rng = np.random.default_rng(0)
    engaged = sp.csr_matrix((rng.random((40, 12)) < 0.3).astype(np.float32))
    rows = np.arange(10, dtype=np.int64)
    filters = Filters(engaged, engaged, rank=4)
    low = filters.scores(2)(rows)
    assert fits == [4]  # the grid's largest rank first; 2 is its truncation
    expected = LowPass.fit(engaged, 2).scores(engaged[rows])
    assert np.allclose(low, scaled(expected), atol=1e-4)
    filters.scores(6)
    assert fits[-2:] == [2, 6]  # (the line above fitted 2) a larger rank: decomposed again
    filters.scores(64)
    assert fits[-1] == 64  # the matrix gives 11 at most...
    filters.scores(128)
    assert fits[-1] == 64  # ...so no larger rank is decomposed again
    assert len(fits) == 4
    # Nor beyond the largest rank there is (4 here, where the matrix gives 11).
    monkeypatch.setattr("graph.tune.item_model.MAX_SPECTRAL_RANK", 4)
    monkeypatch.setattr("graph.precompute.item_models.MAX_SPECTRAL_RANK", 4)
    fits.clear()
    bounded = Filters(engaged, engaged, rank=2)
    bounded.scores(4)(rows)
    bounded.scores(8)(rows)
    assert fits == [4]


def test_the_item_model_search_keeps_its_share_however_long_the_baselines_took(
    toy: Interactions, monkeypatch: pytest.MonkeyPatch
) -> None:
    split = holdout(toy, max_users=20)

    def overrunning(names: Sequence[str], *_: Any) -> dict[str, SearchResult]:
        time.sleep(0.3)  # past the whole budget (0.2 s)
        return {name: SearchResult(name, ()) for name in names if name == "popularity"}

    given: list[float] = []

    def blend(
        split: Any, start: ItemModelSettings, seconds: float
    ) -> tuple[ItemModelSettings, SearchResult]:
        given.append(seconds)
        return start, SearchResult("item_model", ())

    monkeypatch.setattr("graph.tune.tune.tune_baselines", overrunning)
    monkeypatch.setattr("graph.tune.tune.search_blend", blend)
    tune_models(split, TuneOptions(seconds=0.4, baselines=("popularity",)))
    # Three searches before it (popularity, EASE, RP3beta): a quarter of 0.2 s is its own.
    assert given == [pytest.approx(0.05)]
