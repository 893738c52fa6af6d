"""Walker's alias method: O(1) draws from a discrete distribution after O(n) setup.

One table per CSR segment (``indptr``), so the same code serves a node's
neighbours in the walks and the whole noise distribution in skip-gram training.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from numba import njit

from graph.embed.rng import next_below, next_unit


@njit(cache=True)
def alias_tables(
    indptr: npt.NDArray[np.int64], weights: npt.NDArray[np.float32]
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.int32]]:
    """Vose alias tables, one per node over its neighbour slice (local indices)."""
    n = indptr.size - 1
    prob = np.ones(weights.size, dtype=np.float32)
    alias = np.zeros(weights.size, dtype=np.int32)
    max_degree = 0
    for node in range(n):
        max_degree = max(max_degree, indptr[node + 1] - indptr[node])
    scaled = np.empty(max_degree, dtype=np.float64)
    small = np.empty(max_degree, dtype=np.int32)
    large = np.empty(max_degree, dtype=np.int32)
    for node in range(n):
        start, end = indptr[node], indptr[node + 1]
        k = end - start
        if k == 0:
            continue
        total = 0.0
        for e in range(k):
            total += weights[start + e]
        n_small = 0
        n_large = 0
        for e in range(k):
            scaled[e] = weights[start + e] * k / total
            alias[start + e] = e
            if scaled[e] < 1.0:
                small[n_small] = e
                n_small += 1
            else:
                large[n_large] = e
                n_large += 1
        while n_small > 0 and n_large > 0:
            n_small -= 1
            s = small[n_small]
            n_large -= 1
            g = large[n_large]
            prob[start + s] = scaled[s]
            alias[start + s] = g
            scaled[g] = scaled[g] + scaled[s] - 1.0
            if scaled[g] < 1.0:
                small[n_small] = g
                n_small += 1
            else:
                large[n_large] = g
                n_large += 1
        # Leftovers are 1 up to rounding: they keep prob 1 (always themselves).
    return prob, alias


@njit(cache=True, inline="always")
def alias_draw(
    prob: npt.NDArray[np.float32],
    alias: npt.NDArray[np.int32],
    start: int,
    size: int,
    state: np.uint64,
) -> tuple[np.uint64, int]:
    """Draw a local index in ``[0, size)`` from the table at ``start``."""
    state, slot = next_below(state, size)
    state, coin = next_unit(state)
    if coin < prob[start + slot]:
        return state, slot
    return state, int(alias[start + slot])
