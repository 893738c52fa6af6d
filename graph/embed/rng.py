"""A tiny counter-based random number generator for the numba kernels.

Each walk (and each training slice) seeds its own SplitMix64 stream from
``(seed, number)``, so results do not depend on which thread runs what, or in
which order: the walks are identical with one worker or many.
"""

from __future__ import annotations

import numpy as np
from numba import njit

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_TO_UNIT = 1.0 / 9007199254740992.0  # 2**-53


@njit(cache=True, inline="always")
def next_u64(state: np.uint64) -> tuple[np.uint64, np.uint64]:
    """Advance the stream; returns (new state, 64 random bits)."""
    state = state + _GOLDEN
    z = state
    z = (z ^ (z >> np.uint64(30))) * _MIX1
    z = (z ^ (z >> np.uint64(27))) * _MIX2
    return state, z ^ (z >> np.uint64(31))


@njit(cache=True, inline="always")
def next_unit(state: np.uint64) -> tuple[np.uint64, float]:
    """A float in [0, 1)."""
    state, bits = next_u64(state)
    return state, float(bits >> np.uint64(11)) * _TO_UNIT


@njit(cache=True, inline="always")
def next_below(state: np.uint64, bound: int) -> tuple[np.uint64, int]:
    """An int in [0, bound)."""
    state, unit = next_unit(state)
    return state, min(int(unit * bound), bound - 1)


@njit(cache=True, inline="always")
def stream(seed: np.uint64, number: int) -> np.uint64:
    """The starting state of stream ``number`` under ``seed``."""
    state = seed * _GOLDEN + np.uint64(number)
    state, _ = next_u64(state)
    return state
