"""The filter contract: a name and a vectorised predicate over the request's slate."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from graph.feed.slate import Slate

if TYPE_CHECKING:
    from graph.feed.query import FeedQuery

#: ``keep(query, slate)``: one flag per candidate, True to keep it.
Keep = Callable[["FeedQuery", Slate], NDArray[np.bool_]]


@dataclass(frozen=True)
class Filter:
    name: str
    keep: Keep


def flags(values: list[bool]) -> NDArray[np.bool_]:
    return np.array(values, dtype=bool)
