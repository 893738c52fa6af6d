"""Progress reporting and phase timing for embedding runs (no printing here).

Library code calls ``progress(phase, done, total)``; the CLI turns that into rich
progress bars, tests and benchmarks pass nothing or collect the calls.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

#: ``(phase, done, total)``; phases are the names in :data:`PHASES`.
Progress = Callable[[str, int, int], None]

EXPORT_USERS = "export users"
EXPORT_VIDEOS = "export videos"
WALKS = "walks"
TRAIN = "train"
WRITE = "write vectors"
INDEX = "vector indexes"
FOLD_IN = "fold-in"
PHASES = (EXPORT_USERS, EXPORT_VIDEOS, WALKS, TRAIN, WRITE, INDEX)


def silent(phase: str, done: int, total: int) -> None:
    """The default: report nowhere."""


class Stopwatch:
    """Wall time per named step, in the order the steps ran."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def time(self, step: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[step] = self.seconds.get(step, 0.0) + time.perf_counter() - started

    @property
    def total(self) -> float:
        return sum(self.seconds.values())
