"""The weighted, undirected walk graph in compressed sparse row (CSR) form.

Edges are collected as they stream out of Neo4j into flat typed arrays (a few
bytes per edge, no Python object per edge), then folded into CSR once:
``indices[indptr[i]:indptr[i + 1]]`` are node ``i``'s neighbours, sorted, so the
walk kernel can test "is x a neighbour of y" by binary search, and
``weights`` holds the matching edge weights. Parallel edges between the same pair
are summed; every edge is stored in both directions.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from graph.embed.nodes import NodeKind, split_key


@dataclass(frozen=True)
class WalkGraph:
    keys: list[str]
    indptr: npt.NDArray[np.int64]
    indices: npt.NDArray[np.int32]
    weights: npt.NDArray[np.float32]

    @property
    def node_count(self) -> int:
        return len(self.keys)

    @property
    def edge_count(self) -> int:
        """Undirected edges (each is stored twice)."""
        return int(self.indices.size // 2)

    def index_of(self) -> dict[str, int]:
        return {key: i for i, key in enumerate(self.keys)}

    def kinds(self) -> dict[NodeKind, int]:
        counts: dict[NodeKind, int] = {}
        for key in self.keys:
            kind, _ = split_key(key)
            counts[kind] = counts.get(kind, 0) + 1
        return counts


class WalkGraphBuilder:
    """Collects weighted edges between keyed nodes; duplicates add up."""

    def __init__(self) -> None:
        self._index: dict[str, int] = {}
        self._keys: list[str] = []
        self._src = array("i")
        self._dst = array("i")
        self._weight = array("f")

    def _id(self, key: str) -> int:
        found = self._index.get(key)
        if found is None:
            found = self._index[key] = len(self._keys)
            self._keys.append(key)
        return found

    def add(self, a: str, b: str, weight: float) -> None:
        """Add an undirected edge; non-positive weights and self loops are ignored."""
        if weight <= 0 or a == b:
            return
        self._src.append(self._id(a))
        self._dst.append(self._id(b))
        self._weight.append(weight)

    def add_all(self, edges: Iterable[tuple[str, str, float]]) -> None:
        for a, b, weight in edges:
            self.add(a, b, weight)

    def has(self, key: str) -> bool:
        return key in self._index

    @property
    def pending_edges(self) -> int:
        return len(self._src)

    def build(self) -> WalkGraph:
        """Fold the edges into CSR, numbering nodes by sorted key.

        Sorting makes the numbering (and so walks and vectors for a seed) independent
        of the order rows arrived in from the database. Consumes the collected edges
        (the builder is left without any), so they are not held twice.
        """
        n = len(self._keys)
        by_key = sorted(range(n), key=self._keys.__getitem__)
        renumber = np.empty(n, dtype=np.int32)
        renumber[np.asarray(by_key, dtype=np.int64)] = np.arange(n, dtype=np.int32)
        src = renumber[np.frombuffer(self._src, dtype=np.int32)]
        dst = renumber[np.frombuffer(self._dst, dtype=np.int32)]
        weight = np.frombuffer(self._weight, dtype=np.float32).copy()
        # The edge list is in the arrays above now: free it before the fold's temporaries.
        self._src, self._dst, self._weight = array("i"), array("i"), array("f")
        return _fold([self._keys[i] for i in by_key], src, dst, weight)


def _fold(
    keys: list[str],
    src: npt.NDArray[np.int32],
    dst: npt.NDArray[np.int32],
    weight: npt.NDArray[np.float32],
) -> WalkGraph:
    """CSR of the undirected edges ``src[k] - dst[k]`` (node numbers index ``keys``)."""
    n = len(keys)
    rows = np.concatenate([src, dst])
    cols = np.concatenate([dst, src])
    values = np.concatenate([weight, weight])
    del src, dst, weight
    # Sorting by (row, column) puts each neighbour list in order and duplicate pairs
    # side by side; the weight as last key fixes the order their sums are taken in.
    order = np.lexsort((values, cols, rows))
    rows, cols, values = rows[order], cols[order], values[order]
    del order
    first = np.ones(rows.size, dtype=bool)
    first[1:] = (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1])
    starts = np.flatnonzero(first)
    del first
    summed = np.add.reduceat(values, starts) if starts.size else values
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows[starts], minlength=n), out=indptr[1:])
    return WalkGraph(
        keys=keys,
        indptr=indptr,
        indices=cols[starts].astype(np.int32),
        weights=summed.astype(np.float32),
    )


def graph_from_edges(edges: Iterable[tuple[str, str, float]]) -> WalkGraph:
    builder = WalkGraphBuilder()
    builder.add_all(edges)
    return builder.build()


def graph_from_arrays(
    keys: Sequence[str],
    src: npt.NDArray[np.integer[Any]],
    dst: npt.NDArray[np.integer[Any]],
    weights: npt.NDArray[np.floating[Any]],
) -> WalkGraph:
    """The graph of the edges ``keys[src[k]] - keys[dst[k]]`` with ``weights[k]``.

    The same graph as :func:`graph_from_edges` on those triples (same rules: non-positive
    weights and self loops dropped, nodes without an edge left out, numbering by
    sorted key), without a Python object per edge.
    """
    src, dst = np.asarray(src), np.asarray(dst)
    weight = np.asarray(weights, dtype=np.float32)
    valid = (weight > 0) & (src != dst)
    src, dst, weight = src[valid], dst[valid], weight[valid]
    used = np.zeros(len(keys), dtype=bool)
    used[src] = True
    used[dst] = True
    by_key = sorted(np.flatnonzero(used).tolist(), key=keys.__getitem__)
    renumber = np.full(len(keys), -1, dtype=np.int32)
    renumber[np.asarray(by_key, dtype=np.int64)] = np.arange(len(by_key), dtype=np.int32)
    return _fold([keys[i] for i in by_key], renumber[src], renumber[dst], weight)
