"""Skip-gram with negative sampling (word2vec's SGNS) over integer walks, in numba.

The same model and schedule as gensim's ``Word2Vec(sg=1)``: frequent-node
down-sampling, a randomly shrunk window per position, ``negative`` noise nodes
drawn from the unigram distribution raised to 0.75, word2vec's sigmoid table and
cut-off, and a learning rate that decays linearly from ``alpha`` to
``min_alpha``. One deliberate difference: the noise nodes are drawn once per centre
position and shared by its window (see :func:`_train_slice`).

Why not gensim itself: it wants the walks as Python lists of string tokens (one
object pointer per step, all walks in memory at once) and bisects a cumulative
table for every noise draw; this trains on int32 walk blocks streamed from the
walker and draws noise from an alias table. Measured on the benchmark graph it
is several times faster at the same AUC (bench/embed.py).

With one worker every update happens in a fixed order from seeded random
streams, so a seed reproduces the vectors bit for bit; with more workers the
threads update shared vectors without locks (hogwild, as gensim does).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Protocol

import numba
import numpy as np
import numpy.typing as npt
from numba import njit, prange

from graph.embed.alias import alias_draw, alias_tables
from graph.embed.rng import next_below, next_unit, stream

#: word2vec's cut-off: past |x| = 6 the logistic is saturated and the update is skipped.
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


_SIGMOID_STEPS = 1000
#: word2vec's lookup table of the logistic function over [-_MAX_EXP, _MAX_EXP).
_SIGMOID_TABLE = (
    1.0 / (1.0 + np.exp(-np.linspace(-_MAX_EXP, _MAX_EXP, _SIGMOID_STEPS, endpoint=False)))
).astype(np.float32)


@njit(cache=True, fastmath=True, inline="always")
def _sigmoid(x: np.float32) -> np.float32:
    slot = int((x + _MAX_EXP) * (_SIGMOID_STEPS / _MAX_EXP / 2))
    return np.float32(_SIGMOID_TABLE[slot])


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
    slices run at once, so the learning rate decays on the global schedule.

    Per centre position: the context vectors of its (shrunk) window each predict the
    centre against the same ``negative`` noise nodes, all scored before any update
    (a small context x target block, as in Intel's pWord2Vec). gensim draws fresh
    noise per (context, centre) pair and updates pair by pair; sharing the draws
    keeps the few output rows in cache and halved training time here at the same
    link-prediction AUC (bench/embed.py).
    """
    # A plain int would type the state as int64, and int64 + uint64 is float64 in
    # numba: the generator would quietly stop being random.
    state = np.uint64(state)
    nodes, dim = syn0.shape
    length = walks.shape[1]
    kept = np.empty(length, dtype=np.int32)
    contexts = np.empty(2 * window, dtype=np.int32)
    targets = np.empty(negative + 1, dtype=np.int32)
    labels = np.empty(negative + 1, dtype=np.float32)
    steps = np.empty((2 * window, negative + 1), dtype=np.float32)
    gradient = np.empty((2 * window, dim), dtype=np.float32)
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
            n_ctx = 0
            for j in range(max(0, i - reach), min(m, i + reach + 1)):
                if j != i:
                    contexts[n_ctx] = kept[j]
                    n_ctx += 1
            if n_ctx == 0:
                continue
            targets[0] = center
            labels[0] = 1.0
            n_tgt = 1
            for _ in range(negative):
                state, noise = alias_draw(noise_prob, noise_alias, 0, nodes, state)
                if noise != center:
                    targets[n_tgt] = noise
                    labels[n_tgt] = 0.0
                    n_tgt += 1
            for c in range(n_ctx):
                source = syn0[contexts[c]]
                for t in range(n_tgt):
                    output = syn1[targets[t]]
                    dot = np.float32(0.0)
                    for d in range(dim):
                        dot += source[d] * output[d]
                    if dot >= _MAX_EXP or dot <= -_MAX_EXP:
                        steps[c, t] = 0.0  # saturated: word2vec skips the update
                    else:
                        steps[c, t] = np.float32((labels[t] - _sigmoid(dot)) * lr)
            for c in range(n_ctx):
                for d in range(dim):
                    gradient[c, d] = 0.0
                for t in range(n_tgt):
                    output = syn1[targets[t]]
                    step = steps[c, t]
                    for d in range(dim):
                        gradient[c, d] += step * output[d]
            for t in range(n_tgt):
                output = syn1[targets[t]]
                for c in range(n_ctx):
                    source = syn0[contexts[c]]
                    step = steps[c, t]
                    for d in range(dim):
                        output[d] += step * source[d]
            for c in range(n_ctx):
                source = syn0[contexts[c]]
                for d in range(dim):
                    source[d] += gradient[c, d]


@njit(cache=True, parallel=True)
def _train_threads(
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
    """Split the block into ``slices`` trained at once on shared vectors (hogwild)."""
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


class WalkSource(Protocol):
    """Walks in blocks of rows; :meth:`blocks` yields the same walks every time."""

    @property
    def total(self) -> int: ...

    @property
    def nodes(self) -> int: ...

    def blocks(self) -> Iterator[npt.NDArray[np.int32]]: ...

    def count_visits(
        self, progress: Callable[[int, int], None] | None = None
    ) -> npt.NDArray[np.int64]: ...


def train_skipgram(
    walks: WalkSource,
    options: SkipGramOptions,
    counts: npt.NDArray[np.int64] | None = None,
    progress: TrainProgress | None = None,
) -> Vectors:
    """One vector per node index (row ``i`` for node ``i``).

    ``counts`` (occurrences per node over all walks) drive down-sampling and the
    noise distribution; they are counted from ``walks`` when not given.
    """
    if counts is None:
        counts = walks.count_visits()
    keep = keep_probabilities(counts, options.sample)
    noise_prob, noise_alias = noise_table(counts)
    syn0 = initial_vectors(walks.nodes, options.dimensions, options.seed)
    syn1 = np.zeros_like(syn0)
    total = walks.total * options.epochs
    seed_bits = np.uint64(options.seed)
    block_number = 0
    done = 0
    if options.workers > 1:
        numba.set_num_threads(options.workers)
    for _ in range(options.epochs):
        for rows in walks.blocks():
            if options.workers > 1:
                _train_threads(
                    rows, keep, noise_prob, noise_alias, syn0, syn1, options.window,
                    options.negative, options.alpha, options.min_alpha, done, total,
                    options.workers, seed_bits, block_number,
                )  # fmt: skip
            else:
                _train_slice(
                    rows, keep, noise_prob, noise_alias, syn0, syn1, options.window,
                    options.negative, options.alpha, options.min_alpha, done, total, 1,
                    np.uint64(stream(seed_bits, block_number)),
                )  # fmt: skip
            block_number += 1
            done += rows.shape[0]
            if progress is not None:
                progress(done, total)
    return syn0
