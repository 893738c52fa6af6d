"""The node2vec walk kernels (numba): one biased random walk per start node.

Each node keeps one alias table over its neighbours (O(edges) memory, built once)
and the second-order bias is applied by rejection sampling: draw a neighbour ``x``
of the current node in proportion to the edge weight, accept it with probability
``bias(x) / max_bias`` where the bias is ``1/p`` for stepping back, ``1`` for a
neighbour of the previous node and ``1/q`` otherwise. Accepted draws follow
node2vec's distribution exactly; a rare long run of rejections falls back to the
exact O(degree) draw. Kernels take the arrays as arguments, so one compilation
serves every graph: JIT with ``cache=True``, or ahead of time
(:mod:`graph.embed.build_kernels`).

Walk ``k`` draws from its own random stream seeded by ``(seed, k)``, so the walks
are the same for a seed whatever the number of threads.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from numba import njit, prange

from graph.embed.alias import alias_draw
from graph.embed.rng import next_unit, stream

#: Rejection trials before the exact O(degree) draw takes over.
_MAX_TRIALS = 32

Walks = npt.NDArray[np.int32]


@njit(cache=True, inline="always")
def _is_neighbour(
    indptr: npt.NDArray[np.int64], indices: npt.NDArray[np.int32], node: int, other: int
) -> bool:
    lo, hi = indptr[node], indptr[node + 1]
    while lo < hi:
        mid = (lo + hi) >> 1
        if indices[mid] < other:
            lo = mid + 1
        else:
            hi = mid
    return bool(lo < indptr[node + 1] and indices[lo] == other)


@njit(cache=True, inline="always")
def _bias(
    indptr: npt.NDArray[np.int64],
    indices: npt.NDArray[np.int32],
    prev: int,
    candidate: int,
    inv_p: float,
    inv_q: float,
) -> float:
    if candidate == prev:
        return inv_p
    if _is_neighbour(indptr, indices, prev, candidate):
        return 1.0
    return inv_q


@njit(cache=True)
def _exact_step(
    indptr: npt.NDArray[np.int64],
    indices: npt.NDArray[np.int32],
    weights: npt.NDArray[np.float32],
    prev: int,
    cur: int,
    inv_p: float,
    inv_q: float,
    unit: float,
) -> int:
    start, end = indptr[cur], indptr[cur + 1]
    total = 0.0
    for e in range(start, end):
        total += weights[e] * _bias(indptr, indices, prev, indices[e], inv_p, inv_q)
    target = unit * total
    running = 0.0
    for e in range(start, end):
        running += weights[e] * _bias(indptr, indices, prev, indices[e], inv_p, inv_q)
        if running > target:
            return int(indices[e])
    return int(indices[end - 1])


@njit(cache=True)
def _walk(
    indptr: npt.NDArray[np.int64],
    indices: npt.NDArray[np.int32],
    weights: npt.NDArray[np.float32],
    alias_prob: npt.NDArray[np.float32],
    alias_idx: npt.NDArray[np.int32],
    start_node: int,
    walk_number: int,
    inv_p: float,
    inv_q: float,
    seed: np.uint64,
    row: npt.NDArray[np.int32],
) -> None:
    """Fill ``row`` with walk number ``walk_number`` from ``start_node``; -1 pads dead ends."""
    walk_length = row.size
    max_bias = max(inv_p, 1.0, inv_q)
    state = stream(np.uint64(seed), walk_number)
    row[0] = start_node
    for j in range(1, walk_length):
        cur = row[j - 1]
        start = indptr[cur]
        degree = indptr[cur + 1] - start
        if degree == 0:
            for rest in range(j, walk_length):
                row[rest] = -1
            return
        chosen = -1
        trials = 1 if j == 1 else _MAX_TRIALS
        for _ in range(trials):
            state, slot = alias_draw(alias_prob, alias_idx, start, degree, state)
            candidate = indices[start + slot]
            if j == 1:  # the first step has no previous node: first-order
                chosen = candidate
                break
            state, accept = next_unit(state)
            if accept * max_bias < _bias(indptr, indices, row[j - 2], candidate, inv_p, inv_q):
                chosen = candidate
                break
        if chosen < 0:
            state, unit = next_unit(state)
            chosen = _exact_step(indptr, indices, weights, row[j - 2], cur, inv_p, inv_q, unit)
        row[j] = chosen


@njit(cache=True)
def walk_block(
    indptr: npt.NDArray[np.int64],
    indices: npt.NDArray[np.int32],
    weights: npt.NDArray[np.float32],
    alias_prob: npt.NDArray[np.float32],
    alias_idx: npt.NDArray[np.int32],
    starts: npt.NDArray[np.int32],
    first_walk: int,
    inv_p: float,
    inv_q: float,
    seed: np.uint64,
    out: npt.NDArray[np.int32],
) -> None:
    """Walks ``first_walk + i`` into ``out[i]``, one thread."""
    for i in range(starts.size):
        _walk(indptr, indices, weights, alias_prob, alias_idx, starts[i], first_walk + i,
              inv_p, inv_q, seed, out[i])  # fmt: skip


@njit(cache=True, parallel=True)
def walk_block_threads(
    indptr: npt.NDArray[np.int64],
    indices: npt.NDArray[np.int32],
    weights: npt.NDArray[np.float32],
    alias_prob: npt.NDArray[np.float32],
    alias_idx: npt.NDArray[np.int32],
    starts: npt.NDArray[np.int32],
    first_walk: int,
    inv_p: float,
    inv_q: float,
    seed: np.uint64,
    out: npt.NDArray[np.int32],
) -> None:
    """:func:`walk_block` over the numba thread pool (the same walks, faster).

    A separate kernel because compiling ``parallel=True`` costs seconds that a
    one-worker run should not pay.
    """
    for i in prange(starts.size):
        _walk(indptr, indices, weights, alias_prob, alias_idx, starts[i], first_walk + i,
              inv_p, inv_q, seed, out[i])  # fmt: skip


@njit(cache=True)
def count_visits(walks: Walks, counts: npt.NDArray[np.int64]) -> None:
    """Add each node's occurrences in ``walks`` to ``counts`` (in place; -1 padding skipped)."""
    for i in range(walks.shape[0]):
        for j in range(walks.shape[1]):
            node = walks[i, j]
            if node >= 0:
                counts[node] += 1
