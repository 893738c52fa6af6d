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

from collections.abc import Callable, Iterator

import numba
import numpy as np
import numpy.typing as npt
from numba import njit, prange

from graph.embed.alias import alias_draw, alias_tables
from graph.embed.rng import next_unit, stream
from graph.embed.walkgraph import WalkGraph

#: Rejection trials before the exact O(degree) draw takes over.
_MAX_TRIALS = 32
#: Walks per kernel call: the unit of streaming and of progress reporting.
BLOCK = 16_384

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
    """Walks ``first_walk + i`` into ``out[i]``, one thread."""
    for i in range(starts.size):
        _walk(indptr, indices, weights, alias_prob, alias_idx, starts[i], first_walk + i,
              inv_p, inv_q, seed, out[i])  # fmt: skip


@njit(cache=True, parallel=True)
def _walk_block_threads(
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
    """:func:`_walk_block` over the numba thread pool (the same walks, faster).

    A separate kernel because compiling ``parallel=True`` costs seconds that a
    one-worker run should not pay.
    """
    for i in prange(starts.size):
        _walk(indptr, indices, weights, alias_prob, alias_idx, starts[i], first_walk + i,
              inv_p, inv_q, seed, out[i])  # fmt: skip


def start_nodes(graph: WalkGraph, walks_per_node: int, seed: int) -> npt.NDArray[np.int32]:
    """Every node with a neighbour, once per round, each round in a fresh shuffled order."""
    degrees = np.diff(graph.indptr)
    walkable = np.flatnonzero(degrees > 0).astype(np.int32)
    rng = np.random.default_rng(seed)
    return np.concatenate([rng.permutation(walkable) for _ in range(walks_per_node)])


@njit(cache=True)
def _count_visits(walks: Walks, counts: npt.NDArray[np.int64]) -> None:
    for i in range(walks.shape[0]):
        for j in range(walks.shape[1]):
            node = walks[i, j]
            if node >= 0:
                counts[node] += 1


def count_visits(walks: Walks, counts: npt.NDArray[np.int64]) -> None:
    """Add each node's occurrences in ``walks`` to ``counts`` (in place, no temporaries)."""
    _count_visits(walks, counts)


class Walker:
    """The walks of one run, produced block by block and replayable.

    Each walk depends only on the seed and its number, so the same blocks come out
    every time :meth:`blocks` is called: training can stream them (twice: once to
    count node frequencies, once per epoch to learn) instead of holding every walk
    in memory, which on a large graph is the biggest array of the run.
    """

    def __init__(
        self,
        graph: WalkGraph,
        *,
        walk_length: int,
        walks_per_node: int,
        p: float,
        q: float,
        seed: int,
        workers: int = 1,
        block: int = BLOCK,
    ) -> None:
        self.graph = graph
        self.walk_length = walk_length
        self.inv_p = 1.0 / p
        self.inv_q = 1.0 / q
        self.seed = np.uint64(seed)
        self.workers = workers
        self.block = block
        self.alias_prob, self.alias_idx = alias_tables(graph.indptr, graph.weights)
        self.starts = start_nodes(graph, walks_per_node, seed)

    @property
    def total(self) -> int:
        return int(self.starts.size)

    @property
    def nodes(self) -> int:
        return self.graph.node_count

    def blocks(self) -> Iterator[Walks]:
        """Successive blocks of walks (rows), ``block`` walks each but the last.

        The same buffer is reused for every block: copy rows to keep them.
        """
        kernel = _walk_block
        if self.workers > 1:
            numba.set_num_threads(self.workers)
            kernel = _walk_block_threads
        out = np.empty((min(self.block, self.total), self.walk_length), dtype=np.int32)
        for first in range(0, self.total, self.block):
            last = min(first + self.block, self.total)
            rows = out[: last - first]
            kernel(
                self.graph.indptr, self.graph.indices, self.graph.weights, self.alias_prob,
                self.alias_idx, self.starts[first:last], first, self.inv_p, self.inv_q,
                self.seed, rows,
            )  # fmt: skip
            yield rows

    def count_visits(self, progress: WalkProgress | None = None) -> npt.NDArray[np.int64]:
        """How often each node occurs over all walks (one pass, nothing kept)."""
        counts = np.zeros(self.nodes, dtype=np.int64)
        done = 0
        for rows in self.blocks():
            count_visits(rows, counts)
            done += rows.shape[0]
            if progress is not None:
                progress(done, self.total)
        return counts


class WalkMatrix:
    """Walks already in memory, served with the same interface as :class:`Walker`."""

    def __init__(self, walks: Walks, nodes: int, block: int = BLOCK) -> None:
        self.walks = walks
        self.nodes = nodes
        self.block = block

    @property
    def total(self) -> int:
        return int(self.walks.shape[0])

    def blocks(self) -> Iterator[Walks]:
        for first in range(0, self.total, self.block):
            yield self.walks[first : first + self.block]

    def count_visits(self, progress: WalkProgress | None = None) -> npt.NDArray[np.int64]:
        counts = np.zeros(self.nodes, dtype=np.int64)
        count_visits(self.walks, counts)
        if progress is not None:
            progress(self.total, self.total)
        return counts


def generate_walks(
    graph: WalkGraph,
    *,
    walk_length: int,
    walks_per_node: int,
    p: float,
    q: float,
    seed: int,
    workers: int = 1,
) -> Walks:
    """All walks at once, one row per walk, ``walk_length`` node indices each (-1 past a
    dead end). For tests and comparisons; runs stream them through :class:`Walker`."""
    walker = Walker(graph, walk_length=walk_length, walks_per_node=walks_per_node, p=p, q=q,
                    seed=seed, workers=workers)  # fmt: skip
    return (
        np.concatenate([rows.copy() for rows in walker.blocks()])
        if walker.total
        else (np.empty((0, walk_length), dtype=np.int32))
    )
