"""Offline recommendation metrics: pure functions over top-K lists.

Accuracy (per user, averaged by the caller):

* ``recall_at_k`` = hits in the top K / number of relevant items.
* ``ndcg_at_k`` with binary relevance: DCG = sum over hits of 1 / log2(rank + 1)
  (rank from 1), divided by the DCG of an ideal list with min(K, |relevant|) hits.

Beyond accuracy (over every user's list together, or per list):

* ``catalog_coverage``: share of the catalog that appears in at least one list.
* ``intra_list_diversity``: 1 - mean pairwise cosine similarity of the items of a
  list, with each item a unit vector (see :class:`ItemVectors`).
* ``creator_coverage``: share of catalog creators that appear in at least one list.
* ``gini``: inequality of exposure counts (0 = every creator shown equally often,
  towards 1 = all exposure on one creator), over all catalog creators, unexposed
  ones included as zeros.
* ``fresh_creator_share``: share of all recommended slots that go to a "fresh"
  creator (the caller decides who is fresh; see ``graph.evaluate.interactions``).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence

import numpy as np
from numpy.typing import NDArray


def recall_at_k(recommended: Sequence[str], relevant: Collection[str], k: int) -> float:
    if not relevant:
        return 0.0
    hits = sum(1 for item in recommended[:k] if item in relevant)
    return hits / len(relevant)


def ndcg_at_k(recommended: Sequence[str], relevant: Collection[str], k: int) -> float:
    if not relevant:
        return 0.0
    dcg = sum(
        1.0 / math.log2(rank + 2) for rank, item in enumerate(recommended[:k]) if item in relevant
    )
    ideal = sum(1.0 / math.log2(rank + 2) for rank in range(min(k, len(relevant))))
    return dcg / ideal


def catalog_coverage(lists: Iterable[Sequence[str]], catalog: Collection[str]) -> float:
    if not catalog:
        return 0.0
    shown = {item for items in lists for item in items}
    return len(shown & set(catalog)) / len(catalog)


def creator_exposure(lists: Iterable[Sequence[str]], creator_of: Mapping[str, str]) -> Counter[str]:
    """How many recommended slots each creator received (unknown items are skipped)."""
    return Counter(creator_of[item] for items in lists for item in items if item in creator_of)


def creator_coverage(exposure: Mapping[str, int], creators: Collection[str]) -> float:
    if not creators:
        return 0.0
    return sum(1 for creator in creators if exposure.get(creator, 0) > 0) / len(creators)


def gini(counts: Sequence[float]) -> float:
    """Gini coefficient of non-negative counts; 0 for an empty or all-zero input."""
    values = np.sort(np.asarray(counts, dtype=np.float64))
    n = values.size
    total = values.sum()
    if n == 0 or total == 0:
        return 0.0
    ranks = np.arange(1, n + 1, dtype=np.float64)
    return float(((2 * ranks - n - 1) * values).sum() / (n * total))


def fresh_creator_share(exposure: Mapping[str, int], fresh: Collection[str]) -> float:
    total = sum(exposure.values())
    if total == 0:
        return 0.0
    return sum(count for creator, count in exposure.items() if creator in fresh) / total


class ItemVectors:
    """Unit feature vectors of items, for intra-list diversity.

    The one definition every recommender is judged by: an item is the multi-hot
    vector of its hashtags (KuaiRand: its category tags), scaled to unit length, so
    the similarity of two items is the cosine of their tag sets. An item without
    tags gets a tag of its own kind (``"(none)"``), so untagged items count as
    similar to each other rather than as maximally diverse.
    """

    NO_TAG = "(none)"

    def __init__(self, tags_of: Mapping[str, Collection[str]]) -> None:
        vocabulary: dict[str, int] = {self.NO_TAG: 0}
        rows: dict[str, dict[int, float]] = {}
        for item, tags in tags_of.items():
            names = sorted(set(tags)) or [self.NO_TAG]
            weight = 1.0 / math.sqrt(len(names))
            rows[item] = {vocabulary.setdefault(name, len(vocabulary)): weight for name in names}
        self._rows = rows
        self._width = len(vocabulary)

    def matrix(self, items: Sequence[str]) -> NDArray[np.float64]:
        out = np.zeros((len(items), self._width), dtype=np.float64)
        for row, item in enumerate(items):
            for column, value in self._rows.get(item, {0: 1.0}).items():
                out[row, column] = value
        return out


def intra_list_diversity(items: Sequence[str], vectors: ItemVectors) -> float:
    """1 - mean pairwise cosine similarity; 0 for lists shorter than two items.

    With unit vectors the sum of all pairwise similarities is
    (||sum of vectors||^2 - n) / 2, so no n x n matrix is needed.
    """
    n = len(items)
    if n < 2:
        return 0.0
    matrix = vectors.matrix(items)
    summed = matrix.sum(axis=0)
    pair_sum = (float(summed @ summed) - n) / 2.0
    mean_similarity = pair_sum / (n * (n - 1) / 2.0)
    return 1.0 - mean_similarity
