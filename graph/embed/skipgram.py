"""Skip-gram with negative sampling (word2vec's SGNS) over integer walks, in numba.

The same algorithm as gensim's ``Word2Vec(sg=1)``: frequent-node down-sampling,
a randomly shrunk window per position, ``negative`` noise nodes drawn from the
unigram distribution raised to 0.75, and a learning rate that decays linearly
from ``alpha`` to ``min_alpha``. Why not gensim itself: it wants walks as Python
lists of string tokens (one pointer per step: hundreds of MB on a large graph and
its time spent walking Python lists), while this trains straight from the int32
walk matrix. With one worker every update happens in a fixed order from seeded
random streams, so a seed reproduces the vectors bit for bit; with more workers
the threads update shared vectors without locks (hogwild, as gensim does).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numba
import numpy as np
import numpy.typing as npt
from numba import njit, prange

from graph.embed.alias import alias_draw, alias_tables
from graph.embed.rng import next_below, next_unit, stream

#: Walks per kernel call: the unit of progress reporting.
_BLOCK = 8_192
#: |x| past which the sigmoid is 0 or 1 to float precision and the step is skipped.
_MAX_EXP = 6.0

Vectors = npt.NDArray[np.float32]
#: Called with (walks done, walks in total over all epochs) after every block.
TrainProgress = Callable[[int, int], None]


@dataclass(frozen=True)
class SkipGramOptions:
    dimensions: int
    window: int
    epochs: int
    negative: int
    alpha: float
    min_alpha: float
    sample: float
    seed: int
    workers: int = 1


def keep_probabilities(counts: npt.NDArray[np.int64], sample: float) -> npt.NDArray[np.float32]:
    """word2vec's down-sampling: the chance to keep each occurrence of a node."""
    keep = np.ones(counts.size, dtype=np.float64)
    if sample <= 0:
        return keep.astype(np.float32)
    threshold = sample * counts.sum()
    seen = counts > 0
    ratio = counts[seen] / threshold
    keep[seen] = np.minimum(1.0, (np.sqrt(ratio) + 1.0) / ratio)
    return keep.astype(np.float32)


def noise_table(
    counts: npt.NDArray[np.int64],
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.int32]]:
    """Alias table of the unigram^0.75 distribution, for O(1) negative samples.

    gensim bisects a cumulative table for every negative sample; with five per
    pair that search was most of the training time here.
    """
    powered = np.power(counts.astype(np.float64), 0.75).astype(np.float32)
    return alias_tables(np.array([0, counts.size], dtype=np.int64), powered)


@njit(cache=True, fastmath=True, inline="always")
def _sigmoid(x: np.float32) -> np.float32:
    return np.float32(1.0 / (1.0 + math.exp(-x)))


@njit(cache=True, fastmath=True)
def _train_slice(
    walks: npt.NDArray[np.int32],
    keep: npt.NDArray[np.float32],
    noise_prob: npt.NDArray[np.float32],
    noise_alias: npt.NDArray[np.int32],
    syn0: Vectors,
    syn1: Vectors,
    window: int,
    negative: int,
    alpha: float,
    min_alpha: float,
    done_before: int,
    total: int,
    pace: int,
    state: np.uint64,
) -> None:
    """Train on ``walks`` in order. ``pace`` scales this slice's progress when several
    slices run at once, so the learning rate decays on the global schedule."""
    nodes, dim = syn0.shape
    length = walks.shape[1]
    kept = np.empty(length, dtype=np.int32)
    gradient = np.empty(dim, dtype=np.float32)
    for w in range(walks.shape[0]):
        progress = (done_before + w * pace) / total
        lr = max(min_alpha, alpha - (alpha - min_alpha) * progress)
        m = 0
        for j in range(length):
            node = walks[w, j]
            if node < 0:
                break
            state, unit = next_unit(state)
            if unit < keep[node]:
                kept[m] = node
                m += 1
        for i in range(m):
            center = kept[i]
            state, shrink = next_below(state, window)
            reach = window - shrink
            for j in range(max(0, i - reach), min(m, i + reach + 1)):
                if j == i:
                    continue
                context = kept[j]
                source = syn0[context]
                gradient[:] = 0.0
                for s in range(negative + 1):
                    if s == 0:
                        target = center
                        label = np.float32(1.0)
                    else:
                        state, target = alias_draw(noise_prob, noise_alias, 0, nodes, state)
                        if target == center:
                            continue
                        label = np.float32(0.0)
                    output = syn1[target]
                    dot = np.float32(0.0)
                    for d in range(dim):
                        dot += source[d] * output[d]
                    if dot >= _MAX_EXP or dot <= -_MAX_EXP:
                        continue
                    g = np.float32((label - _sigmoid(dot)) * lr)
                    for d in range(dim):
                        gradient[d] += g * output[d]
                    for d in range(dim):
                        output[d] += g * source[d]
                for d in range(dim):
                    source[d] += gradient[d]


@njit(cache=True, parallel=True)
def _train_block(
    walks: npt.NDArray[np.int32],
    keep: npt.NDArray[np.float32],
    noise_prob: npt.NDArray[np.float32],
    noise_alias: npt.NDArray[np.int32],
    syn0: Vectors,
    syn1: Vectors,
    window: int,
    negative: int,
    alpha: float,
    min_alpha: float,
    done_before: int,
    total: int,
    slices: int,
    seed: np.uint64,
    block_number: int,
) -> None:
    per_slice = (walks.shape[0] + slices - 1) // slices
    for s in prange(slices):
        lo = s * per_slice
        hi = min(walks.shape[0], lo + per_slice)
        if lo < hi:
            _train_slice(
                walks[lo:hi], keep, noise_prob, noise_alias, syn0, syn1, window, negative,
                alpha, min_alpha, done_before, total, slices,
                stream(seed, block_number * slices + s),
            )  # fmt: skip


def initial_vectors(nodes: int, dimensions: int, seed: int) -> Vectors:
    """word2vec's start: small uniform noise in [-1/dim, 1/dim)."""
    rng = np.random.default_rng(seed)
    vectors = rng.random((nodes, dimensions), dtype=np.float32)
    vectors *= 2.0
    vectors -= 1.0
    vectors /= dimensions
    return vectors


def node_counts(walks: npt.NDArray[np.int32], nodes: int) -> npt.NDArray[np.int64]:
    flat = walks.ravel()
    return np.bincount(flat[flat >= 0], minlength=nodes).astype(np.int64)


def train_skipgram(
    walks: npt.NDArray[np.int32],
    nodes: int,
    options: SkipGramOptions,
    progress: TrainProgress | None = None,
) -> Vectors:
    """One vector per node index (row ``i`` for node ``i``)."""
    numba.set_num_threads(options.workers)
    counts = node_counts(walks, nodes)
    keep = keep_probabilities(counts, options.sample)
    noise_prob, noise_alias = noise_table(counts)
    syn0 = initial_vectors(nodes, options.dimensions, options.seed)
    syn1 = np.zeros_like(syn0)
    total = walks.shape[0] * options.epochs
    seed_bits = np.uint64(options.seed)
    block_number = 0
    for epoch in range(options.epochs):
        for first in range(0, walks.shape[0], _BLOCK):
            last = min(first + _BLOCK, walks.shape[0])
            _train_block(
                walks[first:last], keep, noise_prob, noise_alias, syn0, syn1, options.window,
                options.negative, options.alpha, options.min_alpha,
                epoch * walks.shape[0] + first, total, options.workers, seed_bits, block_number,
            )  # fmt: skip
            block_number += 1
            if progress is not None:
                progress(epoch * walks.shape[0] + last, total)
    return syn0
