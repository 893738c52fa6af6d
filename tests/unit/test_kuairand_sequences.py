"""The mapping of KuaiRand's training sequences onto timed events (pure logic)."""

from __future__ import annotations

from graph.datasets.kuairand_sequences import (
    SHORT_VIEW_MS,
    TRAIN_START_MS,
    SequenceEvent,
    sequence_events,
    watch_ms,
)

HOUR = 3_600_000
LAST = TRAIN_START_MS + 100 * HOUR


def views(events: list[SequenceEvent]) -> list[SequenceEvent]:
    return [event for event in events if event.type == "view"]


def likes(events: list[SequenceEvent]) -> list[SequenceEvent]:
    return [event for event in events if event.type == "like"]


def test_each_watched_item_is_a_view_in_order_ending_at_the_last_time() -> None:
    events = sequence_events([5, 6, 7, 6], [], [], last_time_ms=LAST, history_len=10)
    assert [event.video_id for event in events] == [5, 6, 7, 6]
    gap = 100 * HOUR // 10
    assert [event.at for event in events] == [LAST - 3 * gap, LAST - 2 * gap, LAST - gap, LAST]
    assert not any(event.long for event in events)


def test_long_watches_mark_the_latest_matching_views() -> None:
    events = sequence_events([5, 6, 5, 7], [5, 7], [], last_time_ms=LAST, history_len=4)
    assert [(event.video_id, event.long) for event in events] == [
        (5, False), (6, False), (5, True), (7, True),
    ]  # fmt: skip


def test_long_watches_older_than_the_window_become_earlier_views() -> None:
    events = sequence_events([6, 7], [1, 2, 7], [], last_time_ms=LAST, history_len=5)
    gap = 100 * HOUR // 5
    assert [(e.video_id, e.at, e.long) for e in events] == [
        (1, LAST - 3 * gap, True),
        (2, LAST - 2 * gap, True),
        (6, LAST - gap, False),
        (7, LAST, True),
    ]


def test_likes_in_the_window_share_their_view_time_and_older_likes_stay_likes() -> None:
    events = sequence_events([6, 7, 8], [], [3, 7], last_time_ms=LAST, history_len=3)
    gap = 100 * HOUR // 4  # three views and one older like need four slots
    assert [(e.type, e.video_id, e.at) for e in events] == [
        ("like", 3, LAST - 3 * gap),
        ("view", 6, LAST - 2 * gap),
        ("view", 7, LAST - gap),
        ("like", 7, LAST - gap),
        ("view", 8, LAST),
    ]


def test_a_newest_like_missing_from_the_window_puts_all_likes_before_it() -> None:
    # Lists are in time order: if the newest like was not in the window, none was.
    events = sequence_events([4, 5], [], [5, 9], last_time_ms=LAST, history_len=2)
    assert [e.video_id for e in likes(events)] == [5, 9]
    assert all(e.at < min(v.at for v in views(events)) for e in likes(events))


def test_times_stay_in_the_training_period_and_never_collide() -> None:
    watch = list(range(50))
    long_before = list(range(100, 150))
    events = sequence_events(
        watch, [*long_before, 49], list(range(200, 230)), last_time_ms=LAST, history_len=60
    )
    assert min(event.at for event in events) >= TRAIN_START_MS
    keys = [(event.type, event.video_id, event.at) for event in events]
    assert len(set(keys)) == len(keys)
    assert [event.at for event in events] == sorted(event.at for event in events)


def test_a_gap_of_at_least_one_millisecond_when_the_last_view_is_at_the_start() -> None:
    events = sequence_events([1, 2, 3], [], [], last_time_ms=TRAIN_START_MS, history_len=3)
    start = TRAIN_START_MS
    assert [event.at for event in events] == [start - 2, start - 1, start]


def test_watch_time_is_the_whole_video_for_long_watches_and_short_otherwise() -> None:
    assert watch_ms(60_000, long=True) == 60_000
    assert watch_ms(60_000, long=False) == SHORT_VIEW_MS
    assert watch_ms(1_000, long=False) == 1_000
