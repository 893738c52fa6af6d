"""The skip-gram training kernels (numba): word2vec's SGNS over int32 walk blocks.

See :mod:`graph.embed.skipgram` for the model and schedule. Like the walk
kernels, these take every array as an argument, so they compile once, just in
time with ``cache=True`` or ahead of time (:mod:`graph.embed.build_kernels`).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from numba import njit, prange

from graph.embed.alias import alias_draw
from graph.embed.rng import next_below, next_unit, stream

Vectors = npt.NDArray[np.float32]

#: word2vec's cut-off: past |x| = 6 the logistic is saturated and the update is skipped.
_MAX_EXP = 6.0

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
def train_slice(
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
def train_threads(
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
            train_slice(
                walks[lo:hi], keep, noise_prob, noise_alias, syn0, syn1, window, negative,
                alpha, min_alpha, done_before, total, slices,
                stream(seed, block_number * slices + s),
            )  # fmt: skip
