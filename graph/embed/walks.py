"""node2vec biased random walks over a :class:`WalkGraph`, compiled with numba.

Why not the ``node2vec`` package: it precomputes a probability table for every
(previous, current) node pair, which is the sum of squared degrees in memory and
pure-Python time. PecanPy's SparseOTF computes each step's distribution on the
fly instead, but it spends O(degree) per step and recompiles its kernels for
every graph (they close over the arrays). This kernel keeps one alias table per
node (O(edges) memory, built once) and applies the second-order bias by
rejection sampling: draw a neighbour ``x`` of the current node in proportion to
the edge weight, accept it with probability ``bias(x) / max_bias`` where the bias
is ``1/p`` for stepping back, ``1`` for a neighbour of the previous node and
``1/q`` otherwise. Accepted draws follow node2vec's distribution exactly; a rare
long run of rejections falls back to the exact O(degree) draw. Kernels take the
arrays as arguments, so ``cache=True`` compiles them once per machine.

Walk ``k`` draws from its own random stream seeded by ``(seed, k)``, so the walks
are the same for a seed whatever the number of threads.
"""

from __future__ import annotations

from collections.abc import Callable

import numba
import numpy as np
import numpy.typing as npt
from numba import njit, prange

from graph.embed.alias import alias_draw, alias_tables
from graph.embed.rng import next_unit, stream
from graph.embed.walkgraph import WalkGraph

#: Rejection trials before the exact O(degree) draw takes over.
_MAX_TRIALS = 32
#: Walks per kernel call: the unit of progress reporting.
_BLOCK = 32_768

Walks = npt.NDArray[np.int32]
#: Called with (walks done, walks in total) after every block.
WalkProgress = Callable[[int, int], None]


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


@njit(cache=True, parallel=True)
def _walk_block(
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
    """Fill ``out[i]`` with walk number ``first_walk + i`` from ``starts[i]``; -1 pads dead ends."""
    walk_length = out.shape[1]
    max_bias = max(inv_p, 1.0, inv_q)
    for i in prange(starts.size):
        state = stream(seed, first_walk + i)
        out[i, 0] = starts[i]
        for j in range(1, walk_length):
            cur = out[i, j - 1]
            start = indptr[cur]
            degree = indptr[cur + 1] - start
            if degree == 0:
                for rest in range(j, walk_length):
                    out[i, rest] = -1
                break
            chosen = -1
            trials = 1 if j == 1 else _MAX_TRIALS
            for _ in range(trials):
                state, slot = alias_draw(alias_prob, alias_idx, start, degree, state)
                candidate = indices[start + slot]
                if j == 1:  # the first step has no previous node: first-order
                    chosen = candidate
                    break
                state, accept = next_unit(state)
                bias = _bias(indptr, indices, out[i, j - 2], candidate, inv_p, inv_q)
                if accept * max_bias < bias:
                    chosen = candidate
                    break
            if chosen < 0:
                state, unit = next_unit(state)
                chosen = _exact_step(
                    indptr, indices, weights, out[i, j - 2], cur, inv_p, inv_q, unit
                )
            out[i, j] = chosen


def start_nodes(graph: WalkGraph, walks_per_node: int, seed: int) -> npt.NDArray[np.int32]:
    """Every node with a neighbour, once per round, each round in a fresh shuffled order."""
    degrees = np.diff(graph.indptr)
    walkable = np.flatnonzero(degrees > 0).astype(np.int32)
    rng = np.random.default_rng(seed)
    return np.concatenate([rng.permutation(walkable) for _ in range(walks_per_node)])


def generate_walks(
    graph: WalkGraph,
    *,
    walk_length: int,
    walks_per_node: int,
    p: float,
    q: float,
    seed: int,
    workers: int = 1,
    progress: WalkProgress | None = None,
) -> Walks:
    """One row per walk, ``walk_length`` node indices each (-1 past a dead end)."""
    numba.set_num_threads(workers)
    alias_prob, alias_idx = alias_tables(graph.indptr, graph.weights)
    starts = start_nodes(graph, walks_per_node, seed)
    walks = np.empty((starts.size, walk_length), dtype=np.int32)
    seed_bits = np.uint64(seed)
    for first in range(0, starts.size, _BLOCK):
        last = min(first + _BLOCK, starts.size)
        _walk_block(
            graph.indptr,
            graph.indices,
            graph.weights,
            alias_prob,
            alias_idx,
            starts[first:last],
            first,
            1.0 / p,
            1.0 / q,
            seed_bits,
            walks[first:last],
        )
        if progress is not None:
            progress(last, starts.size)
    return walks
