"""The compiled kernels an embedding run calls: built ahead of time when available,
numba's just-in-time compiler otherwise.

The JIT costs a runtime before any work is done: numba and LLVM take about 130 MB
of resident memory, and a cold cache adds seconds of compilation.
``python -m graph.embed.build_kernels`` (``make install`` runs it) compiles the
same kernel source ahead of time into two extension modules next to this file.
They need neither numba nor LLVM at run time, and they compute the same walks and
vectors bit for bit (``tests/unit/test_embed_kernels.py``).

The build records a digest of the kernel source. If the source has changed since,
the stale modules are ignored with a warning and the JIT runs. Threaded runs
(``workers > 1``) always use the JIT, because numba builds its thread pool kernels
(``parallel=True``) only just in time.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

log = logging.getLogger(__name__)

HERE = Path(__file__).parent
#: The modules whose numba code the ahead-of-time build compiles.
KERNEL_SOURCES = ("rng.py", "alias.py", "walk_kernels.py", "skipgram_kernels.py")
#: Extension module names of the ahead-of-time build (in this package).
WALK_MODULE = "_aot_walks"
TRAIN_MODULE = "_aot_train"
#: What the build writes next to the modules: the source digest it compiled.
BUILD_RECORD = HERE / "_aot_build.json"

JIT = "jit"
AHEAD_OF_TIME = "ahead-of-time"
Choice = Literal["auto", "jit", "ahead-of-time"]


@dataclass(frozen=True)
class Kernels:
    """The one-thread kernels of a run, all from the same compiler."""

    #: ``"ahead-of-time"`` or ``"jit"``.
    kind: str
    alias_tables: Callable[
        [npt.NDArray[np.int64], npt.NDArray[np.float32]],
        tuple[npt.NDArray[np.float32], npt.NDArray[np.int32]],
    ]
    walk_block: Callable[..., None]
    count_visits: Callable[[npt.NDArray[np.int32], npt.NDArray[np.int64]], None]
    train_slice: Callable[..., None]
    stream: Callable[[np.uint64, int], Any]


@dataclass(frozen=True)
class ThreadedKernels:
    """The thread-pool kernels (JIT only)."""

    walk_block: Callable[..., None]
    train: Callable[..., None]


def source_digest() -> str:
    """SHA-256 over the kernel source files, in a fixed order."""
    digest = hashlib.sha256()
    for name in KERNEL_SOURCES:
        digest.update(name.encode())
        digest.update((HERE / name).read_bytes())
    return digest.hexdigest()


def ahead_of_time() -> Kernels | None:
    """The ahead-of-time kernels, or None when they are not built or are stale."""
    try:
        record = json.loads(BUILD_RECORD.read_text())
        walks = import_module(f"graph.embed.{WALK_MODULE}")
        train = import_module(f"graph.embed.{TRAIN_MODULE}")
    except (OSError, ValueError, ImportError):
        return None
    if record.get("source_sha256") != source_digest():
        log.warning(
            "the ahead-of-time embedding kernels are older than their source; using the "
            "JIT (rebuild with `python -m graph.embed.build_kernels` or `make install`)"
        )
        return None
    return Kernels(
        kind=AHEAD_OF_TIME,
        alias_tables=walks.alias_tables,
        walk_block=walks.walk_block,
        count_visits=walks.count_visits,
        train_slice=train.train_slice,
        stream=walks.stream,
    )


def just_in_time() -> Kernels:
    """The numba JIT kernels (imports numba and LLVM)."""
    from graph.embed import alias, rng, skipgram_kernels, walk_kernels

    return Kernels(
        kind=JIT,
        alias_tables=alias.alias_tables,
        walk_block=walk_kernels.walk_block,
        count_visits=walk_kernels.count_visits,
        train_slice=skipgram_kernels.train_slice,
        stream=rng.stream,
    )


@cache
def load(choice: Choice = "auto") -> Kernels:
    """The kernels to run: ``auto`` prefers the ahead-of-time build when it is usable."""
    if choice == JIT:
        return just_in_time()
    built = ahead_of_time()
    if built is not None:
        return built
    if choice == AHEAD_OF_TIME:
        raise RuntimeError(
            "the ahead-of-time embedding kernels are not built (or are stale): run "
            "`python -m graph.embed.build_kernels`"
        )
    return just_in_time()


def threaded(workers: int) -> ThreadedKernels:
    """The thread-pool kernels, with numba's pool sized to ``workers``."""
    import numba

    from graph.embed import skipgram_kernels, walk_kernels

    numba.set_num_threads(workers)
    return ThreadedKernels(
        walk_block=walk_kernels.walk_block_threads, train=skipgram_kernels.train_threads
    )
