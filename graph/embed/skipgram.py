"""Skip-gram with negative sampling (word2vec's SGNS) over integer walks.

The same model and schedule as gensim's ``Word2Vec(sg=1)``: frequent-node
down-sampling, a randomly shrunk window per position, ``negative`` noise nodes
drawn from the unigram distribution raised to 0.75, word2vec's sigmoid table and
cut-off, and a learning rate that decays linearly from ``alpha`` to
``min_alpha``. One deliberate difference: the noise nodes are drawn once per centre
position and shared by its window (see
:func:`graph.embed.skipgram_kernels.train_slice`). The kernels run ahead-of-time
compiled when built, numba's JIT otherwise (:mod:`graph.embed.kernels`).

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

import numpy as np
import numpy.typing as npt

from graph.embed import kernels as compiled
from graph.embed.kernels import Kernels

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
    counts: npt.NDArray[np.int64], kernels: Kernels | None = None
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.int32]]:
    """Alias table of the unigram^0.75 distribution, for O(1) negative samples.

    gensim bisects a cumulative table for every negative sample; with five per
    pair that search was most of the training time here.
    """
    powered = np.power(counts.astype(np.float64), 0.75).astype(np.float32)
    segment = np.array([0, counts.size], dtype=np.int64)
    return (kernels or compiled.load()).alias_tables(segment, powered)


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
    kernels: Kernels | None = None,
) -> Vectors:
    """One vector per node index (row ``i`` for node ``i``).

    ``counts`` (occurrences per node over all walks) drive down-sampling and the
    noise distribution; they are counted from ``walks`` when not given.
    """
    kernels = kernels or compiled.load()
    if counts is None:
        counts = walks.count_visits()
    keep = keep_probabilities(counts, options.sample)
    noise_prob, noise_alias = noise_table(counts, kernels)
    syn0 = initial_vectors(walks.nodes, options.dimensions, options.seed)
    syn1 = np.zeros_like(syn0)
    total = walks.total * options.epochs
    seed_bits = np.uint64(options.seed)
    block_number = 0
    done = 0
    threaded = compiled.threaded(options.workers) if options.workers > 1 else None
    for _ in range(options.epochs):
        for rows in walks.blocks():
            if threaded is not None:
                threaded.train(
                    rows, keep, noise_prob, noise_alias, syn0, syn1, options.window,
                    options.negative, options.alpha, options.min_alpha, done, total,
                    options.workers, seed_bits, block_number,
                )  # fmt: skip
            else:
                kernels.train_slice(
                    rows, keep, noise_prob, noise_alias, syn0, syn1, options.window,
                    options.negative, options.alpha, options.min_alpha, done, total, 1,
                    np.uint64(kernels.stream(seed_bits, block_number)),
                )  # fmt: skip
            block_number += 1
            done += rows.shape[0]
            if progress is not None:
                progress(done, total)
    return syn0
