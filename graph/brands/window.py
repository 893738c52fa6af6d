"""The recorded history of the graph: its first event and its "now".

Historical data sets (KuaiRand is from 2022) have no events near the wall clock, so
windows end at the latest event unless the caller gives ``as_of``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from graph.db import Graph

DAY_MS = 86_400_000


@dataclass(frozen=True)
class History:
    #: The first event (epoch ms); the end of time when there are none.
    first: int
    #: The end of windows: ``as_of`` when given, else the latest event, else now.
    as_of: int


def history(graph: Graph, as_of: int | None = None) -> History:
    row = graph.read("brands/event_range")[0]
    now = int(time.time() * 1000)
    latest = row["latest"]
    end = as_of if as_of is not None else int(latest) if latest is not None else now
    first = int(row["first"]) if row["first"] is not None else end + 1
    return History(first=first, as_of=end)


def resolve_as_of(graph: Graph, as_of: int | None) -> int:
    """``as_of`` when given, else the time of the latest event, else the wall clock."""
    return as_of if as_of is not None else history(graph).as_of
