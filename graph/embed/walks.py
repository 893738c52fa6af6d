"""node2vec biased random walks over a :class:`WalkGraph`, streamed block by block.

Why not the ``node2vec`` package: it precomputes a probability table for every
(previous, current) node pair, which is the sum of squared degrees in memory and
pure-Python time. PecanPy's SparseOTF computes each step's distribution on the
fly instead, but it spends O(degree) per step and recompiles its kernels for
every graph (they close over the arrays). The kernels here
(:mod:`graph.embed.walk_kernels`) keep one alias table per node and apply the
second-order bias by rejection sampling, exact in distribution; they run ahead-of-
time compiled when built, numba's JIT otherwise (:mod:`graph.embed.kernels`).

Walk ``k`` draws from its own random stream seeded by ``(seed, k)``, so the walks
are the same for a seed whatever the number of threads.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
import numpy.typing as npt

from graph.embed import kernels as compiled
from graph.embed.kernels import Kernels
from graph.embed.walkgraph import WalkGraph

#: Walks per kernel call: the unit of streaming and of progress reporting.
BLOCK = 16_384

Walks = npt.NDArray[np.int32]
#: Called with (walks done, walks in total) after every block.
WalkProgress = Callable[[int, int], None]


def start_nodes(graph: WalkGraph, walks_per_node: int, seed: int) -> npt.NDArray[np.int32]:
    """Every node with a neighbour, once per round, each round in a fresh shuffled order."""
    degrees = np.diff(graph.indptr)
    walkable = np.flatnonzero(degrees > 0).astype(np.int32)
    rng = np.random.default_rng(seed)
    return np.concatenate([rng.permutation(walkable) for _ in range(walks_per_node)])


def count_visits(
    walks: Walks, counts: npt.NDArray[np.int64], kernels: Kernels | None = None
) -> None:
    """Add each node's occurrences in ``walks`` to ``counts`` (in place, no temporaries)."""
    (kernels or compiled.load()).count_visits(np.ascontiguousarray(walks), counts)


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
        kernels: Kernels | None = None,
    ) -> None:
        self.graph = graph
        self.kernels = kernels or compiled.load()
        self.walk_length = walk_length
        self.inv_p = 1.0 / p
        self.inv_q = 1.0 / q
        self.seed = np.uint64(seed)
        self.workers = workers
        self.block = block
        self.alias_prob, self.alias_idx = self.kernels.alias_tables(graph.indptr, graph.weights)
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
        kernel = self.kernels.walk_block
        if self.workers > 1:
            kernel = compiled.threaded(self.workers).walk_block
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
            count_visits(rows, counts, self.kernels)
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
