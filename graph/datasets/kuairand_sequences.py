"""Training-period sequences of KuaiRand turned into timed view and like events.

What the data gives per user (``user_sequences.parquet``): ``watch_seq``, the last
<= 50 videos watched, oldest first; ``long_watch_seq`` and ``like_seq``, the last
<= 50 long views and likes, which may reach further back than ``watch_seq``;
``history_len``, the number of views in the whole training period; and
``last_time_ms``, the time of the last view. No per-view time or watch time.

The mapping (pure, deterministic):

* **Which events.** One view per ``watch_seq`` item (a repeated video is viewed
  again). A long watch or a like is matched to the latest not yet matched view of
  the same video, walking both lists back from the newest item; the list being
  in time order, once an item finds no view in the window, it and everything
  older happened before the window. Such an older long watch becomes a view of its
  own (a long watch is a view); an older like stays a like only (we do not invent
  a view we know nothing about).
* **When.** The last view is at ``last_time_ms``; views are spread evenly before
  it, ``gap`` apart, and the items from before the window continue backwards at
  the same pace. ``gap`` is the user's average time between views over the
  training period, ``(last_time_ms - TRAIN_START_MS) / history_len`` (at least
  1 ms), so the events stay inside the period and keep their order. A like in the
  window is at the time of the view it was matched to.
* **How long.** A long watch watches the whole video (``watchMs = duration``, a
  complete): in the validation split, the median long view watches 96% of it. Any
  other view watches ``SHORT_VIEW_MS`` = 2.2 s (or the whole video when shorter):
  the median of the validation views that were not long views (2,207 ms; a
  constant fits them better than a share of the duration does).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Literal

#: KuaiRand's times are Beijing time (UTC+8, no daylight saving).
BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")
#: The training log starts on 2022-04-08, Beijing time.
TRAIN_START_MS = int(datetime(2022, 4, 8, tzinfo=BEIJING).timestamp() * 1000)
#: The median watch time of the validation views that were not long views.
SHORT_VIEW_MS = 2207


@dataclass(frozen=True, slots=True)
class SequenceEvent:
    """A view or a like of one user, with its reconstructed time."""

    type: Literal["view", "like"]
    video_id: int
    at: int
    #: A long watch (views only).
    long: bool = False


def watch_ms(duration_ms: int, *, long: bool) -> int:
    """The watch time a sequence view gets (see the module docstring)."""
    return duration_ms if long else min(SHORT_VIEW_MS, duration_ms)


def sequence_events(
    watch_seq: Sequence[int],
    long_watch_seq: Sequence[int],
    like_seq: Sequence[int],
    *,
    last_time_ms: int,
    history_len: int,
) -> list[SequenceEvent]:
    """One user's training events, oldest first (views before likes at equal times)."""
    long_in_window, long_before = _match_tail(watch_seq, long_watch_seq)
    liked_in_window, liked_before = _match_tail(watch_seq, like_seq)
    before = max(len(long_before), len(liked_before))
    slots = max(history_len, len(watch_seq) + before, 1)
    gap = max(1, (last_time_ms - TRAIN_START_MS) // slots)
    first_in_window = last_time_ms - gap * (len(watch_seq) - 1)

    def earlier(items: Sequence[int], index: int) -> int:
        return first_in_window - gap * (len(items) - index)

    events = [
        SequenceEvent("view", video, earlier(long_before, index), long=True)
        for index, video in enumerate(long_before)
    ]
    events += [
        SequenceEvent("like", video, earlier(liked_before, index))
        for index, video in enumerate(liked_before)
    ]
    for position, video in enumerate(watch_seq):
        at = first_in_window + gap * position
        events.append(SequenceEvent("view", video, at, long=position in long_in_window))
        if position in liked_in_window:
            events.append(SequenceEvent("like", video, at))
    events.sort(key=lambda event: (event.at, event.type != "view"))
    return events


def _match_tail(watch_seq: Sequence[int], marks: Sequence[int]) -> tuple[set[int], list[int]]:
    """Positions of ``watch_seq`` that ``marks`` fall on, and the marks older than it.

    Both lists are oldest first; matching walks back from the newest of each.
    """
    matched: set[int] = set()
    position = len(watch_seq) - 1
    remaining = len(marks)
    while remaining and position >= 0:
        if watch_seq[position] == marks[remaining - 1]:
            matched.add(position)
            remaining -= 1
        position -= 1
    return matched, list(marks[:remaining])
