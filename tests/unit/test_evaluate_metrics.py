"""Offline metrics against hand-computed expectations."""

from __future__ import annotations

import math

import numpy as np
import pytest

from graph.evaluate import metrics
from graph.evaluate.recommenders.base import top_unseen


def test_recall_counts_hits_in_the_top_k_over_all_relevant() -> None:
    ranked = ["a", "b", "c", "d"]
    assert metrics.recall_at_k(ranked, {"b", "d", "x"}, 2) == pytest.approx(1 / 3)
    assert metrics.recall_at_k(ranked, {"b", "d", "x"}, 4) == pytest.approx(2 / 3)
    assert metrics.recall_at_k(ranked, set(), 4) == 0.0
    assert metrics.recall_at_k([], {"a"}, 4) == 0.0


def test_ndcg_discounts_by_log_rank_and_normalises_by_the_ideal_list() -> None:
    ranked = ["a", "b", "c", "d"]
    # Hits at ranks 2 and 4: 1/log2(3) + 1/log2(5); ideal: hits at ranks 1 and 2.
    dcg = 1 / math.log2(3) + 1 / math.log2(5)
    ideal = 1 + 1 / math.log2(3)
    assert metrics.ndcg_at_k(ranked, {"b", "d"}, 4) == pytest.approx(dcg / ideal)
    assert metrics.ndcg_at_k(ranked, {"b", "d"}, 4) == pytest.approx(0.65092, abs=1e-5)
    # At K=2 only "b" counts; the ideal list has 2 hits.
    assert metrics.ndcg_at_k(ranked, {"b", "d"}, 2) == pytest.approx(0.38685, abs=1e-5)
    assert metrics.ndcg_at_k(["b", "d"], {"b", "d"}, 2) == pytest.approx(1.0)


def test_ndcg_ideal_is_capped_at_k() -> None:
    # Five relevant items, K=1: a hit at rank 1 is perfect.
    assert metrics.ndcg_at_k(["a"], {"a", "b", "c", "d", "e"}, 1) == pytest.approx(1.0)


def test_catalog_coverage_is_the_share_of_catalog_items_shown() -> None:
    assert metrics.catalog_coverage([["a", "b"], ["b", "c"]], {"a", "b", "c", "d"}) == 0.75
    assert metrics.catalog_coverage([["zzz"]], {"a"}) == 0.0
    assert metrics.catalog_coverage([], set()) == 0.0


def test_intra_list_diversity_uses_tag_cosine() -> None:
    vectors = metrics.ItemVectors({"a": ["x"], "b": ["x"], "c": ["y"], "d": ["x", "y"]})
    # Pairs: a-b = 1, a-c = 0, b-c = 0: mean 1/3.
    assert metrics.intra_list_diversity(["a", "b", "c"], vectors) == pytest.approx(2 / 3)
    # {x, y} against {x}: cosine 1/sqrt(2).
    assert metrics.intra_list_diversity(["a", "d"], vectors) == pytest.approx(1 - 1 / math.sqrt(2))
    assert metrics.intra_list_diversity(["a", "b"], vectors) == pytest.approx(0.0)
    assert metrics.intra_list_diversity(["a"], vectors) == 0.0


def test_untagged_and_unknown_items_are_alike_not_maximally_diverse() -> None:
    vectors = metrics.ItemVectors({"a": [], "b": [], "c": ["x"]})
    assert metrics.intra_list_diversity(["a", "b"], vectors) == pytest.approx(0.0)
    assert metrics.intra_list_diversity(["a", "unknown"], vectors) == pytest.approx(0.0)
    assert metrics.intra_list_diversity(["a", "c"], vectors) == pytest.approx(1.0)


def test_gini_of_exposure() -> None:
    assert metrics.gini([1, 1, 1, 1]) == pytest.approx(0.0)
    # Sorted [0, 0, 0, 4]: sum((2i - n - 1) x_i) / (n sum x) = (3 * 4) / (4 * 4).
    assert metrics.gini([4, 0, 0, 0]) == pytest.approx(0.75)
    assert metrics.gini([1, 3]) == pytest.approx(0.25)
    assert metrics.gini([]) == 0.0
    assert metrics.gini([0, 0]) == 0.0


def test_creator_exposure_coverage_and_fresh_share() -> None:
    creator_of = {"a": "c1", "b": "c1", "c": "c2", "d": "c3"}
    exposure = metrics.creator_exposure([["a", "b"], ["a", "c"], ["ghost"]], creator_of)
    assert exposure == {"c1": 3, "c2": 1}
    assert metrics.creator_coverage(exposure, {"c1", "c2", "c3"}) == pytest.approx(2 / 3)
    assert metrics.fresh_creator_share(exposure, {"c2", "c3"}) == pytest.approx(0.25)
    assert metrics.fresh_creator_share({}, {"c2"}) == 0.0


def test_top_unseen_skips_seen_and_non_positive_and_breaks_ties_by_index() -> None:
    scores = np.array([0.5, 0.9, 0.9, 0.0, 0.1])
    assert top_unseen(scores, np.array([1], dtype=np.int32), 2).tolist() == [2, 0]
    assert top_unseen(scores, np.array([], dtype=np.int32), 10).tolist() == [1, 2, 0, 4]
    assert top_unseen(np.ones(5), np.array([], dtype=np.int32), 2).tolist() == [0, 1]
    assert top_unseen(np.zeros(3), np.array([], dtype=np.int32), 2).tolist() == []
