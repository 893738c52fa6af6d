"""Array type aliases and the sampling helpers every part of the generator shares."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

#: ``progress(stage, done, total)``: how far a long step is, for a progress bar.
Progress = Callable[[str, int, int], None]


def sample_rows(cumulative: FloatArray, rows: IntArray, rng: np.random.Generator) -> IntArray:
    """One category per entry of ``rows``, drawn from that row's distribution.

    ``cumulative`` holds each row's cumulative probabilities (last column 1); one
    vectorised inverse-CDF draw replaces a Python loop of ``rng.choice`` calls.
    """
    draws = rng.random(len(rows))
    picked = (cumulative[rows] < draws[:, None]).sum(axis=1)
    return np.asarray(np.minimum(picked, cumulative.shape[1] - 1), dtype=np.int64)


def zipf_weights(count: int, exponent: float) -> FloatArray:
    """Normalised weights ``1 / rank**exponent`` for ranks 1..count."""
    weights = 1.0 / np.arange(1, count + 1, dtype=np.float64) ** exponent
    return np.asarray(weights / weights.sum(), dtype=np.float64)


def first_occurrences(keys: IntArray) -> BoolArray:
    """True where a key appears for the first time (in array order)."""
    first = np.zeros(len(keys), dtype=np.bool_)
    _, index = np.unique(keys, return_index=True)
    first[index] = True
    return first


def uniform_ms(rng: np.random.Generator, low: IntArray | int, high: IntArray | int) -> IntArray:
    """Integer times drawn uniformly in ``[low, high)`` (element-wise)."""
    low_array = np.asarray(low, dtype=np.int64)
    span = np.asarray(high, dtype=np.int64) - low_array
    size = np.broadcast(low_array, span).shape
    return low_array + (rng.random(size) * span).astype(np.int64)
